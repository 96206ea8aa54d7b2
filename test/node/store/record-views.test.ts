import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as Y from 'yjs';
import { StoredCustomerSchema } from '../../../components/model/customer.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { joinRecords, stampPatch, type ClockedRecord } from '../../../components/store/record-merge.js';
import { leanCustomerRecord, passesStoredSchema, readCustomer } from '../../../components/store/record-views.js';
import { generateCustomers, storedRecords } from '../../fixtures/customer-generator.js';
import { decodeCustomer } from '../../../components/store/stored-customers.js';

const full = StoredCustomerSchema.parse(storedRecords(generateCustomers(1, 5), 5)[0]);
const addressId = Object.keys(full.addresses)[0] as string;

/** Values that sit on either side of some rule of the schema. */
const trickyValues: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  ' An ',
  'x'.repeat(100),
  'x'.repeat(101),
  `${'x'.repeat(100)} `,
  'x'.repeat(2001),
  'x'.repeat(254),
  `${'a'.repeat(245)}@shop.com`,
  `${'a'.repeat(246)}@shop.com`,
  'an@shop.com',
  'AN@Shop.Com',
  'an@shop',
  '+84912345678',
  '84912345678',
  '+0912345678',
  '+849123456789012',
  '2900001234567',
  ' 2900001234567',
  'AB-12./x',
  'AB 12',
  'x'.repeat(64),
  'x'.repeat(65),
  'VN',
  'vn',
  ' VN',
  'VNM',
  0,
  1,
  -1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  {},
  { street1: 'Main' },
  { street1: 'Main', extra: 1 },
  { country: 'usa' },
  { phone: 'x'.repeat(41) },
  [1],
];

type Change = { where: 'top' | 'address' | 'clocks'; field: string; value: unknown };
const places: Array<Omit<Change, 'value'>> = [
  ...[...Object.keys(full), 'extra'].map((field) => ({ where: 'top' as const, field })),
  ...[...Object.keys(full.addresses[addressId] ?? {}), 'extra'].map((field) => ({ where: 'address' as const, field })),
  ...['notes', 'addresses.x'].map((field) => ({ where: 'clocks' as const, field })),
];

/** The lean record with some fields (top-level, in its address, in its clocks) replaced, added or removed. */
function mutated(changes: readonly Change[]): Record<string, unknown> {
  const record: Record<string, unknown> = structuredClone(leanCustomerRecord(full));
  const addresses = record.addresses as Record<string, Record<string, unknown>>;
  const targets = { top: record, address: addresses[addressId] as Record<string, unknown>, clocks: record.clocks as Record<string, unknown> };
  for (const { where, field, value } of changes) {
    if (value === undefined) delete targets[where][field];
    else targets[where][field] = value;
  }
  return record;
}

function assertSound(record: Record<string, unknown>): boolean {
  if (!passesStoredSchema(full.id, record)) return false;
  assert.ok(StoredCustomerSchema.safeParse(record).success, JSON.stringify(record));
  return true;
}

describe('stored customer records', () => {
  it('passes the structural check only for records the schema accepts: every field, every edge value', () => {
    let passed = 0;
    for (const place of places) for (const value of trickyValues) if (assertSound(mutated([{ ...place, value }]))) passed++;
    assert.ok(passed > 100, `the check must pass valid records too (${passed})`);
  });

  it('… and for combinations of them', () => {
    const change = fc.record({ place: fc.constantFrom(...places), value: fc.constantFrom(...trickyValues) }).map(({ place, value }) => ({ ...place, value }));
    fc.assert(
      fc.property(fc.array(change, { minLength: 2, maxLength: 4 }), (changes) => {
        assertSound(mutated(changes));
      }),
      { seed: 20261124, numRuns: Number(process.env.FC_RUNS ?? 2000) },
    );
  });

  it('passes what the store and the fixture write, and turns down another id', () => {
    assert.ok(passesStoredSchema(full.id, full));
    assert.ok(passesStoredSchema(full.id, leanCustomerRecord(full)));
    assert.equal(passesStoredSchema('other-id', full), false);
    const store = new CustomerStore(new Y.Doc(), { tillId: 'till-1' });
    const created = store.create({ firstName: 'Lean', billingAddress: { street1: '1 Main St', country: 'VN' } });
    assert.ok(created.ok);
    assert.ok(passesStoredSchema(created.value.id, decodeCustomer(store.doc.getMap('customers').get(created.value.id))));
    const other = store.create({ firstName: 'Lean' });
    assert.ok(other.ok && store.mergeCustomers(created.value.id, other.value.id).ok);
    const tombstone = decodeCustomer(store.doc.getMap('customers').get(other.value.id)) as Record<string, unknown>;
    assert.equal(tombstone.mergedInto, created.value.id);
    assert.ok(passesStoredSchema(other.value.id, tombstone));
    assert.equal(passesStoredSchema(other.value.id, { ...tombstone, mergedInto: '' }), false);
    assert.equal(StoredCustomerSchema.safeParse({ ...tombstone, mergedInto: '' }).success, false);
  });

  it('lists a record the check turns down only when the schema does too', () => {
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    doc.transact(() => {
      // Valid: the schema trims the code (the check does not, so zod decides).
      doc.getMap('customers').set('spaced', { ...full, id: 'spaced', cardBarcode: ' 2900001234567 ' });
      doc.getMap('customers').set('long', { ...full, id: 'long', firstName: 'x'.repeat(101) });
    });
    assert.deepEqual(
      store.invalidRecords().map((r) => r.id),
      ['long'],
    );
    assert.equal(store.get('spaced')?.cardBarcode, '2900001234567');
  });

  it('says in words what is wrong with each field of a record another app wrote', () => {
    const read = readCustomer(full.id, { ...full, firstName: 5, clock: 'x', extra: 1, addresses: { a: { city: 7, country: 'Viet Nam' } } });
    assert.equal(read.ok, false);
    assert.deepEqual(!read.ok && read.problems, [
      'firstName: Invalid input: expected string, received number',
      'addresses.a.city: Invalid input: expected string, received number',
      'addresses.a.country: Choose a country (two-letter code such as VN or US).',
      'clock: Invalid input: expected number, received string',
      'record: Unrecognized key: "extra"',
    ]);
  });

  it('leaves fields empty at creation out, and reads them back as empty', () => {
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    const created = store.create({ firstName: 'An', billingAddress: { street1: '1 Main St', country: 'VN' } });
    assert.ok(created.ok);
    const raw = decodeCustomer(doc.getMap('customers').get(created.value.id)) as Record<string, unknown>;
    for (const absent of ['lastName', 'email', 'phone', 'notes', 'cardBarcode', 'groupId', 'deletedAt', 'deletedBy', 'purgedAt'])
      assert.ok(!(absent in raw), absent);
    const address = Object.values(raw.addresses as Record<string, object>)[0];
    assert.deepEqual(address, { street1: '1 Main St', country: 'VN' });
    const read = store.get(created.value.id);
    assert.equal(read?.lastName, '');
    assert.equal(read?.groupId, null);
    assert.equal(read?.deletedAt, null);
    assert.equal(read?.addresses[0]?.company, '');
    // The same customer as the view of the record written with every field.
    const written = readCustomer(created.value.id, StoredCustomerSchema.parse(raw));
    assert.ok(written.ok);
    assert.deepEqual(read, written.customer);
  });

  it('writes a field cleared later with its stamp, so the merge keeps the clear', () => {
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    const created = store.create({ firstName: 'An', notes: 'vip' });
    assert.ok(created.ok);
    const before = decodeCustomer(doc.getMap('customers').get(created.value.id)) as ClockedRecord;
    assert.ok(store.update(created.value.id, { notes: '' }).ok);
    const after = decodeCustomer(doc.getMap('customers').get(created.value.id)) as ClockedRecord;
    assert.equal(after.notes, '');
    assert.ok((after.clocks.notes ?? 0) > after.clock);
    // A till still holding the record as created joins to the clear, whichever side it starts from.
    assert.equal(joinRecords(before, after).notes, '');
    assert.equal(joinRecords(after, before).notes, '');
  });

  it('joins a record missing a field created empty with one that wrote it later', () => {
    const lean = leanCustomerRecord({ ...full, notes: '' }) as unknown as ClockedRecord;
    assert.ok(!('notes' in lean));
    const edited = stampPatch(lean, { notes: 'later' }, lean.clock + 5);
    for (const joined of [joinRecords(lean, edited), joinRecords(edited, lean)]) {
      assert.equal(joined.notes, 'later');
      assert.equal(joined.clocks.notes, lean.clock + 5);
    }
    assert.equal(readCustomer(full.id, lean).ok, true);
  });
});
