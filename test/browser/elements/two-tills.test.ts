import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/elements/pos-customer-duplicates/pos-customer-duplicates.js';
import type { PosCustomerMerge } from '../../../components/elements/pos-customer-merge/pos-customer-merge.js';
import '../../../components/elements/pos-customer-form/pos-customer-form.js';
import '../../../components/elements/pos-customer-groups/pos-customer-groups.js';
import type { PosCustomerGroups } from '../../../components/elements/pos-customer-groups/pos-customer-groups.js';
import type { PosCustomerForm } from '../../../components/elements/pos-customer-form/pos-customer-form.js';
import '../../../components/elements/pos-customer-list/pos-customer-list.js';
import type { PosCustomerList } from '../../../components/elements/pos-customer-list/pos-customer-list.js';
import '../../../components/elements/pos-customer-picker/pos-customer-picker.js';
import type { PosCustomerPicker } from '../../../components/elements/pos-customer-picker/pos-customer-picker.js';
import type { PosCustomers } from '../../../components/elements/pos-customers/pos-customers.js';
import type { CustomerStore } from '../../../components/store/customer-store.js';
import { cleanUpPage, mountStore, expectNoAxeViolations, uniqueId, until } from '../helpers.js';

// Two tills on one page, each its own <pos-customers> (own till id, own IndexedDB database), syncing only
// through the real sync server that web-test-runner.config.js starts for the run, in open mode.

let serverUrl: string | undefined;

/** The ws:// URL of the run's sync server (see syncServerPlugin in web-test-runner.config.js). */
async function syncServer(): Promise<string> {
  if (!serverUrl) {
    const response = await fetch('/__sync-server');
    if (!response.ok) throw new Error(`no sync server for this run (${response.status})`);
    serverUrl = ((await response.json()) as { url: string }).url;
  }
  return serverUrl;
}

interface Till {
  root: PosCustomers;
  store: CustomerStore;
}

/**
 * A till of `storeId` on the page, once its device database is loaded and its first sync is done. `first`
 * puts it at the top of the page: a virtualised list renders only the rows inside the viewport.
 */
async function openTill(storeId: string, till: string, tillName: string, inner: string, first = false): Promise<Till> {
  const root = document.createElement('pos-customers');
  root.store = storeId;
  root.till = till;
  root.tillName = tillName;
  root.server = await syncServer();
  root.innerHTML = inner;
  if (first) document.body.prepend(root);
  else document.body.append(root);
  await until(() => Boolean(root.handle), `${tillName}'s store to open`);
  await root.handle?.whenReady;
  await until(() => root.handle?.connection?.status.synced === true, `${tillName} to sync with the server`);
  const store = root.handle?.store;
  if (!store) throw new Error('no store');
  return { root, store };
}

/** Two tills of one new store, each seeing the other online; till 2 on top of the page. */
async function twoTills(inner1: string, inner2: string): Promise<[Till, Till]> {
  const storeId = uniqueId('store');
  const till1 = await openTill(storeId, 'till-1', 'Till 1', inner1);
  const till2 = await openTill(storeId, 'till-2', 'Till 2', inner2, true);
  const sees = (till: Till, other: string) => till.root.handle?.connection?.status.peers.some((p) => p.tillId === other) === true;
  await until(() => sees(till1, 'till-2') && sees(till2, 'till-1'), 'each till to see the other online');
  return [till1, till2];
}

const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const text = (node: Node | null | undefined) => squash(node?.textContent);
const inside = <E extends Element>(till: Till, tag: string) => till.root.querySelector(tag) as E;
const control = (form: PosCustomerForm, id: string) => form.shadowRoot?.getElementById(id) as HTMLInputElement | null;
const presence = (form: PosCustomerForm) => text(form.shadowRoot?.querySelector('[part~="presence"]'));

/** The picker's option for a customer, by the name it shows. */
function optionFor(picker: PosCustomerPicker, name: string): HTMLElement | undefined {
  const options = [...(picker.shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? [])];
  return options.find((o) => text(o.querySelector('[part="option-name"]')) === name);
}

/** The list's row for a customer, by its name. */
function rowFor(list: PosCustomerList, name: string): HTMLElement | undefined {
  const rows = [...(list.shadowRoot?.querySelectorAll<HTMLElement>('[role="row"][data-id]') ?? [])];
  return rows.find((r) => text(r.querySelector('.name')) === name);
}

/** The badge an option or row shows ('' for none); fails the wait while the row itself is not on screen. */
const badge = (row: Element | undefined, part: string) => (row ? text(row.querySelector(`[part~="${part}"]`)) : '(row not shown)');

async function searchIn(picker: PosCustomerPicker, query: string): Promise<void> {
  picker.show();
  await until(() => picker.shadowRoot?.activeElement?.getAttribute('role') === 'combobox', 'focus in the picker’s search');
  await sendKeys({ type: query });
}

function add(store: CustomerStore, firstName: string, lastName: string): string {
  const created = store.create({ firstName, lastName });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.value.id;
}

describe('two tills through the real sync server', () => {
  afterEach(cleanUpPage);

  it('a till back online from its offline switch sees the other tills at once, not after their next presence renewal', async () => {
    const [till1] = await twoTills('', '');
    const connection = till1.root.handle?.connection;
    if (!connection) throw new Error('no connection');
    connection.setOnline(false);
    await until(() => connection.status.state === 'offline' && connection.status.peers.length === 0, 'till 1 offline, seeing no one');
    connection.setOnline(true);
    // Awareness renews a till's presence every 15 s: seen within 3 s, it came with the reconnect.
    await until(() => connection.status.peers.some((p) => p.tillId === 'till-2'), 'till 2 seen again', 3000);
  });

  it('<pos-customers> opens its store once, and connects to the server only after the device’s customers are loaded', async () => {
    const storeId = uniqueId('store');
    const offline = await mountStore('', { store: storeId });
    expect(offline.handle?.store.create({ firstName: 'Saved', lastName: 'On device' }).ok).to.equal(true);
    await until(
      () => offline.handle?.storage.status.mode === 'saved' && offline.handle.storage.status.pendingWrites === 0,
      'the customer written to the device',
    );
    offline.remove();

    const root = document.createElement('pos-customers');
    root.store = storeId;
    root.till = 'till-1';
    root.server = await syncServer();
    let ready = 0;
    let customersWhenConnected: number | undefined;
    root.addEventListener('pos-store-ready', () => ready++);
    root.addEventListener('pos-store-connected', () => (customersWhenConnected = root.handle?.store.liveCount));
    document.body.append(root);
    await until(() => Boolean(root.handle), 'the store to open');
    const store = root.handle?.store;
    await until(() => root.handle?.connection?.status.synced === true, 'the first sync');
    expect(ready).to.equal(1);
    expect(root.handle?.store).to.equal(store);
    expect(customersWhenConnected).to.equal(1);
  });

  it('two connection elements on one page, each its own till with its own IndexedDB, see each other’s edits', async () => {
    const [till1, till2] = await twoTills(
      '<pos-customer-form></pos-customer-form>',
      '<pos-customer-picker></pos-customer-picker><pos-customer-form></pos-customer-form>',
    );
    const storeId = till1.root.store;
    const databases = (await indexedDB.databases()).map((d) => d.name);
    expect(databases).to.include.members([`pos-customers/${storeId}/till-1`, `pos-customers/${storeId}/till-2`]);

    // Created with till 1's form, found with till 2's picker.
    const form1 = inside<PosCustomerForm>(till1, 'pos-customer-form');
    const saves = [] as string[];
    form1.addEventListener('pos-customer-save', (e) => saves.push(e.detail.customer.id));
    form1.focus();
    await sendKeys({ type: 'Rhaenyra' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Targaryen' });
    await sendKeys({ press: 'Enter' });
    await until(() => saves.length === 1, 'till 1 to save the customer');
    const id = saves[0] as string;
    const picker2 = inside<PosCustomerPicker>(till2, 'pos-customer-picker');
    await searchIn(picker2, 'Rhaen');
    await until(() => optionFor(picker2, 'Rhaenyra Targaryen') !== undefined, 'the new customer in till 2’s picker');
    picker2.hide();

    // Edited with till 2's form, shown live in till 1's form open on the same customer.
    form1.customerId = id;
    await until(() => control(form1, 'lastName')?.value === 'Targaryen', 'till 1’s form open on the customer');
    const form2 = inside<PosCustomerForm>(till2, 'pos-customer-form');
    form2.customerId = id;
    await until(() => control(form2, 'lastName')?.value === 'Targaryen', 'till 2’s form open on the customer');
    control(form2, 'phone')!.focus();
    await sendKeys({ type: '+1 415 555 2671' });
    await sendKeys({ press: 'Enter' });
    await until(() => control(form1, 'phone')?.value === '+14155552671', 'till 2’s edit in till 1’s form');
    expect(till1.store.get(id)?.updatedBy).to.equal('till-2');
  });

  it('shows which other till has a customer open: picker option, list row and form; gone when the form closes', async () => {
    const [till1, till2] = await twoTills(
      '<pos-customer-form></pos-customer-form>',
      '<pos-customer-list style="--pos-customer-list-height: 20rem"></pos-customer-list><pos-customer-picker></pos-customer-picker><pos-customer-form></pos-customer-form>',
    );
    const id = add(till1.store, 'Alicent', 'Hightower');
    add(till1.store, 'Otto', 'Hightower');
    const list2 = inside<PosCustomerList>(till2, 'pos-customer-list');
    const picker2 = inside<PosCustomerPicker>(till2, 'pos-customer-picker');
    await until(() => rowFor(list2, 'Otto Hightower') !== undefined && rowFor(list2, 'Alicent Hightower') !== undefined, 'both customers in till 2’s list');
    expect(badge(rowFor(list2, 'Alicent Hightower'), 'presence')).to.equal('');

    const form1 = inside<PosCustomerForm>(till1, 'pos-customer-form');
    form1.customerId = id;
    await until(() => badge(rowFor(list2, 'Alicent Hightower'), 'presence') === 'Open on Till 1', 'the badge in till 2’s list');
    expect(badge(rowFor(list2, 'Otto Hightower'), 'presence'), 'only on the customer open there').to.equal('');
    await searchIn(picker2, 'Hightower');
    await until(() => badge(optionFor(picker2, 'Alicent Hightower'), 'option-presence') === 'Open on Till 1', 'the badge in till 2’s picker');
    expect(badge(optionFor(picker2, 'Otto Hightower'), 'option-presence')).to.equal('');
    await expectNoAxeViolations(picker2);
    picker2.hide();
    await expectNoAxeViolations(list2);

    // Both forms on the customer: each says the other till has it open too. Until then the (live) region is empty and takes no room.
    expect(presence(form1)).to.equal('');
    expect(form1.shadowRoot?.querySelector('[part~="presence"]')?.getBoundingClientRect().height).to.equal(0);
    const form2 = inside<PosCustomerForm>(till2, 'pos-customer-form');
    form2.customerId = id;
    await until(() => presence(form1) === 'Also open on Till 2', 'till 1’s form naming till 2');
    await until(() => presence(form2) === 'Also open on Till 1', 'till 2’s form naming till 1');
    await expectNoAxeViolations(form1);
    form2.customerId = '';

    // Switching the form to no customer, and taking it off the page, both end the badge.
    form1.customerId = '';
    await until(() => badge(rowFor(list2, 'Alicent Hightower'), 'presence') === '', 'the badge gone when the form is cleared');
    form1.customerId = id;
    await until(() => badge(rowFor(list2, 'Alicent Hightower'), 'presence') === 'Open on Till 1', 'the badge back');
    form1.remove();
    await until(() => badge(rowFor(list2, 'Alicent Hightower'), 'presence') === '', 'the badge gone when the form closes');
    await searchIn(picker2, 'Alicent');
    await until(() => optionFor(picker2, 'Alicent Hightower') !== undefined, 'the customer in the picker');
    expect(badge(optionFor(picker2, 'Alicent Hightower'), 'option-presence')).to.equal('');
  });

  it('a group renamed in the back office shows its new name in both tills’ pickers, on the options and the chosen customer', async () => {
    const [till1, till2] = await twoTills(
      '<pos-customer-groups></pos-customer-groups><pos-customer-picker></pos-customer-picker>',
      '<pos-customer-picker></pos-customer-picker>',
    );
    const silver = till1.store.createGroup({ name: 'Silver' });
    if (!silver.ok) throw new Error('setup');
    const created = till1.store.create({ firstName: 'Laena', lastName: 'Velaryon', groupId: silver.value.id });
    if (!created.ok) throw new Error('setup');
    const id = created.value.id;
    const picker1 = inside<PosCustomerPicker>(till1, 'pos-customer-picker');
    const picker2 = inside<PosCustomerPicker>(till2, 'pos-customer-picker');
    const buttonGroup = (picker: PosCustomerPicker) => text(picker.shadowRoot?.querySelector('[part~="button-group"]'));
    await until(() => till2.store.get(id) !== undefined, 'the customer on till 2');
    picker1.value = id;
    picker2.value = id;
    await until(() => buttonGroup(picker1) === 'Silver' && buttonGroup(picker2) === 'Silver', 'the group beside the chosen customer on both tills');
    await searchIn(picker2, 'Laena');
    await until(() => badge(optionFor(picker2, 'Laena Velaryon'), 'option-group') === 'Silver', 'the group on till 2’s option');
    picker2.hide();

    // Renamed through the groups element on till 1, as a manager would (till 2's modal search panel would
    // make the shared test page inert, so it is closed meanwhile).
    const groups = inside<PosCustomerGroups>(till1, 'pos-customer-groups');
    const edit = [...(groups.shadowRoot?.querySelectorAll<HTMLButtonElement>('tbody button') ?? [])].find(
      (b) => b.getAttribute('aria-label') === 'Edit Silver',
    );
    if (!edit) throw new Error('no Edit Silver button');
    edit.click();
    const name = groups.shadowRoot?.getElementById('group-name') as HTMLInputElement;
    await until(() => groups.shadowRoot?.activeElement === name, 'focus in the group’s name');
    name.select();
    await sendKeys({ type: 'Gold' });
    await sendKeys({ press: 'Enter' });
    await until(() => till1.store.group(silver.value.id)?.name === 'Gold', 'the group renamed on till 1');
    await until(() => buttonGroup(picker2) === 'Gold', 'the new name beside till 2’s chosen customer, without a reload');
    expect(buttonGroup(picker1)).to.equal('Gold');
    expect(till2.store.get(id)?.groupId, 'the customer kept its group').to.equal(silver.value.id);

    // With till 2's search open on the customer, another rename on till 1 reaches the option in place.
    await searchIn(picker2, 'Laena');
    await until(() => badge(optionFor(picker2, 'Laena Velaryon'), 'option-group') === 'Gold', 'the renamed group on till 2’s option');
    expect(till1.store.updateGroup(silver.value.id, { name: 'Platinum' }).ok).to.equal(true);
    await until(() => badge(optionFor(picker2, 'Laena Velaryon'), 'option-group') === 'Platinum', 'the next name on till 2’s open option');
    await until(() => buttonGroup(picker2) === 'Platinum', 'and beside its chosen customer');
    await expectNoAxeViolations(picker2);
  });

  it('a conflict note names the other till as it announces itself', async () => {
    const [till1, till2] = await twoTills('<pos-customer-form></pos-customer-form>', '');
    const id = add(till1.store, 'Daemon', 'Targaryen');
    const form1 = inside<PosCustomerForm>(till1, 'pos-customer-form');
    form1.customerId = id;
    await until(() => control(form1, 'lastName')?.value === 'Targaryen', 'the customer loaded');
    await until(() => till2.store.get(id) !== undefined, 'the customer on till 2');
    control(form1, 'lastName')!.select();
    await sendKeys({ type: 'Velaryon' });
    till2.store.update(id, { lastName: 'Blackfyre' });
    await until(() => text(form1.shadowRoot?.getElementById('lastName-conflict')) === 'Changed on Till 2 to “Blackfyre”', 'the note naming Till 2');
    expect(control(form1, 'lastName')?.value).to.equal('Velaryon');
  });
  it('a pair made while apart is flagged on both tills; till 1 merges it, and till 2’s sale on the removed customer follows', async () => {
    const [till1, till2] = await twoTills(
      '<pos-customer-duplicates></pos-customer-duplicates>',
      '<pos-customer-picker></pos-customer-picker><pos-customer-duplicates></pos-customer-duplicates>',
    );
    const connection2 = till2.root.handle?.connection;
    connection2?.setOnline(false);
    const kept = till1.store.create({ firstName: 'Rhaenys', lastName: 'Targaryen', email: 'rhaenys@shop.com' });
    await new Promise((r) => setTimeout(r, 5));
    const twin = till2.store.create({ firstName: 'Rhaenys', lastName: 'Velaryon', email: 'rhaenys@shop.com', phone: '+1 415 555 2671' });
    if (!kept.ok || !twin.ok) throw new Error('setup');
    const picker2 = inside<PosCustomerPicker>(till2, 'pos-customer-picker');
    picker2.value = twin.value.id;
    const sold: Array<string | undefined> = [];
    till2.root.addEventListener('pos-customer-select', (e) => sold.push(e.detail.customer?.id));
    connection2?.setOnline(true);

    const listed = (till: Till) => inside<HTMLElement>(till, 'pos-customer-duplicates').shadowRoot?.querySelectorAll('[part="item"]').length ?? 0;
    await until(() => listed(till1) === 1 && listed(till2) === 1, 'the pair flagged on both tills');
    const duplicates1 = inside<HTMLElement>(till1, 'pos-customer-duplicates');
    duplicates1.shadowRoot!.querySelector<HTMLButtonElement>('[part="review-button"]')!.click();
    await until(() => duplicates1.shadowRoot?.querySelector('pos-customer-merge') !== null, 'the merge on till 1');
    const merge = duplicates1.shadowRoot!.querySelector('pos-customer-merge') as PosCustomerMerge;
    await merge.updateComplete;
    // Till 1 keeps its own name and takes the phone till 2 typed (picked for it: till 1 had none).
    merge.shadowRoot!.querySelector<HTMLButtonElement>('[part~="merge-button"]')!.click();

    await until(() => text(picker2.shadowRoot?.querySelector('[part="label"]')) === 'Rhaenys Targaryen', 'till 2’s picker on the survivor');
    expect(picker2.value).to.equal(kept.value.id);
    expect(sold).to.deep.equal([kept.value.id]);
    await until(() => listed(till1) === 0 && listed(till2) === 0, 'the pair gone from both lists');
    expect(till2.store.get(kept.value.id)?.phone).to.equal('+14155552671');
    expect(till2.store.get(twin.value.id)?.mergedInto).to.equal(kept.value.id);
  });
});
