import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { loadPhone } from '../../../components/model/lazy-phone.js';
import { CustomerPreview } from '../../../components/store/customer-preview.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { storeMaps } from '../../../components/store/document-layout.js';
import { buildStoreDocument } from '../../fixtures/customer-generator.js';

// The fixture's writes below take phones at once.
await loadPhone();

const TILL = 'till-1';
const QUERIES = ['nguyen', 'ng', 'jhon', 'linh tran', '0912', '+1 415', '@gmail', 'a', 'zz', 'VIP-CARD'];

/** A store with what a till's preview must show as the store would: a group, a walk-in customer, a merge, a card, a rogue record. */
function populatedStore() {
  const doc = buildStoreDocument(1_200, 11);
  const store = new CustomerStore(doc, { tillId: TILL });
  const group = store.createGroup({ name: 'VIP' });
  assert.ok(group.ok, 'the group is created');
  const [first, second, third] = store.listIds();
  assert.ok(first && second && third, 'the fixture has customers');
  assert.ok(store.update(first, { groupId: group.value.id, cardBarcode: 'vip-card-7' }).ok, 'the first customer joins the group with a card');
  assert.ok(store.mergeCustomers(third, second).ok, 'the second customer is merged into the third');
  const walkIn = store.ensureDefaultCustomer();
  assert.ok(walkIn.ok, 'the walk-in customer is made');
  storeMaps(doc).customers.set('rogue', JSON.stringify({ firstName: 42 }));
  store.invalidRecords();
  while (store.sortIndexStep());
  const snapshot = store.openSnapshot();
  assert.ok(snapshot, 'the store takes a snapshot');
  return { doc, store, snapshot: structuredClone(snapshot), ids: { first, second, third, walkIn: walkIn.value.id, group: group.value.id } };
}

describe('customer preview: a till searching its snapshot before the store is ready', () => {
  it('answers searches, rows, cards, merges, the walk-in customer and groups as the store does', () => {
    const { store, snapshot, ids } = populatedStore();
    const preview = CustomerPreview.from(snapshot, TILL);
    assert.ok(preview, 'a current snapshot gives a preview');
    assert.equal(preview.liveCount, store.liveCount);
    for (const query of QUERIES) assert.deepEqual(preview.search(query, 20), store.search(query, 20), `the search for "${query}"`);
    for (const id of [ids.first, ids.third, ids.walkIn]) {
      const fromStore = store.get(id);
      assert.ok(fromStore, `the store holds ${id}`);
      const { firstName, lastName, email, phone, groupId } = fromStore;
      assert.deepEqual(preview.read(id), { ok: true, customer: { id, firstName, lastName, email, phone, groupId, deleted: false } }, `the row of ${id}`);
    }
    assert.equal(preview.group(ids.group)?.name, 'VIP', 'the group badge');
    assert.equal(preview.findByBarcode(' VIP-CARD-7 ')?.id, ids.first, 'a scanned card, in any case, finds its customer');
    assert.equal(preview.findByBarcode('no-such-card'), undefined, 'an unknown card finds no one');
    assert.equal(preview.resolveCustomerId(ids.second), ids.third, 'a customer merged away on this till leads to the one kept');
    assert.equal(preview.read(ids.second), undefined, 'the merged-away customer is not listed');
    assert.equal(preview.defaultCustomer()?.id, ids.walkIn, 'the walk-in customer');
    assert.deepEqual(preview.read('rogue'), { ok: false, ...store.invalidRecords().find((r) => r.id === 'rogue') }, 'the rogue record shows as invalid');
  });

  it('hands its restored index to the store opening from the same snapshot, which then answers as one restored itself', () => {
    const { doc, store, snapshot } = populatedStore();
    const update = Y.encodeStateAsUpdate(doc);
    const reopen = (adopt: (store: CustomerStore) => void, value: unknown) => {
      const reopened = new CustomerStore(new Y.Doc(), { tillId: TILL });
      adopt(reopened);
      assert.equal(reopened.prepareLoad('device load', value), true, 'the snapshot is taken');
      Y.applyUpdate(reopened.doc, update, 'device load');
      return reopened;
    };
    const preview = CustomerPreview.from(snapshot, TILL);
    assert.ok(preview, 'a preview');
    const adopting = reopen((s) => s.adoptRestoredIndex(preview.restored), snapshot);
    assert.equal(preview.restored.index.size, adopting.liveCount, 'the store took over the preview’s index');
    // A snapshot read again (another object) is restored, not confused with the preview's.
    const other = CustomerPreview.from(structuredClone(snapshot), TILL);
    assert.ok(other, 'a second preview');
    const restoring = reopen((s) => s.adoptRestoredIndex(other.restored), structuredClone(snapshot));
    for (const query of QUERIES) {
      assert.deepEqual(adopting.search(query, 20), store.search(query, 20), `the adopting store's search for "${query}"`);
      assert.deepEqual(restoring.search(query, 20), store.search(query, 20), `the restoring store's search for "${query}"`);
    }
    assert.ok(adopting.update(adopting.listIds()[0] ?? '', { firstName: 'Zebedee' }).ok, 'the adopting store writes');
    assert.equal(adopting.search('zebedee', 5).ids.length, 1, 'and indexes what it writes');
    assert.equal(other.search('zebedee', 5).ids.length, 0, 'an index it did not take is left alone');
  });

  it('gives nothing for a snapshot of another till, another format or garbage', () => {
    const { snapshot } = populatedStore();
    assert.equal(CustomerPreview.from(snapshot, 'till-2'), undefined, "another till's snapshot");
    assert.equal(CustomerPreview.from({ ...snapshot, format: 4 }, TILL), undefined, 'an older format');
    assert.equal(CustomerPreview.from({ ...snapshot, groupNames: [['g', 7]] }, TILL), undefined, 'group names of the wrong type');
    assert.equal(CustomerPreview.from('garbage', TILL), undefined, 'not a snapshot at all');
    const broken = structuredClone(snapshot);
    broken.index.buckets[0]?.tokens.reverse();
    assert.equal(CustomerPreview.from(broken, TILL), undefined, 'an index that does not hold together');
  });
});
