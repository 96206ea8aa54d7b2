import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'csv-stringify/browser/esm/sync';
import * as Y from 'yjs';
import { strings } from '../../../components/i18n/strings.js';
import type { Customer } from '../../../components/model/customer.js';
import { messages } from '../../../components/model/messages.js';
import {
  CSV_COLUMNS,
  csvColumnOf,
  exportCustomersCsv,
  importCustomers,
  parseCustomersCsv,
  previewImport,
  type CsvCustomerRow,
  type ImportProgress,
  type ParsedCustomersCsv,
} from '../../../components/store/customer-csv.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { generateCustomers } from '../../fixtures/customer-generator.js';
import { Replicas } from './replicas.js';
import { loadPhone } from '../../../components/model/lazy-phone.js';

// Written at once after opening: a store's open waits for the phone module, which these writes need.
await loadPhone();

const newStore = () => new CustomerStore(new Y.Doc(), { tillId: 'till-1' });

function customerRows(parsed: ParsedCustomersCsv): CsvCustomerRow[] {
  return parsed.rows.filter((r): r is CsvCustomerRow => 'input' in r);
}

describe('reading a customers CSV', () => {
  it('maps headers case-insensitively with aliases and reads quoted commas, quotes, line breaks and accents', async () => {
    const csv = [
      'First Name;Surname;E-mail;Telephone;Customer Group;Comments;Loyalty Card;Address;City;Zip;Country;Shipping Street;Shipping City;Favourite colour',
      '"Nguyễn; Văn";An;AN@Shop.vn;0912 345 678;VIP;"says ""hi""";;5 Lê Lợi;Huế;530000;vn;;;blue',
      'Zoë;"O\'Brien";zoe@example.com;;;"line one',
      'line two";;;;;;9 Dock St;Cork;',
      '',
      ';;;;;;;;;;;;;',
      'José;Núñez;;;;;;;;;;;;',
    ].join('\r\n');
    const parsed = await parseCustomersCsv(csv);
    assert.deepEqual(parsed.headerErrors, []);
    assert.deepEqual(parsed.ignoredColumns, ['Favourite colour']);
    const rows = customerRows(parsed);
    assert.deepEqual(
      rows.map((r) => r.line),
      [2, 3, 7],
      'a row starts on its own line; a quoted line break belongs to its row; blank rows are skipped',
    );
    assert.deepEqual(rows[0]?.input, {
      firstName: 'Nguyễn; Văn',
      lastName: 'An',
      email: 'AN@Shop.vn',
      phone: '0912 345 678',
      notes: 'says "hi"',
      cardBarcode: '',
      billingAddress: { street1: '5 Lê Lợi', city: 'Huế', postcode: '530000', country: 'vn' },
    });
    assert.equal(rows[0]?.groupName, 'VIP');
    assert.equal(rows[1]?.input.notes, 'line one\nline two', 'a CRLF inside a quoted cell reads as one line break');
    assert.deepEqual(rows[1]?.input.shippingAddress, { street1: '9 Dock St', city: 'Cork' });
    assert.equal(rows[2]?.input.firstName, 'José');
  });

  it('takes a single name column and ignores it beside first and last names', async () => {
    const single = customerRows(await parseCustomersCsv('Name,Phone\nTrần Thị Bích,+84912345678\n'));
    assert.equal(single[0]?.input.firstName, 'Trần Thị Bích');
    const both = await parseCustomersCsv('Name,First name,Last name\nAn Vo,An,Vo\n');
    assert.deepEqual(both.ignoredColumns, ['Name']);
    assert.deepEqual(customerRows(both)[0]?.input, { firstName: 'An', lastName: 'Vo' });
  });

  it('reports problems with the file as a whole', async () => {
    assert.deepEqual((await parseCustomersCsv('')).headerErrors, [strings().csvEmptyFile]);
    assert.deepEqual((await parseCustomersCsv('email,phone\na@b.co,1\n')).headerErrors, [strings().csvNoNameColumn]);
    assert.deepEqual((await parseCustomersCsv('first_name,First Name\nA,B\n')).headerErrors, [strings().csvSameColumnTwice('first_name', 'First Name')]);
    const unclosed = await parseCustomersCsv('first_name,notes\nA,ok\nB,"never closed\nC,x\n');
    assert.equal(unclosed.rows.length, 0);
    assert.match(unclosed.headerErrors[0] ?? '', /could not be read \(line 4\)/);
  });

  it('reads a large file in slices, cells cut across chunks and emoji included, reporting progress as it goes', async () => {
    const people = generateCustomers(5_000, 17);
    const notes = (i: number) => (i % 3 === 0 ? `😀 line one, "quoted"\nline two ${'é'.repeat(i % 40)}` : `plain ${i}`);
    const csv = stringify([['first_name', 'last_name', 'notes'], ...people.map((p, i) => [p.firstName, p.lastName, notes(i)])], {
      record_delimiter: 'windows',
    });
    const progress: ImportProgress[] = [];
    const parsed = await parseCustomersCsv(`\uFEFF${csv}`, { onProgress: (p) => progress.push(p) });
    const rows = customerRows(parsed);
    assert.equal(rows.length, 5_000);
    assert.deepEqual(
      rows.map((r) => r.input.notes),
      people.map((_, i) => notes(i)),
    );
    assert.equal(rows[0]?.input.firstName, people[0]?.firstName, 'the byte-order mark is not part of the first header');
    // Each note with a line break makes its row span two lines of the file.
    assert.equal(rows[4_999]?.line, 2 + 4_999 + Math.ceil(4_999 / 3));
    assert.ok(progress.length > 1 && progress.every((p) => p.phase === 'reading'), 'progress while reading');
    assert.deepEqual(progress.at(-1), { phase: 'reading', done: csv.length + 1, total: csv.length + 1 });
  });

  it('counts lines right when a CRLF falls where the text is cut into chunks', async () => {
    const header = 'first_name,notes\r\n';
    // The first row's CR is the last character of the first 16,384-character chunk, its LF the first of the next.
    const first = `An,${'x'.repeat(16_383 - header.length - 3)}\r\n`;
    const csv = `${header}${first}Binh,short\r\n`;
    assert.equal(csv.indexOf('\r', header.length), 16_383);
    const rows = customerRows(await parseCustomersCsv(csv));
    assert.deepEqual(
      rows.map((r) => [r.line, r.input.firstName]),
      [
        [2, 'An'],
        [3, 'Binh'],
      ],
    );
  });

  it('reports a row with more values than columns, and keeps short rows', async () => {
    const parsed = await parseCustomersCsv('first_name,email\nAn,an@shop.vn,extra\nBinh\nChi,chi@shop.vn,,\n');
    assert.deepEqual(parsed.rows[0], { line: 2, error: strings().csvTooManyValues(3, 2) });
    assert.deepEqual(
      customerRows(parsed).map((r) => r.input.firstName),
      ['Binh', 'Chi'],
    );
  });

  it('names the file column a store field error is about', () => {
    assert.equal(csvColumnOf('email'), 'email');
    assert.equal(csvColumnOf('cardBarcode'), 'card_barcode');
    assert.equal(csvColumnOf('groupId'), 'group');
    assert.equal(csvColumnOf('shippingAddress.postcode'), 'shipping_postcode');
    assert.equal(csvColumnOf('_'), undefined);
  });
});

describe('previewing an import', () => {
  it('gives each row a status: ok, invalid with field messages, duplicate of a customer or of an earlier row', async () => {
    const store = newStore();
    store.updateSettings({ defaultCountry: 'VN' });
    const vip = store.createGroup({ name: 'VIP' });
    assert.ok(vip.ok);
    const existing = store.create({ firstName: 'Old', lastName: 'Customer', email: 'old@shop.vn' });
    assert.ok(existing.ok);
    const csv = [
      'first_name,email,phone,group,billing_country',
      'An,an@shop.vn,0912 345 678,vip,VN', // 2 ok, group matched ignoring case
      'Binh,not-an-email,,,', // 3 invalid email
      'Chi,chi@shop.vn,,Wholesale,', // 4 unknown group
      'Dung,OLD@shop.vn,,,', // 5 duplicate of Old Customer
      'Em,AN@SHOP.VN,,,', // 6 duplicate of row 2 (email)
      'Giang,giang@shop.vn,+84 912-345-678,,', // 7 duplicate of row 2 (same phone, other format)
      ',,,,', // blank: skipped
      'Hoa,hoa@shop.vn,,,Vietnam', // 9 invalid country
      'Hoa,hoa2@shop.vn,12,,', // 10 invalid phone
      'Ivy,old@shop.vn,12,,', // 11 invalid phone and a duplicate: invalid, since it needs fixing anyway
    ].join('\n');
    const parsed = await parseCustomersCsv(csv);
    const preview = await previewImport(store, parsed);
    const byLine = new Map(preview.rows.map((r) => [r.line, r]));
    assert.equal(byLine.get(2)?.status, 'ok');
    assert.equal(byLine.get(2)?.input?.groupId, vip.value.id);
    assert.deepEqual(byLine.get(3)?.errors, [{ field: 'email', message: messages.emailInvalid }]);
    assert.deepEqual(byLine.get(4)?.errors, [{ field: 'groupId', message: strings().csvUnknownGroup('Wholesale') }]);
    assert.equal(byLine.get(5)?.status, 'duplicate-existing');
    assert.deepEqual(byLine.get(5)?.existing, { id: existing.value.id, name: 'Old Customer' });
    assert.equal(byLine.get(5)?.errors[0]?.message, messages.duplicateEmail('Old Customer'));
    assert.equal(byLine.get(6)?.status, 'duplicate-in-file');
    assert.equal(byLine.get(6)?.firstLine, 2);
    assert.deepEqual(byLine.get(7)?.errors, [{ field: 'phone', message: messages.duplicateInBatch(2) }]);
    assert.equal(byLine.get(9)?.errors[0]?.field, 'billingAddress.country');
    assert.equal(byLine.get(10)?.errors[0]?.message, messages.phoneInvalid);
    assert.equal(byLine.get(11)?.status, 'invalid');
    assert.equal(byLine.get(11)?.errors[0]?.message, messages.phoneInvalid);
    assert.deepEqual(preview.counts, { ok: 1, invalid: 5, duplicates: 3 });
    assert.equal(store.liveCount, 1, 'a preview writes nothing');
  });

  it('agrees with createMany over the whole file, row for row', async () => {
    const store = newStore();
    const people = generateCustomers(300, 11);
    const rows = people.map((p, i) => [
      p.firstName,
      p.lastName,
      i % 7 === 3 ? (people[i - 3]?.email ?? '') : p.email,
      i % 11 === 5 ? 'bad' : p.phone,
      p.cardBarcode,
    ]);
    const parsed = await parseCustomersCsv(stringify([['first_name', 'last_name', 'email', 'phone', 'card_barcode'], ...rows]));
    const preview = await previewImport(store, parsed);
    const batch = store.createMany(
      customerRows(parsed).map((r) => ({ ...r.input, groupId: null })),
      { dryRun: true },
    );
    assert.deepEqual(
      preview.rows.flatMap((r, i) => (r.status === 'ok' ? [] : [i])),
      batch.rejected.map((r) => r.index),
    );
  });
});

describe('importing', () => {
  it('prepares a 10,000-row file’s valid rows in slices, writes them in one transaction, checked once, undone in one step, and counts the bad ones exactly', async () => {
    const store = newStore();
    const residents = generateCustomers(10, 4242);
    for (const r of residents) assert.ok(store.create({ firstName: r.firstName, email: r.email }).ok);
    const people = generateCustomers(10_000, 99);
    const header = ['first_name', 'last_name', 'email', 'phone', 'card_barcode', 'billing_street1', 'billing_city', 'billing_country'];
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
    // 50 bad rows: 20 invalid emails, 10 invalid phones, 10 duplicates of earlier rows, 10 of existing customers.
    for (let k = 0; k < 50; k++) {
      const row = rows[100 + k * 197];
      assert.ok(row);
      if (k < 20) row[2] = `broken-${k}.example.com`;
      else if (k < 30) row[3] = '12';
      else if (k < 40) row[2] = people[k]?.email ?? '';
      else row[2] = residents[k - 40]?.email.toUpperCase() ?? '';
    }
    const parsed = await parseCustomersCsv(stringify([header, ...rows]));
    assert.equal(parsed.rows.length, 10_000);

    // Every row is validated by the store once: in the preview, not again when importing.
    let checks = 0;
    const checkNew = store.checkNew.bind(store);
    store.checkNew = (input) => (checks++, checkNew(input));
    const progress: ImportProgress[] = [];
    const preview = await previewImport(store, parsed, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(preview.counts, { ok: 9_950, invalid: 30, duplicates: 20 });
    assert.equal(checks, 10_000);

    let updates = 0;
    store.doc.on('update', () => updates++);
    const result = await importCustomers(store, preview, {
      onProgress: (p) => {
        progress.push(p);
        if (p.phase === 'saving') assert.equal(updates, 0, 'nothing is written while the import is prepared');
      },
    });
    assert.equal(checks, 10_000, 'no row checked twice');
    assert.equal(result.created.length, 9_950);
    assert.equal(result.notImported.length, 50);
    assert.equal(result.failed, undefined);
    assert.equal(store.liveCount, 10 + 9_950, 'indexed once the import says it is done');
    assert.equal(updates, 1, 'written in one transaction');
    for (const phase of ['checking', 'saving', 'indexing'] as const) {
      const reports = progress.filter((p) => p.phase === phase);
      assert.ok(reports.length > 2, `${phase} reports progress in slices`);
      assert.ok(
        reports.every((p, i) => i === 0 || p.done >= (reports[i - 1]?.done ?? 0)),
        `${phase} progress only moves forward`,
      );
    }
    assert.deepEqual(progress.at(-1), { phase: 'indexing', done: 9_950, total: 9_950 });

    assert.ok(store.undo());
    assert.equal(store.liveCount, 10, 'one undo takes back the whole import');
  });

  it('leaves the store without any of an import abandoned before its write, on this till and others', async () => {
    const tills = new Replicas(2);
    const [here, there] = [tills.store(0), tills.store(1)];
    const people = generateCustomers(3_000, 5);
    const parsed = await parseCustomersCsv(stringify([['first_name', 'email'], ...people.map((p) => [p.firstName, p.email])]));
    const duringPreview = new AbortController();
    await assert.rejects(previewImport(here, parsed, { signal: duringPreview.signal, onProgress: () => duringPreview.abort() }), { name: 'AbortError' });
    const preview = await previewImport(here, parsed);
    // The element aborts when it leaves the page; a closed page simply never reaches the write.
    const midway = new AbortController();
    let prepared = 0;
    const run = importCustomers(here, preview, {
      signal: midway.signal,
      onProgress: (p) => {
        if (p.phase !== 'saving' || p.done === 0) return;
        prepared = p.done;
        midway.abort();
      },
    });
    await assert.rejects(run, { name: 'AbortError' });
    assert.ok(prepared > 0 && prepared < 3_000, `abandoned after ${prepared} of 3,000 were prepared`);
    await here.whenIndexed();
    await there.whenIndexed();
    assert.equal(here.liveCount, 0);
    assert.equal(there.liveCount, 0);
    assert.equal(here.doc.getMap('customers').size, 0, 'nothing of it is in the document');
    assert.equal(here.canUndo, false);

    const result = await importCustomers(here, preview);
    assert.equal(result.created.length, 3_000, 'the same preview imports in full afterwards');
    await there.whenIndexed();
    assert.equal(there.liveCount, 3_000);
    tills.destroy();
  });

  it('reaches another till as one update, all of it or nothing, and one undo takes it back on every till', async () => {
    const tills = new Replicas(2);
    const [here, there] = [tills.store(0), tills.store(1)];
    assert.ok(here.create({ firstName: 'Resident' }).ok);
    const people = generateCustomers(3_000, 12);
    const parsed = await parseCustomersCsv(stringify([['first_name', 'last_name', 'email'], ...people.map((p) => [p.firstName, p.lastName, p.email])]));
    const preview = await previewImport(here, parsed);
    /** How many imported customers the other till's document held after each update it received. */
    const received: number[] = [];
    const thereDoc = tills.docs[1] as Y.Doc;
    thereDoc.on('update', () => received.push(thereDoc.getMap('customers').size - 1));
    const liveThereWhilePreparing = new Set<number>();
    const result = await importCustomers(here, preview, { onProgress: (p) => p.phase === 'saving' && liveThereWhilePreparing.add(there.liveCount) });
    assert.equal(result.created.length, 3_000);
    assert.deepEqual([...liveThereWhilePreparing], [1], 'the other till sees none of it while it is prepared');
    assert.deepEqual(received, [3_000], 'then all of it in one update');
    await there.whenIndexed();
    assert.equal(there.liveCount, 3_001);
    const someone = people[1_234] as (typeof people)[number];
    assert.deepEqual(there.search(someone.email).ids, [result.created[1_234]], 'and finds an imported customer');

    assert.ok(here.undo());
    assert.equal(here.liveCount, 1, 'one undo takes the whole import back');
    await there.whenIndexed();
    assert.equal(there.liveCount, 1, 'on the other till too');
    assert.ok(here.undo());
    assert.equal(here.liveCount, 0, 'the step before it was the resident’s creation');
    tills.destroy();
  });

  it('refuses at the write a row whose email another till took after the preview, and imports the rest', async () => {
    const tills = new Replicas(2);
    const [here, there] = [tills.store(0), tills.store(1)];
    const people = generateCustomers(500, 13);
    const parsed = await parseCustomersCsv(stringify([['first_name', 'email'], ...people.map((p) => [p.firstName, p.email])]));
    const preview = await previewImport(here, parsed);
    assert.equal(preview.counts.ok, 500);
    const taken = people[250] as (typeof people)[number];
    let tookIt = false;
    const result = await importCustomers(here, preview, {
      onProgress: (p) => {
        if (p.phase !== 'saving' || p.done === 0 || tookIt) return;
        tookIt = true;
        // Another cashier creates the customer with that email while this import is being prepared.
        assert.ok(there.create({ firstName: 'Mai', lastName: 'Other', email: taken.email.toUpperCase() }).ok);
      },
    });
    assert.ok(tookIt);
    assert.equal(result.created.length, 499);
    assert.deepEqual(
      result.notImported.map((r) => [r.line, r.status, r.existing?.name, r.errors.map((e) => e.message)]),
      [[252, 'duplicate-existing', 'Mai Other', [messages.duplicateEmail('Mai Other')]]],
    );
    assert.equal(here.liveCount, 500);
    assert.equal(there.liveCount, 500);
    assert.deepEqual(here.duplicates(), [], 'no two customers share the email');
    tills.destroy();
  });

  it('reports rows that became duplicates or lost their group after the preview', async () => {
    const store = newStore();
    const gone = store.createGroup({ name: 'Gone' });
    assert.ok(gone.ok);
    const parsed = await parseCustomersCsv('first_name,email,group\nAn,an@shop.vn,\nBinh,binh@shop.vn,\nChi,chi@shop.vn,gone\n');
    const preview = await previewImport(store, parsed);
    assert.equal(preview.counts.ok, 3);
    assert.ok(store.create({ firstName: 'Other', email: 'binh@shop.vn' }).ok);
    assert.ok(store.deleteGroup(gone.value.id, null).ok);
    const result = await importCustomers(store, preview);
    assert.equal(result.created.length, 1);
    assert.deepEqual(
      result.notImported.map((r) => [r.line, r.status, r.existing?.name ?? r.errors[0]?.message]),
      [
        [3, 'duplicate-existing', 'Other'],
        [4, 'invalid', messages.unknownGroup],
      ],
    );
  });

  it('checks every row again when the store’s rules changed since the preview', async () => {
    const store = newStore();
    const parsed = await parseCustomersCsv('first_name,email\nAn,an@shop.vn\nBinh,\n');
    const preview = await previewImport(store, parsed);
    assert.equal(preview.counts.ok, 2);
    store.updateSettings({ requireEmail: true });
    const result = await importCustomers(store, preview);
    assert.equal(result.created.length, 1);
    assert.deepEqual(
      result.notImported.map((r) => [r.line, r.errors[0]?.message]),
      [[3, messages.emailRequired]],
    );
  });

  it('says truthfully what a write whose observer failed saved: the whole import, undone in one step', async () => {
    const store = newStore();
    const people = generateCustomers(2_000, 8);
    const parsed = await parseCustomersCsv(stringify([['first_name', 'email'], ...people.map((p) => [p.firstName, p.email])]));
    const preview = await previewImport(store, parsed);
    // Another part of the page observing the document fails on the import's write, after Yjs applied it.
    let writes = 0;
    store.doc.getMap('customers').observe(() => {
      if (++writes === 1) throw new Error('the disk is full');
    });
    const result = await importCustomers(store, preview);
    assert.deepEqual(result.failed, { reason: 'the disk is full', notSaved: 0 });
    assert.equal(result.created.length, 2_000);
    assert.equal(store.liveCount, 2_000, 'what it says it saved is what the store holds');
    assert.ok(result.created.every((id) => store.get(id)?.deleted === false));
    assert.ok(store.undo());
    assert.equal(store.liveCount, 0, 'and one undo takes it back');
  });
});

describe('exporting', () => {
  /** What a round trip must keep: every exported field, the group by name, the two default addresses. */
  function comparable(store: CustomerStore, c: Customer) {
    const address = (id: string | null) => {
      const a = c.addresses.find((x) => x.id === id);
      if (!a) return null;
      const { id: _id, ...fields } = a;
      return fields;
    };
    return {
      firstName: c.firstName,
      lastName: c.lastName,
      email: c.email,
      phone: c.phone,
      group: c.groupId ? store.group(c.groupId)?.name : null,
      notes: c.notes,
      cardBarcode: c.cardBarcode,
      billing: address(c.billingAddressId),
      shipping: address(c.shippingAddressId),
      sharedAddress: c.billingAddressId !== null && c.billingAddressId === c.shippingAddressId,
    };
  }

  it('writes a header row and re-imports to the same customers', async () => {
    const source = newStore();
    const groups = ['VIP', 'Wholesale, north', 'Khách quen'].map((name) => {
      const g = source.createGroup({ name });
      assert.ok(g.ok);
      return g.value;
    });
    const people = generateCustomers(200, 21);
    const created = source.createMany(
      people.map((p, i) => ({
        ...p,
        groupId: i % 4 === 3 ? null : (groups[i % 4]?.id ?? null),
        notes: i % 5 === 0 ? `line one, "quoted"\nline two` : p.notes,
        billingAddress: i % 6 === 0 ? undefined : p.billingAddress,
        shippingAddress: i % 3 === 0 ? 'same-as-billing' : i % 3 === 1 ? { ...p.billingAddress, street1: `${i} Ship St` } : undefined,
      })),
    );
    assert.equal(created.rejected.length, 0);
    // Cells a spreadsheet would run as formulas, and values that only look guarded.
    const tricky = ['=HYPERLINK("http://x")', '+1', '-', '@sum', "'=already"];
    tricky.forEach((firstName, i) => assert.ok(source.create({ firstName, lastName: `Tricky ${i}`, notes: firstName }).ok));
    const customers = source.liveIds().map((id) => source.get(id) as Customer);

    const progress: number[] = [];
    const { csv, count } = await exportCustomersCsv(source, [...customers.map((c) => c.id), 'no-such-customer'], { onProgress: (done) => progress.push(done) });
    assert.equal(count, customers.length, 'only live customers are written');
    assert.equal(progress.at(-1), customers.length + 1);
    assert.equal(csv.split('\r\n')[0], CSV_COLUMNS.join(','));
    assert.ok(csv.includes(`'=HYPERLINK`), 'formula-like cells are neutralised in the file');
    const withPhone = customers.find((c) => c.phone);
    assert.ok(withPhone && csv.includes(`,'${withPhone.phone},`), 'a phone is written as text, as the address phones are');

    const target = newStore();
    for (const g of groups) assert.ok(target.createGroup({ name: g.name }).ok);
    const parsed = await parseCustomersCsv(csv);
    assert.deepEqual(parsed.headerErrors, []);
    assert.deepEqual(parsed.ignoredColumns, []);
    const result = await importCustomers(target, await previewImport(target, parsed));
    assert.deepEqual(result.notImported, []);
    const imported = result.created.map((id) => comparable(target, target.get(id) as Customer));
    assert.deepEqual(
      imported,
      customers.map((c) => comparable(source, c)),
    );
    assert.deepEqual(
      imported
        .filter((c) => c.lastName.startsWith('Tricky'))
        .map((c) => c.firstName)
        .sort(),
      [...tricky].sort(),
    );
  });
});
