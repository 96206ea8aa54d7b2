import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore, type StoreChange } from '../../../components/store/customer-store.js';
import { storeMaps } from '../../../components/store/document-layout.js';
import { decodeCustomer, encodeCustomer } from '../../../components/store/stored-customers.js';

const newStore = () => new CustomerStore(new Y.Doc(), { tillId: 'till-1' });

describe('customer store', () => {
  it('edits only the fields given and records who changed them', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Anh', lastName: 'Vo', notes: 'likes tea' });
    assert.ok(c.ok);
    const u = store.update(c.value.id, { lastName: 'Võ' });
    assert.ok(u.ok);
    assert.equal(u.value.lastName, 'Võ');
    assert.equal(u.value.notes, 'likes tea');
    assert.equal(u.value.updatedBy, 'till-1');
  });

  it('refuses edits to a deleted customer until it is restored', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Anh' });
    assert.ok(c.ok);
    assert.ok(store.delete(c.value.id).ok);
    assert.equal(store.get(c.value.id)?.deleted, true);
    assert.equal(store.search('anh').total, 0);
    const refused = store.update(c.value.id, { notes: 'x' });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.equal(refused.errors[0]?.message, messages.customerDeleted);
    assert.ok(store.restore(c.value.id).ok);
    assert.equal(store.search('anh').total, 1);
  });

  it('never deletes the default walk-in customer and says why', () => {
    const store = newStore();
    const walkIn = store.ensureDefaultCustomer();
    assert.ok(walkIn.ok);
    assert.equal(store.defaultCustomer()?.firstName, 'Walk-in');
    const other = store.create({ firstName: 'Bich' });
    assert.ok(other.ok);
    const outcome = store.deleteMany([walkIn.value.id, other.value.id]);
    assert.deepEqual(outcome.deleted, [other.value.id]);
    assert.deepEqual(
      outcome.refused.map((e) => e.message),
      [messages.defaultCustomerUndeletable],
    );
    const again = store.ensureDefaultCustomer();
    assert.equal(again.ok && again.value.id, walkIn.value.id, 'an existing default is kept');
  });

  it('starts a new address from the outlet address with the customer’s name', () => {
    const store = newStore();
    store.updateSettings({
      outletAddress: {
        street1: '5 Outlet Rd',
        city: 'Da Nang',
        country: 'VN',
        firstName: '',
        lastName: '',
        company: 'Shop',
        street2: '',
        region: '',
        postcode: '550000',
        phone: '',
      },
    });
    const c = store.create({ firstName: 'Cuong', lastName: 'Do' });
    assert.ok(c.ok);
    const draft = store.newAddressDraft(c.value.id);
    assert.equal(draft.street1, '5 Outlet Rd');
    assert.equal(draft.firstName, 'Cuong');
    assert.equal(draft.company, '', "the shop's company name is not the customer's");
  });

  it('takes an address country as a code that names one, in either case, and refuses made-up ones', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Cuong' });
    assert.ok(c.ok);
    const added = store.addAddress(c.value.id, { street1: '1 Main St', country: 'vn' });
    assert.ok(added.ok);
    assert.equal(added.value.country, 'VN');
    for (const country of ['ZZ', 'xx', 'USA', '12']) {
      const refused = store.addAddress(c.value.id, { street1: '1 Main St', country });
      assert.deepEqual(!refused.ok && refused.errors, [{ field: 'address.country', message: messages.countryInvalid }], country);
    }
    assert.ok(store.updateAddress(c.value.id, added.value.id, { country: 'XK' }).ok, 'Kosovo, as phone numbering has it');

    // Another app stored a code outside the list: edits that leave the country keep it, a new one must name one.
    const customers = storeMaps(store.doc).customers;
    const raw = decodeCustomer(customers.get(c.value.id)) as { addresses: Record<string, { country: string }> };
    raw.addresses[added.value.id]!.country = 'ZZ';
    customers.set(c.value.id, encodeCustomer(raw));
    assert.equal(store.get(c.value.id)?.addresses[0]?.country, 'ZZ');
    const edited = store.updateAddress(c.value.id, added.value.id, { city: 'Hue' });
    assert.deepEqual(edited.ok && [edited.value.city, edited.value.country], ['Hue', 'ZZ']);
    assert.ok(store.updateAddress(c.value.id, added.value.id, { city: 'Hanoi', country: 'zz' }).ok, 'the same country, as the editor sends it back');
    const other = store.updateAddress(c.value.id, added.value.id, { country: 'XX' });
    assert.deepEqual(!other.ok && other.errors, [{ field: 'address.country', message: messages.countryInvalid }]);
    assert.equal(store.get(c.value.id)?.addresses[0]?.country, 'ZZ');
  });

  it('adds, edits and removes addresses and keeps the defaults pointing at live ones', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Cuong' });
    assert.ok(c.ok);
    const home = store.addAddress(c.value.id, { street1: 'Home', country: 'VN' });
    const work = store.addAddress(c.value.id, { street1: 'Work', country: 'VN' });
    assert.ok(home.ok && work.ok);
    let got = store.get(c.value.id);
    assert.equal(got?.billingAddressId, home.value.id, 'the first address becomes the default');
    assert.ok(store.setDefaultAddress(c.value.id, 'shipping', work.value.id).ok);
    assert.ok(store.updateAddress(c.value.id, work.value.id, { street2: 'Floor 3' }).ok);
    assert.ok(store.removeAddress(c.value.id, home.value.id).ok);
    got = store.get(c.value.id);
    assert.deepEqual(
      got?.addresses.map((a) => [a.street1, a.street2]),
      [['Work', 'Floor 3']],
    );
    assert.equal(got?.billingAddressId, null);
    assert.equal(got?.shippingAddressId, work.value.id);
    assert.equal(store.updateAddress(c.value.id, home.value.id, { city: 'x' }).ok, false);
  });

  it('erases personal data on request and leaves a deleted tombstone', () => {
    const store = newStore();
    const c = store.create({ firstName: 'Erase', lastName: 'Me', email: 'e@x.io', billingAddress: { street1: 'Somewhere' } });
    assert.ok(c.ok);
    assert.ok(store.purge(c.value.id).ok);
    const got = store.get(c.value.id);
    assert.equal(got?.deleted, true);
    assert.deepEqual([got?.firstName, got?.lastName, got?.email, got?.addresses.length], ['', '', '', 0]);
    assert.ok(got?.purgedAt);
  });

  it('tells subscribers once per transaction which customers changed and whether it was this till', () => {
    const store = newStore();
    const seen: StoreChange[] = [];
    store.subscribe((c) => seen.push(c));
    const a = store.create({ firstName: 'A' });
    const b = store.create({ firstName: 'B' });
    assert.ok(a.ok && b.ok);
    store.deleteMany([a.value.id, b.value.id]);
    assert.equal(seen.length, 3);
    assert.deepEqual([...(seen[2]?.customers ?? [])].sort(), [a.value.id, b.value.id].sort());
    assert.equal(seen[2]?.local, true);
  });

  it('keeps working when a listener throws', () => {
    const store = newStore();
    let calls = 0;
    store.subscribe(() => {
      throw new Error('render bug');
    });
    store.subscribe(() => calls++);
    const original = console.error;
    console.error = () => {};
    try {
      assert.ok(store.create({ firstName: 'A' }).ok);
    } finally {
      console.error = original;
    }
    assert.equal(calls, 1);
  });

  describe('groups', () => {
    it('creates groups with unique names, renames, and assigns customers in bulk', () => {
      const store = newStore();
      const vip = store.createGroup({ name: 'VIP', discountPercent: 10 });
      assert.ok(vip.ok);
      assert.equal(store.createGroup({ name: ' vip ' }).ok, false);
      assert.deepEqual(store.createGroup({ name: 'Bad', discountPercent: 120 }).ok, false);
      const a = store.create({ firstName: 'A' });
      const b = store.create({ firstName: 'B' });
      assert.ok(a.ok && b.ok);
      assert.ok(store.assignGroup([a.value.id, b.value.id], vip.value.id).ok);
      assert.equal(store.get(b.value.id)?.groupId, vip.value.id);
      assert.ok(store.updateGroup(vip.value.id, { name: 'Gold' }).ok);
      assert.deepEqual(
        store.groups().map((g) => g.name),
        ['Gold'],
      );
    });

    it('moves members to another group, or to none, when a group is deleted', () => {
      const store = newStore();
      const vip = store.createGroup({ name: 'VIP' });
      const retail = store.createGroup({ name: 'Retail' });
      assert.ok(vip.ok && retail.ok);
      const a = store.create({ firstName: 'A', groupId: vip.value.id });
      assert.ok(a.ok);
      const deleted = store.deleteGroup(vip.value.id, retail.value.id);
      assert.ok(deleted.ok);
      assert.equal(deleted.value.moved, 1);
      assert.equal(store.get(a.value.id)?.groupId, retail.value.id);
      assert.ok(store.deleteGroup(retail.value.id).ok);
      assert.equal(store.get(a.value.id)?.groupId, null);
      assert.deepEqual(store.groups(), []);
    });
  });

  describe('undo and redo', () => {
    it('undoes and redoes this till’s create, edit and delete', () => {
      const store = newStore();
      const c = store.create({ firstName: 'Undo' });
      assert.ok(c.ok);
      store.update(c.value.id, { lastName: 'Me' });
      store.delete(c.value.id);
      assert.ok(store.undo());
      assert.equal(store.get(c.value.id)?.deleted, false);
      assert.ok(store.undo());
      assert.equal(store.get(c.value.id)?.lastName, '');
      assert.ok(store.undo());
      assert.equal(store.get(c.value.id)?.deleted, true);
      assert.equal(store.undo(), false);
      assert.ok(store.redo());
      assert.equal(store.get(c.value.id)?.deleted, false);
      assert.ok(store.redo());
      assert.equal(store.get(c.value.id)?.lastName, 'Me');
    });

    it('undoes a bulk delete in one step', () => {
      const store = newStore();
      const ids = ['A', 'B', 'C'].map((n) => {
        const r = store.create({ firstName: n });
        assert.ok(r.ok);
        return r.value.id;
      });
      store.deleteMany(ids);
      assert.equal(store.liveCount, 0);
      store.undo();
      assert.equal(store.liveCount, 3);
    });

    it('never undoes another till’s edit', () => {
      const docA = new Y.Doc();
      const docB = new Y.Doc();
      docA.on('update', (u: Uint8Array) => Y.applyUpdate(docB, u, 'net'));
      docB.on('update', (u: Uint8Array) => Y.applyUpdate(docA, u, 'net'));
      const a = new CustomerStore(docA, { tillId: 'till-a' });
      const b = new CustomerStore(docB, { tillId: 'till-b' });
      const c = a.create({ firstName: 'Shared' });
      assert.ok(c.ok);
      assert.ok(a.update(c.value.id, { notes: 'from A', lastName: 'A' }).ok);
      assert.ok(b.update(c.value.id, { notes: 'from B' }).ok);
      assert.equal(b.undo(), true);
      assert.equal(a.get(c.value.id)?.notes, 'from A', 'B undid its own note');
      assert.ok(b.redo());
      assert.ok(a.undo(), 'A undoes its edit');
      const after = a.get(c.value.id);
      assert.equal(after?.lastName, '', 'A’s own field is reverted');
      assert.equal(after?.notes, 'from B', 'B’s later note on the same field stays');
      assert.deepEqual(docA.getMap('customers').toJSON(), docB.getMap('customers').toJSON());
    });
  });

  describe('records written by another till or app', () => {
    it('reports a record with wrong types as invalid, with its id and problem, and keeps going', () => {
      const doc = new Y.Doc();
      const store = new CustomerStore(doc, { tillId: 'till-1' });
      const ok = store.create({ firstName: 'Good' });
      assert.ok(ok.ok);
      doc.transact(() => {
        doc.getMap('customers').set('rogue-1', { v: 1, id: 'rogue-1', firstName: 42 });
        doc.getMap('customers').set('rogue-2', 'garbage');
      }, 'another-app');
      const invalid = store.invalidRecords();
      assert.deepEqual(invalid.map((r) => r.id).sort(), ['rogue-1', 'rogue-2']);
      assert.ok(invalid.find((r) => r.id === 'rogue-1')?.problems.some((p) => p.startsWith('firstName:')));
      assert.equal(store.read('rogue-2')?.ok, false);
      assert.equal(store.get('rogue-1'), undefined);
      assert.equal(store.update('rogue-1', { notes: 'x' }).ok, false);
      assert.deepEqual(store.search('good').ids, [ok.value.id]);
    });

    it('changes only the settings given', () => {
      const doc = new Y.Doc();
      const store = new CustomerStore(doc, { tillId: 'till-1' });
      assert.ok(store.updateSettings({ defaultCountry: 'VN', requireEmail: true }).ok);
      assert.ok(store.updateSettings({ requirePhone: true }).ok);
      const settings = store.settings();
      assert.deepEqual([settings.defaultCountry, settings.requireEmail, settings.requirePhone], ['VN', true, true]);
      const refused = store.updateSettings({ defaultCountry: 'Vietnam' });
      assert.equal(refused.ok, false);
      if (!refused.ok) assert.equal(refused.errors[0]?.field, 'defaultCountry');
    });

    it('reads a setting stored in a wrong shape as its default', () => {
      const doc = new Y.Doc();
      const store = new CustomerStore(doc, { tillId: 'till-1' });
      doc.getMap('settings').set('defaultCountry', 123);
      doc.getMap('settings').set('requireEmail', true);
      assert.equal(store.settings().defaultCountry, 'US');
      assert.equal(store.settings().requireEmail, true);
    });

    it('indexes customers already in the document when the store opens', () => {
      const doc = new Y.Doc();
      const first = new CustomerStore(doc, { tillId: 'till-1' });
      assert.ok(first.create({ firstName: 'Preloaded', email: 'p@x.io' }).ok);
      first.destroy();
      const second = new CustomerStore(doc, { tillId: 'till-1' });
      assert.equal(second.search('prel').total, 1);
      assert.equal(second.create({ firstName: 'X', email: 'p@x.io' }).ok, false);
    });
  });
});
