import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { messages } from '../../../components/model/messages.js';
import { CustomerStore } from '../../../components/store/customer-store.js';
import { loadPhone } from '../../../components/model/lazy-phone.js';

// Written at once after opening: a store's open waits for the phone module, which these writes need.
await loadPhone();

function freshStore(settings: Parameters<CustomerStore['updateSettings']>[0] = {}) {
  const store = new CustomerStore(new Y.Doc(), { tillId: 'till-1' });
  if (Object.keys(settings).length) assert.ok(store.updateSettings(settings).ok);
  return store;
}

function errorsOf(result: { ok: boolean; errors?: Array<{ field: string; message: string }> }) {
  assert.equal(result.ok, false, 'expected the save to be refused');
  return Object.fromEntries((result.errors ?? []).map((e) => [e.field, e.message]));
}

describe('customer validation', () => {
  it('accepts a name only, as the POS quick-create popup does', () => {
    const r = freshStore().create({ firstName: 'Daemon', lastName: 'John' });
    assert.ok(r.ok);
    assert.equal(r.value.firstName, 'Daemon');
    assert.equal(r.value.email, '');
    assert.equal(r.value.createdBy, 'till-1');
  });

  it('accepts a last name alone and trims what was typed', () => {
    const r = freshStore().create({ firstName: '   ', lastName: '  Nguyễn  ' });
    assert.ok(r.ok);
    assert.equal(r.value.firstName, '');
    assert.equal(r.value.lastName, 'Nguyễn');
  });

  it('refuses a customer with no name at all, on the first-name field', () => {
    assert.deepEqual(errorsOf(freshStore().create({ email: 'a@b.co' })), { firstName: messages.nameRequired });
  });

  it('refuses a malformed email and accepts a good one, lower-cased', () => {
    assert.deepEqual(errorsOf(freshStore().create({ firstName: 'A', email: 'not-an-email' })), { email: messages.emailInvalid });
    const ok = freshStore().create({ firstName: 'A', email: ' Anna.Tran@Shop.COM ' });
    assert.ok(ok.ok);
    assert.equal(ok.value.email, 'anna.tran@shop.com');
  });

  it('normalises phones typed in national format to E.164 with the store country', () => {
    const store = freshStore({ defaultCountry: 'VN' });
    const r = store.create({ firstName: 'Minh', phone: '0912 345 678' });
    assert.ok(r.ok);
    assert.equal(r.value.phone, '+84912345678');
    const us = store.create({ firstName: 'Sam', phone: '+1 (415) 555-2671' });
    assert.ok(us.ok);
    assert.equal(us.value.phone, '+14155552671');
  });

  it('refuses a phone number that cannot be a real number', () => {
    assert.deepEqual(errorsOf(freshStore({ defaultCountry: 'VN' }).create({ firstName: 'A', phone: '12' })), { phone: messages.phoneInvalid });
    assert.deepEqual(errorsOf(freshStore().create({ firstName: 'A', phone: 'call me' })), { phone: messages.phoneInvalid });
  });

  it('requires email and phone only when the store says so', () => {
    const store = freshStore({ requireEmail: true, requirePhone: true });
    assert.deepEqual(errorsOf(store.create({ firstName: 'A' })), { email: messages.emailRequired, phone: messages.phoneRequired });
    assert.ok(freshStore().create({ firstName: 'A' }).ok);
  });

  it('limits lengths with a message that says the limit', () => {
    assert.deepEqual(errorsOf(freshStore().create({ firstName: 'x'.repeat(101) })), { firstName: messages.tooLong(100) });
    assert.deepEqual(errorsOf(freshStore().create({ firstName: 'A', notes: 'n'.repeat(2001) })), { notes: messages.tooLong(2000) });
  });

  it('refuses a card barcode with characters a scanner never sends', () => {
    assert.deepEqual(errorsOf(freshStore().create({ firstName: 'A', cardBarcode: 'abc def' })), { cardBarcode: messages.barcodeInvalid });
    assert.ok(freshStore().create({ firstName: 'A', cardBarcode: '2900001234567' }).ok);
  });

  it('refuses a group that does not exist', () => {
    assert.deepEqual(errorsOf(freshStore().create({ firstName: 'A', groupId: 'nope' })), { groupId: messages.unknownGroup });
  });

  it('reports every invalid field of an address with its path', () => {
    const errors = errorsOf(freshStore().create({ firstName: 'A', billingAddress: { country: 'Vietnam', postcode: '9'.repeat(21) } }));
    assert.deepEqual(errors, { 'billingAddress.postcode': messages.tooLong(20), 'billingAddress.country': messages.countryInvalid });
  });

  it('creates billing and shipping addresses from the back-office tabs', () => {
    const store = freshStore();
    const r = store.create({ firstName: 'A', billingAddress: { street1: '1 Main St', country: 'us' }, shippingAddress: 'same-as-billing' });
    assert.ok(r.ok);
    assert.equal(r.value.addresses.length, 1);
    assert.equal(r.value.addresses[0]?.country, 'US');
    assert.equal(r.value.billingAddressId, r.value.addresses[0]?.id);
    assert.equal(r.value.shippingAddressId, r.value.billingAddressId);
  });
});

describe('uniqueness within the store', () => {
  it('refuses a duplicate email, phone or card and names the customer who has it', () => {
    const store = freshStore({ defaultCountry: 'VN' });
    const first = store.create({ firstName: 'Anna', lastName: 'Tran', email: 'anna@shop.com', phone: '0912345678', cardBarcode: 'CARD-1' });
    assert.ok(first.ok);
    const dup = store.create({ firstName: 'Other', email: 'ANNA@shop.com', phone: '+84 912 345 678', cardBarcode: 'card-1' });
    assert.equal(dup.ok, false);
    if (dup.ok) return;
    assert.deepEqual(
      dup.errors.map((e) => [e.field, e.message, e.existingCustomerId]),
      [
        ['email', messages.duplicateEmail('Anna Tran'), first.value.id],
        ['phone', messages.duplicatePhone('Anna Tran'), first.value.id],
        ['cardBarcode', messages.duplicateBarcode('Anna Tran'), first.value.id],
      ],
    );
  });

  it('refuses an edit into a duplicate but lets a customer keep its own values', () => {
    const store = freshStore();
    const a = store.create({ firstName: 'A', email: 'a@shop.com' });
    const b = store.create({ firstName: 'B', email: 'b@shop.com' });
    assert.ok(a.ok && b.ok);
    assert.equal(store.update(b.value.id, { email: 'a@shop.com' }).ok, false);
    assert.ok(store.update(a.value.id, { email: 'a@shop.com', lastName: 'Same email' }).ok);
  });

  it('frees a deleted customer’s values, and refuses a restore that would clash', () => {
    const store = freshStore();
    const a = store.create({ firstName: 'A', email: 'a@shop.com' });
    assert.ok(a.ok);
    assert.ok(store.delete(a.value.id).ok);
    const b = store.create({ firstName: 'B', email: 'a@shop.com' });
    assert.ok(b.ok);
    const restored = store.restore(a.value.id);
    assert.equal(restored.ok, false);
    if (!restored.ok) assert.equal(restored.errors[0]?.existingCustomerId, b.value.id);
  });

  it('checks without saving and reports a duplicate together with other problems', () => {
    const store = freshStore();
    const a = store.create({ firstName: 'A', email: 'a@shop.com' });
    assert.ok(a.ok);
    const errors = store.check({ firstName: '', email: 'A@shop.com', phone: 'nope' });
    assert.deepEqual(errors.map((e) => e.field).sort(), ['email', 'firstName', 'phone']);
    assert.equal(errors.find((e) => e.field === 'email')?.existingCustomerId, a.value.id);
    assert.deepEqual(store.check({ firstName: 'A', email: 'a@shop.com' }, a.value.id), [], 'a customer keeps its own email');
    assert.equal(store.liveCount, 1);
  });
});
