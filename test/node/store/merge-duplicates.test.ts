import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import type { NewCustomerInput } from '../../../components/model/customer.js';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { Replicas } from './replicas.js';
import { decodeCustomer, encodeCustomer } from '../../../components/store/stored-customers.js';
import { loadPhone } from '../../../components/model/lazy-phone.js';

// Written at once after opening: a store's open waits for the phone module, which these writes need.
await loadPhone();

const newStore = () => new CustomerStore(new Y.Doc(), { tillId: 'till-1' });

function add(store: CustomerStore, input: NewCustomerInput): string {
  const created = store.create(input);
  if (!created.ok) throw new Error(created.errors.map((e) => e.message).join('; '));
  return created.value.id;
}

/** Two offline tills each created the same person; both records are now on every till. */
function offlineDuplicates(r: Replicas, a: NewCustomerInput, b: NewCustomerInput): [string, string] {
  r.setOnline(1, false);
  const first = add(r.store(0), a);
  const second = add(r.store(1), b);
  r.setOnline(1, true);
  return [first, second];
}

const streets = (store: CustomerStore, id: string) =>
  store
    .get(id)
    ?.addresses.map((a) => a.street1)
    .sort();

describe('merging duplicate customers', () => {
  it('still lets a cashier edit either record of a pair before it is merged, but not make a new duplicate', () => {
    const r = new Replicas(2);
    const [first, second] = offlineDuplicates(r, { firstName: 'Mai', email: 'mai@shop.com' }, { firstName: 'Mai', email: 'mai@shop.com' });
    const store = r.store(0);
    assert.equal(store.duplicates().length, 1);
    assert.ok(store.update(second, { notes: 'prefers cash' }).ok, 'an email the record already had is not this edit’s duplicate');
    assert.equal(store.check({ firstName: 'Mai', email: 'mai@shop.com' }, first).length, 0);
    const other = add(store, { firstName: 'Lan', email: 'lan@shop.com' });
    const refused = store.update(first, { email: 'lan@shop.com' });
    assert.deepEqual(!refused.ok && refused.errors.map((e) => e.existingCustomerId), [other]);
  });

  it('keeps the picked value of each field and every address, and leaves the other record as a merged tombstone', () => {
    const r = new Replicas(2);
    const [keepId, removeId] = offlineDuplicates(
      r,
      { firstName: 'Nguyen', lastName: 'Van A', email: 'a@shop.com', notes: 'likes tea', billingAddress: { street1: '1 Le Loi', country: 'VN' } },
      {
        firstName: 'Nguyễn',
        lastName: 'Văn A',
        email: 'a@shop.com',
        phone: '+84912345678',
        notes: 'pays cash',
        billingAddress: { street1: '9 Tran Phu', country: 'VN' },
        shippingAddress: { street1: '3 Hai Ba Trung', country: 'VN' },
      },
    );
    const here = r.store(0);
    assert.equal(here.duplicates().length, 1);
    const removedBefore = here.get(removeId);
    const merged = here.mergeCustomers(keepId, removeId, { lastName: 'remove', phone: 'remove', notes: 'both', shippingAddressId: 'remove' });
    assert.ok(merged.ok, JSON.stringify(!merged.ok && merged.errors));
    assert.equal(merged.value.movedAddressIds.length, 2);
    for (const store of r.stores) {
      const kept = store.get(keepId);
      assert.equal(kept?.firstName, 'Nguyen', 'not picked: the kept value');
      assert.equal(kept?.lastName, 'Văn A', 'picked from the removed record');
      assert.equal(kept?.phone, '+84912345678');
      assert.equal(kept?.notes, 'likes tea\npays cash');
      assert.deepEqual(streets(store, keepId), ['1 Le Loi', '3 Hai Ba Trung', '9 Tran Phu']);
      assert.equal(kept?.addresses.find((a) => a.id === kept.billingAddressId)?.street1, '1 Le Loi');
      assert.equal(kept?.addresses.find((a) => a.id === kept.shippingAddressId)?.street1, '3 Hai Ba Trung');
      const removed = store.get(removeId);
      assert.equal(removed?.deleted, true);
      assert.equal(removed?.mergedInto, keepId);
      // The tombstone keeps everything it held: nothing typed is lost.
      const { firstName, lastName, email, phone, notes, billingAddressId, shippingAddressId } = removedBefore ?? {};
      assert.deepEqual({ ...removed, ...{ firstName, lastName, email, phone, notes, billingAddressId, shippingAddressId } }, removed);
      const byId = (list: Array<{ id: string }> = []) => [...list].sort((x, y) => x.id.localeCompare(y.id));
      assert.deepEqual(byId(removed?.addresses), byId(removedBefore?.addresses));
      assert.deepEqual(store.duplicates(), [], 'the uniqueness rule holds again');
      assert.equal(store.resolveCustomerId(removeId), keepId);
      assert.equal(store.resolveCustomerId(keepId), keepId);
      assert.equal(store.liveCount, 1);
      assert.deepEqual(store.invalidRecords(), []);
    }
    assert.deepEqual(r.snapshots()[0], r.snapshots()[1]);
    r.destroy();
  });

  it('moves the walk-in default to the kept customer, and undo brings back the removed one, its values and the default', () => {
    const store = newStore();
    const walkIn = store.ensureDefaultCustomer();
    assert.ok(walkIn.ok);
    const keepId = add(store, { firstName: 'Walk-in', lastName: 'customer 2', notes: 'kept' });
    const merged = store.mergeCustomers(keepId, walkIn.value.id, { lastName: 'remove' });
    assert.ok(merged.ok);
    assert.equal(merged.value.defaultCustomerMoved, true);
    assert.equal(store.settings().defaultCustomerId, keepId);
    assert.equal(store.defaultCustomer()?.id, keepId);
    assert.equal(store.get(keepId)?.lastName, 'customer');

    assert.ok(store.undo());
    assert.equal(store.settings().defaultCustomerId, walkIn.value.id);
    assert.equal(store.get(walkIn.value.id)?.deleted, false);
    assert.equal(store.get(walkIn.value.id)?.mergedInto, null);
    assert.equal(store.get(keepId)?.lastName, 'customer 2');
    assert.equal(store.resolveCustomerId(walkIn.value.id), walkIn.value.id);

    assert.ok(store.redo());
    assert.equal(store.settings().defaultCustomerId, keepId);
    assert.equal(store.get(walkIn.value.id)?.deleted, true);
    assert.equal(store.resolveCustomerId(walkIn.value.id), keepId);
  });

  it('does not undo a default another till changed since the merge', () => {
    const r = new Replicas(2);
    const walkIn = r.store(0).ensureDefaultCustomer();
    assert.ok(walkIn.ok);
    const keepId = add(r.store(0), { firstName: 'Kept' });
    const otherId = add(r.store(0), { firstName: 'Other' });
    assert.ok(r.store(0).mergeCustomers(keepId, walkIn.value.id).ok);
    assert.ok(r.store(1).updateSettings({ defaultCustomerId: otherId }).ok);
    assert.ok(r.store(0).undo());
    for (const store of r.stores) {
      assert.equal(store.settings().defaultCustomerId, otherId);
      assert.equal(store.get(walkIn.value.id)?.deleted, false);
    }
    r.destroy();
  });

  it('copies an address both records hold only once, and points a picked default at the kept copy', () => {
    const store = newStore();
    const address = { street1: '1 Le Loi', city: 'Hue', country: 'VN' };
    const keepId = add(store, { firstName: 'Lan', phone: '+84912345678' });
    const removeId = add(store, { firstName: 'Lan', email: 'lan@shop.com', billingAddress: address });
    assert.ok(store.addAddress(keepId, { street1: '5 Nguyen Hue', country: 'VN' }).ok);
    assert.ok(store.addAddress(keepId, address).ok);
    const preview = store.mergeCustomers(keepId, removeId, { billingAddressId: 'remove', email: 'remove' }, { dryRun: true });
    assert.ok(preview.ok);
    assert.deepEqual(preview.value.movedAddressIds, []);
    assert.equal(store.get(removeId)?.deleted, false, 'a dry run writes nothing');
    assert.equal(store.get(keepId)?.email, '');
    const merged = store.mergeCustomers(keepId, removeId, { billingAddressId: 'remove', email: 'remove' });
    assert.ok(merged.ok);
    const kept = store.get(keepId);
    assert.equal(kept?.addresses.length, 2);
    assert.equal(kept?.addresses.find((a) => a.id === kept.billingAddressId)?.city, 'Hue');
    assert.equal(kept?.email, 'lan@shop.com');
    assert.equal(kept?.phone, '+84912345678');
  });

  it('previews exactly what the merge then writes', () => {
    const store = newStore();
    const keepId = add(store, { firstName: 'Mai', email: 'mai@shop.com' });
    const removeId = add(store, { firstName: 'Mai', lastName: 'Pham', email: 'mai2@shop.com', billingAddress: { street1: '2 Ly Thai To', country: 'VN' } });
    const picks = { lastName: 'remove', billingAddressId: 'remove' } as const;
    const preview = store.mergeCustomers(keepId, removeId, picks, { dryRun: true });
    const merged = store.mergeCustomers(keepId, removeId, picks);
    assert.ok(preview.ok && merged.ok);
    const { updatedAt: _a, ...previewed } = preview.value.customer;
    const { updatedAt: _b, ...written } = merged.value.customer;
    assert.deepEqual(previewed, written);
    assert.deepEqual(preview.value.movedAddressIds, merged.value.movedAddressIds);
  });

  describe('refuses, saying why, and writes nothing', () => {
    it('the same customer twice, an unknown or deleted customer', () => {
      const store = newStore();
      const a = add(store, { firstName: 'An' });
      const b = add(store, { firstName: 'Binh' });
      const self = store.mergeCustomers(a, a);
      assert.deepEqual(!self.ok && self.errors, [{ field: 'removeId', message: messages.mergeSameCustomer }]);
      const unknown = store.mergeCustomers(a, 'nobody');
      assert.deepEqual(!unknown.ok && unknown.errors, [{ field: 'removeId', message: messages.unknownCustomer }]);
      assert.ok(store.delete(b).ok);
      const deleted = store.mergeCustomers(b, a);
      assert.deepEqual(!deleted.ok && deleted.errors, [{ field: 'keepId', message: messages.customerDeleted }]);
      assert.equal(store.get(a)?.deleted, false);
    });

    it('a value taken from the removed customer that a third customer holds; one the kept customer has is fine', () => {
      const r = new Replicas(3);
      for (let i = 1; i < 3; i++) r.setOnline(i, false);
      const keepId = add(r.store(0), { firstName: 'Quang', email: 'quang@shop.com', phone: '+14155552671' });
      const removeId = add(r.store(1), { firstName: 'Quang', email: 'quang@shop.com', phone: '+14155552672' });
      const thirdId = add(r.store(2), { firstName: 'Quan', email: 'quan@shop.com', phone: '+14155552672' });
      for (let i = 1; i < 3; i++) r.setOnline(i, true);
      const store = r.store(0);
      const refused = store.mergeCustomers(keepId, removeId, { phone: 'remove' });
      assert.equal(refused.ok, false);
      assert.deepEqual(!refused.ok && refused.errors, [{ field: 'phone', message: messages.duplicatePhone('Quan'), existingCustomerId: thirdId }]);
      assert.equal(store.get(removeId)?.deleted, false);
      // The kept phone stays; the removed customer's clash with the third goes with it.
      assert.ok(store.mergeCustomers(keepId, removeId).ok);
      assert.deepEqual(store.duplicates(), []);
      assert.equal(store.get(thirdId)?.phone, '+14155552672');
      r.destroy();
    });

    it('a merge that would leave the kept customer without a name', () => {
      const store = newStore();
      const keepId = add(store, { firstName: 'Tam', email: 'tam@shop.com' });
      const removeId = add(store, { lastName: 'Tam', email: 'tam2@shop.com' });
      const refused = store.mergeCustomers(keepId, removeId, { firstName: 'remove' });
      assert.deepEqual(!refused.ok && refused.errors.map((e) => e.message), [messages.nameRequired]);
    });
  });

  it('merges a value three customers share one pair at a time, until no duplicate is left', () => {
    const store = newStore();
    const ids = ['Hoa', 'Hoà', 'Hoa T'].map((firstName) => add(store, { firstName }));
    // Another app (or three offline tills) wrote the same email on all three.
    const doc = store.doc;
    doc.transact(() => {
      for (const id of ids)
        doc.getMap('customers').set(id, encodeCustomer({ ...(decodeCustomer(doc.getMap('customers').get(id)) as object), email: 'hoa@shop.com' }));
    });
    assert.equal(store.duplicates()[0]?.customerIds.length, 3);
    const [keepId, second, third] = ids as [string, string, string];
    assert.ok(store.mergeCustomers(keepId, second).ok, 'a clash the kept customer already has does not block the merge');
    assert.deepEqual(store.duplicates()[0]?.customerIds.sort(), [keepId, third].sort());
    assert.ok(store.mergeCustomers(keepId, third).ok);
    assert.deepEqual(store.duplicates(), []);
    assert.equal(store.resolveCustomerId(second), keepId);
  });

  it('follows merges through several customers, and does not loop on records pointing at each other', () => {
    const store = newStore();
    const [a, b, c] = ['Anh', 'Bao', 'Cuc'].map((firstName) => add(store, { firstName })) as [string, string, string];
    assert.ok(store.mergeCustomers(b, a).ok);
    assert.ok(store.mergeCustomers(c, b).ok);
    assert.equal(store.resolveCustomerId(a), c);
    // Two records merged into each other (an exact tie of two opposite merges, or another app).
    const doc = store.doc;
    const customers = doc.getMap('customers');
    const [x, y] = ['Xuan', 'Yen'].map((firstName) => add(store, { firstName })) as [string, string];
    doc.transact(() => {
      for (const [id, into] of [
        [x, y],
        [y, x],
      ] as const) {
        const raw = decodeCustomer(customers.get(id)) as { clocks: Record<string, number> };
        customers.set(
          id,
          encodeCustomer({ ...raw, deletedAt: 1, deletedBy: 'app', mergedInto: into, clocks: { ...raw.clocks, deletedAt: 9e15, mergedInto: 9e15 } }),
        );
      }
    });
    assert.equal(store.get(x)?.deleted, true);
    assert.ok([x, y].includes(store.resolveCustomerId(x)));
  });

  it('a customer restored after its merge no longer resolves to the survivor', () => {
    const store = newStore();
    const keepId = add(store, { firstName: 'Kim', email: 'kim@shop.com' });
    const removeId = add(store, { firstName: 'Kim', phone: '+14155552671' });
    assert.ok(store.mergeCustomers(keepId, removeId).ok);
    assert.ok(store.restore(removeId).ok);
    assert.equal(store.get(removeId)?.mergedInto, null);
    assert.equal(store.resolveCustomerId(removeId), removeId);
  });

  describe('between tills', () => {
    /**
     * Till 3 went offline knowing only the customer till 2 created; tills 1 and 2 then find the pair and
     * merge it.
     */
    function mergedWhileTill3Away(r: Replicas): { keepId: string; removeId: string } {
      r.setOnline(0, false);
      const removeId = add(r.store(1), { firstName: 'Long', email: 'long@shop.com' });
      r.setOnline(2, false);
      const keepId = add(r.store(0), { firstName: 'Long', email: 'long@shop.com', phone: '+84912345678' });
      r.setOnline(0, true);
      assert.equal(r.store(0).duplicates().length, 1);
      return { keepId, removeId };
    }

    it('an edit of the removed customer made later on a till that had not seen the merge brings it back, listed as a duplicate again', () => {
      let now = 1_000_000;
      const r = new Replicas(3, () => (now += 10));
      const { keepId, removeId } = mergedWhileTill3Away(r);
      const notices: string[] = [];
      r.store(0).subscribe((ch) =>
        ch.notices.forEach((n) => notices.push(`${n.kind}:${n.customerId}:${n.byTill}:${n.kind === 'merge-overridden' ? n.mergedInto : ''}`)),
      );
      assert.ok(r.store(0).mergeCustomers(keepId, removeId).ok);
      assert.ok(r.store(2).update(removeId, { notes: 'asked for a receipt by email' }).ok);
      r.setOnline(2, true);
      for (const store of r.stores) {
        const revived = store.get(removeId);
        assert.equal(revived?.deleted, false, 'the later edit keeps the record live (delete against edit)');
        assert.equal(revived?.notes, 'asked for a receipt by email', 'the edit is there');
        assert.equal(store.resolveCustomerId(removeId), removeId);
        assert.deepEqual(
          store.duplicates().map((d) => [d.field, d.customerIds.sort()]),
          [['email', [keepId, removeId].sort()]],
        );
      }
      assert.deepEqual(notices, [`merge-overridden:${removeId}:till-3:${keepId}`]);
      // Merging again keeps what the other till typed.
      assert.ok(r.store(0).mergeCustomers(keepId, removeId, { notes: 'remove' }).ok);
      for (const store of r.stores) {
        assert.equal(store.get(keepId)?.notes, 'asked for a receipt by email');
        assert.deepEqual(store.duplicates(), []);
      }
      const [first, ...rest] = r.snapshots();
      for (const other of rest) assert.deepEqual(other, first);
      r.destroy();
    });

    it('an edit of the removed customer older than the merge stays inside the tombstone', () => {
      let now = 1_000_000;
      const r = new Replicas(3, () => (now += 10));
      const { keepId, removeId } = mergedWhileTill3Away(r);
      assert.ok(r.store(2).update(removeId, { notes: 'older' }).ok);
      assert.ok(r.store(0).mergeCustomers(keepId, removeId).ok);
      r.setOnline(2, true);
      for (const store of r.stores) {
        assert.equal(store.get(removeId)?.deleted, true);
        assert.equal(store.get(removeId)?.notes, 'older');
        assert.equal(store.resolveCustomerId(removeId), keepId);
      }
      r.destroy();
    });

    it('two tills merging one pair in opposite directions while apart leave the later merge’s survivor on every till', () => {
      let now = 1_000_000;
      const r = new Replicas(2, () => (now += 10));
      const [a, b] = offlineDuplicates(
        r,
        { firstName: 'Nam', email: 'nam@shop.com', billingAddress: { street1: '1 A St', country: 'VN' } },
        { firstName: 'Nam', email: 'nam@shop.com', billingAddress: { street1: '2 B St', country: 'VN' } },
      );
      r.setOnline(1, false);
      assert.ok(r.store(0).mergeCustomers(a, b).ok);
      assert.ok(r.store(1).mergeCustomers(b, a).ok);
      r.setOnline(1, true);
      for (const store of r.stores) {
        assert.equal(store.get(b)?.deleted, false, 'till 2 merged later: its survivor stands');
        assert.equal(store.get(a)?.deleted, true);
        assert.equal(store.resolveCustomerId(a), b);
        assert.deepEqual(streets(store, b), ['1 A St', '2 B St']);
        assert.deepEqual(store.duplicates(), []);
      }
      assert.deepEqual(r.snapshots()[0], r.snapshots()[1]);
      r.destroy();
    });

    it('… and on an exact tie of stamps keep both, never neither', () => {
      const r = new Replicas(2, () => 5_000_000);
      const [a, b] = offlineDuplicates(r, { firstName: 'Oanh', email: 'oanh@shop.com' }, { firstName: 'Oanh', email: 'oanh@shop.com' });
      r.setOnline(1, false);
      assert.ok(r.store(0).mergeCustomers(a, b).ok);
      assert.ok(r.store(1).mergeCustomers(b, a).ok);
      r.setOnline(1, true);
      assert.deepEqual(r.snapshots()[0], r.snapshots()[1]);
      for (const store of r.stores) {
        const live = [a, b].filter((id) => store.get(id)?.deleted === false);
        assert.ok(live.length >= 1, 'at least one of the pair is live');
        for (const id of [a, b]) assert.ok(live.includes(store.resolveCustomerId(id)), 'both ids find a live customer');
      }
      r.destroy();
    });

    it('two tills merging the same way while apart keep both tills’ picks field by field', () => {
      let now = 1_000_000;
      const r = new Replicas(2, () => (now += 10));
      const [a, b] = offlineDuplicates(
        r,
        { firstName: 'Phuc', email: 'phuc@shop.com' },
        { firstName: 'Phúc', lastName: 'Le', email: 'phuc@shop.com', notes: 'x' },
      );
      r.setOnline(1, false);
      assert.ok(r.store(0).mergeCustomers(a, b, { firstName: 'remove' }).ok);
      assert.ok(r.store(1).mergeCustomers(a, b, { lastName: 'remove' }).ok);
      r.setOnline(1, true);
      for (const store of r.stores) {
        assert.equal(store.get(a)?.firstName, 'Phúc');
        assert.equal(store.get(a)?.lastName, 'Le');
        assert.equal(store.get(b)?.deleted, true);
      }
      assert.deepEqual(r.snapshots()[0], r.snapshots()[1]);
      r.destroy();
    });

    it('a default set to the removed customer on a till that had not seen the merge still finds the survivor', () => {
      let now = 1_000_000;
      const r = new Replicas(2, () => (now += 10));
      const [keepId, removeId] = offlineDuplicates(r, { firstName: 'Quy', email: 'quy@shop.com' }, { firstName: 'Quy', email: 'quy@shop.com' });
      r.setOnline(1, false);
      assert.ok(r.store(0).mergeCustomers(keepId, removeId).ok);
      assert.ok(r.store(1).updateSettings({ defaultCustomerId: removeId }).ok);
      r.setOnline(1, true);
      for (const store of r.stores) assert.equal(store.defaultCustomer()?.id, keepId);
      r.destroy();
    });
  });
});
