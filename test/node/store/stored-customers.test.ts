import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { leanCustomerRecord } from '../../../components/store/record-views.js';
import { StoredCustomerSchema } from '../../../components/model/customer.js';
import { buildStoreDocument, generateCustomers, storedRecords } from '../../fixtures/customer-generator.js';

const exchange = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('customers as stored in the document (layout 2)', () => {
  it('writes each customer as one JSON string that reads back as the record', () => {
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    const created = store.create({ firstName: 'An', email: 'an@shop.com' });
    assert.ok(created.ok);
    const stored = doc.getMap('customers').get(created.value.id);
    assert.equal(typeof stored, 'string');
    const record = StoredCustomerSchema.parse(JSON.parse(stored as string));
    assert.equal(record.email, 'an@shop.com');
    assert.equal(doc.getMap('meta').get('layoutVersion'), 2);
  });

  it('writes names with accents and other scripts as ASCII JSON that reads back exactly', () => {
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    const created = store.create({ firstName: 'Nguyễn Thị', lastName: 'Ánh 😀 "Quote" \\ 王' });
    assert.ok(created.ok);
    const stored = doc.getMap('customers').get(created.value.id) as string;
    assert.match(stored, /^[\x00-\x7e]*$/);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const read = new CustomerStore(other, { tillId: 'till-2' }).get(created.value.id);
    assert.equal(read?.firstName, 'Nguyễn Thị');
    assert.equal(read?.lastName, 'Ánh 😀 "Quote" \\ 王');
  });

  it('reads a layout-1 record (a plain object) and writes it back as a string on the next change', () => {
    const doc = new Y.Doc();
    const legacy = leanCustomerRecord(StoredCustomerSchema.parse(storedRecords(generateCustomers(1, 3), 3)[0]));
    doc.getMap('customers').set(legacy.id, legacy);
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    assert.deepEqual(store.invalidRecords(), []);
    assert.equal(store.get(legacy.id)?.firstName, legacy.firstName);
    assert.deepEqual(store.search(legacy.lastName ?? '').ids.includes(legacy.id), true);
    assert.ok(store.update(legacy.id, { notes: 'moved to layout 2' }).ok);
    const stored = doc.getMap('customers').get(legacy.id);
    assert.equal(typeof stored, 'string');
    assert.equal(store.get(legacy.id)?.notes, 'moved to layout 2');
  });

  it('reports a string that is not a JSON record as invalid, and keeps the rest working', () => {
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    doc.transact(() => {
      doc.getMap('customers').set('torn', '{"v":1,"id":"torn","firstNa');
      doc.getMap('customers').set('number', '42');
    }, 'another-app');
    const problems = Object.fromEntries(store.invalidRecords().map((r) => [r.id, r.problems]));
    assert.deepEqual(problems.torn, ['record: not a JSON object']);
    assert.deepEqual(problems.number, ['record: expected an object, found number']);
    assert.ok(store.create({ firstName: 'Still', lastName: 'Works' }).ok);
  });

  it('never serves a record read before another till changed it', () => {
    const [docA, docB] = [new Y.Doc(), new Y.Doc()];
    const [a, b] = [new CustomerStore(docA, { tillId: 'till-a' }), new CustomerStore(docB, { tillId: 'till-b' })];
    const created = a.create({ firstName: 'Binh' });
    assert.ok(created.ok);
    exchange(docA, docB);
    assert.equal(a.get(created.value.id)?.notes, '');
    assert.ok(b.update(created.value.id, { notes: 'from B' }).ok);
    exchange(docB, docA);
    assert.equal(a.get(created.value.id)?.notes, 'from B');
  });

  it('filters and sorts a list without reading records, and keeps that up to date', async () => {
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    const vip = store.createGroup({ name: 'VIP' });
    assert.ok(vip.ok);
    // created / updated are milliseconds: a pause between writes keeps them apart.
    const tick = () => new Promise((resolve) => setTimeout(resolve, 3));
    const ids: string[] = [];
    for (const firstName of ['Cuong', 'An', 'Binh']) {
      const created = store.create({ firstName });
      assert.ok(created.ok);
      ids.push(created.value.id);
      await tick();
    }
    assert.ok(store.assignGroup([ids[0] as string, ids[2] as string], vip.value.id).ok);
    assert.deepEqual(store.listIds({ groupId: vip.value.id }), [ids[2], ids[0]]);
    assert.deepEqual(store.groupMemberIds(vip.value.id).length, 2);
    await tick();
    assert.ok(store.update(ids[1] as string, { notes: 'latest' }).ok);
    assert.equal(store.listIds({ sort: 'updated', descending: true })[0], ids[1]);
    assert.deepEqual(store.listIds({ sort: 'created' }), ids);
  });

  it('validates the records it opens with after the open, telling listeners of invalid ones', async () => {
    const doc = new Y.Doc();
    const writer = new CustomerStore(doc, { tillId: 'till-1' });
    assert.ok(writer.create({ firstName: 'Good' }).ok);
    doc.getMap('customers').set('rogue', JSON.stringify({ v: 1, id: 'rogue', firstName: 42 }));
    writer.destroy();

    const opened = new CustomerStore(doc, { tillId: 'till-2' });
    const heard = await new Promise<ReadonlySet<string>>((resolve) => opened.subscribe((change) => resolve(change.customers)));
    assert.deepEqual([...heard], ['rogue']);
    assert.deepEqual(
      opened.invalidRecords().map((r) => r.id),
      ['rogue'],
    );

    // Asked before the pass has run, invalidRecords() finishes it rather than answer from part of it.
    const asked = new CustomerStore(doc, { tillId: 'till-3' });
    assert.deepEqual(
      asked.invalidRecords().map((r) => r.id),
      ['rogue'],
    );
    asked.destroy();
    opened.destroy();
  });

  it('indexes a whole store arriving at once (a device load, a first sync) in slices after it, and still finds an invalid record in it', async () => {
    const source = buildStoreDocument(1_500, 7);
    source.getMap('customers').set('rogue', JSON.stringify({ v: 1, id: 'rogue', firstName: 42 }));
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    const told: number[] = [];
    store.subscribe((change) => told.push(change.customers.size));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
    assert.equal(store.unindexedCount, 1_501, 'indexed after the load, not in it');
    await store.whenIndexed();
    assert.equal(store.unindexedCount, 0);
    assert.equal(store.liveCount, 1_500);
    assert.equal(
      told.reduce((sum, n) => sum + n, 0),
      1_501,
      'listeners heard of every customer as its slice was indexed',
    );
    const first = storedRecords(generateCustomers(1, 7), 7)[0];
    assert.ok(first && store.search(`${first.firstName} ${first.lastName}`).ids.includes(first.id));
    assert.deepEqual(
      store.invalidRecords().map((r) => r.id),
      ['rogue'],
    );
    store.destroy();
  });

  it('finishes indexing a load before it checks a value for duplicates', () => {
    const doc = new Y.Doc();
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(buildStoreDocument(1_500, 7)));
    const first = storedRecords(generateCustomers(50, 7), 7).find((r) => r.email && r.cardBarcode);
    assert.ok(first?.email && first.cardBarcode);
    assert.ok(store.unindexedCount > 0);
    assert.deepEqual(
      store.check({ firstName: 'Copy', email: first.email }).map((e) => e.existingCustomerId),
      [first.id],
    );
    assert.equal(store.findByBarcode(first.cardBarcode)?.id, first.id);
    assert.equal(store.liveCount, 1_500);
    store.destroy();
  });

  it('an edit reaches another till without that till writing the record back', () => {
    const [docA, docB] = [new Y.Doc(), new Y.Doc()];
    const [a, b] = [new CustomerStore(docA, { tillId: 'till-a' }), new CustomerStore(docB, { tillId: 'till-b' })];
    const created = a.create({ firstName: 'Dung', billingAddress: { street1: '5 Hai Ba Trung', country: 'VN' } });
    assert.ok(created.ok);
    exchange(docA, docB);
    let writtenByB = 0;
    docB.on('update', (_u: Uint8Array, origin: unknown) => origin === b && writtenByB++);
    assert.ok(a.update(created.value.id, { notes: 'regular' }).ok);
    assert.ok(a.delete(created.value.id).ok);
    assert.ok(a.restore(created.value.id).ok);
    exchange(docA, docB);
    assert.equal(b.get(created.value.id)?.notes, 'regular');
    assert.equal(writtenByB, 0, 'the stored form of the record is kept, so there is nothing to join');
    assert.deepEqual(docA.getMap('customers').toJSON(), docB.getMap('customers').toJSON());
  });

  it('joins many concurrent edits arriving at once in one transaction', () => {
    const [docA, docB] = [new Y.Doc(), new Y.Doc()];
    const [a, b] = [new CustomerStore(docA, { tillId: 'till-a' }), new CustomerStore(docB, { tillId: 'till-b' })];
    const ids = Array.from({ length: 50 }, (_, i) => {
      const created = a.create({ firstName: `Customer ${i}` });
      assert.ok(created.ok);
      return created.value.id;
    });
    exchange(docA, docB);
    for (const id of ids) {
      assert.ok(a.update(id, { notes: 'from A' }).ok);
      assert.ok(b.update(id, { lastName: 'from B' }).ok);
    }
    // Yjs keeps one of two concurrent values of a key; the till whose value lost writes the joins.
    const joins = { a: 0, b: 0 };
    docA.on('update', (_u: Uint8Array, origin: unknown) => origin === a && joins.a++);
    docB.on('update', (_u: Uint8Array, origin: unknown) => origin === b && joins.b++);
    exchange(docA, docB);
    exchange(docB, docA);
    exchange(docA, docB);
    assert.equal(joins.a + joins.b, 1, 'one transaction holds every join');
    for (const id of ids) assert.deepEqual([a.get(id)?.notes, a.get(id)?.lastName], ['from A', 'from B']);
    assert.deepEqual(docA.getMap('customers').toJSON(), docB.getMap('customers').toJSON());
  });
});
