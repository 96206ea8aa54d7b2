import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-customer-groups/pos-customer-groups.js';
import type { PosCustomerGroups } from '../../../components/elements/pos-customer-groups/pos-customer-groups.js';
import type { PosEventDetails } from '../../../components/events/pos-events.js';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

const shadow = (el: Element) => el.shadowRoot!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const control = (el: Element, id: string) => shadow(el).getElementById(id) as HTMLInputElement;
const dialogOf = (el: Element) => shadow(el).querySelector('dialog')!;
const statusOf = (el: Element) => text(shadow(el).querySelector('[part~="status"]'));

/** Each row as [name, description, discount, members]. */
function tableRows(el: Element): string[][] {
  return [...shadow(el).querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 4).map((c) => text(c)));
}

function rowButton(el: Element, label: string): HTMLButtonElement {
  return (
    [...shadow(el).querySelectorAll<HTMLButtonElement>('tbody button')].find((b) => b.getAttribute('aria-label') === label) ?? expect.fail(`no "${label}"`)
  );
}

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

async function mountGroups(parent?: Element) {
  const root = await mountStore('<pos-customer-groups></pos-customer-groups>', parent ? { parent } : {});
  const store = root.handle!.store;
  const el = root.querySelector('pos-customer-groups') as PosCustomerGroups;
  const saved: PosEventDetails['pos-group-save'][] = [];
  const deleted: PosEventDetails['pos-group-delete'][] = [];
  el.addEventListener('pos-group-save', (e) => saved.push(e.detail));
  el.addEventListener('pos-group-delete', (e) => deleted.push(e.detail));
  await until(() => Boolean(control(el, 'group-name')), 'the form');
  return { el, store, saved, deleted };
}

/** Another till on the same store: edits there reach this till as Yjs updates, as through the server. */
function otherTill(store: CustomerStore) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(store.doc));
  const other = new CustomerStore(doc, { tillId: 'till-2' });
  return {
    other,
    sync: () => {
      Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(doc));
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(store.doc));
    },
  };
}

describe('<pos-customer-groups>', () => {
  afterEach(cleanUpPage);

  it('stays inside a narrow panel of a grid, its table scrolling so every Edit and Delete can be reached', async () => {
    const grid = document.createElement('div');
    grid.style.cssText = 'display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); width: 760px';
    const panel = document.createElement('section');
    grid.append(panel, document.createElement('section'));
    document.body.append(grid);
    const { el, store } = await mountGroups(panel);
    expect(
      store.createGroup({ name: 'Wholesale buyers of the northern district', description: 'Cafés and restaurants that buy by the case every week' }).ok,
    ).to.equal(true);
    await until(() => tableRows(el).length === 1, 'the row');
    const del = rowButton(el, 'Delete Wholesale buyers of the northern district');
    const cell = panel.getBoundingClientRect();
    expect(el.getBoundingClientRect().right, 'the element ends inside its grid cell').to.be.at.most(cell.right + 0.5);
    del.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const box = del.getBoundingClientRect();
    expect(box.right).to.be.at.most(cell.right + 0.5);
    const hit = el.shadowRoot?.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    expect(hit === del || del.contains(hit ?? null), 'a click there reaches the button').to.equal(true);
    grid.remove();
  });

  it('creates a group from the form and refuses a duplicate name beside the field', async () => {
    const { el, store, saved } = await mountGroups();
    expect(text(shadow(el).querySelector('[part~="empty"]'))).to.equal('No customer groups yet.');
    expect(text(shadow(el).querySelector('legend'))).to.equal('New group');
    await typeInto(control(el, 'group-name'), 'VIP');
    await typeInto(control(el, 'group-discount'), '12,5');
    await typeInto(control(el, 'group-description'), 'Regulars <b>not bold</b>');
    await sendKeys({ press: 'Enter' });
    await until(() => saved.length === 1, 'pos-group-save');
    expect(saved[0]!.created).to.equal(true);
    expect(store.groups().map((g) => [g.name, g.discountPercent, g.description])).to.deep.equal([['VIP', 12.5, 'Regulars <b>not bold</b>']]);
    await until(() => tableRows(el).length === 1, 'the group listed');
    expect(tableRows(el)[0]).to.deep.equal(['VIP', 'Regulars <b>not bold</b>', '12.5%', '0']);
    expect(shadow(el).querySelector('tbody b'), 'text, not markup').to.equal(null);
    expect(statusOf(el)).to.equal('Group VIP created.');
    expect(control(el, 'group-name').value, 'the form is ready for the next group').to.equal('');
    await expectNoAxeViolations(el);

    await typeInto(control(el, 'group-name'), 'vip');
    await sendKeys({ press: 'Enter' });
    await until(() => errorBeside(el, 'group-name') === messages.duplicateGroup, 'the duplicate name refused beside the field');
    expect(shadow(el).activeElement).to.equal(control(el, 'group-name'));
    await typeInto(control(el, 'group-discount'), '150');
    await sendKeys({ press: 'Tab' });
    await until(() => errorBeside(el, 'group-discount') === messages.discountRange, 'the discount checked on leaving');
    expect(store.groups()).to.have.length(1);
    await expectNoAxeViolations(el);
  });

  it('renames a group in the form, keeping its customers', async () => {
    const { el, store, saved } = await mountGroups();
    const vip = store.createGroup({ name: 'VIP', discountPercent: 5 });
    if (!vip.ok) throw new Error('setup');
    expect(store.create({ firstName: 'An', groupId: vip.value.id }).ok).to.equal(true);
    await until(() => tableRows(el).length === 1, 'listed');
    expect(tableRows(el)[0]![3]).to.equal('1');
    rowButton(el, 'Edit VIP').click();
    await until(() => shadow(el).activeElement === control(el, 'group-name'), 'focus in the edit form');
    expect(text(shadow(el).querySelector('legend'))).to.equal('Edit group “VIP”');
    expect(control(el, 'group-discount').value).to.equal('5');
    await typeInto(control(el, 'group-name'), 'Very important');
    await sendKeys({ press: 'Enter' });
    await until(() => saved.length === 1, 'saved');
    expect(saved[0]).to.deep.include({ created: false });
    expect(store.group(vip.value.id)?.name).to.equal('Very important');
    await until(() => tableRows(el)[0]![0] === 'Very important', 'the new name listed');
    expect(tableRows(el)[0]![3]).to.equal('1');
    expect(text(shadow(el).querySelector('legend'))).to.equal('New group');
  });

  it('says how many customers a group holds before deleting it, and moves them where the manager chose', async () => {
    const { el, store, deleted } = await mountGroups();
    const vip = store.createGroup({ name: 'VIP' });
    const gold = store.createGroup({ name: 'Gold' });
    if (!vip.ok || !gold.ok) throw new Error('setup');
    const members = ['An', 'Binh', 'Chi'].map((firstName) => {
      const c = store.create({ firstName, groupId: vip.value.id });
      if (!c.ok) throw new Error('setup');
      return c.value.id;
    });
    await until(() => tableRows(el).length === 2, 'listed');
    expect(tableRows(el).map((r) => [r[0], r[3]])).to.deep.equal([
      ['Gold', '0'],
      ['VIP', '3'],
    ]);
    rowButton(el, 'Delete VIP').click();
    await until(() => dialogOf(el).open, 'the confirmation');
    expect(text(dialogOf(el).querySelector('h2'))).to.equal('Delete the group “VIP”?');
    expect(text(dialogOf(el).querySelector('label'))).to.equal('3 customers are in VIP. Move them to:');
    const moveTo = control(el, 'move-to') as unknown as HTMLSelectElement;
    expect([...moveTo.options].map((o) => o.text)).to.deep.equal(['No group', 'Gold']);
    expect(moveTo.value).to.equal('');
    await expectNoAxeViolations(el);
    moveTo.focus();
    moveTo.value = gold.value.id;
    moveTo.dispatchEvent(new Event('change', { bubbles: true }));
    (dialogOf(el).querySelector('button.confirm') as HTMLButtonElement).click();
    await until(() => !dialogOf(el).open, 'the dialog closed');
    expect(store.group(vip.value.id)).to.equal(undefined);
    expect(members.map((id) => store.get(id)?.groupId)).to.deep.equal([gold.value.id, gold.value.id, gold.value.id]);
    expect(deleted).to.have.length(1);
    expect(deleted[0]).to.deep.include({ moved: 3, movedTo: gold.value.id });
    await until(() => tableRows(el).length === 1, 'VIP gone');
    expect(tableRows(el)[0]).to.deep.equal(['Gold', '', '0%', '3']);
    expect(statusOf(el)).to.equal('Group VIP deleted; 3 customers moved to Gold.');
  });

  it('deletes an empty group after saying so, and Escape cancels', async () => {
    const { el, store } = await mountGroups();
    const empty = store.createGroup({ name: 'Empty' });
    if (!empty.ok) throw new Error('setup');
    await until(() => tableRows(el).length === 1, 'listed');
    rowButton(el, 'Delete Empty').click();
    await until(() => dialogOf(el).open, 'the confirmation');
    expect(text(dialogOf(el).querySelector('p'))).to.equal('No customer is in Empty.');
    await sendKeys({ press: 'Escape' });
    await until(() => !dialogOf(el).open, 'cancelled');
    expect(store.group(empty.value.id)?.name).to.equal('Empty');
    rowButton(el, 'Delete Empty').click();
    await until(() => dialogOf(el).open, 'asked again');
    (dialogOf(el).querySelector('button.confirm') as HTMLButtonElement).click();
    await until(() => store.group(empty.value.id) === undefined, 'deleted');
    await until(() => statusOf(el) === 'Group Empty deleted.', 'said so');
  });

  it('follows other tills: new groups, moved customers, and a group deleted while edited here', async () => {
    const { el, store } = await mountGroups();
    const vip = store.createGroup({ name: 'VIP' });
    if (!vip.ok) throw new Error('setup');
    const { other, sync } = otherTill(store);
    await until(() => tableRows(el).length === 1, 'listed');
    rowButton(el, 'Edit VIP').click();
    await until(() => text(shadow(el).querySelector('legend')) === 'Edit group “VIP”', 'editing');

    const wholesale = other.createGroup({ name: 'Wholesale', discountPercent: 20 });
    if (!wholesale.ok) throw new Error('setup');
    other.create({ firstName: 'Dung', groupId: wholesale.value.id });
    sync();
    await until(() => tableRows(el).length === 2, 'the other till’s group');
    expect(tableRows(el)[1]).to.deep.equal(['Wholesale', '', '20%', '1']);

    other.deleteGroup(vip.value.id, wholesale.value.id);
    sync();
    await until(() => statusOf(el) === 'This group was deleted on another till.', 'told');
    expect(text(shadow(el).querySelector('legend'))).to.equal('New group');
    expect(tableRows(el).map((r) => r[0])).to.deep.equal(['Wholesale']);
  });
});
