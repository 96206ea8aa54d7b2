import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore } from '../../../components/store/customer-store.js';

const newStore = () => new CustomerStore(new Y.Doc(), { tillId: 'till-1' });

describe('bulk creation (imports)', () => {
  it('previews without writing: invalid rows, duplicates of existing customers and within the batch', () => {
    const store = newStore();
    const existing = store.create({ firstName: 'Old', email: 'old@shop.com' });
    assert.ok(existing.ok);
    const preview = store.createMany(
      [{ firstName: 'Ok', email: 'ok@shop.com' }, { firstName: '' }, { firstName: 'Dup', email: 'OLD@shop.com' }, { firstName: 'Twice', email: 'ok@shop.com' }],
      { dryRun: true },
    );
    assert.deepEqual(preview.created, [], 'a dry run makes no ids');
    assert.deepEqual(
      preview.rejected.map((r) => [r.index, r.errors[0]?.field, r.errors[0]?.message]),
      [
        [1, 'firstName', messages.nameRequired],
        [2, 'email', messages.duplicateEmail('Old')],
        [3, 'email', messages.duplicateInBatch(1)],
      ],
    );
    assert.equal(store.liveCount, 1, 'a dry run writes nothing');
  });

  it('writes the valid rows in one transaction, undoable in one step', () => {
    const store = newStore();
    let transactions = 0;
    store.subscribe(() => transactions++);
    const outcome = store.createMany([{ firstName: 'A' }, { firstName: 'B', phone: 'bad' }, { firstName: 'C' }]);
    assert.equal(outcome.created.length, 2);
    assert.equal(outcome.rejected[0]?.index, 1);
    assert.equal(transactions, 1);
    assert.equal(store.liveCount, 2);
    store.undo();
    assert.equal(store.liveCount, 0);
  });
});

describe('list queries', () => {
  it('filters by search and group and sorts by name, creation or last change', () => {
    let clock = 1_000;
    const store = new CustomerStore(new Y.Doc(), { tillId: 't', wallMicros: () => (clock += 1000) * 1000 });
    const vip = store.createGroup({ name: 'VIP' });
    assert.ok(vip.ok);
    const names = ['Chi', 'An', 'Binh'];
    const ids = names.map((firstName) => {
      // createdAt is wall-clock milliseconds: keep the three creations in distinct milliseconds.
      const start = Date.now();
      while (Date.now() - start < 2);
      const r = store.create({ firstName, groupId: firstName === 'Chi' ? null : vip.value.id });
      assert.ok(r.ok);
      return r.value.id;
    });
    const nameOf = (id: string) => store.get(id)?.firstName;
    assert.deepEqual(store.listIds().map(nameOf), ['An', 'Binh', 'Chi']);
    assert.deepEqual(store.listIds({ groupId: vip.value.id }).map(nameOf), ['An', 'Binh']);
    assert.deepEqual(store.listIds({ groupId: null }).map(nameOf), ['Chi']);
    assert.deepEqual(store.listIds({ query: 'b' }).map(nameOf), ['Binh']);
    assert.ok(ids[0]);
    assert.deepEqual(store.listIds({ sort: 'created', descending: true }).map(nameOf), ['Binh', 'An', 'Chi']);
    const start = Date.now();
    while (Date.now() - start < 2);
    store.update(ids[0], { notes: 'changed last' });
    assert.deepEqual(store.listIds({ sort: 'updated', descending: true }).map(nameOf)[0], 'Chi');
  });
});
