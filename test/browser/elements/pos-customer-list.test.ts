import { expect } from '@esm-bundle/chai';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import * as Y from 'yjs';
import '../../../components/elements/pos-customer-list/pos-customer-list.js';
import type { PosCustomerList } from '../../../components/elements/pos-customer-list/pos-customer-list.js';
import type { PosCustomers } from '../../../components/elements/pos-customers/pos-customers.js';
import type { PosEvent } from '../../../components/events/pos-events.js';
import { setStrings } from '../../../components/i18n/strings.js';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { storeMaps } from '../../../components/store/document-layout.js';
import { generateCustomers } from '../../fixtures/customer-generator.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

// A harness that reads and drives the list the way a manager sees it: visible text, labelled controls.

async function mountList(): Promise<{ root: PosCustomers; list: PosCustomerList; store: CustomerStore }> {
  const root = await mountStore('<pos-customer-list></pos-customer-list>');
  const list = root.querySelector('pos-customer-list') as PosCustomerList;
  const store = root.handle?.store;
  if (!store) throw new Error('no store');
  await list.updateComplete;
  return { root, list, store };
}

function shadow(list: PosCustomerList): ShadowRoot {
  if (!list.shadowRoot) throw new Error('no shadow root');
  return list.shadowRoot;
}

const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const visibleText = (list: PosCustomerList) => squash(shadow(list).textContent);

/** Customer rows in the DOM, in row order. */
function rows(list: PosCustomerList): HTMLElement[] {
  return [...shadow(list).querySelectorAll<HTMLElement>('[part=rows] [role=row][data-id]')].sort(
    (a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')),
  );
}

const rowNames = (list: PosCustomerList) => rows(list).map((r) => squash(r.querySelector('.name')?.textContent));

function rowOf(list: PosCustomerList, name: string): HTMLElement {
  const row = rows(list).find((r) => squash(r.querySelector('.name')?.textContent) === name);
  if (!row) throw new Error(`no row for ${name}; rows: ${rowNames(list).join(', ')}`);
  return row;
}

/** A button by its visible text (or accessible label), inside `scope`. */
function button(scope: ParentNode, label: string): HTMLButtonElement {
  const found = [...scope.querySelectorAll('button')].find((b) => squash(b.textContent) === label || b.getAttribute('aria-label') === label);
  if (!found) throw new Error(`no button “${label}”`);
  return found;
}

function checkboxOf(list: PosCustomerList, name: string): HTMLInputElement {
  return rowOf(list, name).querySelector('input[type=checkbox]') as HTMLInputElement;
}

const dialog = (list: PosCustomerList) => shadow(list).querySelector('dialog') as HTMLDialogElement;
const notice = (list: PosCustomerList) => squash(shadow(list).querySelector('[part=notice]')?.textContent);
const count = (list: PosCustomerList) => squash(shadow(list).querySelector('.count')?.textContent);
const selectedCount = (list: PosCustomerList) => squash(shadow(list).querySelector('.selected-count')?.textContent);

async function search(list: PosCustomerList, text: string): Promise<void> {
  const input = shadow(list).querySelector('[part=search]') as HTMLInputElement;
  input.focus();
  input.select();
  await sendKeys({ press: 'Backspace' });
  if (text) await sendKeys({ type: text });
}

/** Chooses an option of a labelled select as a pointer or keyboard choice would: value, then change. */
async function choose(select: HTMLSelectElement, optionText: string): Promise<void> {
  const option = [...select.options].find((o) => squash(o.textContent) === optionText);
  if (!option) throw new Error(`no option “${optionText}”`);
  select.value = option.value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

async function confirmDialog(list: PosCustomerList): Promise<void> {
  await until(() => dialog(list).open, 'the confirmation to open');
  button(dialog(list), 'Delete').click();
  await until(() => !dialog(list).open, 'the confirmation to close');
}

/**
 * Mounts the list as the demo's back office lays it out (demo.css, inside a panel in <main>, 520 px high) in
 * a viewport `width` px wide, with one customer so the date cells render.
 */
async function mountInBackOffice(width: number, listStyle = ''): Promise<PosCustomerList> {
  await setViewport({ width, height: 800 });
  if (!document.head.querySelector('link[href="/demo/demo.css"]')) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = '/demo/demo.css';
    await new Promise((resolve, reject) => {
      link.onload = resolve;
      link.onerror = reject;
      document.head.append(link);
    });
  }
  const main = document.createElement('main');
  const panel = document.createElement('section');
  panel.className = 'panel';
  main.append(panel);
  document.body.append(main);
  const root = await mountStore(`<pos-customer-list style="height: 520px; ${listStyle}"></pos-customer-list>`, { parent: panel });
  const list = root.querySelector('pos-customer-list') as PosCustomerList;
  const store = root.handle?.store;
  if (!store) throw new Error('no store');
  store.create({ firstName: 'Ann', lastName: 'Lee' });
  await until(() => rows(list).length === 1, 'the row');
  await list.updateComplete;
  return list;
}

/** Whether `inner`'s box lies within `outer`'s (half a pixel of rounding allowed). */
function within(inner: Element, outer: Element): boolean {
  const a = inner.getBoundingClientRect();
  const b = outer.getBoundingClientRect();
  return a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
}

/** What of a header or cell is cut off: its text, if any of it overflows its box or a parent's. */
function cutOff(list: PosCustomerList): string[] {
  const cells = [...shadow(list).querySelectorAll<HTMLElement>('[role=columnheader], [part=rows] [role=cell]')];
  const cut: string[] = [];
  for (const cell of cells) {
    const parts = [cell, ...cell.querySelectorAll<HTMLElement>('button, .label, .arrow')];
    if (parts.some((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight || !within(el, cell))) cut.push(squash(cell.textContent));
  }
  return cut;
}

/** Waits for the clock to move on, so customers created one after another have distinct creation times. */
async function nextMillisecond(): Promise<void> {
  const start = Date.now();
  await until(() => Date.now() > start, 'the clock to tick');
}

function createNamed(store: CustomerStore, firstName: string, lastName: string, extra: { groupId?: string } = {}): string {
  const created = store.create({ firstName, lastName, ...extra });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.value.id;
}

/** A second till on its own document, starting from this till's state; `arrive` delivers its changes here. */
function otherTill(store: CustomerStore): { store: CustomerStore; arrive: () => void } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(store.doc));
  const other = new CustomerStore(doc, { tillId: 'till-2' });
  return { store: other, arrive: () => Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(store.doc)), 'remote') };
}

describe('<pos-customer-list>', () => {
  afterEach(cleanUpPage);

  it('searches, selects every match (rendered or not), deletes after a confirmation that says how many, and undoes', async () => {
    const { list, store } = await mountList();
    const created = store.createMany(generateCustomers(1000, 7));
    expect(created.rejected).to.have.length(0);
    await until(() => count(list) === '1,000 customers', 'all 1,000 customers listed');

    await search(list, 'ngu');
    const matching = store.listIds({ query: 'ngu' });
    expect(matching.length).to.be.greaterThan(100);
    await until(() => count(list) === `${matching.length.toLocaleString()} customers`, 'the search to narrow the list');
    expect(rows(list).length).to.be.lessThan(matching.length);

    button(shadow(list), `Select all ${matching.length.toLocaleString()}`).click();
    await until(() => selectedCount(list) === `${matching.length} selected`, 'every match selected');
    expect(rows(list).every((r) => (r.querySelector('input[type=checkbox]') as HTMLInputElement).checked)).to.equal(true);

    const requests: Array<PosEvent<'pos-customer-delete-request'>> = [];
    list.addEventListener('pos-customer-delete-request', (e) => requests.push(e));
    button(shadow(list), 'Delete selected').click();
    await until(() => dialog(list).open, 'the confirmation');
    expect(squash(dialog(list).querySelector('h2')?.textContent)).to.equal(`Delete ${matching.length} customers?`);
    expect(list.shadowRoot?.activeElement?.textContent?.trim()).to.equal('Cancel');
    await confirmDialog(list);

    expect(requests).to.have.length(1);
    expect(requests[0]?.detail.customerIds).to.have.members(matching);
    await until(() => notice(list).includes(`${matching.length} customers deleted`), 'the deleted notice');
    expect(matching.every((id) => store.get(id)?.deleted)).to.equal(true);
    expect(store.liveCount).to.equal(1000 - matching.length);
    await until(() => rows(list).length === 0, 'the deleted rows gone');
    expect(visibleText(list)).to.include('No customer matches');
    expect(list.shadowRoot?.activeElement?.textContent?.trim()).to.equal('Undo');

    await search(list, '');
    await until(() => count(list) === `${(1000 - matching.length).toLocaleString()} customers`, 'the others still listed');

    button(shadow(list), 'Undo').click();
    await until(() => count(list) === '1,000 customers', 'undo to bring them back');
    expect(matching.every((id) => store.get(id)?.deleted === false)).to.equal(true);
    expect(notice(list)).to.include(`${matching.length} customers restored`);
  });

  it('keeps the default walk-in customer, saying why', async () => {
    const { list, store } = await mountList();
    store.ensureDefaultCustomer();
    createNamed(store, 'Daemon', 'John');
    await until(() => rows(list).length === 2, 'both rows');

    button(rowOf(list, 'Walk-in customer'), 'Delete Walk-in customer').click();
    await until(() => dialog(list).open, 'the confirmation');
    expect(squash(dialog(list).querySelector('h2')?.textContent)).to.equal('Delete Walk-in customer?');
    await confirmDialog(list);

    await until(() => notice(list).includes(`${messages.defaultCustomerUndeletable.replace(/\.$/, '')}: Walk-in customer`), 'the store’s reason, then who');
    expect(notice(list)).to.include('No customer was deleted.');
    expect(rowNames(list)).to.deep.equal(['Daemon John', 'Walk-in customer']);
    expect(store.defaultCustomer()?.deleted).to.equal(false);
  });

  it('lets the host refuse some customers, or all of them, and shows its reasons', async () => {
    const { root, list, store } = await mountList();
    const ann = createNamed(store, 'Ann', 'Lee');
    createNamed(store, 'Bob', 'Tran');
    createNamed(store, 'Cat', 'Vo');
    let cancelAll = false;
    root.addEventListener('pos-customer-delete-request', (e) => {
      if (cancelAll) {
        e.preventDefault();
        for (const customerId of e.detail.customerIds) e.detail.refusals.push({ customerId, reason: 'Only managers can delete customers' });
      } else if (e.detail.customerIds.includes(ann)) {
        e.detail.refusals.push({ customerId: ann, reason: 'has orders' });
      }
    });
    await until(() => rows(list).length === 3, 'three rows');

    checkboxOf(list, 'Ann Lee').click();
    checkboxOf(list, 'Bob Tran').click();
    await until(() => selectedCount(list) === '2 selected', 'two selected');
    button(shadow(list), 'Delete selected').click();
    await until(() => squash(dialog(list).querySelector('h2')?.textContent) === 'Delete 2 customers?', 'the count in the confirmation');
    await confirmDialog(list);

    await until(() => notice(list).includes('1 customer deleted'), 'one deleted');
    expect(notice(list)).to.include('1 customer was kept:');
    expect(notice(list)).to.include('has orders: Ann Lee');
    expect(rowNames(list)).to.deep.equal(['Ann Lee', 'Cat Vo']);
    await expectNoAxeViolations(list);

    cancelAll = true;
    button(rowOf(list, 'Cat Vo'), 'Delete Cat Vo').click();
    await confirmDialog(list);
    await until(() => notice(list).includes('Only managers can delete customers: Cat Vo'), 'the host’s reason for refusing all');
    expect(notice(list)).to.include('No customer was deleted.');
    expect(rowNames(list)).to.deep.equal(['Ann Lee', 'Cat Vo']);
  });

  it('sorts by name and by creation date, both ways, announcing the order', async () => {
    const { list, store } = await mountList();
    for (const [first, last] of [
      ['Carol', 'Zed'],
      ['Alice', 'Young'],
      ['Bob', 'Xu'],
    ] as const) {
      createNamed(store, first, last);
      await nextMillisecond();
    }
    await until(() => rows(list).length === 3, 'three rows');
    const sortButton = (label: string) => {
      const found = [...shadow(list).querySelectorAll('[role=columnheader] button')].find((b) => squash(b.textContent).startsWith(label));
      if (!found) throw new Error(`no sort button ${label}`);
      return found as HTMLButtonElement;
    };
    const sortOf = (label: string) => sortButton(label).closest('[role=columnheader]')?.getAttribute('aria-sort') ?? null;
    expect(rowNames(list)).to.deep.equal(['Alice Young', 'Bob Xu', 'Carol Zed']);
    expect(sortOf('Name')).to.equal('ascending');

    sortButton('Name').click();
    await until(() => rowNames(list)[0] === 'Carol Zed', 'name descending');
    expect(rowNames(list)).to.deep.equal(['Carol Zed', 'Bob Xu', 'Alice Young']);
    expect(sortOf('Name')).to.equal('descending');

    sortButton('Created').click();
    await until(() => rowNames(list).join() === 'Carol Zed,Alice Young,Bob Xu', 'oldest first');
    expect(sortOf('Created')).to.equal('ascending');
    expect(sortOf('Name')).to.equal(null);

    sortButton('Created').click();
    await until(() => rowNames(list).join() === 'Bob Xu,Alice Young,Carol Zed', 'newest first');
  });

  it('shows the column headers in full in the demo back office at 1280 px, and wraps rather than cuts in narrower columns', async () => {
    try {
      const list = await mountInBackOffice(1280);
      expect(cutOff(list)).to.deep.equal([]);
      for (const header of shadow(list).querySelectorAll('[role=columnheader]')) {
        const label = header.querySelector('.label');
        if (!label) continue;
        // Label and sort arrow on one line: nothing wraps at the demo's width.
        expect(label.getClientRects()).to.have.length(1);
        const line = label.getBoundingClientRect();
        const arrow = (header.querySelector('.arrow') as Element).getBoundingClientRect();
        expect((arrow.top + arrow.bottom) / 2).to.be.within(line.top, line.bottom);
        expect(squash(label.textContent)).to.be.oneOf(['Name', 'Created', 'Updated']);
      }
      cleanUpPage();

      // A host's narrower columns and a longer translation: the headers and dates wrap, nothing is cut.
      setStrings({ listCreated: 'Date created', listUpdated: 'Last updated' });
      const narrow = await mountInBackOffice(900, '--pos-customer-list-columns: 3rem 8rem 9rem 8rem 6rem 5.5rem 5.5rem 9rem');
      expect(cutOff(narrow)).to.deep.equal([]);
      const created = [...shadow(narrow).querySelectorAll('[role=columnheader]')].find((h) => squash(h.textContent).startsWith('Date created'));
      expect(created, 'the translated header').to.not.equal(undefined);
    } finally {
      setStrings({});
      document.head.querySelector('link[href="/demo/demo.css"]')?.remove();
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('keeps name order while searching', async () => {
    const { list, store } = await mountList();
    createNamed(store, 'Nguyen', 'Van An');
    createNamed(store, 'Anh', 'Nguyen');
    createNamed(store, 'Zoe', 'Park');
    await until(() => rows(list).length === 3, 'three rows');
    await search(list, 'nguyen');
    await until(() => rows(list).length === 2, 'two matches');
    expect(rowNames(list)).to.deep.equal(['Anh Nguyen', 'Nguyen Van An']);
  });

  it('filters by group, including customers in no group', async () => {
    const { list, store } = await mountList();
    const vip = store.createGroup({ name: 'VIP' });
    if (!vip.ok) throw new Error('group');
    createNamed(store, 'Ann', 'Lee', { groupId: vip.value.id });
    createNamed(store, 'Bob', 'Tran');
    await until(() => rows(list).length === 2, 'two rows');
    expect(squash(rowOf(list, 'Ann Lee').textContent)).to.include('VIP');

    const filter = shadow(list).querySelector('[part=group-filter]') as HTMLSelectElement;
    await choose(filter, 'VIP');
    await until(() => rowNames(list).join() === 'Ann Lee', 'only VIP');
    await choose(filter, 'No group');
    await until(() => rowNames(list).join() === 'Bob Tran', 'only customers in no group');
    await choose(filter, 'All groups');
    await until(() => rows(list).length === 2, 'everyone again');
  });

  it('moves the selection into a group in bulk, with undo', async () => {
    const { list, store } = await mountList();
    const wholesale = store.createGroup({ name: 'Wholesale' });
    if (!wholesale.ok) throw new Error('group');
    const ann = createNamed(store, 'Ann', 'Lee');
    const bob = createNamed(store, 'Bob', 'Tran');
    const cat = createNamed(store, 'Cat', 'Vo');
    await until(() => rows(list).length === 3, 'three rows');

    checkboxOf(list, 'Ann Lee').click();
    checkboxOf(list, 'Cat Vo').click();
    const target = shadow(list).querySelector('.assign select') as HTMLSelectElement;
    await choose(target, 'Wholesale');
    await list.updateComplete;
    button(shadow(list), 'Apply').click();

    await until(() => notice(list).includes('2 customers moved to Wholesale'), 'the moved notice');
    expect([ann, bob, cat].map((id) => store.get(id)?.groupId ?? null)).to.deep.equal([wholesale.value.id, null, wholesale.value.id]);
    await until(() => squash(rowOf(list, 'Cat Vo').textContent).includes('Wholesale'), 'the group shown in the row');

    button(shadow(list), 'Undo').click();
    await until(() => store.get(ann)?.groupId === null && store.get(cat)?.groupId === null, 'undo to take them out again');
  });

  it('follows other tills live: new, edited and deleted customers, and drops deleted ones from the selection', async () => {
    const { list, store } = await mountList();
    const ann = createNamed(store, 'Ann', 'Lee');
    createNamed(store, 'Bob', 'Tran');
    await until(() => rows(list).length === 2, 'two rows');
    checkboxOf(list, 'Ann Lee').click();
    await until(() => selectedCount(list) === '1 selected', 'Ann selected');

    const till2 = otherTill(store);
    till2.store.create({ firstName: 'Cat', lastName: 'Vo' });
    till2.store.update(ann, { lastName: 'Leigh' });
    till2.arrive();
    await until(() => rowNames(list).join() === 'Ann Leigh,Bob Tran,Cat Vo', 'the new and edited customers');

    till2.store.delete(ann);
    till2.arrive();
    await until(() => rowNames(list).join() === 'Bob Tran,Cat Vo', 'the deleted customer gone');
    expect(selectedCount(list)).to.equal('0 selected');
    expect(count(list)).to.equal('2 customers');
  });

  it('renders only the rows in view of 2,000 customers, and reaches the last one from the keyboard', async () => {
    const { list, store } = await mountList();
    store.createMany(generateCustomers(2000, 3));
    await until(() => count(list) === '2,000 customers', '2,000 customers listed');
    await until(() => rows(list).length > 0, 'rows rendered');
    const table = shadow(list).querySelector('[role=table]') as HTMLElement;
    expect(table.getAttribute('aria-rowcount')).to.equal('2001');
    expect(rows(list).length).to.be.lessThan(60);

    rows(list)[0]?.focus();
    await sendKeys({ press: 'End' });
    await until(() => shadow(list).activeElement?.getAttribute('aria-rowindex') === '2001', 'the last row focused');
    const byName = store.listIds({ sort: 'name' });
    expect((shadow(list).activeElement as HTMLElement).dataset.id).to.equal(byName[1999]);
    expect(rows(list).length).to.be.lessThan(60);

    // Scrolled to the middle, the rows in view are the ones there, in order, wherever the scroll lands.
    const scroller = shadow(list).querySelector('[part=rows]') as HTMLElement;
    scroller.scrollTop = scroller.scrollHeight / 2;
    const inView = () => {
      const box = scroller.getBoundingClientRect();
      return rows(list).filter((r) => {
        const { top, bottom } = r.getBoundingClientRect();
        return bottom > box.top && top < box.bottom;
      });
    };
    await until(() => Number(inView()[0]?.getAttribute('aria-rowindex')) > 900, 'the middle rows in view');
    const shown = inView();
    const first = Number(shown[0]?.getAttribute('aria-rowindex')) - 2;
    expect(shown.map((r) => r.dataset.id)).to.deep.equal(byName.slice(first, first + shown.length));
    const box = scroller.getBoundingClientRect();
    expect(shown[0]!.getBoundingClientRect().top, 'no gap above').to.be.at.most(box.top);
    expect(shown.at(-1)!.getBoundingClientRect().bottom, 'no gap below').to.be.at.least(box.bottom);

    // Another search starts at its first match.
    await search(list, 'a');
    await until(() => scroller.scrollTop === 0 && rows(list)[0]?.dataset.id === store.listIds({ query: 'a' })[0], 'back at the first match');
  });

  it('opens a customer from Edit or Enter, and toggles with Space', async () => {
    const { root, list, store } = await mountList();
    const ann = createNamed(store, 'Ann', 'Lee');
    await until(() => rows(list).length === 1, 'the row');
    const opened: string[] = [];
    root.addEventListener('pos-customer-open', (e) => opened.push(e.detail.customerId));

    button(rowOf(list, 'Ann Lee'), 'Edit Ann Lee').click();
    expect(opened).to.deep.equal([ann]);

    rowOf(list, 'Ann Lee').focus();
    await sendKeys({ press: 'Space' });
    await until(() => checkboxOf(list, 'Ann Lee').checked, 'Space to select the row');
    await sendKeys({ press: 'Space' });
    await until(() => !checkboxOf(list, 'Ann Lee').checked, 'Space again to clear it');
    await sendKeys({ press: 'Enter' });
    expect(opened).to.deep.equal([ann, ann]);
  });

  it('moves between rows with the arrow keys', async () => {
    const { list, store } = await mountList();
    for (const name of ['Ann', 'Bob', 'Cat']) createNamed(store, name, 'Test');
    await until(() => rows(list).length === 3, 'three rows');
    const focusedName = () => squash(shadow(list).activeElement?.querySelector('.name')?.textContent);
    rowOf(list, 'Ann Test').focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => focusedName() === 'Bob Test', 'Bob focused');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await until(() => focusedName() === 'Cat Test', 'Cat focused, the last row');
    await sendKeys({ press: 'Home' });
    await until(() => focusedName() === 'Ann Test', 'back to the first row');
    await sendKeys({ press: 'ArrowUp' });
    expect(focusedName()).to.equal('Ann Test');
  });

  it('selects a range with shift-click', async () => {
    const { list, store } = await mountList();
    for (const name of ['Ann', 'Bob', 'Cat', 'Dan', 'Eve']) createNamed(store, name, 'Test');
    await until(() => rows(list).length === 5, 'five rows');
    // Pointer clicks need the rows where they will stay: the row window places them again once it has measured one.
    let lastTop = NaN;
    await until(async () => {
      await new Promise((r) => requestAnimationFrame(r));
      const top = checkboxOf(list, 'Eve Test').getBoundingClientRect().top;
      const still = top === lastTop && top > checkboxOf(list, 'Dan Test').getBoundingClientRect().top;
      lastTop = top;
      return still;
    }, 'the rows to stay in place');
    const clickAt = async (el: Element) => {
      const box = el.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
    };
    await clickAt(checkboxOf(list, 'Bob Test'));
    await until(() => selectedCount(list) === '1 selected', 'Bob selected');
    await sendKeys({ down: 'Shift' });
    await clickAt(checkboxOf(list, 'Dan Test'));
    await sendKeys({ up: 'Shift' });
    await until(() => selectedCount(list) === '3 selected', 'Bob to Dan selected');
    expect(rows(list).map((r) => (r.querySelector('input') as HTMLInputElement).checked)).to.deep.equal([false, true, true, true, false]);
  });

  it('cancels a deletion with Escape and gives focus back', async () => {
    const { list, store } = await mountList();
    createNamed(store, 'Ann', 'Lee');
    await until(() => rows(list).length === 1, 'the row');
    const del = button(rowOf(list, 'Ann Lee'), 'Delete Ann Lee');
    del.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => dialog(list).open, 'the confirmation');
    await sendKeys({ press: 'Escape' });
    await until(() => !dialog(list).open && shadow(list).activeElement === del, 'focus back on the Delete button');
    expect(store.liveCount).to.equal(1);
  });

  it('shows names as text, never as markup', async () => {
    const { list, store } = await mountList();
    createNamed(store, '<img src=x onerror=alert(1)>', 'Hacker');
    await until(() => rows(list).length === 1, 'the row');
    expect(rowNames(list)).to.deep.equal(['<img src=x onerror=alert(1)> Hacker']);
    expect(shadow(list).querySelector('img')).to.equal(null);
  });

  it('lists records with invalid data apart, without breaking the list', async () => {
    const { list, store } = await mountList();
    createNamed(store, 'Ann', 'Lee');
    // Another app writes a record in a wrong shape straight into the shared document.
    storeMaps(store.doc).customers.set('broken-1', { v: 1, id: 'broken-1', firstName: 42, clock: 1, clocks: {} });
    await until(() => visibleText(list).includes('1 record with invalid data'), 'the invalid section');
    const section = shadow(list).querySelector('[part=invalid]') as HTMLDetailsElement;
    expect(squash(section.textContent)).to.include('broken-1');
    expect(squash(section.textContent)).to.include('firstName');
    expect(rowNames(list)).to.deep.equal(['Ann Lee']);
    expect(count(list)).to.equal('1 customer');
    section.open = true;
    await expectNoAxeViolations(list);
  });

  it('has no accessibility violations, in the list and in the open confirmation', async () => {
    const { list, store } = await mountList();
    const vip = store.createGroup({ name: 'VIP', color: '#aa3377' });
    if (!vip.ok) throw new Error('group');
    store.createMany(generateCustomers(40, 5));
    createNamed(store, 'Ann', 'Lee', { groupId: vip.value.id });
    await until(() => rows(list).length > 5, 'rows rendered');
    checkboxOf(list, 'Ann Lee').click();
    await list.updateComplete;
    await expectNoAxeViolations(list);

    button(shadow(list), 'Delete selected').click();
    await until(() => dialog(list).open, 'the confirmation');
    await expectNoAxeViolations(list);
    await confirmDialog(list);
    await until(() => notice(list).includes('1 customer deleted'), 'the deleted notice');
    await expectNoAxeViolations(list);
  });
});
