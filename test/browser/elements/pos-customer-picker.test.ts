import { expect } from '@esm-bundle/chai';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-customer-picker/pos-customer-picker.js';
import type { PosCustomerPicker } from '../../../components/elements/pos-customer-picker/pos-customer-picker.js';
import type { PosCustomers } from '../../../components/elements/pos-customers/pos-customers.js';
import type { Customer, NewCustomerInput } from '../../../components/model/customer.js';
import type { PosEventDetails } from '../../../components/events/pos-events.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { deviceDatabaseName } from '../../../components/store/device-probe.js';
import { RecentCustomers, recentCustomersKey, type RecentStorage } from '../../../components/store/recent-customers.js';
import { cleanUpPage, expectNoAxeViolations, holdDocumentLoad, mountStore, uniqueId, until } from '../helpers.js';

// ── what the cashier sees ────────────────────────────────────────────────────

const text = (node: Node | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const shadow = (picker: PosCustomerPicker) => picker.shadowRoot as ShadowRoot;
const button = (picker: PosCustomerPicker) => shadow(picker).querySelector<HTMLButtonElement>('[part="button"]') as HTMLButtonElement;
const label = (picker: PosCustomerPicker) => text(shadow(picker).querySelector('[part="label"]'));
const dialog = (picker: PosCustomerPicker) => shadow(picker).querySelector('dialog') as HTMLDialogElement;
const input = (picker: PosCustomerPicker) => shadow(picker).querySelector<HTMLInputElement>('[role="combobox"]');
const status = (picker: PosCustomerPicker) => text(shadow(picker).querySelector('[part="status"]'));
const focused = (picker: PosCustomerPicker) => shadow(picker).activeElement;

/** The options in the DOM, in list order (a virtualised list may keep them out of DOM order). */
function options(picker: PosCustomerPicker): HTMLElement[] {
  const all = [...shadow(picker).querySelectorAll<HTMLElement>('[role="option"]')];
  return all.sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')));
}
const optionNames = (picker: PosCustomerPicker) => options(picker).map((o) => text(o.querySelector('[part="option-name"]') ?? o));
const activeOption = (picker: PosCustomerPicker) => {
  const id = input(picker)?.getAttribute('aria-activedescendant');
  return id ? shadow(picker).getElementById(id) : null;
};
/** Whether an option is rendered at the top edge of the list's view: no blank band where rows should be. */
function topOfViewCovered(picker: PosCustomerPicker): boolean {
  const list = shadow(picker).querySelector('[part="listbox"]')?.getBoundingClientRect();
  if (!list) return false;
  return options(picker).some((o) => {
    const box = o.getBoundingClientRect();
    return box.top <= list.top + 1 && box.bottom > list.top + 1;
  });
}
/** Whether the option is whole inside the list's scrolled view, where the cashier can see it. */
function inView(picker: PosCustomerPicker, option: Element | null): boolean {
  const list = shadow(picker).querySelector('[part="listbox"]')?.getBoundingClientRect();
  const box = option?.getBoundingClientRect();
  return Boolean(list && box && box.height > 0 && box.top >= list.top - 0.5 && box.bottom <= list.bottom + 0.5);
}

function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** An input in `host`'s shadow tree (nested shadow roots included) whose label reads `name`. */
function fieldLabelled(host: Element, name: string): HTMLInputElement | undefined {
  for (const el of host.shadowRoot?.querySelectorAll('*') ?? []) {
    if (el instanceof HTMLInputElement && [...(el.labels ?? [])].some((l) => text(l).startsWith(name))) return el;
    const found = fieldLabelled(el, name);
    if (found) return found;
  }
  return undefined;
}

const movedNote = (picker: PosCustomerPicker) => text(picker.shadowRoot?.querySelector('[part="moved-note"]'));

// ── setting up ───────────────────────────────────────────────────────────────

async function setup() {
  const root = await mountStore('<pos-customer-picker></pos-customer-picker>');
  const store = (root.handle as NonNullable<PosCustomers['handle']>).store;
  const picker = root.querySelector('pos-customer-picker') as PosCustomerPicker;
  await picker.updateComplete;
  const selected: Array<Customer | null> = [];
  root.addEventListener('pos-customer-select', (event) => selected.push(event.detail.customer));
  return { root, store, picker, selected };
}

function add(store: CustomerStore, input: NewCustomerInput): Customer {
  const created = store.create(input);
  if (!created.ok) throw new Error(created.errors.map((e) => e.message).join('; '));
  return created.value;
}

/** The cashier tabs to the picker's button and presses Enter: the panel opens with focus in the search. */
async function openByKeyboard(picker: PosCustomerPicker): Promise<void> {
  button(picker).focus();
  await sendKeys({ press: 'Enter' });
  await until(() => dialog(picker).open && focused(picker) === input(picker), 'the panel to open with focus in the search');
}

async function search(picker: PosCustomerPicker, query: string, expected: string): Promise<void> {
  await sendKeys({ type: query });
  await until(() => optionNames(picker).includes(expected), `"${expected}" in the results for "${query}"`);
}

/** Opens the panel, searches, and chooses the first match with ArrowDown and Enter. */
async function chooseByKeyboard(picker: PosCustomerPicker, query: string, name: string): Promise<void> {
  await openByKeyboard(picker);
  await search(picker, query, name);
  await sendKeys({ press: 'ArrowDown' });
  await sendKeys({ press: 'Enter' });
  await until(() => label(picker) === name, `${name} chosen`);
}

/** A second till sharing this till's document, as if over the sync server. */
function anotherTill(doc: Y.Doc): { store: CustomerStore; close: () => void } {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  const toOther = (update: Uint8Array, origin: unknown) => origin !== 'sync' && Y.applyUpdate(other, update, 'sync');
  const toThis = (update: Uint8Array, origin: unknown) => origin !== 'sync' && Y.applyUpdate(doc, update, 'sync');
  doc.on('update', toOther);
  other.on('update', toThis);
  const store = new CustomerStore(other, { tillId: 'till-2' });
  return {
    store,
    close: () => {
      doc.off('update', toOther);
      store.destroy();
      other.destroy();
    },
  };
}

describe('<pos-customer-picker>', () => {
  afterEach(cleanUpPage);

  describe('the button', () => {
    it('says "Choose customer" with no default customer, "Walk-in customer" for the default, the name otherwise', async () => {
      const { store, picker } = await setup();
      await until(() => label(picker) === 'Choose customer', 'the no-customer label');
      const walkIn = store.ensureDefaultCustomer();
      if (!walkIn.ok) throw new Error('no default customer');
      await until(() => label(picker) === 'Walk-in customer', 'the walk-in label with nothing chosen');
      picker.value = walkIn.value.id;
      await until(() => label(picker) === 'Walk-in customer', 'the walk-in label for the default customer');
      const daemon = add(store, { firstName: 'Daemon', lastName: 'John' });
      picker.value = daemon.id;
      await until(() => label(picker) === 'Daemon John', 'the chosen name');
      expect(picker.getAttribute('value')).to.equal(daemon.id);
      expect(button(picker).getAttribute('aria-haspopup')).to.equal('dialog');
    });
  });

  describe('searching', () => {
    it('ignores accents both ways and highlights what matched', async () => {
      const { store, picker } = await setup();
      add(store, { firstName: 'Nguyễn Văn', lastName: 'An' });
      add(store, { firstName: 'Nguyen Thi', lastName: 'Binh' });
      add(store, { firstName: 'Trần', lastName: 'Anh' });
      await openByKeyboard(picker);
      await search(picker, 'nguyen', 'Nguyễn Văn An');
      expect(optionNames(picker)).to.include('Nguyen Thi Binh');
      expect(optionNames(picker)).not.to.include('Trần Anh');
      expect(status(picker)).to.equal('2 customers');
      const marks = [...shadow(picker).querySelectorAll('[role="option"] mark')].map((m) => m.textContent);
      expect(marks).to.have.members(['Nguyễn', 'Nguyen']);

      input(picker)?.select();
      await sendKeys({ type: 'trần' });
      await until(() => optionNames(picker).length === 2 && optionNames(picker)[0] === 'Trần Anh', 'the accented query to find Trần Anh alone');
      expect(text(shadow(picker).querySelector('[role="option"] mark'))).to.equal('Trần');
    });

    it('finds a phone stored as +84912345678 when it is typed as 0912 345 678', async () => {
      const { store, picker } = await setup();
      store.updateSettings({ defaultCountry: 'VN' });
      add(store, { firstName: 'Lan', lastName: 'Pham', phone: '0912 345 678', email: 'lan@shop.vn' });
      add(store, { firstName: 'Mai', lastName: 'Pham', phone: '0987 654 321' });
      await openByKeyboard(picker);
      await search(picker, '0912 345 678', 'Lan Pham');
      expect(optionNames(picker)).not.to.include('Mai Pham');
      expect(text(options(picker)[0]?.querySelector('[part="option-details"]'))).to.equal('+84912345678 · lan@shop.vn');
    });

    it('shows the group, and a name like <img onerror> as text', async () => {
      const { store, picker } = await setup();
      const vip = store.createGroup({ name: 'VIP' });
      if (!vip.ok) throw new Error('no group');
      const hostile = '<img src=x onerror="window.pickerPwned=true">';
      add(store, { firstName: hostile, lastName: 'Tran', groupId: vip.value.id });
      await openByKeyboard(picker);
      await search(picker, 'tran', `${hostile} Tran`);
      expect(text(options(picker)[0]?.querySelector('[part="option-group"]'))).to.equal('VIP');
      expect(shadow(picker).querySelectorAll('img')).to.have.length(0);
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await until(() => label(picker) === `${hostile} Tran`, 'the name as text on the button');
      expect(shadow(picker).querySelectorAll('img')).to.have.length(0);
      expect((window as unknown as { pickerPwned?: boolean }).pickerPwned).to.equal(undefined);
    });

    it('lists an invalid record as such, never chooses it, and keeps searching', async () => {
      const { store, picker, selected } = await setup();
      add(store, { firstName: 'Bad', lastName: 'Bunny' });
      store.doc.getMap('customers').set('bad', { v: 1, id: 'bad', firstName: 42 });
      // Another app's record with readable search fields but an invalid shape is found by them.
      store.doc.getMap('customers').set('broken-1', { v: 1, id: 'broken-1', firstName: 42, lastName: 'Brokenshire', clock: 1, clocks: {} });
      await openByKeyboard(picker);
      await search(picker, 'bad', 'Bad Bunny');
      await until(() => optionNames(picker).includes('Invalid record · bad'), 'the invalid record listed by its id');
      const invalid = options(picker).find((o) => text(o).includes('Invalid record · bad'));
      expect(invalid?.getAttribute('aria-disabled')).to.equal('true');
      expect(text(invalid?.querySelector('[part="option-details"]'))).to.match(/firstName/);

      await sendKeys({ press: 'ArrowUp' }); // the create action, last
      await sendKeys({ press: 'ArrowUp' }); // the invalid record
      await until(() => activeOption(picker) === invalid, 'the invalid record active');
      await sendKeys({ press: 'Enter' });
      invalid?.click();
      await picker.updateComplete;
      expect(dialog(picker).open).to.equal(true);
      expect(selected).to.have.length(0);

      input(picker)?.select();
      await search(picker, 'brokensh', 'Invalid record · broken-1');
      input(picker)?.select();
      await search(picker, 'bunny', 'Bad Bunny');
      expect(status(picker)).to.equal('1 customer');
    });

    it('virtualises a long list: 2,000 matches, a few dozen options in the page, End reaches the last', async () => {
      const { store, picker } = await setup();
      store.doc.transact(() => {
        for (let i = 0; i < 2000; i++) add(store, { firstName: `Person${String(i).padStart(4, '0')}`, lastName: 'Pham' });
      });
      await openByKeyboard(picker);
      await sendKeys({ type: 'pham' });
      await until(() => status(picker) === '200 of 2000 customers', 'the count of all matches');
      await until(() => options(picker).length > 5, 'the first options to render');
      expect(options(picker).length).to.be.below(60);
      expect(options(picker)[0]?.getAttribute('aria-setsize')).to.equal('201');

      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'End' });
      await until(() => activeOption(picker)?.getAttribute('aria-posinset') === '201', 'the last option rendered and active');
      expect(text(activeOption(picker))).to.equal('Create “pham”');
      await until(() => inView(picker, activeOption(picker)), 'the last option scrolled into view');
      expect(options(picker).length).to.be.below(60);
      // Into the form for "pham" and back: the list comes back where it was, the active option in view.
      await sendKeys({ press: 'Enter' });
      await until(() => Boolean(shadow(picker).querySelector('pos-customer-form')), 'the form');
      const form = shadow(picker).querySelector('pos-customer-form') as HTMLElement;
      await until(() => deepActiveElement() === fieldLabelled(form, 'First name'), 'focus in the form');
      await sendKeys({ press: 'Escape' });
      await until(() => Boolean(input(picker)) && options(picker).length > 0, 'the search again');
      expect(dialog(picker).open).to.equal(true);
      await until(() => inView(picker, activeOption(picker)) && topOfViewCovered(picker), 'the last option in view, no blank rows above it');
      expect(activeOption(picker)?.getAttribute('aria-posinset')).to.equal('201');
      await sendKeys({ press: 'ArrowUp' });
      await until(() => activeOption(picker)?.getAttribute('aria-posinset') === '200' && inView(picker, activeOption(picker)), 'the option above it, in view');
      await sendKeys({ press: 'Home' });
      await until(() => activeOption(picker)?.getAttribute('aria-posinset') === '1', 'the first option active again');
      await until(() => inView(picker, activeOption(picker)), 'the first option scrolled back into view');

      // Scrolled by hand to the middle, the options there are rendered; a new search starts at the top.
      const list = shadow(picker).querySelector<HTMLElement>('[part="listbox"]') as HTMLElement;
      list.scrollTop = (list.scrollHeight * 99) / 201;
      await until(() => options(picker).some((o) => o.getAttribute('aria-posinset') === '100' && inView(picker, o)), 'option 100 rendered in view');
      await sendKeys({ type: ' person0001' });
      await until(() => status(picker) !== '200 of 2000 customers', 'the narrowed search');
      expect(list.scrollTop).to.equal(0);
      expect(inView(picker, options(picker)[0] ?? null)).to.equal(true);
    });
  });

  describe('choosing', () => {
    it('by keyboard only: type, ArrowDown, Enter — event, label, recents, focus back on the button', async () => {
      const { store, picker, selected, root } = await setup();
      add(store, { firstName: 'Daemon', lastName: 'John' });
      add(store, { firstName: 'Daemon', lastName: 'Targaryen' });
      await openByKeyboard(picker);
      await search(picker, 'daemon', 'Daemon Targaryen');
      expect(input(picker)?.getAttribute('aria-expanded')).to.equal('true');
      expect(input(picker)?.getAttribute('aria-controls')).to.equal('listbox');
      expect(input(picker)?.hasAttribute('aria-activedescendant')).to.equal(false);

      await sendKeys({ press: 'ArrowDown' });
      await until(() => activeOption(picker)?.getAttribute('aria-selected') === 'true', 'an active option');
      await sendKeys({ press: 'ArrowDown' });
      await until(() => activeOption(picker)?.getAttribute('aria-posinset') === '2', 'the second option active');
      const chosen = text(activeOption(picker)?.querySelector('[part="option-name"]'));
      expect(options(picker).filter((o) => o.getAttribute('aria-selected') === 'true')).to.have.length(1);
      await sendKeys({ press: 'Enter' });

      await until(() => selected.length === 1, 'pos-customer-select');
      expect(selected[0] && `${selected[0].firstName} ${selected[0].lastName}`).to.equal(chosen);
      expect(picker.value).to.equal(selected[0]?.id);
      await until(() => label(picker) === chosen, 'the button to show the chosen customer');
      expect(dialog(picker).open).to.equal(false);
      expect(document.activeElement).to.equal(picker);
      expect(focused(picker)).to.equal(button(picker));
      const storeId = root.store;
      expect(JSON.parse(localStorage.getItem(recentCustomersKey(storeId, 'till-1')) ?? '[]')).to.deep.equal([picker.value]);
    });

    it('by mouse: a click on an option (its name or details) chooses it, focus never leaves the search', async () => {
      const { store, picker, selected } = await setup();
      add(store, { firstName: 'Rhaenyra', lastName: 'Targaryen', email: 'queen@dragonstone.example' });
      const second = add(store, { firstName: 'Rhaenys', lastName: 'Targaryen', phone: '+84 912 345 670' });
      await openByKeyboard(picker);
      await search(picker, 'rhaen', 'Rhaenys Targaryen');
      const option = options(picker).find((o) => text(o.querySelector('[part="option-name"]')) === 'Rhaenys Targaryen');
      const details = option?.querySelector('[part="option-details"]')?.getBoundingClientRect();
      if (!details) throw new Error('no details in the option');
      await sendMouse({ type: 'move', position: [Math.round(details.left + 4), Math.round(details.top + details.height / 2)] });
      await sendMouse({ type: 'down' });
      expect(focused(picker)).to.equal(input(picker));
      await sendMouse({ type: 'up' });
      await until(() => selected.length === 1, 'pos-customer-select');
      expect(selected[0]?.id).to.equal(second.id);
      expect(label(picker)).to.equal('Rhaenys Targaryen');
    });

    it('Escape clears the search first, then closes and returns focus to the button', async () => {
      const { store, picker, selected } = await setup();
      add(store, { firstName: 'Aemond', lastName: 'One-Eye' });
      await openByKeyboard(picker);
      await search(picker, 'aem', 'Aemond One-Eye');
      await sendKeys({ press: 'Escape' });
      await until(() => input(picker)?.value === '' && status(picker).startsWith('No recent'), 'the search cleared');
      expect(dialog(picker).open).to.equal(true);
      await sendKeys({ press: 'Escape' });
      await until(() => !dialog(picker).open, 'the panel to close');
      expect(picker.open).to.equal(false);
      expect(focused(picker)).to.equal(button(picker));
      expect(selected).to.have.length(0);
    });

    it('with an empty search lists this till’s recent customers, newest first; a deleted one drops out', async () => {
      const { store, picker } = await setup();
      const rhaenyra = add(store, { firstName: 'Rhaenyra', lastName: 'Targaryen' });
      const alicent = add(store, { firstName: 'Alicent', lastName: 'Hightower' });
      add(store, { firstName: 'Otto', lastName: 'Hightower' });
      await chooseByKeyboard(picker, 'rhae', 'Rhaenyra Targaryen');
      await chooseByKeyboard(picker, 'alic', 'Alicent Hightower');
      await openByKeyboard(picker);
      await until(() => status(picker) === 'Recent customers', 'the recent list');
      expect(optionNames(picker)).to.deep.equal(['Alicent Hightower', 'Rhaenyra Targaryen', 'Create new customer']);
      expect(shadow(picker).querySelector('[role="listbox"]')?.getAttribute('aria-label')).to.equal('Recent customers');

      store.update(rhaenyra.id, { lastName: 'Velaryon' });
      await until(() => optionNames(picker).includes('Rhaenyra Velaryon'), 'a recent customer edited in place');
      store.delete(alicent.id);
      await until(() => optionNames(picker).join('|') === 'Rhaenyra Velaryon|Create new customer', 'the deleted customer gone from the recent list');
    });

    it('a scan chooses the card’s customer at once, whatever is typed or active', async () => {
      const { store, picker, selected } = await setup();
      add(store, { firstName: 'Nguyen', lastName: 'An' });
      const holder = add(store, { firstName: 'Card', lastName: 'Holder', cardBarcode: 'CARD0042' });
      // The setting for a slow scanner, so a busy test machine's key delays still read as one scan.
      picker.scanInterval = 250;
      await openByKeyboard(picker);
      await search(picker, 'ngu', 'Nguyen An');
      await sendKeys({ press: 'ArrowDown' });
      await until(() => activeOption(picker) !== null, 'Nguyen An active');
      // A scanner types the code and Enter within a few milliseconds per key.
      await sendKeys({ type: 'CARD0042\n' });
      await until(() => selected.length === 1, 'the card holder chosen');
      expect(selected[0]?.id).to.equal(holder.id);
      await until(() => label(picker) === 'Card Holder', 'the card holder on the button');
      expect(focused(picker)).to.equal(button(picker));
    });

    it('a scan on the closed button chooses the card’s customer; other typing opens the search', async () => {
      const { store, picker, selected } = await setup();
      const holder = add(store, { firstName: 'Card', lastName: 'Holder', cardBarcode: 'CARD0042' });
      add(store, { firstName: 'Nguyen', lastName: 'An' });
      button(picker).focus();
      await sendKeys({ type: 'CARD0042\n' });
      await until(() => selected.length === 1, 'the card holder chosen');
      expect(selected[0]?.id).to.equal(holder.id);
      await until(() => label(picker) === 'Card Holder', 'the card holder on the button');
      expect(dialog(picker).open).to.equal(false);

      await sendKeys({ type: 'n' });
      await until(() => dialog(picker).open && input(picker)?.value === 'n' && focused(picker) === input(picker), 'the search opened with the key typed');
      await search(picker, 'gu', 'Nguyen An');
      expect(input(picker)?.value).to.equal('ngu');
    });

    it('Enter with no active option chooses the only match', async () => {
      const { store, picker, selected } = await setup();
      store.updateSettings({ defaultCountry: 'VN' });
      const lan = add(store, { firstName: 'Lan', lastName: 'Pham', phone: '0912 345 678' });
      add(store, { firstName: 'Mai', lastName: 'Pham' });
      await openByKeyboard(picker);
      await search(picker, '0912345678', 'Lan Pham');
      await sendKeys({ press: 'Enter' });
      await until(() => selected.length === 1, 'the only match chosen');
      expect(selected[0]?.id).to.equal(lan.id);
    });

    it('the walk-in button resets the choice to the default customer', async () => {
      const { store, picker, selected } = await setup();
      const walkIn = store.ensureDefaultCustomer();
      if (!walkIn.ok) throw new Error('no default customer');
      const daemon = add(store, { firstName: 'Daemon', lastName: 'John' });
      picker.value = daemon.id;
      await until(() => label(picker) === 'Daemon John', 'the chosen name');
      await openByKeyboard(picker);
      const walkInButton = shadow(picker).querySelector<HTMLButtonElement>('[part="walk-in-button"]');
      expect(text(walkInButton)).to.equal('Walk-in customer');
      walkInButton?.click();
      await until(() => label(picker) === 'Walk-in customer', 'the walk-in label');
      expect(selected.map((c) => c?.id)).to.deep.equal([walkIn.value.id]);
      expect(picker.value).to.equal(walkIn.value.id);
      expect(dialog(picker).open).to.equal(false);
    });
  });

  describe('live changes from another till', () => {
    it('updates the button and the list in place; a deleted choice falls back to the walk-in customer', async () => {
      const { store, picker, selected } = await setup();
      const walkIn = store.ensureDefaultCustomer();
      if (!walkIn.ok) throw new Error('no default customer');
      const daemon = add(store, { firstName: 'Daemon', lastName: 'John' });
      const other = anotherTill(store.doc);
      try {
        picker.value = daemon.id;
        await until(() => label(picker) === 'Daemon John', 'the chosen name');
        other.store.update(daemon.id, { firstName: 'Aemon' });
        await until(() => label(picker) === 'Aemon John', 'the name edited on the other till');

        await openByKeyboard(picker);
        await search(picker, 'john', 'Aemon John');
        other.store.create({ firstName: 'Jon', lastName: 'Johnson' });
        await until(() => optionNames(picker).includes('Jon Johnson'), 'a new match from the other till');
        other.store.update(daemon.id, { firstName: 'Maekar' });
        await until(() => optionNames(picker).includes('Maekar John') && !optionNames(picker).includes('Aemon John'), 'the edited option');

        const moves: Array<PosEventDetails['pos-customer-select']> = [];
        picker.addEventListener('pos-customer-select', (event) => moves.push(event.detail));
        other.store.delete(daemon.id);
        await until(() => !optionNames(picker).includes('Maekar John'), 'the deleted customer gone from the list');
        await until(() => label(picker) === 'Walk-in customer', 'the button back on the walk-in customer');
        expect(selected.map((c) => c?.id)).to.deep.equal([walkIn.value.id]);
        expect(picker.value).to.equal(walkIn.value.id);
        expect(moves.map((m) => [m.reason, m.previous?.id])).to.deep.equal([['deleted', daemon.id]]);
        expect(movedNote(picker), 'the cashier is told').to.equal('Maekar John was deleted, so the sale no longer has them.');
        await sendKeys({ press: 'Escape' });
        picker.show();
        await search(picker, 'jon', 'Jon Johnson');
        await sendKeys({ press: 'Enter' });
        await until(() => label(picker) === 'Jon Johnson', 'a new choice');
        expect(movedNote(picker), 'gone once the cashier chooses again').to.equal('');
      } finally {
        other.close();
      }
    });
  });

  describe('live changes to the results', () => {
    it('keeps the active option in view when customers listed before it arrive from another till', async () => {
      const { store, picker } = await setup();
      for (const first of ['Xa', 'Xb', 'Xc']) add(store, { firstName: first, lastName: 'Pham' });
      await openByKeyboard(picker);
      await search(picker, 'pham', 'Xc Pham');
      for (let i = 0; i < 3; i++) await sendKeys({ press: 'ArrowDown' });
      await until(() => text(activeOption(picker)?.querySelector('[part="option-name"]')) === 'Xc Pham', 'Xc Pham active');
      const other = anotherTill(store.doc);
      try {
        other.store.doc.transact(() => {
          for (let i = 0; i < 12; i++) add(other.store, { firstName: `A${String(i).padStart(2, '0')}`, lastName: 'Pham' });
        });
        await until(() => activeOption(picker)?.getAttribute('aria-posinset') === '15', 'Xc Pham now 15th, still active');
        expect(text(activeOption(picker)?.querySelector('[part="option-name"]'))).to.equal('Xc Pham');
        await until(() => inView(picker, activeOption(picker)) && topOfViewCovered(picker), 'the active option in view, no blank rows above it');
      } finally {
        other.close();
      }
    });
  });

  describe('a merge of the chosen customer', () => {
    it('made on another till moves the choice to the customer it was merged into, announced to the page', async () => {
      const { store, picker, selected } = await setup();
      const kept = add(store, { firstName: 'Viserys', lastName: 'Targaryen', phone: '+14155552671' });
      const other = anotherTill(store.doc);
      try {
        // The other till, apart, made the same person again (another phone, so both tills accept it).
        const twin = other.store.create({ firstName: 'Viserys', lastName: 'T.', email: 'viserys@shop.com' });
        if (!twin.ok) throw new Error('setup');
        picker.value = twin.value.id;
        await until(() => label(picker) === 'Viserys T.', 'the twin chosen');
        expect(other.store.mergeCustomers(kept.id, twin.value.id, { email: 'remove' }).ok).to.equal(true);
        await until(() => label(picker) === 'Viserys Targaryen', 'the button on the kept customer');
        expect(picker.value).to.equal(kept.id);
        expect(selected.map((c) => [c?.id, c?.email])).to.deep.equal([[kept.id, 'viserys@shop.com']]);
        expect(movedNote(picker)).to.equal('Viserys T. was merged into the customer shown.');
      } finally {
        other.close();
      }
    });

    it('made here, or before the page handed the id over, does the same; recents list the survivor once', async () => {
      const { store, picker, selected } = await setup();
      const kept = add(store, { firstName: 'Aegon', lastName: 'Targaryen', phone: '+14155552671' });
      const twin = add(store, { firstName: 'Aegon', lastName: 'II', email: 'aegon@shop.com' });
      await chooseByKeyboard(picker, 'aegon t', 'Aegon Targaryen');
      await chooseByKeyboard(picker, 'aegon ii', 'Aegon II');
      selected.length = 0;
      expect(store.mergeCustomers(kept.id, twin.id).ok).to.equal(true);
      await until(() => label(picker) === 'Aegon Targaryen', 'the button on the kept customer');
      expect(selected.map((c) => c?.id)).to.deep.equal([kept.id]);
      await openByKeyboard(picker);
      await until(() => status(picker) === 'Recent customers', 'the recent list');
      expect(optionNames(picker)).to.deep.equal(['Aegon Targaryen', 'Create new customer']);
      picker.hide();

      // A cart restored with the old id.
      picker.value = twin.id;
      await until(() => picker.value === kept.id, 'the old id replaced by the survivor');
      expect(label(picker)).to.equal('Aegon Targaryen');
      expect(selected.map((c) => c?.id)).to.deep.equal([kept.id, kept.id]);
    });
  });

  describe('creating', () => {
    it('creates from a typed name: asks the page, opens the form filled in, chooses what it saves', async () => {
      const { root, picker, selected } = await setup();
      const requests: string[] = [];
      root.addEventListener('pos-customer-create-request', (event) => requests.push(event.detail.query));
      await openByKeyboard(picker);
      await sendKeys({ type: 'Zed Newman' });
      await until(() => status(picker) === 'No customer matches', 'no match');
      expect(optionNames(picker)).to.deep.equal(['Create “Zed Newman”']);
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      expect(requests).to.deep.equal(['Zed Newman']);

      await until(() => Boolean(shadow(picker).querySelector('pos-customer-form')), 'the form');
      const form = shadow(picker).querySelector('pos-customer-form') as HTMLElement & { prefill: unknown };
      expect(form.prefill).to.deep.equal({ firstName: 'Zed', lastName: 'Newman' });
      expect(form.hasAttribute('quick')).to.equal(true);
      await until(() => fieldLabelled(form, 'First name')?.value === 'Zed', 'the first name filled in');
      expect(fieldLabelled(form, 'Last name')?.value).to.equal('Newman');
      await until(() => deepActiveElement() === fieldLabelled(form, 'First name'), 'focus in the first name');

      await sendKeys({ press: 'Enter' });
      await until(() => selected.length === 1, 'the saved customer chosen');
      expect(selected[0]).to.include({ firstName: 'Zed', lastName: 'Newman' });
      await until(() => label(picker) === 'Zed Newman', 'the new customer on the button');
      expect(picker.value).to.equal(selected[0]?.id);
      expect(focused(picker)).to.equal(button(picker));
    });

    it('puts a phone query in the phone field, and Escape in the form goes back to the search', async () => {
      const { store, picker } = await setup();
      store.updateSettings({ defaultCountry: 'VN' });
      await openByKeyboard(picker);
      await sendKeys({ type: '0912 345 678' });
      await until(() => status(picker) === 'No customer matches', 'no match');
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'Enter' });
      await until(() => Boolean(shadow(picker).querySelector('pos-customer-form')), 'the form');
      const form = shadow(picker).querySelector('pos-customer-form') as HTMLElement & { prefill: unknown };
      expect(form.prefill).to.deep.equal({ phone: '0912 345 678' });
      await until(() => fieldLabelled(form, 'Phone')?.value === '0912 345 678', 'the phone filled in');

      fieldLabelled(form, 'First name')?.focus();
      await sendKeys({ press: 'Escape' });
      await until(() => focused(picker) === input(picker), 'back in the search');
      expect(input(picker)?.value).to.equal('0912 345 678');
      expect(dialog(picker).open).to.equal(true);
    });

    it('chooses the existing customer the form names as a duplicate', async () => {
      const { store, picker, selected } = await setup();
      const lan = add(store, { firstName: 'Lan', lastName: 'Pham', email: 'lan@shop.vn' });
      await openByKeyboard(picker);
      await search(picker, 'lan@shop.vn', 'Lan Pham');
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'Enter' });
      await until(() => Boolean(shadow(picker).querySelector('pos-customer-form')), 'the form');
      const form = shadow(picker).querySelector('pos-customer-form') as HTMLElement;
      await until(
        () => fieldLabelled(form, 'Email')?.value === 'lan@shop.vn' && deepActiveElement() === fieldLabelled(form, 'First name'),
        'the email filled in',
      );
      await sendKeys({ type: 'Lana' });
      await sendKeys({ press: 'Enter' });
      await until(() => Boolean(form.shadowRoot?.querySelector('[part="open-existing"]')), 'the duplicate named');
      form.shadowRoot?.querySelector<HTMLButtonElement>('[part="open-existing"]')?.click();
      await until(() => selected.length === 1, 'the existing customer chosen');
      expect(selected[0]?.id).to.equal(lan.id);
      await until(() => label(picker) === 'Lan Pham', 'the existing customer on the button');
    });

    it('leaves creating to the page when it cancels the request', async () => {
      const { root, picker } = await setup();
      root.addEventListener('pos-customer-create-request', (event) => event.preventDefault());
      await openByKeyboard(picker);
      await sendKeys({ type: 'someone@shop.com' });
      await until(() => status(picker) === 'No customer matches', 'no match');
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await until(() => !dialog(picker).open, 'the panel closed');
      expect(shadow(picker).querySelector('pos-customer-form')).to.equal(null);
      expect(focused(picker)).to.equal(button(picker));
    });
  });

  it('works outside its <pos-customers> through store-ref', async () => {
    const root = await mountStore('');
    root.id = uniqueId('shop');
    add((root.handle as NonNullable<PosCustomers['handle']>).store, { firstName: 'Daemon', lastName: 'John' });
    const picker = document.createElement('pos-customer-picker');
    picker.setAttribute('store-ref', root.id);
    document.body.append(picker);
    await picker.updateComplete;
    await openByKeyboard(picker);
    await search(picker, 'dae', 'Daemon John');
  });

  describe('before the store is ready', () => {
    it('searches the customers saved on the till, with their group, and chooses one once the store has loaded', async () => {
      const storeId = uniqueId('store');
      const first = await mountStore('', { store: storeId });
      const saved = (first.handle as NonNullable<PosCustomers['handle']>).store;
      const vip = saved.createGroup({ name: 'VIP' });
      const ada = add(saved, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', groupId: vip.ok ? vip.value.id : null });
      add(saved, { firstName: 'Grace', lastName: 'Hopper' });
      const storage = first.handle?.storage;
      await until(() => storage?.status.mode === 'saved' && storage.status.pendingWrites === 0, 'the customers saved on the device');
      while (saved.sortIndexStep());
      expect(await storage?.saveSnapshot(saved.openSnapshot())).to.equal(true);
      cleanUpPage();

      const release = await holdDocumentLoad(deviceDatabaseName(storeId, 'till-1'));
      const root = document.createElement('pos-customers');
      root.store = storeId;
      root.till = 'till-1';
      root.innerHTML = '<pos-customer-picker></pos-customer-picker>';
      const selected: Array<Customer | null> = [];
      root.addEventListener('pos-customer-select', (event) => selected.push(event.detail.customer));
      document.body.append(root);
      const picker = root.querySelector('pos-customer-picker') as PosCustomerPicker;
      await until(() => Boolean(root.preview), "the till's saved customers read from the device");
      await openByKeyboard(picker);
      await search(picker, 'ada', 'Ada Lovelace');
      expect(text(options(picker)[0]?.querySelector('[part="option-group"]'))).to.equal('VIP');
      expect(root.handle?.storage.status.mode ?? 'opening').to.equal('opening', 'the document is still loading');

      // Enter on the only match waits for the store; typing drops that choice.
      await sendKeys({ press: 'Enter' });
      await until(() => status(picker) === 'Opening the customer…', 'the choice to wait for the store');
      await sendKeys({ press: 'Backspace' });
      await until(() => status(picker) !== 'Opening the customer…', 'typing to drop the waiting choice');
      await sendKeys({ type: 'a' });
      await until(() => optionNames(picker).length === 2, 'the match again');
      await sendKeys({ press: 'Enter' });
      await until(() => status(picker) === 'Opening the customer…', 'the choice to wait for the store again');
      expect(selected).to.deep.equal([]);

      release();
      await until(() => selected.length === 1, 'the customer chosen once the store has loaded');
      expect(selected[0]).to.deep.equal(ada, 'the whole customer, from the store');
      expect(label(picker)).to.equal('Ada Lovelace');
      expect(dialog(picker).open).to.equal(false);
      expect(root.preview).to.equal(undefined, 'the preview is let go once the store is ready');
    });
  });

  it('has no axe violations, open with results', async () => {
    const { store, picker } = await setup();
    const vip = store.createGroup({ name: 'VIP' });
    add(store, { firstName: 'Nguyễn', lastName: 'An', email: 'an@shop.vn', groupId: vip.ok ? vip.value.id : null });
    add(store, { firstName: 'Nguyen', lastName: 'Binh' });
    store.ensureDefaultCustomer();
    await openByKeyboard(picker);
    await search(picker, 'ngu', 'Nguyen Binh');
    await sendKeys({ press: 'ArrowDown' });
    await until(() => activeOption(picker) !== null, 'an active option');
    await expectNoAxeViolations(picker);
  });
});

describe('RecentCustomers', () => {
  it('keeps the newest first, once each, up to the limit, under pos-customers/<store>/<till>/recent', () => {
    const storeId = uniqueId('store');
    const recent = new RecentCustomers(storeId, 'till-9', { limit: 3 });
    for (const id of ['a', 'b', 'c', 'a', 'd']) recent.add(id);
    expect(recent.ids()).to.deep.equal(['d', 'a', 'c']);
    expect(JSON.parse(localStorage.getItem(`pos-customers/${storeId}/till-9/recent`) ?? 'null')).to.deep.equal(['d', 'a', 'c']);
    expect(new RecentCustomers(storeId, 'till-9').ids()).to.deep.equal(['d', 'a', 'c']);
    expect(new RecentCustomers(storeId, 'till-8').ids()).to.deep.equal([]);
  });

  it('falls back to memory when storage throws or is missing, and reads garbage as empty', () => {
    const throwing: RecentStorage = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    const storeId = uniqueId('store');
    const recent = new RecentCustomers(storeId, 'till-1', { storage: throwing });
    recent.add('x');
    recent.add('y');
    expect(recent.ids()).to.deep.equal(['y', 'x']);

    const memoryOnly = new RecentCustomers(uniqueId('store'), 'till-1', { storage: null });
    memoryOnly.add('z');
    expect(memoryOnly.ids()).to.deep.equal(['z']);

    const garbageStore = uniqueId('store');
    localStorage.setItem(recentCustomersKey(garbageStore, 'till-1'), '{"not": "a list"');
    expect(new RecentCustomers(garbageStore, 'till-1').ids()).to.deep.equal([]);
  });
});
