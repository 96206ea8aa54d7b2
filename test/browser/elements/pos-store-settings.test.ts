import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-store-settings/pos-store-settings.js';
import type { PosStoreSettings } from '../../../components/elements/pos-store-settings/pos-store-settings.js';
import type { PosEventDetails } from '../../../components/events/pos-events.js';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

const shadow = (el: Element) => el.shadowRoot!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const control = <T extends HTMLElement = HTMLInputElement>(el: Element, id: string) => shadow(el).getElementById(id) as T;
const formStatus = (el: Element) => text(shadow(el).querySelector('[part~="status"]'));
const walkIn = (el: Element) => shadow(el).querySelector('[part~="walk-in"]')!;
const buttonIn = (scope: ParentNode, label: string) =>
  [...scope.querySelectorAll('button')].find((b) => text(b) === label) ?? expect.fail(`no button "${label}"`);

function errorBeside(el: Element, id: string): string {
  const input = control(el, id);
  const describedBy = input.getAttribute('aria-describedby');
  if (input.getAttribute('aria-invalid') !== 'true' || !describedBy) return '';
  return text(shadow(el).getElementById(describedBy));
}

async function typeInto(input: HTMLInputElement, value: string) {
  input.focus();
  input.select();
  await sendKeys({ type: value });
}

/** Chooses an option the way a keyboard does on a focused select: the value changes, then `change`. */
function choose(select: HTMLSelectElement, value: string) {
  select.focus();
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

async function mountSettings() {
  const root = await mountStore('<pos-store-settings></pos-store-settings>');
  const store = root.handle!.store;
  const el = root.querySelector('pos-store-settings') as PosStoreSettings;
  const saves: PosEventDetails['pos-settings-save'][] = [];
  el.addEventListener('pos-settings-save', (e) => saves.push(e.detail));
  await until(() => Boolean(control(el, 'outlet-street1')), 'the form');
  return { el, store, saves };
}

describe('<pos-store-settings>', () => {
  afterEach(cleanUpPage);

  it('saves the outlet address, which new customer addresses then start from', async () => {
    const { el, store, saves } = await mountSettings();
    await expectNoAxeViolations(el);
    await typeInto(control(el, 'outlet-company'), 'Phở 24 Lê Lợi');
    await typeInto(control(el, 'outlet-street1'), '24 Lê Lợi');
    await typeInto(control(el, 'outlet-city'), 'Huế');
    await typeInto(control(el, 'outlet-postcode'), '530000');
    const country = control<HTMLSelectElement>(el, 'outlet-country');
    expect([...country.options].find((o) => o.value === 'VN')?.text).to.equal('Vietnam (VN)');
    choose(country, 'VN');
    await typeInto(control(el, 'outlet-phone'), '+84 234 382 1234');
    await sendKeys({ press: 'Enter' });
    await until(() => saves.length === 1, 'saved');
    expect(formStatus(el)).to.equal('Settings saved.');
    expect(store.settings().outletAddress).to.deep.include({ company: 'Phở 24 Lê Lợi', street1: '24 Lê Lợi', city: 'Huế', postcode: '530000', country: 'VN' });
    const customer = store.create({ firstName: 'Lan', lastName: 'Pham' });
    if (!customer.ok) throw new Error('setup');
    expect(store.newAddressDraft(customer.value.id)).to.deep.include({ firstName: 'Lan', lastName: 'Pham', street1: '24 Lê Lợi', city: 'Huế', country: 'VN' });
  });

  it('shows errors beside the fields and saves nothing until they are fixed', async () => {
    const { el, store, saves } = await mountSettings();
    await typeInto(control(el, 'outlet-postcode'), '1234567890 1234567890 too long');
    await typeInto(control(el, 'outlet-city'), 'Da Nang');
    await sendKeys({ press: 'Enter' });
    await until(() => errorBeside(el, 'outlet-postcode') === messages.tooLong(20), 'the postcode error');
    expect(shadow(el).activeElement).to.equal(control(el, 'outlet-postcode'));
    expect(store.settings().outletAddress.city).to.equal('');
    await expectNoAxeViolations(el);
    await typeInto(control(el, 'outlet-postcode'), '550000');
    await until(() => errorBeside(el, 'outlet-postcode') === '', 'cleared while typing');
    await sendKeys({ press: 'Enter' });
    await until(() => saves.length === 1, 'saved');
    expect(store.settings().outletAddress).to.deep.include({ city: 'Da Nang', postcode: '550000' });
  });

  it('sets the default phone country and the fields every customer needs', async () => {
    const { el, store } = await mountSettings();
    expect(store.create({ firstName: 'Before' }).ok).to.equal(true);
    choose(control<HTMLSelectElement>(el, 'default-country'), 'VN');
    control(el, 'require-phone').click();
    expect(control(el, 'require-email').checked).to.equal(false);
    buttonIn(shadow(el), 'Save settings').click();
    await until(() => store.settings().requirePhone, 'saved');
    expect(store.settings()).to.deep.include({ defaultCountry: 'VN', requirePhone: true, requireEmail: false });
    const refused = store.create({ firstName: 'No phone' });
    expect(!refused.ok && refused.errors[0]?.message).to.equal(messages.phoneRequired);
    const national = store.create({ firstName: 'Phone', phone: '0912 345 678' });
    expect(national.ok && national.value.phone, 'read as a Vietnamese number').to.equal('+84912345678');

    control(el, 'require-phone').click();
    control(el, 'require-email').click();
    buttonIn(shadow(el), 'Save settings').click();
    await until(() => store.settings().requireEmail, 'saved again');
    expect(store.settings().requirePhone).to.equal(false);
  });

  it('offers to create the walk-in customer when the store has none', async () => {
    const { el, store, saves } = await mountSettings();
    expect(text(walkIn(el).querySelector('[part~="current-walk-in"]'))).to.equal('No walk-in customer is set.');
    buttonIn(walkIn(el), 'Create walk-in customer').click();
    await until(() => Boolean(store.defaultCustomer()), 'created');
    expect(store.defaultCustomer()).to.deep.include({ firstName: 'Walk-in', lastName: 'customer' });
    await until(() => text(walkIn(el).querySelector('[part~="current-walk-in"]')) === 'Current walk-in customer: Walk-in customer', 'shown');
    expect(saves.at(-1)?.settings.defaultCustomerId).to.equal(store.defaultCustomer()!.id);
    expect([...walkIn(el).querySelectorAll('button')].map(text)).to.not.include('Create walk-in customer');
  });

  it('chooses the walk-in customer by searching, with the keyboard', async () => {
    const { el, store } = await mountSettings();
    const current = store.ensureDefaultCustomer();
    const binh = store.create({ firstName: 'Bình', lastName: 'Trần', phone: '+84912000111' });
    const bich = store.create({ firstName: 'Bích', lastName: 'Ngọc' });
    if (!current.ok || !binh.ok || !bich.ok) throw new Error('setup');
    const search = control(el, 'walk-in-search');
    search.focus();
    await sendKeys({ type: 'bi' });
    await until(() => walkIn(el).querySelectorAll('[role="option"]').length === 2, 'two matches');
    expect(search.getAttribute('aria-expanded')).to.equal('true');
    await expectNoAxeViolations(el);
    await sendKeys({ press: 'ArrowDown' });
    const activeId = search.getAttribute('aria-activedescendant')!;
    const activeName = text(shadow(el).getElementById(activeId)?.querySelector('span'));
    await sendKeys({ press: 'Enter' });
    await until(() => store.defaultCustomer()?.id !== current.value.id, 'the default changed');
    const chosen = store.defaultCustomer()!;
    expect(`${chosen.firstName} ${chosen.lastName}`).to.equal(activeName);
    await until(() => text(walkIn(el).querySelector('[part~="current-walk-in"]')).includes(activeName), 'shown');
    expect(text(walkIn(el).querySelector('[role="status"]'))).to.equal(`${activeName} is now the walk-in customer.`);
    expect(search.value).to.equal('');
    expect(search.getAttribute('aria-expanded')).to.equal('false');

    search.focus();
    await sendKeys({ type: 'zzzz' });
    await until(() => text(walkIn(el).querySelector('[role="status"]')) === 'No customer matches', 'no match said');
  });

  it('follows another till’s settings while keeping what the manager is typing', async () => {
    const { el, store } = await mountSettings();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(store.doc));
    const other = new CustomerStore(doc, { tillId: 'till-2' });
    await typeInto(control(el, 'outlet-city'), 'Hội An');
    other.updateSettings({ outletAddress: { street1: '1 Trần Phú', city: 'Đà Nẵng' }, requireEmail: true });
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(doc));
    await until(() => control(el, 'outlet-street1').value === '1 Trần Phú', 'the other till’s street');
    expect(control(el, 'require-email').checked).to.equal(true);
    expect(control(el, 'outlet-city').value, 'the field being edited is kept').to.equal('Hội An');
    control(el, 'outlet-city').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => store.settings().outletAddress.city === 'Hội An', 'saved');
    expect(store.settings().outletAddress.street1).to.equal('1 Trần Phú');
    expect(store.settings().requireEmail, 'saving the outlet address keeps the other settings').to.equal(true);
  });
});
