import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-customer-form/pos-customer-form.js';
import type { PosCustomerForm } from '../../../components/elements/pos-customer-form/pos-customer-form.js';
import '../../../components/elements/pos-customer-history/pos-customer-history.js';
import type { PosCustomerHistory } from '../../../components/elements/pos-customer-history/pos-customer-history.js';
import type { PosEventDetails } from '../../../components/events/pos-events.js';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/**
 * Another till on its own document, exchanging every update with this page's till both ways as the
 * sync server relays them.
 */
function otherTill(store: CustomerStore, options: { tillName: string; cashier?: string }): CustomerStore {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(store.doc));
  store.doc.on('update', (update: Uint8Array, origin: unknown) => origin !== doc && Y.applyUpdate(doc, update, store.doc));
  doc.on('update', (update: Uint8Array, origin: unknown) => origin !== store.doc && Y.applyUpdate(store.doc, update, doc));
  return new CustomerStore(doc, { tillId: 'till-2', ...options });
}

/** The history's entries as a cashier reads them, newest first. */
function entries(history: PosCustomerHistory): HTMLElement[] {
  return [...(history.shadowRoot?.querySelectorAll<HTMLElement>('[part~="entry"]') ?? [])];
}

function entryAbout(history: PosCustomerHistory, words: string): HTMLElement | undefined {
  return entries(history).find((li) => text(li).includes(words));
}

async function formWithHistory() {
  const root = await mountStore('<pos-customer-form></pos-customer-form>');
  const store = root.handle!.store;
  const form = root.querySelector('pos-customer-form') as PosCustomerForm;
  const created = store.create({ firstName: 'Anh', lastName: 'Vo', email: 'anh@shop.vn' });
  if (!created.ok) throw new Error('create failed');
  form.customerId = created.value.id;
  await form.updateComplete;
  // The disclosure opens from the keyboard, as a cashier would open it.
  const summary = form.shadowRoot!.querySelector('[part~="history"] summary') as HTMLElement;
  summary.focus();
  await sendKeys({ press: 'Enter' });
  await until(() => Boolean(form.shadowRoot!.querySelector('pos-customer-history')), 'the history to open');
  const history = form.shadowRoot!.querySelector('pos-customer-history') as PosCustomerHistory;
  await history.updateComplete;
  return { root, store, form, history, id: created.value.id };
}

describe('<pos-customer-history>', () => {
  afterEach(cleanUpPage);

  it('lists a change made on another till with that till’s name, and Restore puts the old value back in the form and the store', async () => {
    const { root, store, form, history, id } = await formWithHistory();
    expect(text(entries(history).at(-1))).to.include('Customer created');
    const till2 = otherTill(store, { tillName: 'Till 2', cashier: 'Lan' });
    expect(till2.update(id, { email: 'anh.vo@shop.vn' }).ok).to.equal(true);

    await until(() => Boolean(entryAbout(history, 'anh.vo@shop.vn')), 'the other till’s change in the history');
    const change = entryAbout(history, 'anh.vo@shop.vn')!;
    expect(entries(history)[0]).to.equal(change, 'newest first');
    expect(text(change.querySelector('[part~="field"]'))).to.equal('Email');
    expect(text(change.querySelector('[part~="before"]'))).to.equal('anh@shop.vn');
    expect(text(change.querySelector('[part~="after"]'))).to.equal('anh.vo@shop.vn');
    expect(text(change.querySelector('[part~="meta"]'))).to.match(/^Till 2, Lan · /);
    expect((form.shadowRoot!.getElementById('email') as HTMLInputElement).value).to.equal('anh.vo@shop.vn');
    await expectNoAxeViolations(form);

    // The cashier signs in on this till while it is open: the restore is recorded as theirs.
    root.tillName = 'Till 1';
    root.cashier = 'Minh';
    await root.updateComplete;
    const restores: Array<PosEventDetails['pos-field-restore']> = [];
    form.addEventListener('pos-field-restore', (e) => restores.push(e.detail));
    const restore = change.querySelector('[part~="restore-button"]') as HTMLButtonElement;
    expect(restore.getAttribute('aria-label')).to.equal('Restore Email to anh@shop.vn');
    restore.focus();
    await sendKeys({ press: 'Enter' });

    await until(() => (form.shadowRoot!.getElementById('email') as HTMLInputElement).value === 'anh@shop.vn', 'the old email back in the form');
    expect(store.get(id)?.email).to.equal('anh@shop.vn');
    expect(till2.get(id)?.email).to.equal('anh@shop.vn', 'the restore reached the other till');
    expect(restores.map((r) => [r.field, r.customer.email])).to.deep.equal([['email', 'anh@shop.vn']]);
    const values = (li: Element | undefined) => [text(li?.querySelector('[part~="before"]')), text(li?.querySelector('[part~="after"]'))];
    await until(() => values(entries(history)[0]).join() === 'anh.vo@shop.vn,anh@shop.vn', 'the restore at the top of the history');
    expect(text(entries(history)[0]?.querySelector('[part~="meta"]'))).to.match(/^Till 1, Minh · /);
    expect(entryAbout(history, 'Till 2')?.querySelector('[part~="restore-button"]'), 'the value is back: nothing to restore').to.equal(null);
    expect(text(history.shadowRoot!.querySelector('[role="status"]'))).to.equal('Email restored to anh@shop.vn.');
  });

  it('says beside the change why a restore was refused, and writes nothing', async () => {
    const { store, history, id } = await formWithHistory();
    expect(store.update(id, { email: 'anh.vo@shop.vn' }).ok).to.equal(true);
    const bao = store.create({ firstName: 'Bao', email: 'anh@shop.vn' });
    expect(bao.ok).to.equal(true);
    await until(() => Boolean(entryAbout(history, 'anh.vo@shop.vn')), 'the change in the history');
    const change = entryAbout(history, 'anh.vo@shop.vn')!;
    (change.querySelector('[part~="restore-button"]') as HTMLButtonElement).click();

    await until(() => Boolean(entryAbout(history, 'anh.vo@shop.vn')?.querySelector('[part~="error"]')), 'the refusal beside the change');
    const error = entryAbout(history, 'anh.vo@shop.vn')!.querySelector('[part~="error"]')!;
    expect(text(error)).to.equal(messages.duplicateEmail('Bao'));
    expect(error.getAttribute('role')).to.equal('alert');
    expect(store.get(id)?.email).to.equal('anh.vo@shop.vn');
    await expectNoAxeViolations(history);
  });

  it('shows entries another app wrote wrongly as unreadable, and pages long histories', async () => {
    const root = await mountStore('<pos-customer-history limit="3"></pos-customer-history>');
    const store = root.handle!.store;
    const created = store.create({ firstName: 'Anh' });
    if (!created.ok) throw new Error('create failed');
    for (const notes of ['one', 'two', 'three', 'four']) store.update(created.value.id, { notes });
    store.doc
      .getArray('history')
      .push([JSON.stringify({ v: 1, c: created.value.id, f: 'email', b: 7, a: 'x', s: Number.MAX_SAFE_INTEGER, t: 0, till: 'app' })]);
    const history = root.querySelector('pos-customer-history') as PosCustomerHistory;
    history.customerId = created.value.id;
    await history.updateComplete;

    expect(entries(history).map((li) => text(li.querySelector('[part~="field"]')))).to.deep.equal([
      'Unreadable change, saved with invalid data by another till or app',
      'Notes',
      'Notes',
    ]);
    expect(text(entries(history)[0])).to.include('b: ');
    const more = history.shadowRoot!.querySelector('[part~="more-button"]') as HTMLButtonElement;
    expect(text(more)).to.equal('Show older changes (2 more)');
    more.click();
    await history.updateComplete;
    expect(entries(history)).to.have.length(6, 'five entries and the creation');
    expect(history.shadowRoot!.querySelector('[part~="more-button"]')).to.equal(null);
    await expectNoAxeViolations(history);
  });
});
