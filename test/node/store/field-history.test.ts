import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore, type StoreChange } from '../../../components/store/customer-store.js';
import type { FieldChange, FieldHistoryEntry } from '../../../components/store/field-history.js';
import { loadPhone } from '../../../components/model/lazy-phone.js';

// Written at once after opening: a store's open waits for the phone module, which these writes need.
await loadPhone();

const newStore = (options: { tillId?: string; tillName?: string; cashier?: string } = {}) =>
  new CustomerStore(new Y.Doc(), { tillId: options.tillId ?? 'till-1', ...options });

/** The valid changes of a customer, newest first, as `field: before → after`. */
function lines(store: CustomerStore, id: string): string[] {
  return store.fieldHistory(id).flatMap((e) => (e.ok ? [line(e)] : []));
}

function line(e: FieldChange): string {
  const show = (v: unknown) => (v && typeof v === 'object' ? (v as { street1?: string }).street1 || 'address' : JSON.stringify(v));
  return e.kind === 'purged' ? 'purged' : `${e.field}: ${show(e.before)} → ${show(e.after)}`;
}

function valid(entries: FieldHistoryEntry[]): FieldChange[] {
  return entries.filter((e): e is FieldChange => e.ok);
}

/** Two tills on their own documents, exchanging every update as the sync server would relay it. */
function twoTills(): [CustomerStore, CustomerStore] {
  const a = new CustomerStore(new Y.Doc(), { tillId: 'till-1', tillName: 'Till 1' });
  const b = new CustomerStore(new Y.Doc(), { tillId: 'till-2', tillName: 'Till 2', cashier: 'Lan' });
  a.doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'sync' && Y.applyUpdate(b.doc, update, 'sync'));
  b.doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'sync' && Y.applyUpdate(a.doc, update, 'sync'));
  return [a, b];
}

/** The history array's Yjs items a document update carries (one per transaction is the budget). */
function historyItems(update: Uint8Array): number {
  return Y.decodeUpdate(update).structs.filter((s) => {
    // A decoded update names a root type's items by the type's name, where the typings expect the type.
    const parent: unknown = s instanceof Y.Item ? s.parent : undefined;
    return parent === 'history';
  }).length;
}

describe('field history', () => {
  it('logs each changed field of an update with its value before and after, the till and the cashier', () => {
    const store = newStore({ tillName: 'Front till', cashier: 'Lan' });
    const c = store.create({ firstName: 'Anh', lastName: 'Vo', email: 'anh@shop.vn' });
    assert.ok(c.ok);
    assert.deepEqual(store.fieldHistory(c.value.id), [], 'a creation is not logged field by field');
    assert.ok(store.update(c.value.id, { lastName: 'Võ', email: 'anh.vo@shop.vn', notes: '' }).ok);
    const entries = valid(store.fieldHistory(c.value.id));
    assert.deepEqual(entries.map(line).sort(), ['email: "anh@shop.vn" → "anh.vo@shop.vn"', 'lastName: "Vo" → "Võ"'], 'unchanged fields are not logged');
    for (const e of entries) {
      assert.equal(e.tillId, 'till-1');
      assert.equal(e.tillName, 'Front till');
      assert.equal(e.cashier, 'Lan');
      assert.ok(Math.abs(e.at - Date.now()) < 5000);
    }
    assert.equal(entries[0]?.stamp, entries[1]?.stamp, 'one write, one stamp');
  });

  it('writes all entries of one transaction with one push: one Yjs item', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Anh' });
    assert.ok(c.ok);
    const updates: Uint8Array[] = [];
    store.doc.on('update', (u: Uint8Array) => updates.push(u));
    assert.ok(store.update(c.value.id, { firstName: 'Bao', lastName: 'Le', phone: '+84912345678', notes: 'VIP' }).ok);
    assert.equal(updates.length, 1);
    assert.equal(historyItems(updates[0] as Uint8Array), 1);
    assert.equal(store.fieldHistory(c.value.id).length, 4);
  });

  it('shows changes newest first, including what an undo put back', () => {
    let micros = 1_000_000;
    const store = new CustomerStore(new Y.Doc(), { tillId: 'till-1', wallMicros: () => (micros += 10) });
    const c = store.create({ firstName: 'Anh' });
    assert.ok(c.ok);
    store.update(c.value.id, { notes: 'one' });
    store.update(c.value.id, { notes: 'two' });
    assert.ok(store.undo());
    assert.deepEqual(lines(store, c.value.id), ['notes: "two" → "one"', 'notes: "one" → "two"', 'notes: "" → "one"']);
    assert.ok(store.redo());
    assert.equal(lines(store, c.value.id)[0], 'notes: "one" → "two"');
    const stamps = store.fieldHistory(c.value.id).map((e) => e.stamp);
    assert.deepEqual(
      stamps,
      [...stamps].sort((a, b) => b - a),
    );
  });

  it('logs addresses added, changed and removed, and the default addresses they set', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Anh' });
    assert.ok(c.ok);
    const added = store.addAddress(c.value.id, { street1: '5 Tran Phu', city: 'Da Nang', country: 'VN' });
    assert.ok(added.ok);
    assert.deepEqual(lines(store, c.value.id).sort(), [
      `addresses.${added.value.id}: null → 5 Tran Phu`,
      `billingAddressId: null → "${added.value.id}"`,
      `shippingAddressId: null → "${added.value.id}"`,
    ]);
    assert.ok(store.updateAddress(c.value.id, added.value.id, { street1: '7 Le Loi' }).ok);
    assert.equal(lines(store, c.value.id)[0], `addresses.${added.value.id}: 5 Tran Phu → 7 Le Loi`);
    const changed = valid(store.fieldHistory(c.value.id))[0];
    assert.ok(changed?.kind === 'address');
    assert.equal(changed.before?.city, 'Da Nang', 'an address is logged whole');
    assert.ok(store.removeAddress(c.value.id, added.value.id).ok);
    assert.ok(lines(store, c.value.id).includes(`addresses.${added.value.id}: 7 Le Loi → null`));
  });

  it('logs a group change, a delete and a restore', () => {
    const store = newStore();
    const vip = store.createGroup({ name: 'VIP' });
    assert.ok(vip.ok);
    const c = store.create({ firstName: 'Anh' });
    assert.ok(c.ok);
    assert.ok(store.update(c.value.id, { groupId: vip.value.id }).ok);
    assert.ok(store.delete(c.value.id).ok);
    assert.ok(store.restore(c.value.id).ok);
    assert.deepEqual(lines(store, c.value.id), ['deleted: true → false', 'deleted: false → true', `groupId: null → "${vip.value.id}"`]);
  });

  it('logs a bulk move to a group as one entry in one Yjs item, shown in every customer’s history', () => {
    const store = newStore();
    const vip = store.createGroup({ name: 'VIP' });
    assert.ok(vip.ok);
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ firstName: `Customer ${i}` }));
    const { created } = store.createMany(rows);
    assert.equal(created.length, 10_000);
    assert.equal(store.doc.getArray('history').length, 0, 'an import logs nothing: each record says who created it');
    const updates: Uint8Array[] = [];
    store.doc.on('update', (u: Uint8Array) => updates.push(u));
    const historyBefore = Y.encodeStateAsUpdate(store.doc).length;
    assert.ok(store.assignGroup(created, vip.value.id).ok);
    assert.equal(updates.length, 1);
    assert.equal(historyItems(updates[0] as Uint8Array), 1, 'one Yjs item for 10,000 customers');
    assert.equal(store.doc.getArray('history').length, 1, 'one entry');
    const entryBytes = (store.doc.getArray('history').get(0) as string).length;
    assert.ok(entryBytes < 10_000 * 50, `the entry costs ${entryBytes} bytes: about an id and a value per customer`);
    assert.ok(Y.encodeStateAsUpdate(store.doc).length > historyBefore);
    const last = valid(store.fieldHistory(created[9_999] as string))[0];
    assert.ok(last?.kind === 'id');
    assert.deepEqual([last.field, last.before, last.after, last.customers], ['groupId', null, vip.value.id, 10_000]);
  });

  it('logs members moved by a group deletion and a bulk delete, one entry each', () => {
    const store = newStore();
    const vip = store.createGroup({ name: 'VIP' });
    assert.ok(vip.ok);
    const { created } = store.createMany([{ firstName: 'A', groupId: vip.value.id }, { firstName: 'B', groupId: vip.value.id }, { firstName: 'C' }]);
    assert.ok(store.deleteGroup(vip.value.id).ok);
    assert.equal(store.doc.getArray('history').length, 1);
    assert.deepEqual(lines(store, created[1] as string), [`groupId: "${vip.value.id}" → null`]);
    assert.equal(store.deleteMany(created).deleted.length, 3);
    assert.equal(store.doc.getArray('history').length, 2);
    assert.equal(valid(store.fieldHistory(created[2] as string))[0]?.customers, 3);
  });

  it('shows both tills’ changes on both tills after they exchange updates, and tells listeners of arriving entries', () => {
    const [a, b] = twoTills();
    const c = a.create({ firstName: 'Anh' });
    assert.ok(c.ok);
    assert.equal(a.fieldHistory(c.value.id).length, 0);
    const changes: StoreChange[] = [];
    a.subscribe((change) => changes.push(change));
    assert.ok(b.update(c.value.id, { phone: '+84 912 345 678' }).ok);
    assert.ok(a.update(c.value.id, { notes: 'met at the fair' }).ok);
    for (const store of [a, b]) {
      const entries = valid(store.fieldHistory(c.value.id));
      assert.deepEqual(
        entries.map((e) => `${e.field} by ${e.tillName}${e.cashier ? ` (${e.cashier})` : ''}`),
        ['notes by Till 1', 'phone by Till 2 (Lan)'],
      );
    }
    // An entry alone (another app writing only to the history) still re-renders what shows the customer.
    changes.length = 0;
    const entry = { v: 1, c: c.value.id, f: 'notes', b: '', a: 'from the app', s: 1, t: Date.now(), till: 'app' };
    b.doc.getArray('history').push([JSON.stringify(entry)]);
    assert.ok(changes.some((change) => !change.local && change.customers.has(c.value.id)));
  });

  it('keeps both tills’ entries when they edit offline and sync later', () => {
    const a = new CustomerStore(new Y.Doc(), { tillId: 'till-1' });
    const b = new CustomerStore(new Y.Doc(), { tillId: 'till-2' });
    const c = a.create({ firstName: 'Anh' });
    assert.ok(c.ok);
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    a.fieldHistory(c.value.id); // a's index is built before b's entries arrive: the observer must add them
    a.update(c.value.id, { firstName: 'Anh Thu' });
    b.update(c.value.id, { firstName: 'Anh T.' });
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)));
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)));
    for (const store of [a, b])
      assert.deepEqual(
        valid(store.fieldHistory(c.value.id))
          .map((e) => e.tillId)
          .sort(),
        ['till-1', 'till-2'],
      );
  });

  it('restores an earlier value as a logged, undoable edit', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Anh', email: 'anh@shop.vn' });
    assert.ok(c.ok);
    store.update(c.value.id, { email: 'typo@shop' + '.vn' });
    const [change] = valid(store.fieldHistory(c.value.id));
    assert.ok(change?.restorable);
    const restored = store.restoreFieldValue(c.value.id, change.ref);
    assert.ok(restored.ok);
    assert.equal(restored.value.email, 'anh@shop.vn');
    assert.equal(lines(store, c.value.id)[0], 'email: "typo@shop.vn" → "anh@shop.vn"', 'the restore is itself logged');
    assert.equal(valid(store.fieldHistory(c.value.id)).find((e) => e.ref === change.ref)?.restorable, false, 'the value is back');
    assert.ok(store.undo());
    assert.equal(store.get(c.value.id)?.email, 'typo@shop.vn');
  });

  it('restores a removed address, a deleted customer and a group', () => {
    const store = newStore();
    const vip = store.createGroup({ name: 'VIP' });
    assert.ok(vip.ok);
    const c = store.create({ firstName: 'Anh', groupId: vip.value.id });
    assert.ok(c.ok);
    const address = store.addAddress(c.value.id, { street1: '5 Tran Phu', city: 'Da Nang' });
    assert.ok(address.ok);
    store.removeAddress(c.value.id, address.value.id);
    store.update(c.value.id, { groupId: null });
    const find = (field: string) => valid(store.fieldHistory(c.value.id)).find((e) => e.field === field && e.restorable);
    const removal = find(`addresses.${address.value.id}`);
    assert.ok(removal);
    assert.ok(store.restoreFieldValue(c.value.id, removal.ref).ok);
    assert.deepEqual(
      store.get(c.value.id)?.addresses.map((a) => `${a.street1}, ${a.city}`),
      ['5 Tran Phu, Da Nang'],
    );
    const group = find('groupId');
    assert.ok(group && store.restoreFieldValue(c.value.id, group.ref).ok);
    assert.equal(store.get(c.value.id)?.groupId, vip.value.id);
    store.delete(c.value.id);
    const deletion = find('deleted');
    assert.ok(deletion && store.restoreFieldValue(c.value.id, deletion.ref).ok);
    assert.equal(store.get(c.value.id)?.deleted, false);
  });

  it('refuses a restore that would clash or edit a deleted customer, and says why', () => {
    const store = newStore();
    const anh = store.create({ firstName: 'Anh', email: 'anh@shop.vn' });
    const bao = store.create({ firstName: 'Bao' });
    assert.ok(anh.ok && bao.ok);
    store.update(anh.value.id, { email: 'anh.vo@shop.vn' });
    store.update(bao.value.id, { email: 'anh@shop.vn' });
    const [change] = valid(store.fieldHistory(anh.value.id));
    assert.ok(change);
    const clash = store.restoreFieldValue(anh.value.id, change.ref);
    assert.equal(clash.ok, false);
    if (!clash.ok) assert.deepEqual(clash.errors[0], { field: 'email', message: messages.duplicateEmail('Bao'), existingCustomerId: bao.value.id });
    assert.equal(store.get(anh.value.id)?.email, 'anh.vo@shop.vn', 'nothing written');
    store.delete(anh.value.id);
    const deleted = store.restoreFieldValue(anh.value.id, change.ref);
    assert.equal(!deleted.ok && deleted.errors[0]?.message, messages.customerDeleted);
    const unknown = store.restoreFieldValue(anh.value.id, 'no-such-entry');
    assert.equal(!unknown.ok && unknown.errors[0]?.message, messages.historyEntryUnknown);
  });

  it('reports entries another app wrote wrongly as invalid, never throws', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Anh' });
    assert.ok(c.ok);
    store.update(c.value.id, { notes: 'fine' });
    const id = c.value.id;
    const good = { v: 1, c: id, f: 'lastName', b: '', a: 'Vo', s: 1, t: 1, till: 'app' };
    store.doc
      .getArray('history')
      .push([
        JSON.stringify({ ...good, a: 42 }),
        JSON.stringify({ ...good, f: 'favouriteColour' }),
        JSON.stringify({ v: 1, cs: [id, 'other'], bs: [null], f: 'groupId', a: null, s: 2, t: 2, till: 'app' }),
        '{not json',
        { c: id, f: 'notes' },
        JSON.stringify(null),
        JSON.stringify(good),
      ]);
    const entries = store.fieldHistory(id);
    const invalid = entries.filter((e) => !e.ok);
    assert.equal(invalid.length, 4);
    assert.ok(invalid.every((e) => !e.ok && e.problems.length > 0 && !e.ref.startsWith('[')));
    assert.deepEqual(lines(store, id).sort(), ['lastName: "" → "Vo"', 'notes: "" → "fine"']);
    const refused = store.restoreFieldValue(id, (invalid[0] as FieldHistoryEntry).ref);
    assert.equal(!refused.ok && refused.errors[0]?.message, messages.historyEntryInvalid);
  });

  it('erases a purged customer’s logged values', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Anh', email: 'anh@shop.vn' });
    const other = store.create({ firstName: 'Bao' });
    assert.ok(c.ok && other.ok);
    assert.ok(store.update(c.value.id, { email: 'anh.vo@shop.vn', phone: '+84 912 345 678' }).ok);
    store.update(other.value.id, { notes: 'kept' });
    store.fieldHistory(c.value.id);
    assert.ok(store.purge(c.value.id).ok);
    const stored = JSON.stringify(store.doc.getArray('history').toJSON());
    assert.ok(!stored.includes('anh') && !stored.includes('912345678'), stored);
    assert.deepEqual(lines(store, c.value.id), ['purged']);
    assert.deepEqual(lines(store, other.value.id), ['notes: "" → "kept"']);
    // A bulk delete's entry keeps naming the customer, but an erased customer is not brought back from it.
    const third = store.create({ firstName: 'Chi' });
    assert.ok(third.ok);
    store.deleteMany([other.value.id, third.value.id]);
    const deletion = valid(store.fieldHistory(other.value.id))[0];
    assert.ok(deletion?.restorable);
    assert.equal(store.purge(other.value.id).ok, true);
    const refused = store.restoreFieldValue(other.value.id, deletion.ref);
    assert.equal(!refused.ok && refused.errors[0]?.message, messages.historyNotRestorable);
    assert.equal(store.get(other.value.id)?.deleted, true);
  });
});
