import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-customer-merge/pos-customer-merge.js';
import type { PosCustomerMerge } from '../../../components/elements/pos-customer-merge/pos-customer-merge.js';
import type { PosEventDetails } from '../../../components/events/pos-events.js';
import type { NewCustomerInput } from '../../../components/model/customer.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

const text = (node: Node | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const part = (merge: PosCustomerMerge, name: string) => merge.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
const choiceNames = (merge: PosCustomerMerge) => [...(merge.shadowRoot?.querySelectorAll('[part~="choice"] .name') ?? [])].map(text);
const radio = (merge: PosCustomerMerge, field: string, index: number) =>
  merge.shadowRoot?.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${field}"]`)[index] ?? null;
const deepActive = (): Element | null => {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};

function add(store: CustomerStore, input: NewCustomerInput): string {
  const created = store.create(input);
  if (!created.ok) throw new Error(created.errors.map((e) => e.message).join('; '));
  return created.value.id;
}

/** A store holding a pair another till made apart (created there, so both were accepted), and the merge element on it. */
async function setup(keep: NewCustomerInput, remove: NewCustomerInput) {
  const root = await mountStore('<pos-customer-merge></pos-customer-merge>');
  const store = root.handle!.store;
  const keepId = add(store, keep);
  const otherDoc = new Y.Doc();
  const other = new CustomerStore(otherDoc, { tillId: 'till-2' });
  const removeId = add(other, remove);
  Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(otherDoc));
  other.destroy();
  const merge = root.querySelector('pos-customer-merge') as PosCustomerMerge;
  merge.keepId = keepId;
  merge.removeId = removeId;
  await merge.updateComplete;
  const events: Array<PosEventDetails['pos-customers-merged'] | 'cancel'> = [];
  root.addEventListener('pos-customers-merged', (e) => events.push(e.detail));
  root.addEventListener('pos-cancel', () => events.push('cancel'));
  return { root, store, merge, keepId, removeId, events };
}

const lan = {
  firstName: 'Nguyen',
  lastName: 'Van A',
  email: 'a@shop.com',
  notes: 'likes tea',
  billingAddress: { street1: '1 Le Loi', city: 'Hue', country: 'VN' },
};
const lanTwin = {
  firstName: 'Nguyen',
  lastName: 'Văn A',
  email: 'a@shop.com',
  phone: '+84912345678',
  notes: 'pays cash',
  billingAddress: { street1: '9 Tran Phu', city: 'Hanoi', country: 'VN' },
  shippingAddress: { street1: '3 Hai Ba Trung', city: 'Hanoi', country: 'VN' },
};

describe('<pos-customer-merge>', () => {
  afterEach(cleanUpPage);

  it('shows both records side by side, a choice only where they differ, every address kept, and what Merge will do', async () => {
    const { merge } = await setup(lan, lanTwin);
    expect(text(part(merge, 'header'))).to.equal('Keep Nguyen Van A Remove Nguyen Văn A');
    expect(choiceNames(merge)).to.deep.equal(['Last name', 'Phone', 'Notes', 'Default billing', 'Default shipping']);
    const same = [...(merge.shadowRoot?.querySelectorAll('[part~="same"]') ?? [])].map(text);
    expect(same).to.include('Email a@shop.com');
    expect(same).to.include('Group No group');
    // The kept record has no phone: the one typed on the other till is picked, not dropped.
    expect(radio(merge, 'phone', 1)?.checked).to.equal(true);
    expect(radio(merge, 'lastName', 0)?.checked).to.equal(true);
    expect(merge.shadowRoot?.querySelectorAll('input[name="notes"]').length).to.equal(3, 'notes can keep both');
    expect(text(part(merge, 'addresses')?.querySelector('h3'))).to.equal('Addresses (all 3 kept)');
    expect([...(part(merge, 'addresses')?.querySelectorAll('li') ?? [])].map(text)).to.deep.equal([
      '1 Le Loi, Hue, VN',
      '9 Tran Phu, Hanoi, VN (from the removed record)',
      '3 Hai Ba Trung, Hanoi, VN (from the removed record)',
    ]);
    expect(text(part(merge, 'summary'))).to.equal(
      'Nguyen Văn A will be removed. Its 2 addresses move to Nguyen Van A. Values not chosen stay in the removed record.',
    );
    await expectNoAxeViolations(merge);
  });

  it('merges by keyboard with the values picked; the walk-in customer moves to the kept one, as the summary said', async () => {
    const { store, merge, keepId, removeId, events } = await setup(lan, lanTwin);
    expect(store.updateSettings({ defaultCustomerId: removeId }).ok).to.equal(true);
    await until(
      () => text(part(merge, 'summary')).includes('It is the walk-in customer — the walk-in customer will now be Nguyen Van A'),
      'the default in the summary',
    );
    // Arrow keys move between a field's options; Tab goes to the next field.
    radio(merge, 'lastName', 0)!.focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(radio(merge, 'lastName', 1)?.checked).to.equal(true);
    radio(merge, 'notes', 0)!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    expect(radio(merge, 'notes', 2)?.checked).to.equal(true);
    part(merge, 'merge-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => events.length === 1, 'the merged event');
    const [detail] = events;
    if (!detail || detail === 'cancel') throw new Error('no merge');
    expect(detail.removedId).to.equal(removeId);
    expect(detail.defaultCustomerMoved).to.equal(true);
    expect(detail.customer.id).to.equal(keepId);
    const kept = store.get(keepId);
    expect([kept?.lastName, kept?.phone, kept?.notes]).to.deep.equal(['Văn A', '+84912345678', 'likes tea\npays cash']);
    expect(kept?.addresses.length).to.equal(3);
    expect(store.get(removeId)?.mergedInto).to.equal(keepId);
    expect(store.settings().defaultCustomerId).to.equal(keepId);
    expect(store.duplicates()).to.deep.equal([]);
    // The kept customer now has the last name picked from the other.
    await until(() => text(part(merge, 'summary')) === 'Nguyen Văn A was merged into Nguyen Văn A.', 'the outcome in place of the pair');
  });

  it('says why the store refuses, and merges once the cashier picks otherwise', async () => {
    const { store, merge, keepId, events } = await setup(
      { firstName: 'Quang', email: 'quang@shop.com', phone: '+14155552671' },
      { firstName: 'Quang', email: 'quang@shop.com', phone: '+14155552672' },
    );
    // A third customer on another till holds the removed one's phone.
    const otherDoc = new Y.Doc();
    const third = new CustomerStore(otherDoc, { tillId: 'till-3' });
    add(third, { firstName: 'Quan', lastName: 'Le', phone: '+14155552672' });
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(otherDoc));
    third.destroy();
    radio(merge, 'phone', 1)!.click();
    await until(
      () => text(part(merge, 'error')) === 'Nothing was merged: Phone: This phone number is already in use by Quan Le.',
      'the refusal beside the choice',
    );
    await expectNoAxeViolations(merge);
    part(merge, 'merge-button')!.click();
    await merge.updateComplete;
    expect(events).to.deep.equal([]);
    radio(merge, 'phone', 0)!.click();
    await until(() => part(merge, 'error') === null, 'the refusal gone');
    part(merge, 'merge-button')!.click();
    await until(() => events.length === 1, 'the merge');
    expect(store.get(keepId)?.phone).to.equal('+14155552671');
  });

  it('swaps which record is kept', async () => {
    const { store, merge, keepId, removeId, events } = await setup(
      { firstName: 'Hoa', email: 'hoa@shop.com' },
      { firstName: 'Hoa', lastName: 'Le', email: 'hoa@shop.com' },
    );
    part(merge, 'swap-button')!.click();
    await merge.updateComplete;
    expect([merge.keepId, merge.removeId]).to.deep.equal([removeId, keepId]);
    expect(text(part(merge, 'header'))).to.equal('Keep Hoa Le Remove Hoa');
    part(merge, 'merge-button')!.click();
    await until(() => events.length === 1, 'the merge');
    expect(store.get(keepId)?.mergedInto).to.equal(removeId);
  });

  it('disables Merge when another till merges or deletes one of the pair meanwhile', async () => {
    const { store, merge, keepId, removeId, events } = await setup(
      { firstName: 'Long', email: 'long@shop.com' },
      { firstName: 'Long', email: 'long@shop.com' },
    );
    const otherDoc = new Y.Doc();
    Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(store.doc));
    const other = new CustomerStore(otherDoc, { tillId: 'till-2' });
    expect(other.mergeCustomers(removeId, keepId).ok).to.equal(true);
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(otherDoc, Y.encodeStateVector(store.doc)));
    other.destroy();
    await until(() => text(part(merge, 'error')).startsWith('One of these customers was deleted or merged'), 'the pair gone');
    expect(part(merge, 'merge-button')?.getAttribute('aria-disabled')).to.equal('true');
    part(merge, 'merge-button')!.click();
    expect(events).to.deep.equal([]);
  });

  it('Cancel and Escape say so to the page', async () => {
    const { merge, events } = await setup({ firstName: 'Minh', email: 'minh@shop.com' }, { firstName: 'Minh', email: 'minh@shop.com' });
    // Same names: each side says when and where it was made.
    expect(text(part(merge, 'header'))).to.match(/^Keep Minh \(created .+ on till-1\) Remove Minh \(created .+ on till-2\)$/);
    expect(part(merge, 'records')?.querySelectorAll('[part~="choice"]').length).to.equal(0, 'nothing to choose');
    part(merge, 'cancel-button')!.click();
    part(merge, 'swap-button')!.focus();
    expect(deepActive()).to.equal(part(merge, 'swap-button'));
    await sendKeys({ press: 'Escape' });
    expect(events).to.deep.equal(['cancel', 'cancel']);
  });
});
