import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-address-editor/pos-address-editor.js';
import '../../../components/elements/pos-customer-form/pos-customer-form.js';
import type { PosAddressEditor } from '../../../components/elements/pos-address-editor/pos-address-editor.js';
import type { PosEventDetails } from '../../../components/events/pos-events.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { storeMaps } from '../../../components/store/document-layout.js';
import { decodeCustomer, encodeCustomer } from '../../../components/store/stored-customers.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

const outlet = { street1: '1 Outlet Rd', city: 'Hanoi', postcode: '100000', country: 'VN', phone: '+84240000000' };

/** A store with its outlet address and one customer, and an editor showing that customer. */
async function mountEditor() {
  const root = await mountStore('<pos-address-editor></pos-address-editor>');
  const store = root.handle!.store;
  store.updateSettings({ outletAddress: outlet });
  const created = store.create({ firstName: 'Khanh', lastName: 'Vo', phone: '+84912345678' });
  if (!created.ok) throw new Error('setup');
  const editor = root.querySelector('pos-address-editor') as PosAddressEditor;
  editor.customerId = created.value.id;
  const changes: PosEventDetails['pos-address-change'][] = [];
  editor.addEventListener('pos-address-change', (e) => changes.push(e.detail));
  await until(() => Boolean(shadow(editor).getElementById('new-address')), 'the editor');
  return { editor, store, customerId: created.value.id, changes };
}

const shadow = (el: Element) => el.shadowRoot!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const control = (editor: Element, field: string) => shadow(editor).getElementById(`address-${field}`) as HTMLInputElement;
const countryList = (editor: Element) => shadow(editor).getElementById('address-country') as HTMLSelectElement | null;
const chosenCountry = (editor: Element) => text(countryList(editor)?.selectedOptions[0]);
const items = (editor: Element) => [...shadow(editor).querySelectorAll('li')];
const buttonIn = (scope: ParentNode, label: string) =>
  [...scope.querySelectorAll('button')].find((b) => text(b) === label) ?? expect.fail(`no button "${label}"`);

function errorBeside(editor: Element, field: string): string {
  const input = control(editor, field);
  const describedBy = input.getAttribute('aria-describedby');
  if (input.getAttribute('aria-invalid') !== 'true' || !describedBy) return '';
  return text(shadow(editor).getElementById(describedBy));
}

async function press(target: HTMLElement, key = 'Enter') {
  target.focus();
  await sendKeys({ press: key });
}

async function replaceText(input: HTMLInputElement, value: string) {
  input.select();
  await sendKeys({ type: value });
}

describe('<pos-address-editor>', () => {
  afterEach(cleanUpPage);

  it('adds an address that starts from the outlet’s address with the customer’s name', async () => {
    const { editor, store, customerId, changes } = await mountEditor();
    expect(text(shadow(editor).querySelector('p'))).to.contain('No address yet');
    await press(buttonIn(shadow(editor), 'New address'));
    await until(() => shadow(editor).activeElement === control(editor, 'firstName'), 'focus in the new form');
    expect(text(shadow(editor).querySelector('legend'))).to.equal('New address');
    const shown = ['firstName', 'lastName', 'street1', 'city', 'postcode', 'country', 'phone'].map((f) => control(editor, f).value);
    expect(shown).to.deep.equal(['Khanh', 'Vo', '1 Outlet Rd', 'Hanoi', '100000', 'VN', '+84912345678']);
    expect(chosenCountry(editor), 'the outlet’s country, by name').to.equal('Vietnam (VN)');
    await replaceText(control(editor, 'street1'), '5 Ly Thai To');
    await sendKeys({ press: 'Enter' });
    await until(() => changes.length === 1, 'pos-address-change');
    const customer = store.get(customerId)!;
    expect(customer.addresses.map((a) => [a.street1, a.city])).to.deep.equal([['5 Ly Thai To', 'Hanoi']]);
    expect(changes[0]).to.deep.equal({ customerId, addresses: customer.addresses });
    await until(() => items(editor).length === 1, 'the address listed');
    expect(text(items(editor)[0])).to.contain('5 Ly Thai To, Hanoi, 100000, VN');
    expect([...items(editor)[0]!.querySelectorAll('[part~="badge"]')].map(text)).to.deep.equal(['Default billing', 'Default shipping']);
    expect(shadow(editor).activeElement, 'focus back on New address').to.equal(shadow(editor).getElementById('new-address'));
    expect(text(shadow(editor).querySelector('[role="status"]'))).to.equal('Address saved');
  });

  it('chooses the country from a labelled list of countries by name, from the keyboard, or none', async () => {
    const { editor, store, customerId, changes } = await mountEditor();
    await press(buttonIn(shadow(editor), 'New address'));
    await until(() => Boolean(countryList(editor)), 'the form');
    const list = countryList(editor)!;
    expect(list.tagName).to.equal('SELECT');
    expect(text(shadow(editor).querySelector('label[for="address-country"]'))).to.equal('Country');
    const options = [...list.options];
    expect([options[0]!.value, text(options[0])], 'first, no country').to.deep.equal(['', '—']);
    expect(options.length, 'every country').to.be.greaterThan(240);
    expect(options.map(text)).to.include.members(['Japan (JP)', 'Kosovo (XK)', 'Antarctica (AQ)']);
    const names = options.slice(1).map(text);
    expect(names, 'sorted by name').to.deep.equal([...names].sort((a, b) => a.localeCompare(b)));

    // Typing a country's name on the focused list chooses it, as on any select.
    list.focus();
    await sendKeys({ type: 'Japan' });
    await until(() => list.value === 'JP', 'Japan chosen from the keyboard');
    control(editor, 'street1').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => changes.length === 1, 'saved');
    const [address] = store.get(customerId)!.addresses;
    expect(address!.country).to.equal('JP');

    // None: an address may have no country.
    await press(buttonIn(items(editor)[0]!, 'Edit address'));
    await until(() => Boolean(countryList(editor)), 'the edit form');
    expect(chosenCountry(editor)).to.equal('Japan (JP)');
    countryList(editor)!.focus();
    await sendKeys({ press: 'Home' });
    await until(() => countryList(editor)!.value === '', 'no country chosen');
    control(editor, 'street1').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => changes.length === 2, 'saved again');
    expect(store.get(customerId)!.addresses[0]!.country).to.equal('');
    await until(() => !text(items(editor)[0]).includes('JP'), 'listed without a country');
  });

  it('keeps a country another app stored outside the list, shown and saved with the cashier’s other changes', async () => {
    const { editor, store, customerId, changes } = await mountEditor();
    const added = store.addAddress(customerId, store.newAddressDraft(customerId));
    if (!added.ok) throw new Error('setup');
    // Another app writes a code no cashier could choose straight into the shared document.
    const customers = storeMaps(store.doc).customers;
    const raw = decodeCustomer(customers.get(customerId)) as { addresses: Record<string, { country: string }> };
    raw.addresses[added.value.id]!.country = 'ZZ';
    customers.set(customerId, encodeCustomer(raw));
    await until(() => text(items(editor)[0]).includes('Hanoi, 100000, ZZ'), 'listed with its code');
    await press(buttonIn(items(editor)[0]!, 'Edit address'));
    await until(() => Boolean(countryList(editor)), 'the edit form');
    expect([countryList(editor)!.value, chosenCountry(editor)], 'shown, not replaced by the first choice').to.deep.equal(['ZZ', 'ZZ']);
    await replaceText(control(editor, 'city'), 'Hue');
    await sendKeys({ press: 'Enter' });
    await until(() => changes.length === 1, 'saved');
    expect([store.get(customerId)!.addresses[0]!.city, store.get(customerId)!.addresses[0]!.country]).to.deep.equal(['Hue', 'ZZ']);
  });

  it('refuses an outlet country that names none on a new address, beside the list, until one is chosen', async () => {
    const { editor, store, customerId, changes } = await mountEditor();
    // The outlet address is the manager's and is kept as written; a customer's address must name a country.
    store.updateSettings({ outletAddress: { ...outlet, country: 'ZZ' } });
    await press(buttonIn(shadow(editor), 'New address'));
    await until(() => chosenCountry(editor) === 'ZZ', 'the outlet’s code, shown');
    control(editor, 'street1').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => errorBeside(editor, 'country').startsWith('Choose a country'), 'the country error on save');
    expect(shadow(editor).activeElement, 'focus on the list').to.equal(countryList(editor));
    expect(store.get(customerId)!.addresses).to.have.length(0);
    await sendKeys({ type: 'Vietnam' });
    await until(() => errorBeside(editor, 'country') === '', 'fixed once a country is chosen');
    control(editor, 'street1').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => changes.length === 1, 'saved');
    expect(store.get(customerId)!.addresses[0]!.country).to.equal('VN');
  });

  it('edits an address, sending only what the cashier changed', async () => {
    const { editor, store, customerId, changes } = await mountEditor();
    const added = store.addAddress(customerId, store.newAddressDraft(customerId));
    if (!added.ok) throw new Error('setup');
    await until(() => items(editor).length === 1, 'listed');
    await press(buttonIn(items(editor)[0]!, 'Edit address'));
    await until(() => shadow(editor).activeElement === control(editor, 'firstName'), 'the edit form');
    expect(text(shadow(editor).querySelector('legend'))).to.equal('Edit address');
    await replaceText(control(editor, 'city'), 'Da Nang');
    // Another till changes the street meanwhile; the cashier did not touch it, so it is kept and shown.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(store.doc));
    new CustomerStore(doc, { tillId: 'till-2' }).updateAddress(customerId, added.value.id, { street1: '9 Other St' });
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(doc));
    await until(() => control(editor, 'street1').value === '9 Other St', 'the other till’s street, live');
    control(editor, 'city').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => changes.length === 1, 'saved');
    const [address] = store.get(customerId)!.addresses;
    expect([address!.street1, address!.city]).to.deep.equal(['9 Other St', 'Da Nang']);
    await until(() => shadow(editor).activeElement === shadow(editor).getElementById(`edit-${added.value.id}`), 'focus back on Edit');
  });

  it('Escape closes the form without saving', async () => {
    const { editor, store, customerId, changes } = await mountEditor();
    await press(buttonIn(shadow(editor), 'New address'));
    await until(() => Boolean(control(editor, 'street1')), 'the form');
    await replaceText(control(editor, 'street1'), 'Not kept');
    await sendKeys({ press: 'Escape' });
    await until(() => !shadow(editor).querySelector('form'), 'form closed');
    expect(store.get(customerId)!.addresses).to.have.length(0);
    expect(changes).to.have.length(0);
    expect(shadow(editor).activeElement).to.equal(shadow(editor).getElementById('new-address'));
  });

  it('removes an address only after confirmation', async () => {
    const { editor, store, customerId, changes } = await mountEditor();
    store.addAddress(customerId, { ...store.newAddressDraft(customerId), street1: 'Keep St' });
    store.addAddress(customerId, { ...store.newAddressDraft(customerId), street1: 'Gone St' });
    await until(() => items(editor).length === 2, 'listed');
    const gone = () => items(editor).find((li) => text(li).includes('Gone St'));
    await press(buttonIn(gone()!, 'Remove address'));
    await until(() => text(gone()!.querySelector('[part~="confirm"]')).startsWith('Remove this address?'), 'the confirmation');
    expect(text(shadow(editor).activeElement), 'focus on the safe choice').to.equal('Cancel');
    await sendKeys({ press: 'Escape' });
    await until(() => !gone()!.querySelector('[part~="confirm"]'), 'confirmation dismissed');
    expect(store.get(customerId)!.addresses).to.have.length(2);
    await press(buttonIn(gone()!, 'Remove address'));
    await until(() => Boolean(gone()!.querySelector('[part~="confirm"]')), 'asked again');
    await press(buttonIn(gone()!.querySelector('[part~="confirm"]')!, 'Remove address'));
    await until(() => items(editor).length === 1, 'removed from the list');
    expect(store.get(customerId)!.addresses.map((a) => a.street1)).to.deep.equal(['Keep St']);
    expect(changes).to.have.length(1);
    expect(changes[0]!.addresses.map((a) => a.street1)).to.deep.equal(['Keep St']);
  });

  it('chooses the default billing and shipping address', async () => {
    const { editor, store, customerId, changes } = await mountEditor();
    store.addAddress(customerId, { ...store.newAddressDraft(customerId), street1: 'First St' });
    const second = store.addAddress(customerId, { ...store.newAddressDraft(customerId), street1: 'Second St' });
    if (!second.ok) throw new Error('setup');
    await until(() => items(editor).length === 2, 'listed');
    const secondItem = () => items(editor).find((li) => text(li).includes('Second St'))!;
    expect(secondItem().querySelectorAll('[part~="badge"]')).to.have.length(0);
    await press(buttonIn(secondItem(), 'Use for billing'));
    await until(() => store.get(customerId)!.billingAddressId === second.value.id, 'billing default');
    await press(buttonIn(secondItem(), 'Use for shipping'));
    await until(() => store.get(customerId)!.shippingAddressId === second.value.id, 'shipping default');
    await until(() => [...secondItem().querySelectorAll('[part~="badge"]')].map(text).join() === 'Default billing,Default shipping', 'badges');
    expect(buttonIn(secondItem(), 'Use for shipping').getAttribute('aria-disabled')).to.equal('true');
    expect(changes).to.have.length(2);
  });

  it('shows an address added on another till', async () => {
    const { editor, store, customerId } = await mountEditor();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(store.doc));
    new CustomerStore(doc, { tillId: 'till-2' }).addAddress(customerId, { street1: '7 Remote Ave', city: 'Hue', country: 'VN' });
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(doc));
    await until(() => text(items(editor)[0]).includes('7 Remote Ave, Hue, VN'), 'the remote address');
  });

  it('renders markup in an address as text', async () => {
    const { editor, store, customerId } = await mountEditor();
    store.addAddress(customerId, { street1: '<img src=x onerror=alert(1)>', country: 'VN' });
    await until(() => text(items(editor)[0]).includes('<img src=x onerror=alert(1)>'), 'listed as text');
    expect(shadow(editor).querySelector('img')).to.equal(null);
  });

  it('has no accessibility violations: list, form with an error, confirmation', async () => {
    const { editor, store, customerId } = await mountEditor();
    store.addAddress(customerId, store.newAddressDraft(customerId));
    await until(() => items(editor).length === 1, 'listed');
    await expectNoAxeViolations(editor);
    await press(buttonIn(shadow(editor), 'New address'));
    await until(() => Boolean(countryList(editor)), 'the form');
    await expectNoAxeViolations(editor);
    // An error beside the country list: the outlet's code names no country.
    store.updateSettings({ outletAddress: { ...outlet, country: 'ZZ' } });
    await until(() => chosenCountry(editor) === 'ZZ', 'the outlet’s code');
    control(editor, 'street1').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => errorBeside(editor, 'country') !== '', 'an error shown');
    await expectNoAxeViolations(editor);
    await sendKeys({ press: 'Escape' });
    await press(buttonIn(items(editor)[0]!, 'Remove address'));
    await until(() => Boolean(shadow(editor).querySelector('[part~="confirm"]')), 'the confirmation');
    await expectNoAxeViolations(editor);
  });

  it('inside <pos-customer-form>, Escape closes only the address form', async () => {
    const root = await mountStore('<pos-customer-form></pos-customer-form>');
    const store = root.handle!.store;
    const created = store.create({ firstName: 'Lam' });
    if (!created.ok) throw new Error('setup');
    const form = root.querySelector('pos-customer-form')!;
    form.customerId = created.value.id;
    const cancels: unknown[] = [];
    form.addEventListener('pos-cancel', (e) => cancels.push(e));
    await until(() => Boolean(form.shadowRoot?.querySelector('pos-address-editor')?.shadowRoot?.getElementById('new-address')), 'the embedded editor');
    const editor = form.shadowRoot!.querySelector('pos-address-editor')!;
    await press(buttonIn(shadow(editor), 'New address'));
    await until(() => Boolean(control(editor, 'street1')), 'the address form');
    await sendKeys({ press: 'Escape' });
    await until(() => !shadow(editor).querySelector('form'), 'address form closed');
    expect(cancels).to.have.length(0);
    await sendKeys({ press: 'Escape' });
    expect(cancels).to.have.length(1);
  });
});
