import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import * as Y from 'yjs';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { storeMaps } from '../../../components/store/document-layout.js';
import type { OpenSnapshot } from '../../../components/store/open-snapshot.js';
import { buildStoreDocument } from '../../fixtures/customer-generator.js';
import { loadPhone } from '../../../components/model/lazy-phone.js';

// Written at once after opening: a store's open waits for the phone module, which these writes need.
await loadPhone();

const TILL = 'till-1';
const LOAD = 'device load';
const QUERIES = ['nguyen', 'ng', 'jhon', 'linh tran', '0912', '+1 415', '@gmail', 'a', 'zz', 'renamed', 'fresh'];

/** What a cashier or manager sees of a store: search answers, list orders, invalid records, duplicates. */
function view(store: CustomerStore) {
  return {
    live: store.liveCount,
    searches: QUERIES.map((q) => store.search(q, 20)),
    byName: store.listIds(),
    matching: store.listIds({ query: 'ng', sort: 'updated', descending: true }),
    created: store.listIds({ sort: 'created' }),
    noGroup: store.listIds({ groupId: null }).length,
    invalid: store
      .invalidRecords()
      .map((r) => `${r.id}: ${r.problems.join('; ')}`)
      .sort(),
    duplicates: store.duplicates().map((d) => `${d.field} ${d.value} ${[...d.customerIds].sort().join(',')}`),
  };
}

/** A till reopening: an empty store, then the device's document loaded in one transaction, as y-indexeddb does. */
function reopen(update: Uint8Array, snapshot?: unknown, tillId = TILL) {
  const doc = new Y.Doc();
  const store = new CustomerStore(doc, { tillId });
  const adopted = store.prepareLoad(LOAD, snapshot === undefined ? undefined : structuredClone(snapshot));
  Y.applyUpdate(doc, update, LOAD);
  return { store, adopted };
}

/** A store of generated customers with what real stores also hold: a deletion, a rogue record, a shared phone, a group. */
function populatedStore() {
  const doc = buildStoreDocument(1_500, 7);
  const store = new CustomerStore(doc, { tillId: TILL });
  const group = store.createGroup({ name: 'VIP' });
  assert.ok(group.ok);
  const [first, second, third] = store.listIds();
  assert.ok(first && second && third);
  assert.ok(store.update(first, { groupId: group.value.id }).ok);
  assert.ok(store.delete(second).ok);
  // Another app writes a record with wrong types, and one sharing a live customer's phone.
  storeMaps(doc).customers.set('rogue', JSON.stringify({ firstName: 42 }));
  const phone = store.get(third)?.phone ?? '';
  storeMaps(doc).customers.set('copy', JSON.stringify({ ...(store.read(third) as { raw: object }).raw, id: 'copy', phone }));
  store.invalidRecords();
  return { doc, store, ids: { first, second, third } };
}

describe('open snapshot: reopening a store from what it derived last time', () => {
  it('a current snapshot reopens to exactly what indexing every customer gives, decoding none', () => {
    const { doc, store } = populatedStore();
    store.listIds();
    while (store.sortIndexStep());
    const snapshot = store.openSnapshot();
    assert.ok(snapshot);
    const update = Y.encodeStateAsUpdate(doc);

    const fresh = reopen(update);
    assert.equal(fresh.store.unindexedCount, 0, 'a device load without a snapshot is searchable as soon as it is done');
    const restored = reopen(update, snapshot);
    assert.equal(restored.adopted, true);
    assert.deepEqual(restored.store.snapshotUse, { staleKeys: 0 }, 'every customer restored from the snapshot');
    const expected = view(fresh.store);
    assert.ok(expected.invalid.length === 1 && expected.duplicates.length > 0, 'the fixture holds an invalid record and a duplicate');
    assert.deepEqual(view(restored.store), expected);
  });

  it('customers changed after the snapshot are indexed again; everything else comes from it', () => {
    const { doc, store, ids } = populatedStore();
    const snapshot = store.openSnapshot();
    assert.ok(snapshot);
    // After the snapshot: a rename, a deletion, a restore, a new customer, a key removed outright, the rogue record fixed.
    assert.ok(store.update(ids.first, { firstName: 'Renamed' }).ok);
    assert.ok(store.delete(ids.third).ok);
    assert.ok(store.restore(ids.second).ok);
    assert.ok(store.create({ firstName: 'Fresh', phone: '+84 912 000 111' }).ok);
    storeMaps(doc).customers.delete('copy');
    storeMaps(doc).customers.set(
      'rogue',
      JSON.stringify({ ...(store.read(ids.first) as { raw: object }).raw, id: 'rogue', email: '', phone: '', cardBarcode: '' }),
    );
    const update = Y.encodeStateAsUpdate(doc);

    const restored = reopen(update, snapshot);
    assert.equal(restored.adopted, true);
    assert.equal(restored.store.snapshotUse?.staleKeys, 6, 'the six keys written since are indexed again');
    const got = view(restored.store);
    assert.deepEqual(got, view(reopen(update).store));
    assert.equal(got.searches[QUERIES.indexOf('renamed')]?.ids[0], ids.first);
    assert.equal(got.searches[QUERIES.indexOf('fresh')]?.total, 1);
    assert.deepEqual(got.invalid, [], 'the fixed record is no longer reported');
  });

  it('a store reopened from a snapshot keeps working: edits, uniqueness, undo, and a snapshot of its own', () => {
    const { doc, store, ids } = populatedStore();
    const snapshot = store.openSnapshot();
    assert.ok(snapshot);
    const { store: reopened } = reopen(Y.encodeStateAsUpdate(doc), snapshot);
    const taken = reopened.get(ids.first)?.email ?? '';
    const clash = reopened.create({ firstName: 'Dup', email: taken });
    assert.equal(clash.ok, false, 'the uniqueness index restored from the snapshot refuses a taken email');
    assert.ok(reopened.update(ids.first, { firstName: 'Zelda' }).ok);
    assert.equal(reopened.search('zelda').ids[0], ids.first);
    assert.equal(reopened.search(reopened.get(ids.first)?.lastName ?? '').ids.includes(ids.first), true);
    reopened.undo();
    assert.equal(reopened.search('zelda').total, 0);
    const again = reopened.openSnapshot();
    assert.ok(again);
    const { store: third } = reopen(Y.encodeStateAsUpdate(reopened.doc), again);
    assert.deepEqual(third.snapshotUse, { staleKeys: 0 });
    assert.deepEqual(view(third), view(reopened));
  });

  it('a deletion made on this till is still known after a reopen from a snapshot: a later revival is told', () => {
    const { doc, store, ids } = populatedStore();
    const snapshot = store.openSnapshot();
    assert.ok(snapshot);
    const { store: reopened, adopted } = reopen(Y.encodeStateAsUpdate(doc), snapshot);
    assert.ok(adopted);
    // Another till, which never saw the deletion, edits the customer later.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const otherStore = new CustomerStore(other, { tillId: 'till-2' });
    const before = Y.encodeStateVector(other);
    assert.ok(otherStore.restore(ids.second).ok);
    const notices: string[] = [];
    reopened.subscribe((change) => change.notices.forEach((n) => notices.push(`${n.kind} ${n.customerId}`)));
    Y.applyUpdate(reopened.doc, Y.encodeStateAsUpdate(other, before));
    assert.deepEqual(notices, [`delete-overridden ${ids.second}`]);
  });

  it('refuses snapshots it cannot use, and the store indexes the document instead', () => {
    const { doc, store } = populatedStore();
    const snapshot = store.openSnapshot();
    assert.ok(snapshot);
    const update = Y.encodeStateAsUpdate(doc);
    const expected = view(reopen(update).store);
    const broken: Array<[string, unknown]> = [
      ['not an object', 'garbage'],
      ['another format', { ...snapshot, format: 99 }],
      ['arrays of different lengths', { ...snapshot, clocks: snapshot.clocks.slice(1) }],
      [
        'a token number past the tokens',
        { ...snapshot, index: { ...snapshot.index, buckets: snapshot.index.buckets.map((b) => ({ ...b, tokenOf: b.tokenOf.map(() => 1e9) })) } },
      ],
    ];
    for (const [what, value] of broken) {
      const { store: reopened, adopted } = reopen(update, value);
      assert.equal(adopted, false, what);
      assert.deepEqual(view(reopened), expected, what);
    }
    // Shaped right but naming slots it does not have: refused while restoring, before anything is half done.
    const pointsNowhere: OpenSnapshot = {
      ...snapshot,
      index: { ...snapshot.index, buckets: snapshot.index.buckets.map((b) => ({ ...b, slots: b.slots.map(() => 1e7) })) },
    };
    // Out of order, a bucket would answer searches wrong rather than fail: refused too.
    const unordered: OpenSnapshot = {
      ...snapshot,
      index: { ...snapshot.index, buckets: snapshot.index.buckets.map((b) => ({ ...b, tokens: [...b.tokens].reverse() })) },
    };
    const warn = console.warn;
    console.warn = () => {};
    try {
      for (const [what, value] of [
        ['slots it does not have', pointsNowhere],
        ['tokens out of order', unordered],
      ] as const) {
        const { store: reopened, adopted } = reopen(update, value);
        assert.equal(adopted, true, what);
        assert.equal(reopened.snapshotUse, undefined, `${what}: not used`);
        assert.deepEqual(view(reopened), expected, what);
      }
    } finally {
      console.warn = warn;
    }
    assert.equal(reopen(update, snapshot, 'till-2').adopted, false, "another till's snapshot");
  });

  it('restores a load that came before its snapshot once the snapshot arrives, as the device reads both at once', async () => {
    const { doc, store } = populatedStore();
    const snapshot = store.openSnapshot();
    assert.ok(snapshot);
    const update = Y.encodeStateAsUpdate(doc);
    const expected = view(reopen(update).store);
    for (const [what, arrives, restored] of [
      ['a usable snapshot', structuredClone(snapshot), true],
      ['no snapshot saved', undefined, false],
      ['a damaged one', { format: 'old' }, false],
      ['a failed read', new Error('read failed'), false],
    ] as const) {
      const reopened = new CustomerStore(new Y.Doc(), { tillId: TILL });
      let arrive: (value: unknown) => void = () => {};
      reopened.prepareLoadWhileReading(LOAD, new Promise((resolve, reject) => (arrive = (value) => (value instanceof Error ? reject(value) : resolve(value)))));
      Y.applyUpdate(reopened.doc, update, LOAD);
      assert.equal(reopened.liveCount, 0, `${what}: the load waits for the snapshot`);
      arrive(arrives);
      await reopened.whenLoaded();
      assert.deepEqual(reopened.snapshotUse, restored ? { staleKeys: 0 } : undefined, what);
      assert.deepEqual(view(reopened), expected, what);
    }
    // A read that never answers holds the load back only so long.
    const stuck = new CustomerStore(new Y.Doc(), { tillId: TILL });
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      stuck.prepareLoadWhileReading(LOAD, new Promise(() => {}));
      Y.applyUpdate(stuck.doc, update, LOAD);
      assert.equal(stuck.liveCount, 0);
      mock.timers.tick(5_000);
    } finally {
      mock.timers.reset();
    }
    await stuck.whenLoaded();
    assert.deepEqual(view(stuck), expected, 'indexed without the snapshot');
    // A snapshot read before the load is used at the load itself.
    const early = new CustomerStore(new Y.Doc(), { tillId: TILL });
    early.prepareLoadWhileReading(LOAD, Promise.resolve(structuredClone(snapshot)));
    await Promise.resolve();
    await early.whenLoaded();
    Y.applyUpdate(early.doc, update, LOAD);
    assert.deepEqual(early.snapshotUse, { staleKeys: 0 });
    assert.deepEqual(view(early), expected);
  });

  it('is refused by a store that already holds customers, and unused by a transaction other than the load', async () => {
    const { doc, store } = populatedStore();
    const snapshot = store.openSnapshot();
    assert.ok(snapshot);
    assert.equal(store.prepareLoad(LOAD, structuredClone(snapshot)), false);

    const fresh = new CustomerStore(new Y.Doc(), { tillId: TILL });
    assert.ok(fresh.prepareLoad(LOAD, structuredClone(snapshot)));
    // Sync delivers the document first (another origin): the snapshot is dropped, not applied to it.
    Y.applyUpdate(fresh.doc, Y.encodeStateAsUpdate(doc), 'sync');
    assert.equal(fresh.snapshotUse, undefined);
    await fresh.whenIndexed();
    assert.deepEqual(view(fresh), view(reopen(Y.encodeStateAsUpdate(doc)).store));
  });
});
