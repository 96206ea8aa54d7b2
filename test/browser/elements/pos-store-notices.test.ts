import { expect } from '@esm-bundle/chai';
import * as Y from 'yjs';
import '../../../components/elements/pos-store-notices/pos-store-notices.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

describe('<pos-store-notices>', () => {
  afterEach(cleanUpPage);

  it('tells the cashier when another till’s later edit kept a customer they deleted', async () => {
    const root = await mountStore('<pos-store-notices></pos-store-notices>');
    const notices = root.querySelector('pos-store-notices')!;
    const here = root.handle!.store;
    // Another till, offline: its own document, brought in sync by exchanging updates as the server would.
    const otherDoc = new Y.Doc();
    const other = new CustomerStore(otherDoc, { tillId: 'till-2' });
    Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(here.doc));
    const created = here.create({ firstName: 'Kept', lastName: 'Alive' });
    if (!created.ok) throw new Error('setup');
    Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(here.doc, Y.encodeStateVector(otherDoc)));
    expect(here.delete(created.value.id).ok).to.equal(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(other.update(created.value.id, { notes: 'edited offline' }).ok).to.equal(true);
    // Reconnect: both ways.
    Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(here.doc, Y.encodeStateVector(otherDoc)));
    // Both ways, as the server relays: Yjs keeps one of the two concurrent values of the record, and the
    // till whose value lost writes the join back (which of the two depends on the documents' client ids).
    for (let round = 0; round < 2; round++) {
      Y.applyUpdate(here.doc, Y.encodeStateAsUpdate(otherDoc, Y.encodeStateVector(here.doc)));
      Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(here.doc, Y.encodeStateVector(otherDoc)));
    }
    const text = () => notices.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
    await until(() => text().includes('Kept Alive was edited on till-2 after you deleted it'), 'the notice');
    expect(here.get(created.value.id)?.deleted).to.equal(false);
    await expectNoAxeViolations(notices);
    notices.shadowRoot!.querySelector<HTMLButtonElement>('[part="dismiss"]')!.click();
    await until(() => !text().includes('Kept Alive'), 'the notice to go away');
  });
  it('tells the cashier when a customer they merged into another is back because another till edited it later', async () => {
    const root = await mountStore('<pos-store-notices></pos-store-notices>');
    const notices = root.querySelector('pos-store-notices')!;
    const here = root.handle!.store;
    // Another till, apart since before the survivor existed: it knows only the customer it made.
    const otherDoc = new Y.Doc();
    const other = new CustomerStore(otherDoc, { tillId: 'till-2' });
    const twin = other.create({ firstName: 'Twin', lastName: 'Two', email: 'twin@shop.com' });
    const kept = here.create({ firstName: 'Twin', lastName: 'One', email: 'twin@shop.com' });
    if (!twin.ok || !kept.ok) throw new Error('setup');
    Y.applyUpdate(here.doc, Y.encodeStateAsUpdate(otherDoc));
    expect(here.mergeCustomers(kept.value.id, twin.value.id).ok).to.equal(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(other.update(twin.value.id, { notes: 'edited apart' }).ok).to.equal(true);
    // Both ways, as the server relays: Yjs keeps one of the two concurrent values of the record, and the
    // till whose value lost writes the join back (which of the two depends on the documents' client ids).
    for (let round = 0; round < 2; round++) {
      Y.applyUpdate(here.doc, Y.encodeStateAsUpdate(otherDoc, Y.encodeStateVector(here.doc)));
      Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(here.doc, Y.encodeStateVector(otherDoc)));
    }
    const text = () => notices.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
    await until(
      () => text().includes('Twin Two was edited on till-2 after you merged it into Twin One, so it is back and listed as a duplicate again.'),
      'the notice',
    );
    expect(here.duplicates().length).to.equal(1);
    await expectNoAxeViolations(notices);
  });
});
