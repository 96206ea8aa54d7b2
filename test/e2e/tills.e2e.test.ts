import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, openStoreView, startStack, Till, uniqueStore, type Stack } from './harness.js';

describe('several tills in real browsers, through the real sync server', { timeout: 240_000 }, () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.close();
  });

  it('a customer created on till A appears in till B’s picker within a second', async () => {
    const store = uniqueStore('create');
    const [a, b] = await Promise.all([Till.open(stack, store, 'till-a'), Till.open(stack, store, 'till-b')]);
    try {
      await eventually(async () => (await a.syncStatus().innerText()).includes('Online'), 'till A online');
      await eventually(async () => (await b.syncStatus().innerText()).includes('Online'), 'till B online');
      await a.createFromPicker('Daemon John');
      const saved = Date.now();
      await eventually(async () => (await b.customer('Daemon John')) !== undefined, 'the customer on till B', 1000);
      const seenAfter = Date.now() - saved;
      assert.ok(seenAfter < 1000, `seen after ${seenAfter} ms`);
      assert.deepEqual(await b.search('daem'), ['Daemon John']);
      await Promise.all([a.screenshot('01-created-on-a'), b.screenshot('01-seen-on-b')]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('offline edits of different fields and addresses on two tills all survive the reconnect', async () => {
    const store = uniqueStore('offline');
    const [a, b] = await Promise.all([Till.open(stack, store, 'till-a'), Till.open(stack, store, 'till-b')]);
    const view = await openStoreView(stack, store);
    try {
      await a.createFromPicker('Mai Tran');
      await eventually(async () => (await b.customer('Mai Tran')) !== undefined, 'the customer on till B');
      await b.pick('mai tran');
      await a.setOffline(true);
      await eventually(async () => (await a.syncStatus().innerText()).includes('Offline'), 'till A showing offline');
      await a.editCustomer({ Email: 'mai@shop.com' });
      await a.addAddress('1 Le Loi', 'Hue');
      await b.editCustomer({ Notes: 'Prefers oat milk' });
      await b.addAddress('9 Tran Phu', 'Hanoi');
      await eventually(async () => /waiting to sync/.test(await a.syncStatus().innerText()), 'till A showing changes waiting');
      await a.screenshot('02-offline-edits-a');
      await view.screenshot('02-while-a-offline');
      await a.setOffline(false);
      for (const till of [a, b]) {
        await eventually(async () => {
          const c = await till.customer('Mai Tran');
          return c?.email === 'mai@shop.com' && c.notes === 'Prefers oat milk' && c.streets.join('|') === '1 Le Loi|9 Tran Phu';
        }, `both edits and both addresses on ${till.name}`);
      }
      // In the store view, Till 1 opens the customer: its form and addresses show what both tills typed.
      await view.page.locator('pos-customer-picker [part="button"]').first().click();
      await view.page.getByRole('combobox').pressSequentially('mai tran');
      await view.page
        .getByRole('option', { name: /Mai Tran/ })
        .first()
        .click();
      await view.page.getByText('9 Tran Phu').first().waitFor();
      await Promise.all([a.screenshot('02-reconciled-a'), b.screenshot('02-reconciled-b'), view.screenshot('02-reconciled')]);
    } finally {
      await Promise.all([a.close(), b.close(), view.close()]);
    }
  });

  it('a delete on A against a later offline edit on B: the customer is kept on both and A is told', async () => {
    const store = uniqueStore('delete');
    const [a, b] = await Promise.all([Till.open(stack, store, 'till-a'), Till.open(stack, store, 'till-b')]);
    try {
      await a.createFromPicker('Hoa Le');
      await eventually(async () => (await b.customer('Hoa Le')) !== undefined, 'the customer on till B');
      await b.pick('hoa le');
      await b.setOffline(true);
      // Till A deletes from its back office list, confirming the dialog.
      const office = await a.context.newPage();
      await office.goto(a.page.url().replace('/sell.html', '/back-office.html'));
      const list = office.locator('pos-customer-list');
      await list.getByRole('button', { name: 'Delete Hoa Le', exact: true }).click();
      await list.locator('dialog .confirm').click();
      await eventually(async () => (await a.customer('Hoa Le'))?.deleted === true, 'the delete on till A');
      await b.editCustomer({ Phone: '+1 415 555 2671' });
      await b.setOffline(false);
      for (const till of [a, b]) {
        await eventually(async () => {
          const c = await till.customer('Hoa Le');
          return c?.deleted === false && c.phone === '+14155552671';
        }, `the customer kept with B's edit on ${till.name}`);
      }
      await eventually(
        async () => (await a.page.locator('pos-store-notices [part="message"]').allInnerTexts()).some((t) => t.includes('after you deleted it')),
        'the notice on till A',
      );
      await a.screenshot('03-delete-overridden-a');
      await office.close();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('the server killed with SIGKILL while tills keep working loses nothing once it is back', async () => {
    const store = uniqueStore('kill');
    const [a, b] = await Promise.all([Till.open(stack, store, 'till-a'), Till.open(stack, store, 'till-b')]);
    try {
      await a.createFromPicker('Before Kill');
      await eventually(async () => (await b.customer('Before Kill')) !== undefined, 'the first customer on till B');
      await stack.server.kill('SIGKILL');
      await eventually(async () => !(await a.syncStatus().innerText()).includes('Online'), 'till A noticing the server is gone');
      await a.createFromPicker('During Outage A');
      await b.createFromPicker('During Outage B');
      await b.pick('before kill');
      await b.editCustomer({ Notes: 'typed while the server was down' });
      await stack.restartServer();
      for (const till of [a, b]) {
        await eventually(
          async () => {
            const [x, y, z] = await Promise.all([till.customer('During Outage A'), till.customer('During Outage B'), till.customer('Before Kill')]);
            return Boolean(x && y && z?.notes === 'typed while the server was down');
          },
          `every change on ${till.name}`,
          20_000,
        );
      }
      await Promise.all([a.screenshot('04-after-restart-a'), b.screenshot('04-after-restart-b')]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a till that reloads offline keeps every customer and its offline edits reach the others later', async () => {
    const store = uniqueStore('reload');
    const [a, b] = await Promise.all([Till.open(stack, store, 'till-a'), Till.open(stack, store, 'till-b')]);
    try {
      await b.createFromPicker('Khanh Vo');
      await eventually(async () => (await a.customer('Khanh Vo')) !== undefined, 'the customer on till A');
      await a.setOffline(true);
      await a.reload();
      assert.deepEqual(await a.search('khanh'), ['Khanh Vo'], 'customers come from IndexedDB after the reload');
      await a.closePicker();
      await a.createFromPicker('Offline Created');
      await a.reload();
      assert.deepEqual(await a.search('offline cre'), ['Offline Created'], 'an offline creation survives a reload');
      await a.closePicker();
      await a.screenshot('05-reloaded-offline-a');
      await a.setOffline(false);
      await eventually(async () => (await b.customer('Offline Created')) !== undefined, 'the offline creation on till B', 15_000);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
