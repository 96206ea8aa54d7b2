import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-customer-duplicates/pos-customer-duplicates.js';
import type { PosCustomerDuplicates } from '../../../components/elements/pos-customer-duplicates/pos-customer-duplicates.js';
import type { PosCustomerMerge } from '../../../components/elements/pos-customer-merge/pos-customer-merge.js';
import type { NewCustomerInput } from '../../../components/model/customer.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

const text = (node: Node | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const shadow = (el: PosCustomerDuplicates) => el.shadowRoot as ShadowRoot;
const status = (el: PosCustomerDuplicates) => text(shadow(el).querySelector('[part="status"]'));
const items = (el: PosCustomerDuplicates) => [...shadow(el).querySelectorAll<HTMLElement>('[part="item"]')];
const mergeIn = (el: PosCustomerDuplicates) => shadow(el).querySelector('pos-customer-merge') as PosCustomerMerge | null;
const deepActive = (): Element | null => {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
};

/** Customers another till created while apart (so this till's uniqueness check never saw them), then synced in. */
function fromTillApart(store: CustomerStore, inputs: NewCustomerInput[]): string[] {
  const doc = new Y.Doc();
  const other = new CustomerStore(doc, { tillId: 'till-2' });
  const ids = inputs.map((input) => {
    const created = other.create(input);
    if (!created.ok) throw new Error('setup');
    return created.value.id;
  });
  Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(doc));
  other.destroy();
  return ids;
}

async function setup() {
  const root = await mountStore('<pos-customer-duplicates></pos-customer-duplicates>');
  const store = root.handle!.store;
  const element = root.querySelector('pos-customer-duplicates') as PosCustomerDuplicates;
  await element.updateComplete;
  return { root, store, element };
}

describe('<pos-customer-duplicates>', () => {
  afterEach(cleanUpPage);

  it('lists customers another till made again, with what they share; Review and merge opens the merge, and the list empties', async () => {
    const { root, store, element } = await setup();
    expect(status(element)).to.equal('No duplicate customers.');
    const kept = store.create({ firstName: 'Lan', lastName: 'Pham', email: 'lan@shop.com', phone: '+84912345678' });
    if (!kept.ok) throw new Error('setup');
    await new Promise((r) => setTimeout(r, 2));
    const [twin] = fromTillApart(store, [{ firstName: 'Lan', lastName: 'P.', email: 'LAN@shop.com', phone: '+84 912-345-678', notes: 'regular' }]);
    fromTillApart(store, [{ firstName: 'Someone', lastName: 'Else', email: 'else@shop.com' }]);
    await until(() => items(element).length === 1, 'the pair listed');
    expect(status(element)).to.equal('1 possible duplicate');
    const [item] = items(element);
    expect([...item!.querySelectorAll('[part="names"] li')].map(text)).to.deep.equal([
      'Lan Pham +84912345678 · lan@shop.com',
      'Lan P. +84912345678 · lan@shop.com',
    ]);
    expect(text(item!.querySelector('[part="shared"]'))).to.equal('Same email: lan@shop.com · Same phone number: +84912345678');
    const review = item!.querySelector<HTMLButtonElement>('[part="review-button"]')!;
    expect(review.getAttribute('aria-label')).to.equal('Review and merge Lan Pham and Lan P.');
    await expectNoAxeViolations(element);

    const merged: string[] = [];
    root.addEventListener('pos-customers-merged', (e) => merged.push(`${e.detail.removedId}>${e.detail.customer.id}`));
    review.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => shadow(element).querySelector('dialog')?.open === true && mergeIn(element) !== null, 'the merge dialog');
    const merge = mergeIn(element)!;
    expect([merge.keepId, merge.removeId]).to.deep.equal([kept.value.id, twin], 'the older customer is kept');
    await until(() => merge.shadowRoot?.contains(deepActive()) === true, 'focus inside the merge');
    await expectNoAxeViolations(element);

    merge.shadowRoot!.querySelector<HTMLButtonElement>('[part~="merge-button"]')!.click();
    await until(() => items(element).length === 0, 'the list empty');
    expect(merged).to.deep.equal([`${twin}>${kept.value.id}`]);
    expect(shadow(element).querySelector('dialog')?.open).to.equal(false);
    expect(status(element)).to.equal('Lan P. was merged into Lan Pham.');
    expect(deepActive()).to.equal(shadow(element).querySelector('[part="status"]'), 'focus on the outcome, not lost');
    expect(store.get(kept.value.id)?.notes).to.equal('regular', 'the only note kept');
  });

  it('closes the review on Cancel or Escape, focus back on its button', async () => {
    const { store, element } = await setup();
    fromTillApart(store, [{ firstName: 'Bao', email: 'bao@shop.com' }]);
    fromTillApart(store, [{ firstName: 'Bao', email: 'bao@shop.com' }]);
    await until(() => items(element).length === 1, 'the pair listed');
    const review = items(element)[0]!.querySelector<HTMLButtonElement>('[part="review-button"]')!;
    review.click();
    await until(() => shadow(element).querySelector('dialog')?.open === true, 'the dialog');
    await sendKeys({ press: 'Escape' });
    await until(() => shadow(element).querySelector('dialog')?.open === false, 'the dialog closed');
    await until(() => deepActive() === review, 'focus back on the review button');
    review.click();
    await until(() => mergeIn(element) !== null, 'the merge again');
    await mergeIn(element)!.updateComplete;
    mergeIn(element)!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="cancel-button"]')!.click();
    await until(() => shadow(element).querySelector('dialog')?.open === false, 'closed by Cancel');
    expect(items(element).length).to.equal(1, 'nothing merged');
  });

  it('leaves the review to the page when it cancels pos-merge-request', async () => {
    const { root, store, element } = await setup();
    fromTillApart(store, [{ firstName: 'Chi', phone: '+14155552671' }]);
    fromTillApart(store, [{ firstName: 'Chi', phone: '+14155552671' }]);
    await until(() => items(element).length === 1, 'the pair listed');
    const requests: string[][] = [];
    root.addEventListener('pos-merge-request', (e) => {
      requests.push([e.detail.keepId, e.detail.removeId]);
      e.preventDefault();
    });
    items(element)[0]!.querySelector<HTMLButtonElement>('[part="review-button"]')!.click();
    await element.updateComplete;
    expect(requests.length).to.equal(1);
    expect(shadow(element).querySelector('dialog')?.open).to.equal(false);
  });
});
