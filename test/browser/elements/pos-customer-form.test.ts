import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-customer-form/pos-customer-form.js';
import type { PosCustomerForm } from '../../../components/elements/pos-customer-form/pos-customer-form.js';
import type { PosEventDetails, PosEventName } from '../../../components/events/pos-events.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

async function mountForm(attributes = '') {
  const root = await mountStore(`<pos-customer-form ${attributes}></pos-customer-form>`);
  const form = root.querySelector('pos-customer-form') as PosCustomerForm;
  const store = root.handle!.store;
  await form.updateComplete;
  return { root, form, store };
}

const shadow = (form: Element) => form.shadowRoot!;
const control = (form: Element, id: string) => shadow(form).getElementById(id) as HTMLInputElement;
const labelOf = (form: Element, id: string) => shadow(form).querySelector(`label[for="${id}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const button = (form: Element, label: string) =>
  [...shadow(form).querySelectorAll('button')].find((b) => text(b) === label) ?? expect.fail(`no button "${label}"`);

/** The error the cashier sees beside a field: the element its control's aria-describedby names. */
function errorBeside(form: Element, id: string): string {
  const input = control(form, id);
  const describedBy = input.getAttribute('aria-describedby');
  if (input.getAttribute('aria-invalid') !== 'true' || !describedBy) return '';
  return text(shadow(form).getElementById(describedBy));
}

async function typeInto(form: Element, id: string, value: string) {
  control(form, id).focus();
  await sendKeys({ type: value });
}

function record<N extends PosEventName>(target: EventTarget, name: N): PosEventDetails[N][] {
  const seen: PosEventDetails[N][] = [];
  target.addEventListener(name, (e) => seen.push((e as CustomEvent<PosEventDetails[N]>).detail));
  return seen;
}

/** A second till on its own document, synced both ways by hand, as the sync server would. */
function otherTill(store: CustomerStore) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(store.doc));
  const other = new CustomerStore(doc, { tillId: 'till-2' });
  return {
    store: other,
    syncToFirst: () => Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(doc)),
  };
}

describe('<pos-customer-form>', () => {
  afterEach(cleanUpPage);

  it('quick create: a name is enough, Enter saves, the customer is in the store', async () => {
    const { form, store } = await mountForm('quick');
    const saves = record(form, 'pos-customer-save');
    expect(labelOf(form, 'firstName')).to.equal('First name');
    expect(control(form, 'email').closest('[hidden]'), 'details hidden in the popup').to.not.equal(null);
    form.focus();
    expect(shadow(form).activeElement).to.equal(control(form, 'firstName'));
    await sendKeys({ type: 'Daemon' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'John' });
    await sendKeys({ press: 'Enter' });
    await until(() => saves.length === 1, 'the save event');
    expect(saves[0]!.created).to.equal(true);
    const saved = store.get(saves[0]!.customer.id)!;
    expect([saved.firstName, saved.lastName, saved.addresses.length]).to.deep.equal(['Daemon', 'John', 0]);
    await until(() => control(form, 'firstName').value === '', 'a blank form for the next customer');
    await until(() => shadow(form).activeElement === control(form, 'firstName'), 'focus back on the first field');
  });

  it('quick: "More details" reveals the full form; a prefill with more than a name opens it', async () => {
    const { form } = await mountForm('quick');
    const toggle = button(form, 'More details');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => toggle.getAttribute('aria-expanded') === 'true', 'expanded');
    expect(control(form, 'email').closest('[hidden]')).to.equal(null);
    expect(control(form, 'billingAddress-street1').closest('[hidden]')).to.equal(null);
    await sendKeys({ press: 'Tab' });
    expect(shadow(form).activeElement, 'Tab goes on to the revealed email').to.equal(control(form, 'email'));

    form.prefill = { firstName: 'Anna', phone: '0912 345 678' };
    await form.updateComplete;
    expect(control(form, 'firstName').value).to.equal('Anna');
    expect(control(form, 'phone').value).to.equal('0912 345 678');
    expect(control(form, 'phone').closest('[hidden]')).to.equal(null);
  });

  it('shows each rule’s error beside its field when the cashier leaves it', async () => {
    const { form, store } = await mountForm();

    // No name: passing both name fields without typing one.
    control(form, 'firstName').focus();
    await sendKeys({ press: 'Tab' });
    expect(errorBeside(form, 'firstName'), 'nothing yet: a last name may follow').to.equal('');
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'firstName') === 'Enter a first or last name.', 'name required');
    await typeInto(form, 'lastName', 'Nguyen');
    await until(() => errorBeside(form, 'firstName') === '', 'the name error goes once a name is typed');

    await typeInto(form, 'email', 'anna@');
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'email').startsWith('This email address does not look right'), 'bad email');

    await typeInto(form, 'phone', '12');
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'phone').startsWith('This phone number does not look right'), 'bad phone');

    await typeInto(form, 'cardBarcode', 'A'.repeat(65));
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'cardBarcode') === 'Keep this under 64 characters.', 'too long');

    await typeInto(form, 'billingAddress-postcode', '1'.repeat(21));
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'billingAddress-postcode') === 'Keep this under 20 characters.', 'postcode too long');

    // Fixing a field clears its error while typing.
    control(form, 'email').select();
    await sendKeys({ type: 'anna@shop.com' });
    await until(() => errorBeside(form, 'email') === '', 'email fixed');

    // Email and phone become required when the store says so, marked on their labels.
    store.updateSettings({ requireEmail: true, requirePhone: true });
    await until(() => labelOf(form, 'phone').includes('required'), 'required marks');
    expect(control(form, 'phone').getAttribute('aria-required')).to.equal('true');
    control(form, 'email').select();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'email') === 'An email address is required in this store.', 'email required');
    control(form, 'phone').select();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'phone') === 'A phone number is required in this store.', 'phone required');
    await expectNoAxeViolations(form);
  });

  it('a first name over 100 characters is refused beside the field', async () => {
    const { form } = await mountForm();
    await typeInto(form, 'firstName', 'x'.repeat(101));
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'firstName') === 'Keep this under 100 characters.', 'too long');
  });

  it('saves a phone typed as 0912 345 678 in a VN store as +84912345678', async () => {
    const { form, store } = await mountForm();
    store.updateSettings({ defaultCountry: 'VN' });
    const saves = record(form, 'pos-customer-save');
    await typeInto(form, 'firstName', 'Lan');
    await typeInto(form, 'phone', '0912 345 678');
    await sendKeys({ press: 'Enter' });
    await until(() => saves.length === 1, 'saved');
    expect(store.get(saves[0]!.customer.id)!.phone).to.equal('+84912345678');
  });

  it('a refused save focuses the first invalid field and says how many need attention', async () => {
    const { form } = await mountForm('quick');
    const saves = record(form, 'pos-customer-save');
    form.prefill = { email: 'not-an-email' };
    await form.updateComplete;
    button(form, 'Save').click();
    await until(() => text(shadow(form).querySelector('[part~="summary"]')) === '2 fields need attention.', 'the summary');
    expect(shadow(form).activeElement).to.equal(control(form, 'firstName'));
    expect(errorBeside(form, 'email')).to.match(/does not look right/);
    expect(saves).to.have.length(0);
  });

  it('refuses a duplicate email naming the customer who has it, and offers to open that customer', async () => {
    const { form, store } = await mountForm();
    const existing = store.create({ firstName: 'Mai', lastName: 'Tran', email: 'mai@shop.com' });
    if (!existing.ok) throw new Error('setup');
    const opens = record(form, 'pos-customer-open');
    const saves = record(form, 'pos-customer-save');
    await typeInto(form, 'firstName', 'Other');
    await typeInto(form, 'email', 'MAI@shop.com');
    await sendKeys({ press: 'Enter' });
    await until(() => errorBeside(form, 'email') === 'This email is already in use by Mai Tran.', 'the duplicate error');
    expect(shadow(form).activeElement).to.equal(control(form, 'email'));
    expect(text(shadow(form).querySelector('[part~="summary"]'))).to.equal('One field needs attention.');
    // Tab from the field to the offer keeps the error (and so the button) in place.
    await sendKeys({ press: 'Tab' });
    expect(shadow(form).activeElement).to.equal(button(form, 'Open that customer'));
    await sendKeys({ press: 'Enter' });
    await until(() => opens.length === 1, 'pos-customer-open');
    expect(opens[0]).to.deep.equal({ customerId: existing.value.id });
    expect(saves).to.have.length(0);
    expect(store.liveCount).to.equal(1);
  });

  it('names a duplicate phone as soon as the cashier leaves the field', async () => {
    const { form, store } = await mountForm();
    store.updateSettings({ defaultCountry: 'VN' });
    const existing = store.create({ firstName: 'Lan', phone: '+84912345678' });
    if (!existing.ok) throw new Error('setup');
    await typeInto(form, 'phone', '0912 345 678');
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(form, 'phone') === 'This phone number is already in use by Lan.', 'the duplicate error on leaving the field');
    expect(store.liveCount).to.equal(1);
  });

  it('edit: saves only the touched fields, keeps another till’s edit, and shows it live', async () => {
    const { form, store } = await mountForm();
    const created = store.create({ firstName: 'Binh', lastName: 'Le', email: 'binh@shop.com', notes: 'likes tea' });
    if (!created.ok) throw new Error('setup');
    const id = created.value.id;
    const updates: unknown[] = [];
    const update = store.update.bind(store);
    store.update = (customerId, patch) => {
      updates.push(patch);
      return update(customerId, patch);
    };
    const saves = record(form, 'pos-customer-save');
    form.customerId = id;
    await until(() => control(form, 'lastName')?.value === 'Le', 'the customer loaded');
    expect(text(shadow(form).querySelector('h2'))).to.equal('Edit customer');

    control(form, 'lastName').select();
    await sendKeys({ type: 'Le Van' });

    const till2 = otherTill(store);
    till2.store.update(id, { email: 'binh.le@shop.com', lastName: 'Typed elsewhere' });
    till2.syncToFirst();
    await until(() => control(form, 'email').value === 'binh.le@shop.com', 'the other till’s email, live');
    expect(control(form, 'lastName').value, 'what the cashier typed is not overwritten').to.equal('Le Van');

    control(form, 'lastName').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => saves.length === 1, 'saved');
    expect(updates).to.deep.equal([{ lastName: 'Le Van' }]);
    expect(saves[0]!.created).to.equal(false);
    const after = store.get(id)!;
    expect([after.firstName, after.lastName, after.email, after.notes]).to.deep.equal(['Binh', 'Le Van', 'binh.le@shop.com', 'likes tea']);
  });

  describe('another till edits the customer meanwhile', () => {
    /** The form open on a customer, and a spy on what its saves write. */
    async function editing(input: { firstName: string; lastName?: string; email?: string; phone?: string; notes?: string }, attributes = '') {
      const { form, store } = await mountForm(attributes);
      const created = store.create(input);
      if (!created.ok) throw new Error('setup');
      const id = created.value.id;
      const writes: unknown[] = [];
      const update = store.update.bind(store);
      store.update = (customerId, patch) => {
        writes.push(patch);
        return update(customerId, patch);
      };
      form.customerId = id;
      await until(() => control(form, 'firstName')?.value === input.firstName, 'the customer loaded');
      return { form, store, id, writes, till2: otherTill(store), saves: record(form, 'pos-customer-save') };
    }

    const conflictNote = (form: Element, field: string) => shadow(form).getElementById(`${field}-conflict`);
    const conflicts = (form: Element) => shadow(form).querySelectorAll('[part~="conflict"]').length;
    const announced = (form: Element) => text(shadow(form).querySelector('.visually-hidden[role="status"]'));

    async function retype(form: Element, id: string, value: string) {
      control(form, id).select();
      await sendKeys({ type: value });
    }

    it('shows their value beside the field the cashier is typing in, with Keep mine and Take theirs', async () => {
      const { form, id, till2 } = await editing({ firstName: 'Binh', email: 'binh@shop.com' });
      await retype(form, 'email', 'binh@home.com');
      till2.store.update(id, { email: 'binh.le@shop.com' });
      till2.syncToFirst();
      // No peer announced this till's name (no server here), so the note names it by its id.
      await until(() => text(conflictNote(form, 'email')) === 'Changed on till-2 to “binh.le@shop.com”', 'the conflict note');
      expect(control(form, 'email').value, 'what the cashier typed stays').to.equal('binh@home.com');
      expect(announced(form)).to.equal('Email was changed on till-2. Beside the field: keep yours, or take theirs.');
      const group = conflictNote(form, 'email')!.closest('[role="group"]')!;
      expect(group.getAttribute('aria-label')).to.equal('Email: changed on another till while you were editing');
      // Both choices are the next stops after the field, and name the change they decide.
      await sendKeys({ press: 'Tab' });
      expect(shadow(form).activeElement).to.equal(button(form, 'Keep mine'));
      await sendKeys({ press: 'Tab' });
      expect(shadow(form).activeElement).to.equal(button(form, 'Take theirs'));
      expect(button(form, 'Take theirs').getAttribute('aria-describedby')).to.equal('email-conflict');
      await expectNoAxeViolations(form);
    });

    it('Take theirs puts their value in the field, which then follows the store again', async () => {
      const { form, store, id, till2, writes, saves } = await editing({ firstName: 'Binh', lastName: 'Le', email: 'binh@shop.com' });
      await retype(form, 'email', 'binh@home.com');
      till2.store.update(id, { email: 'binh.le@shop.com' });
      till2.syncToFirst();
      await until(() => conflicts(form) === 1, 'the conflict note');
      button(form, 'Take theirs').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => control(form, 'email').value === 'binh.le@shop.com', 'their email in the field');
      expect(conflicts(form)).to.equal(0);
      await until(() => shadow(form).activeElement === control(form, 'email'), 'focus back on the field');

      // Not typed in any more: a further change on till 2 shows live, with no note.
      till2.store.update(id, { email: 'binh.le@work.com' });
      till2.syncToFirst();
      await until(() => control(form, 'email').value === 'binh.le@work.com', 'the next change, live');
      expect(conflicts(form)).to.equal(0);

      await retype(form, 'lastName', 'Le Van');
      await sendKeys({ press: 'Enter' });
      await until(() => saves.length === 1, 'saved');
      expect(writes, 'the email is not written back').to.deep.equal([{ lastName: 'Le Van' }]);
      expect(store.get(id)!.email).to.equal('binh.le@work.com');
    });

    it('Keep mine dismisses the note, and Save writes what the cashier typed', async () => {
      const { form, store, id, till2, writes, saves } = await editing({ firstName: 'Binh', email: 'binh@shop.com' });
      await retype(form, 'email', 'binh@home.com');
      till2.store.update(id, { email: 'binh.le@shop.com' });
      till2.syncToFirst();
      await until(() => conflicts(form) === 1, 'the conflict note');
      button(form, 'Keep mine').focus();
      await sendKeys({ press: 'Enter' });
      await until(() => conflicts(form) === 0, 'the note dismissed');
      expect(control(form, 'email').value).to.equal('binh@home.com');
      await until(() => shadow(form).activeElement === control(form, 'email'), 'focus back on the field');
      await sendKeys({ press: 'Enter' });
      await until(() => saves.length === 1, 'saved');
      expect(writes).to.deep.equal([{ email: 'binh@home.com' }]);
      expect(store.get(id)!.email).to.equal('binh@home.com');
    });

    it('saving with the note still open writes the cashier’s value; the quick form opens its details to show the note first', async () => {
      const { form, store, id, till2, saves } = await editing({ firstName: 'Binh', phone: '+14155552671' }, 'quick');
      const toggle = button(form, 'More details');
      toggle.click();
      await until(() => toggle.getAttribute('aria-expanded') === 'true', 'details shown');
      await retype(form, 'phone', '+1 415 555 0100');
      toggle.click();
      await until(() => control(form, 'phone').closest('[hidden]') !== null, 'details hidden again');
      till2.store.update(id, { phone: '+14155550199' });
      till2.syncToFirst();
      await until(() => text(conflictNote(form, 'phone')) === 'Changed on till-2 to “+14155550199”', 'the conflict note');
      expect(conflictNote(form, 'phone')!.closest('[hidden]'), 'the note is on screen').to.equal(null);
      button(form, 'Save').click();
      await until(() => saves.length === 1, 'saved');
      expect(store.get(id)!.phone).to.equal('+14155550100');
    });

    it('their phone raises nothing when it is the number the cashier typed, written another way', async () => {
      const { form, store, id, till2 } = await editing({ firstName: 'Binh', phone: '+14155552671' });
      await retype(form, 'phone', '(415) 555-0100');
      till2.store.update(id, { phone: '+14155550100' });
      till2.syncToFirst();
      await until(() => store.get(id)?.phone === '+14155550100', 'their phone arrived');
      await form.updateComplete;
      expect(conflicts(form), 'the same number in the store’s country (US)').to.equal(0);
      expect(announced(form)).to.equal('');
      expect(control(form, 'phone').value, 'what the cashier typed stays').to.equal('(415) 555-0100');
    });

    it('fields the cashier has not touched follow the other till live, and their same value raises nothing', async () => {
      const { form, store, id, till2 } = await editing({ firstName: 'Binh', lastName: 'Le', notes: 'likes tea' });
      await retype(form, 'lastName', 'Le Van');
      till2.store.update(id, { notes: 'likes coffee', phone: '+14155552671' });
      till2.syncToFirst();
      await until(() => control(form, 'notes').value === 'likes coffee', 'the untouched notes, live');
      expect(control(form, 'phone').value).to.equal('+14155552671');
      expect(conflicts(form)).to.equal(0);
      till2.store.update(id, { lastName: 'Le Van' });
      till2.syncToFirst();
      await until(() => store.get(id)?.lastName === 'Le Van', 'the same last name arrived');
      await form.updateComplete;
      expect(conflicts(form), 'their value is what the cashier typed').to.equal(0);
      expect(control(form, 'lastName').value).to.equal('Le Van');
    });
  });

  it('edit: a customer deleted on another till is said so and cannot be saved until restored, keeping what was typed', async () => {
    const { form, store } = await mountForm();
    const created = store.create({ firstName: 'Chi' });
    if (!created.ok) throw new Error('setup');
    form.customerId = created.value.id;
    await until(() => control(form, 'firstName')?.value === 'Chi', 'loaded');
    control(form, 'notes').select();
    await sendKeys({ type: 'pays by card' });
    const till2 = otherTill(store);
    till2.store.delete(created.value.id);
    till2.syncToFirst();
    await until(() => text(shadow(form).querySelector('[part~="notice"]')).startsWith('This customer was deleted'), 'the deleted notice');
    expect(button(form, 'Save').disabled).to.equal(true);
    button(form, 'Restore customer').click();
    await until(() => !shadow(form).querySelector('[part~="notice"]'), 'the notice gone');
    expect(store.get(created.value.id)?.deleted).to.equal(false);
    expect(control(form, 'notes').value, 'what the cashier typed').to.equal('pays by card');
    button(form, 'Save').click();
    await until(() => store.get(created.value.id)?.notes === 'pays by card', 'saved');
  });

  it('edit: a customer merged away on another till points the cashier to the one it was merged into', async () => {
    const { form, store } = await mountForm();
    const kept = store.create({ firstName: 'Chi', lastName: 'Tran', email: 'chi@shop.com' });
    const removed = store.create({ firstName: 'Chi', lastName: 'Tran' });
    if (!kept.ok || !removed.ok) throw new Error('setup');
    form.customerId = removed.value.id;
    await until(() => control(form, 'firstName')?.value === 'Chi', 'loaded');
    const till2 = otherTill(store);
    expect(till2.store.mergeCustomers(kept.value.id, removed.value.id).ok).to.equal(true);
    till2.syncToFirst();
    await until(() => text(shadow(form).querySelector('[part~="notice"]')).includes('merged into Chi Tran'), 'the merged notice');
    expect(button(form, 'Save').disabled).to.equal(true);
    const opened = new Promise<string>((resolve) => form.addEventListener('pos-customer-open', (e) => resolve(e.detail.customerId), { once: true }));
    button(form, 'Open Chi Tran').click();
    expect(await opened).to.equal(kept.value.id);
  });

  it('full create with billing, and shipping "same as billing", creates one address used for both', async () => {
    const { form, store } = await mountForm();
    store.updateSettings({ outletAddress: { street1: '1 Outlet Rd', city: 'Hanoi', country: 'VN', postcode: '100000' } });
    await until(() => control(form, 'billingAddress-street1').value === '1 Outlet Rd', 'sections start from the outlet address');
    const saves = record(form, 'pos-customer-save');
    await typeInto(form, 'firstName', 'Dung');
    await typeInto(form, 'lastName', 'Pham');
    expect(control(form, 'billingAddress-firstName').value, 'the address follows the name').to.equal('Dung');
    control(form, 'billingAddress-street1').select();
    await sendKeys({ type: '22 Hang Bac' });
    control(form, 'same-as-billing').focus();
    await sendKeys({ press: 'Space' });
    await until(() => control(form, 'shippingAddress-street1').closest('[hidden]') !== null, 'shipping fields hidden');
    button(form, 'Save').click();
    await until(() => saves.length === 1, 'saved');
    const customer = store.get(saves[0]!.customer.id)!;
    expect(customer.addresses).to.have.length(1);
    const [address] = customer.addresses;
    expect([address!.firstName, address!.lastName, address!.street1, address!.city, address!.country]).to.deep.equal([
      'Dung',
      'Pham',
      '22 Hang Bac',
      'Hanoi',
      'VN',
    ]);
    expect(customer.billingAddressId).to.equal(address!.id);
    expect(customer.shippingAddressId).to.equal(address!.id);
  });

  it('an untouched outlet-address section does not become the customer’s address', async () => {
    const { form, store } = await mountForm();
    store.updateSettings({ outletAddress: { street1: '1 Outlet Rd', city: 'Hanoi', country: 'VN' } });
    const saves = record(form, 'pos-customer-save');
    await typeInto(form, 'firstName', 'Em');
    await sendKeys({ press: 'Enter' });
    await until(() => saves.length === 1, 'saved');
    expect(store.get(saves[0]!.customer.id)!.addresses).to.deep.equal([]);
  });

  it('Escape and Cancel send pos-cancel; Enter in the notes adds a line instead of saving', async () => {
    const { form } = await mountForm();
    const cancels = record(form, 'pos-cancel');
    const saves = record(form, 'pos-customer-save');
    await typeInto(form, 'firstName', 'Gia');
    await typeInto(form, 'notes', 'line one');
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'line two' });
    expect(control(form, 'notes').value).to.equal('line one\nline two');
    expect(saves).to.have.length(0);
    await sendKeys({ press: 'Escape' });
    expect(cancels).to.have.length(1);
    button(form, 'Cancel').click();
    expect(cancels).to.have.length(2);
  });

  it('renders a name with markup as text', async () => {
    const { form, store } = await mountForm();
    const created = store.create({ firstName: '<img src=x onerror=alert(1)>', lastName: 'Test' });
    if (!created.ok) throw new Error('setup');
    form.customerId = created.value.id;
    await until(() => control(form, 'firstName')?.value === '<img src=x onerror=alert(1)>', 'loaded');
    expect(shadow(form).querySelector('img')).to.equal(null);
    const editor = shadow(form).querySelector('pos-address-editor')!;
    await until(() => Boolean(editor.shadowRoot?.querySelector('button')), 'the address editor');
    expect(editor.shadowRoot!.querySelector('img')).to.equal(null);
  });

  it('shows a record saved with invalid data as invalid, with its problems', async () => {
    const { form, store } = await mountForm();
    // Another app writing a wrong shape into the shared document.
    store.doc.getMap('customers').set('bad-1', { v: 1, id: 'bad-1', firstName: 42 });
    const cancels = record(form, 'pos-cancel');
    form.customerId = 'bad-1';
    await until(() => text(shadow(form).querySelector('[part~="notice"]')).startsWith('This record was saved with invalid data'), 'the invalid notice');
    expect(text(shadow(form).querySelector('[part~="problems"]'))).to.contain('firstName');
    button(form, 'Cancel').click();
    expect(cancels).to.have.length(1);
    await expectNoAxeViolations(form);
  });

  it('has no accessibility violations: quick, full create and edit', async () => {
    const { form, store } = await mountForm('quick');
    store.createGroup({ name: 'VIP' });
    await expectNoAxeViolations(form);
    form.quick = false;
    await form.updateComplete;
    button(form, 'Save').click();
    await until(() => errorBeside(form, 'firstName') !== '', 'errors shown');
    await expectNoAxeViolations(form);
    const created = store.create({ firstName: 'Hoa', email: 'hoa@shop.com' });
    if (!created.ok) throw new Error('setup');
    store.addAddress(created.value.id, store.newAddressDraft(created.value.id));
    form.customerId = created.value.id;
    const editor = () => shadow(form).querySelector('pos-address-editor');
    await until(() => Boolean(editor()?.shadowRoot?.querySelector('li')), 'the addresses');
    await expectNoAxeViolations(form);
  });
});
