import { expect } from '@esm-bundle/chai';
import { stringify } from 'csv-stringify/browser/esm/sync';
import '../../../components/elements/pos-customer-import/pos-customer-import.js';
import type { PosCustomerImport } from '../../../components/elements/pos-customer-import/pos-customer-import.js';
import type { PosEventDetails } from '../../../components/events/pos-events.js';
import { strings } from '../../../components/i18n/strings.js';
import type { Customer } from '../../../components/model/customer.js';
import { messages } from '../../../components/model/messages.js';
import { CSV_COLUMNS, parseCustomersCsv } from '../../../components/store/customer-csv.js';
import type { CustomerStore } from '../../../components/store/customer-store.js';
import { generateCustomers } from '../../fixtures/customer-generator.js';
import { cleanUpPage, expectNoAxeViolations, mountStore, until } from '../helpers.js';

const shadow = (el: Element) => el.shadowRoot!;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const summary = (el: Element) => text(shadow(el).querySelector('[part~="summary"]'));
const buttonIn = (scope: ParentNode, label: string) =>
  [...scope.querySelectorAll('button')].find((b) => text(b) === label) ??
  expect.fail(`no button "${label}"; have ${[...scope.querySelectorAll('button')].map(text).join(' | ')}`);
const previewRows = (el: Element) => [...shadow(el).querySelectorAll<HTMLTableRowElement>('[part~="preview-table"] tbody tr')];

async function mountImport() {
  const root = await mountStore('<pos-customer-import></pos-customer-import>');
  const el = root.querySelector('pos-customer-import') as PosCustomerImport;
  await until(() => Boolean(shadow(el).getElementById('file')), 'the file chooser');
  return { el, store: root.handle!.store };
}

/** What a user's file choice does: the input's files change, then `change` fires. */
function chooseFile(el: Element, name: string, content: string) {
  const input = shadow(el).getElementById('file') as HTMLInputElement;
  const transfer = new DataTransfer();
  transfer.items.add(new File([content], name, { type: 'text/csv' }));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * The longest the page went without running a timer while `run` ran: how long it froze. Timers are
 * what a page's input handling and painting wait behind, so this is the delay a cashier would feel.
 */
async function longestFreeze(run: () => Promise<void>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  await run();
  running = false;
  return longest;
}

/** The fields an export carries, to compare customers across stores. */
function comparable(store: CustomerStore, c: Customer) {
  const address = (id: string | null) => {
    const a = c.addresses.find((x) => x.id === id);
    if (!a) return null;
    const { id: _id, ...fields } = a;
    return fields;
  };
  return {
    name: [c.firstName, c.lastName],
    email: c.email,
    phone: c.phone,
    group: c.groupId ? store.group(c.groupId)?.name : null,
    notes: c.notes,
    cardBarcode: c.cardBarcode,
    billing: address(c.billingAddressId),
    shipping: address(c.shippingAddressId),
  };
}

describe('<pos-customer-import>', () => {
  afterEach(cleanUpPage);

  it('previews a 10,000-row file with its bad rows, without freezing, then imports the rest as one import with progress', async function () {
    this.timeout(180_000);
    const { el, store } = await mountImport();
    const residents = generateCustomers(10, 4242);
    for (const r of residents) expect(store.create({ firstName: r.firstName, lastName: r.lastName, email: r.email }).ok).to.equal(true);
    const people = generateCustomers(10_000, 99);
    const rows = people.map((p) => [
      p.firstName,
      p.lastName,
      p.email,
      p.phone,
      p.cardBarcode,
      p.billingAddress.street1,
      p.billingAddress.city,
      p.billingAddress.country,
    ]);
    // 50 bad rows: 20 invalid emails, 10 invalid phones, 10 duplicates of earlier rows, 10 of customers in the store.
    const badLines = new Map<number, string>();
    for (let k = 0; k < 50; k++) {
      const index = 100 + k * 197;
      const row = rows[index]!;
      if (k < 20) row[2] = `broken-${k}.example.com`;
      else if (k < 30) row[3] = '12';
      else if (k < 40) row[2] = people[k]!.email;
      else row[2] = residents[k - 40]!.email.toUpperCase();
      badLines.set(index + 2, k < 20 ? 'email' : k < 30 ? 'phone' : k < 40 ? 'in-file' : 'existing');
    }
    const csv = stringify([['First Name', 'Last Name', 'E-mail', 'Telephone', 'Card', 'Street', 'City', 'Country'], ...rows]);

    const progressSeen: number[] = [];
    const previewFreeze = await longestFreeze(async () => {
      chooseFile(el, 'customers.csv', csv);
      await until(
        () => {
          const bar = shadow(el).querySelector('[role="progressbar"]');
          const value = bar?.getAttribute('aria-valuenow');
          if (value !== null && value !== undefined && Number(value) !== progressSeen.at(-1)) progressSeen.push(Number(value));
          return summary(el) === '9,950 ready, 30 invalid, 20 duplicates';
        },
        'the preview summary',
        120_000,
      );
    });
    expect(progressSeen.length, `progress shown while checking: ${progressSeen.join(', ')}`).to.be.greaterThan(3);
    expect(progressSeen.some((v) => v > 0 && v < 100)).to.equal(true);
    expect(previewFreeze, 'longest the page froze while checking 10,000 rows (ms)').to.be.below(1000);
    expect(store.liveCount, 'a preview writes nothing').to.equal(10);

    const listed = previewRows(el);
    expect(listed.map((tr) => Number(tr.dataset.line))).to.deep.equal([...badLines.keys()]);
    const rowAt = (line: number) => listed.find((tr) => Number(tr.dataset.line) === line)!;
    const lineOf = (kind: string) => [...badLines].find(([, k]) => k === kind)![0];
    expect(text(rowAt(lineOf('email')))).to.contain(`Invalid email: ${messages.emailInvalid}`);
    expect(text(rowAt(lineOf('phone')))).to.contain(`Invalid phone: ${messages.phoneInvalid}`);
    expect(text(rowAt(lineOf('in-file')))).to.contain(`Duplicate email: ${messages.duplicateInBatch(32)}`);
    const resident = residents[0]!;
    expect(text(rowAt(lineOf('existing')))).to.contain(`Duplicate email: ${messages.duplicateEmail(`${resident.firstName} ${resident.lastName}`)}`);
    await expectNoAxeViolations(el);

    let updates = 0;
    store.doc.on('update', (_update: Uint8Array, origin: unknown) => origin === store && updates++);
    const completed: PosEventDetails['pos-import-complete'][] = [];
    el.addEventListener('pos-import-complete', (e) => completed.push(e.detail));
    const saving: string[] = [];
    let leavingAsked = 0;
    const importFreeze = await longestFreeze(async () => {
      buttonIn(shadow(el), 'Import 9,950 customers').click();
      await until(
        () => {
          const label = text(shadow(el).querySelector('#progress-label'));
          if (label.startsWith('Saving') && label !== saving.at(-1)) {
            saving.push(label);
            // Closing the page now would leave the import half done: the browser is asked to check first.
            const leaving = new Event('beforeunload', { cancelable: true });
            window.dispatchEvent(leaving);
            if (leaving.defaultPrevented) leavingAsked++;
          }
          return summary(el) === '9,950 customers imported. 50 rows were not imported.';
        },
        'the import',
        120_000,
      );
    });
    console.log(`10,000-row file: longest freeze ${Math.round(previewFreeze)} ms while previewing, ${Math.round(importFreeze)} ms while importing`);
    expect(saving.length, `progress shown while saving: ${saving.join(' | ')}`).to.be.greaterThan(1);
    expect(saving[0]).to.match(/^Saving customers: [\d,]+ of 9,950\. Keep this page open\.$/);
    expect(leavingAsked, 'leaving the page is questioned while saving').to.equal(saving.length);
    const afterwards = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(afterwards);
    expect(afterwards.defaultPrevented, 'and no longer once saved').to.equal(false);
    expect(updates, 'written in one transaction, one update for the other tills').to.equal(1);
    expect(store.liveCount).to.equal(10 + 9_950);
    expect(completed).to.have.length(1);
    expect(completed[0]!.created).to.have.length(9_950);
    expect(completed[0]!.notImported).to.equal(50);
    expect(previewRows(el)).to.have.length(50);
    expect(shadow(el).activeElement, 'focus moved to the outcome').to.equal(shadow(el).querySelector('[part~="summary"]'));
  });

  it('exports customers to a CSV that imports into another store as the same customers', async () => {
    const { el, store } = await mountImport();
    const groupIds = ['VIP', 'Sỉ, miền Bắc'].map((name) => {
      const g = store.createGroup({ name });
      if (!g.ok) throw new Error('setup');
      return g.value.id;
    });
    const people = generateCustomers(30, 7);
    const created = store.createMany(
      people.map((p, i) => ({
        ...p,
        groupId: groupIds[i % 3] ?? null,
        notes: i % 4 === 0 ? 'Giao buổi sáng, gọi trước\n"cửa sau"' : p.notes,
        shippingAddress: i % 2 ? 'same-as-billing' : { ...p.billingAddress, street1: `${i} Đường Khác` },
      })),
    );
    expect(created.rejected).to.deep.equal([]);
    const exports: PosEventDetails['pos-customers-export'][] = [];
    el.addEventListener('pos-customers-export', (e) => {
      e.preventDefault();
      exports.push(e.detail);
    });
    await until(() => text(shadow(el).querySelector('[part~="export-button"]')) === 'Export all 30 customers (CSV)', 'the export count');
    buttonIn(shadow(el), 'Export all 30 customers (CSV)').click();
    await until(() => exports.length === 1, 'the export');
    expect(exports[0]).to.deep.include({ count: 30, filename: 'customers.csv' });
    await until(() => text(shadow(el).querySelector('[part~="export"] [role="status"]')) === '30 customers exported.', 'said so');

    const target = await mountStore('<pos-customer-import></pos-customer-import>');
    const targetStore = target.handle!.store;
    for (const name of ['VIP', 'Sỉ, miền Bắc']) expect(targetStore.createGroup({ name }).ok).to.equal(true);
    const targetEl = target.querySelector('pos-customer-import')!;
    await until(() => Boolean(shadow(targetEl).getElementById('file')), 'the second importer');
    chooseFile(targetEl, 'customers.csv', exports[0]!.csv);
    await until(() => summary(targetEl) === '30 ready, 0 invalid, 0 duplicates', 'the preview');
    buttonIn(shadow(targetEl), 'Import 30 customers').click();
    await until(() => summary(targetEl) === '30 customers imported.', 'imported');

    const byEmail = (s: CustomerStore) =>
      s
        .liveIds()
        .map((id) => comparable(s, s.get(id)!))
        .sort((a, b) => a.email.localeCompare(b.email));
    expect(byEmail(targetStore)).to.deep.equal(byEmail(store));
  });

  it('downloads the selected customers as a UTF-8 CSV a spreadsheet opens', async () => {
    const { el, store } = await mountImport();
    const ids = ['Ánh', 'Bảo', 'Cúc'].map((firstName) => {
      const c = store.create({ firstName, lastName: 'Lê' });
      if (!c.ok) throw new Error('setup');
      return c.value.id;
    });
    el.customerIds = [ids[0]!, ids[2]!];
    el.filename = 'selection.csv';
    await until(() => text(shadow(el).querySelector('[part~="export-button"]')) === 'Export 2 selected customers (CSV)', 'the selection count');
    const clicked: HTMLAnchorElement[] = [];
    const realClick = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      buttonIn(shadow(el), 'Export 2 selected customers (CSV)').click();
      await until(() => clicked.length > 0, 'the download');
    } finally {
      HTMLAnchorElement.prototype.click = realClick;
    }
    expect(clicked).to.have.length(1);
    expect(clicked[0]!.download).to.equal('selection.csv');
    const bytes = new Uint8Array(await (await fetch(clicked[0]!.href)).arrayBuffer());
    expect([...bytes.slice(0, 3)], 'a UTF-8 byte-order mark for Excel').to.deep.equal([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder().decode(bytes);
    expect(csv.split('\r\n')[0]).to.equal(CSV_COLUMNS.join(','));
    const parsed = await parseCustomersCsv(csv);
    expect(parsed.rows.map((r) => ('input' in r ? r.input.firstName : r.error))).to.deep.equal(['Ánh', 'Cúc']);
  });

  it('saves nothing of an import left before its write', async () => {
    const { el, store } = await mountImport();
    const people = generateCustomers(3_000, 4);
    chooseFile(el, 'customers.csv', stringify([['first_name', 'last_name', 'email'], ...people.map((p) => [p.firstName, p.lastName, p.email])]));
    await until(() => summary(el) === '3,000 ready, 0 invalid, 0 duplicates', 'the preview');
    buttonIn(shadow(el), 'Import 3,000 customers').click();
    await until(() => text(shadow(el).querySelector('#progress-label')).startsWith('Saving customers'), 'saving under way');
    // The cashier leaves the import screen while the customers are being prepared.
    el.remove();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await store.whenIndexed();
    expect(store.liveCount).to.equal(0);
    expect(store.doc.getMap('customers').size, 'nothing of it in the document').to.equal(0);
  });

  it('says truthfully what was saved when the write reported an error', async () => {
    const { el, store } = await mountImport();
    const people = generateCustomers(1_000, 3);
    chooseFile(el, 'customers.csv', stringify([['first_name', 'last_name', 'email'], ...people.map((p) => [p.firstName, p.lastName, p.email])]));
    await until(() => summary(el) === '1,000 ready, 0 invalid, 0 duplicates', 'the preview');
    // Another part of the page observing the document fails on the import's write, after Yjs applied it.
    let writes = 0;
    store.doc.getMap('customers').observe(() => {
      if (++writes === 1) throw new Error('the disk is full');
    });
    buttonIn(shadow(el), 'Import 1,000 customers').click();
    await until(() => summary(el).startsWith('Saving reported an error'), 'the outcome');
    expect(summary(el)).to.equal(strings().importFailed('the disk is full', 1_000, 0));
    expect(store.liveCount, 'the whole import is in the store, as it says').to.equal(1_000);
    expect(shadow(el).querySelector('[part~="summary"]')?.getAttribute('role')).to.equal('alert');
    await expectNoAxeViolations(el);
  });

  it('takes a dropped file, and explains a file it cannot import', async () => {
    const { el } = await mountImport();
    const zone = shadow(el).querySelector('[part~="drop-zone"]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['email,phone\nan@shop.vn,0912345678\n'], 'contacts.csv', { type: 'text/csv' }));
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await until(() => zone.classList.contains('over'), 'the drop zone highlighted');
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await until(() => text(shadow(el).querySelector('[role="alert"]')) === strings().csvNoNameColumn, 'the header problem');
    expect(zone.classList.contains('over')).to.equal(false);
    await expectNoAxeViolations(el);

    chooseFile(el, 'ok.csv', 'Name;Telephone;Customer Group\nTrần Thị Bích;0912 345 678;Nowhere\nAn;;\n');
    await until(() => summary(el) === '1 ready, 1 invalid, 0 duplicates', 'the preview');
    expect(text(previewRows(el)[0])).to.contain(`group: ${strings().csvUnknownGroup('Nowhere')}`);
    const show = shadow(el).getElementById('row-filter') as HTMLSelectElement;
    show.value = 'all';
    show.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => previewRows(el).length === 2, 'all rows');
    expect(text(previewRows(el)[1])).to.equal('3 An Ready');
    await expectNoAxeViolations(el);
  });
});
