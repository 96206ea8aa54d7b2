import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import * as Y from 'yjs';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { Replicas } from './replicas.js';
import { loadPhone } from '../../../components/model/lazy-phone.js';

// Written at once after opening: a store's open waits for the phone module, which these writes need.
await loadPhone();

describe('merge semantics between tills', () => {
  it('keeps both edits when two offline tills change different fields of one customer', () => {
    const r = new Replicas(2);
    const c = r.store(0).create({ firstName: 'Anna', lastName: 'Tran' });
    assert.ok(c.ok);
    r.setOnline(0, false);
    r.setOnline(1, false);
    assert.ok(r.store(0).update(c.value.id, { email: 'anna@shop.com' }).ok);
    assert.ok(r.store(1).update(c.value.id, { phone: '+84912345678' }).ok);
    r.setOnline(0, true);
    r.setOnline(1, true);
    for (const store of r.stores) {
      const got = store.get(c.value.id);
      assert.equal(got?.email, 'anna@shop.com');
      assert.equal(got?.phone, '+84912345678');
    }
    assert.deepEqual(r.snapshots()[0], r.snapshots()[1]);
    r.destroy();
  });

  it('lets the later write win when two tills change the same field, on every till', () => {
    let now = 1_000_000;
    const r = new Replicas(3, () => (now += 10));
    const c = r.store(0).create({ firstName: 'Bao' });
    assert.ok(c.ok);
    for (let i = 0; i < 3; i++) r.setOnline(i, false);
    r.store(0).update(c.value.id, { notes: 'first' });
    r.store(1).update(c.value.id, { notes: 'second' });
    r.store(2).update(c.value.id, { lastName: 'Le' });
    for (let i = 0; i < 3; i++) r.setOnline(i, true);
    for (const store of r.stores) {
      assert.equal(store.get(c.value.id)?.notes, 'second');
      assert.equal(store.get(c.value.id)?.lastName, 'Le');
    }
    const [a, b, d] = r.snapshots();
    assert.deepEqual(a, b);
    assert.deepEqual(a, d);
    r.destroy();
  });

  it('takes a write made over the record it replaced as it is, even with older field stamps (a restore by another app)', () => {
    let now = 1_000_000;
    const r = new Replicas(2, () => (now += 10));
    const c = r.store(0).create({ firstName: 'Hoa', notes: 'first' });
    assert.ok(c.ok);
    const first = JSON.parse(r.docs[1]?.getMap('customers').get(c.value.id) as string) as Record<string, unknown>;
    assert.ok(r.store(0).update(c.value.id, { notes: 'second' }).ok);
    // Another app on till 2 puts the first version back over the second, which it has seen.
    r.docs[1]?.transact(() => r.docs[1]?.getMap('customers').set(c.value.id, JSON.stringify(first)), 'restore-app');
    for (const store of r.stores) assert.equal(store.get(c.value.id)?.notes, 'first');
    assert.deepEqual(r.snapshots()[0], r.snapshots()[1]);
    r.destroy();
  });

  for (const concurrent of [false, true]) {
    it(`lets an edit made after seeing a value from a till whose clock runs days ahead win, ${concurrent ? 'with' : 'without'} a concurrent edit of another field`, () => {
      let now = 1_700_000_000_000_000;
      const ahead = [3 * 86_400e6, 0, 0];
      const docs = ahead.map(() => new Y.Doc());
      const stores = docs.map((doc, i) => new CustomerStore(doc, { tillId: `till-${i + 1}`, wallMicros: () => (now += 10) + (ahead[i] ?? 0) }));
      const sync = () => {
        for (let round = 0; round < 4; round++)
          for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync');
      };
      const c = stores[1]?.create({ firstName: 'Hoa' });
      assert.ok(c?.ok);
      sync();
      assert.ok(stores[0]?.update(c.value.id, { notes: 'typed on the till with the broken clock' }).ok);
      sync();
      assert.ok(stores[1]?.update(c.value.id, { notes: 'corrected later' }).ok);
      if (concurrent) assert.ok(stores[2]?.update(c.value.id, { lastName: 'Tran' }).ok);
      sync();
      for (const store of stores) {
        assert.equal(store.get(c.value.id)?.notes, 'corrected later');
        assert.equal(store.get(c.value.id)?.lastName, concurrent ? 'Tran' : '');
      }
      stores.forEach((store) => store.destroy());
    });
  }

  it('lets a customer put in a group that another till deleted meanwhile be edited and merged, shown in no group', () => {
    const r = new Replicas(2);
    const vip = r.store(0).createGroup({ name: 'VIP' });
    assert.ok(vip.ok);
    r.setOnline(1, false);
    assert.ok(r.store(0).deleteGroup(vip.value.id).ok);
    const member = r.store(1).create({ firstName: 'Lan', phone: '+84912345678', groupId: vip.value.id });
    const twin = r.store(0).create({ firstName: 'Lan', phone: '+84912345678' });
    assert.ok(member.ok && twin.ok);
    r.setOnline(1, true);
    for (const store of r.stores) {
      assert.equal(store.group(vip.value.id), undefined);
      assert.ok(store.update(member.value.id, { notes: 'prefers SMS' }).ok, 'an edit of another field');
    }
    const merged = r.store(0).mergeCustomers(member.value.id, twin.value.id);
    assert.ok(merged.ok, JSON.stringify(!merged.ok && merged.errors));
    assert.equal(r.store(0).update(member.value.id, { groupId: 'no-such-group' }).ok, false, 'a group that does not exist is still refused');
    r.destroy();
  });

  it('breaks an exact tie of stamps the same way on every till', () => {
    const r = new Replicas(2, () => 5_000_000);
    const c = r.store(0).create({ firstName: 'Chi' });
    assert.ok(c.ok);
    r.setOnline(1, false);
    r.store(0).update(c.value.id, { notes: 'from one' });
    r.store(1).update(c.value.id, { notes: 'from two' });
    r.setOnline(1, true);
    assert.equal(r.store(0).get(c.value.id)?.notes, r.store(1).get(c.value.id)?.notes);
    assert.deepEqual(r.snapshots()[0], r.snapshots()[1]);
    r.destroy();
  });

  it('keeps addresses both tills added while apart', () => {
    const r = new Replicas(2);
    const c = r.store(0).create({ firstName: 'Dung' });
    assert.ok(c.ok);
    r.setOnline(1, false);
    assert.ok(r.store(0).addAddress(c.value.id, { street1: '1 Le Loi', city: 'Hue', country: 'VN' }).ok);
    assert.ok(r.store(1).addAddress(c.value.id, { street1: '9 Tran Phu', city: 'Hanoi', country: 'VN' }).ok);
    r.setOnline(1, true);
    for (const store of r.stores) {
      const streets: string[] | undefined = store
        .get(c.value.id)
        ?.addresses.map((a) => a.street1)
        .sort();
      assert.deepEqual(streets, ['1 Le Loi', '9 Tran Phu']);
    }
    r.destroy();
  });

  it('gives two customers created offline on two tills two records', () => {
    const r = new Replicas(2);
    r.setOnline(1, false);
    const a = r.store(0).create({ firstName: 'Em', email: 'em@shop.com' });
    const b = r.store(1).create({ firstName: 'Em', email: 'em@shop.com' });
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.value.id, b.value.id);
    r.setOnline(1, true);
    for (const store of r.stores) {
      assert.equal(store.liveCount, 2);
      assert.deepEqual(
        store.duplicates().map((d) => [d.field, d.customerIds.sort()]),
        [['email', [a.value.id, b.value.id].sort()]],
      );
    }
    r.destroy();
  });

  describe('delete against edit', () => {
    it('undoes a second delete of a customer that an edit on another till kept after the first', () => {
      let now = 1_000_000;
      const r = new Replicas(2, () => (now += 10));
      const c = r.store(0).create({ firstName: 'José', lastName: 'Álvarez' });
      assert.ok(c.ok);
      r.setOnline(1, false);
      assert.ok(r.store(0).delete(c.value.id).ok);
      assert.ok(r.store(1).update(c.value.id, { notes: 'pays by card' }).ok);
      r.setOnline(1, true);
      assert.equal(r.store(0).get(c.value.id)?.deleted, false, 'the later edit kept the customer');
      assert.ok(r.store(0).delete(c.value.id).ok);
      assert.ok(r.store(0).undo());
      for (const store of r.stores) {
        assert.equal(store.get(c.value.id)?.deleted, false);
        assert.equal(store.get(c.value.id)?.notes, 'pays by card');
      }
      assert.ok(r.store(0).redo());
      for (const store of r.stores) assert.equal(store.get(c.value.id)?.deleted, true);
      r.destroy();
    });

    it('keeps the customer when the edit is later than the delete, and tells the deleting till', () => {
      let now = 1_000_000;
      const r = new Replicas(2, () => (now += 10));
      const c = r.store(0).create({ firstName: 'Giang' });
      assert.ok(c.ok);
      r.setOnline(1, false);
      assert.ok(r.store(0).delete(c.value.id).ok);
      assert.ok(r.store(1).update(c.value.id, { phone: '+14155552671' }).ok);
      const notices: string[] = [];
      r.store(0).subscribe((ch) => ch.notices.forEach((n) => notices.push(`${n.kind}:${n.byTill}`)));
      r.setOnline(1, true);
      for (const store of r.stores) {
        const got = store.get(c.value.id);
        assert.equal(got?.deleted, false);
        assert.equal(got?.phone, '+14155552671');
      }
      assert.deepEqual(notices, ['delete-overridden:till-2']);
      r.destroy();
    });

    it('deletes when the delete is later, keeping the edit in the tombstone for a restore', () => {
      let now = 1_000_000;
      const r = new Replicas(2, () => (now += 10));
      const c = r.store(0).create({ firstName: 'Hanh' });
      assert.ok(c.ok);
      r.setOnline(1, false);
      assert.ok(r.store(1).update(c.value.id, { notes: 'VIP' }).ok);
      assert.ok(r.store(0).delete(c.value.id).ok);
      r.setOnline(1, true);
      for (const store of r.stores) assert.equal(store.get(c.value.id)?.deleted, true);
      assert.ok(r.store(1).restore(c.value.id).ok);
      for (const store of r.stores) assert.equal(store.get(c.value.id)?.notes, 'VIP');
      r.destroy();
    });
  });

  describe('who writes a join', () => {
    it('writes the join of a collision once, not once per till, when a server relays it to eight tills', () => {
      mock.timers.enable({ apis: ['setTimeout'] });
      // Descending client ids: Yjs keeps till 2's value over till 3's, so the seven tills holding till 3's find the join.
      const docs = Array.from({ length: 8 }, (_, i) => Object.assign(new Y.Doc(), { clientID: 100 - i }));
      const stores = docs.map((doc, i) => new CustomerStore(doc, { tillId: `till-${i + 1}` }));
      try {
        // The sync server: every update reaches every other online till, in the order it was sent.
        const outbox: Array<{ from: number; update: Uint8Array }> = [];
        docs.forEach((doc, i) => doc.on('update', (update: Uint8Array, origin: unknown) => origin !== 'relay' && outbox.push({ from: i, update })));
        const relay = (offline?: number) => {
          for (let next = outbox.shift(); next; next = outbox.shift()) {
            const { from, update } = next;
            docs.forEach((doc, i) => i !== from && i !== offline && Y.applyUpdate(doc, update, 'relay'));
          }
        };
        const c = stores[0]?.create({ firstName: 'Minh' });
        assert.ok(c?.ok);
        relay();
        assert.ok(stores[1]?.update(c.value.id, { notes: 'typed offline' }).ok);
        const offlineEdit = outbox.splice(0);
        assert.ok(stores[2]?.update(c.value.id, { lastName: 'Pham' }).ok);
        relay(1);
        let joinWrites = 0;
        docs.forEach((doc, i) => doc.on('update', (_update: Uint8Array, origin: unknown) => origin === stores[i] && joinWrites++));
        // Till 2 reconnects: the server sends it what it lacks and relays its edit to everyone.
        Y.applyUpdate(docs[1] as Y.Doc, Y.encodeStateAsUpdate(docs[0] as Y.Doc, Y.encodeStateVector(docs[1] as Y.Doc)), 'relay');
        outbox.unshift(...offlineEdit);
        relay();
        mock.timers.tick(3000);
        relay();
        for (const store of stores) {
          assert.equal(store.get(c.value.id)?.notes, 'typed offline');
          assert.equal(store.get(c.value.id)?.lastName, 'Pham');
        }
        const [first, ...rest] = docs.map((doc) => doc.getMap('customers').toJSON());
        for (const other of rest) assert.deepEqual(other, first);
        assert.equal(joinWrites, 1, 'written by till 3 alone');
      } finally {
        stores.forEach((store) => store.destroy());
        mock.timers.reset();
      }
    });

    /** Till 1 holds till 2's edit; till 3, which never saw it, writes over it; till 2 is gone. */
    function collisionWithoutItsTill(): { docs: Y.Doc[]; stores: CustomerStore[]; id: string } {
      const docs = [1, 2, 3].map((clientID) => Object.assign(new Y.Doc(), { clientID }));
      const stores = docs.map((doc, i) => new CustomerStore(doc, { tillId: `till-${i + 1}` }));
      const send = (from: number, to: number) => {
        const [a, b] = [docs[from] as Y.Doc, docs[to] as Y.Doc];
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync');
      };
      const c = stores[0]?.create({ firstName: 'Lan' });
      assert.ok(c?.ok);
      send(0, 1);
      send(0, 2);
      assert.ok(stores[1]?.update(c.value.id, { lastName: 'Vo' }).ok);
      send(1, 0);
      stores[1]?.destroy();
      // Till 3's client id is the higher, so Yjs keeps its value over till 2's everywhere.
      assert.ok(stores[2]?.update(c.value.id, { notes: 'regular' }).ok);
      send(2, 0);
      return { docs, stores, id: c.value.id };
    }

    it('writes the join itself after a wait when the till whose edit it saves does not', () => {
      mock.timers.enable({ apis: ['setTimeout'] });
      try {
        const { docs, stores, id } = collisionWithoutItsTill();
        const [till1, , till3] = stores as [CustomerStore, CustomerStore, CustomerStore];
        assert.equal(till1.get(id)?.lastName, '', 'till 1 first waits for till 2’s join');
        assert.ok(till1.awaitingJoins);
        mock.timers.tick(3000);
        assert.ok(!till1.awaitingJoins);
        assert.equal(till1.get(id)?.lastName, 'Vo');
        assert.equal(till1.get(id)?.notes, 'regular');
        Y.applyUpdate(docs[2] as Y.Doc, Y.encodeStateAsUpdate(docs[0] as Y.Doc, Y.encodeStateVector(docs[2] as Y.Doc)), 'sync');
        assert.equal(till3.get(id)?.lastName, 'Vo');
        stores.forEach((store) => store.destroy());
      } finally {
        mock.timers.reset();
      }
    });

    it('writes a join it waits for into the document when it is closed', () => {
      mock.timers.enable({ apis: ['setTimeout'] });
      try {
        const { docs, stores, id } = collisionWithoutItsTill();
        stores[0]?.destroy();
        mock.timers.tick(3000);
        const stored = JSON.parse(docs[0]?.getMap('customers').get(id) as string) as Record<string, unknown>;
        assert.equal(stored.lastName, 'Vo');
        assert.equal(stored.notes, 'regular');
        stores[2]?.destroy();
      } finally {
        mock.timers.reset();
      }
    });
  });
});
