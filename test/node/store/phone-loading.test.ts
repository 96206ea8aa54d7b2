import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { loadPhone, loadedPhone } from '../../../components/model/lazy-phone.js';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { buildStoreDocument } from '../../fixtures/customer-generator.js';

// Its own file, so its own process: nothing has loaded the phone module before these tests.
describe('a store before its phone module has loaded', () => {
  it('searches phones, keeps held numbers, refuses new ones with a clear error, and takes them once loaded', async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(buildStoreDocument(50, 4)));
    const store = new CustomerStore(doc, { tillId: 'till-1' });
    store.updateSettings({ defaultCountry: 'VN' });
    assert.equal(loadedPhone(), undefined, 'the phone module is still on its way');

    const withPhone = store
      .listIds()
      .map((id) => store.get(id))
      .find((customer) => customer?.phone.startsWith('+84'));
    assert.ok(withPhone, 'the fixture holds a Vietnamese number');
    const national = withPhone.phone.slice(3);
    assert.ok(store.search(`0${national}`, 5).ids.includes(withPhone.id), 'found by the number as a cashier types it');

    assert.ok(store.update(withPhone.id, { notes: 'Asked for the loyalty card' }).ok, 'an edit keeping the number goes through');
    const refused = store.create({ firstName: 'Lan', phone: '0912 345 678' });
    assert.deepEqual(refused.ok ? [] : refused.errors.map((e) => [e.field, e.message]), [['phone', messages.phoneNotReady]]);
    assert.ok(store.create({ firstName: 'Minh' }).ok, 'a customer without a phone is created');
    const other = store
      .listIds()
      .map((id) => store.get(id))
      .find((customer) => customer && customer.id !== withPhone.id && customer.phone);
    assert.ok(other, 'a second customer with a phone');
    const merged = store.mergeCustomers(withPhone.id, other.id, { phone: 'remove' });
    assert.ok(merged.ok, `a merge taking the other record's stored number goes through: ${JSON.stringify(merged)}`);
    assert.equal(store.get(withPhone.id)?.phone, other.phone);

    await loadPhone();
    const created = store.create({ firstName: 'Lan', phone: '0912 345 678' });
    assert.ok(created.ok, `the same number is taken once the module is there: ${JSON.stringify(created)}`);
    assert.equal(created.value.phone, '+84912345678', 'stored as E.164');
  });
});
