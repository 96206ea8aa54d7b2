import * as z from 'zod/mini';
import { $ZodCheckMaxLength } from 'zod/v4/core';
import { AddressFieldsSchema, type Address, type AddressFields, type AddressInput } from '../model/address.js';
import { StoredCustomerSchema, type Customer, type StoredCustomer, type StoredCustomerRecord } from '../model/customer.js';
import { StoredGroupSchema, type Group } from '../model/group.js';
import { isClockedRecord, isDeletedRecord, type ClockedRecord } from './record-merge.js';

/** A record that another till or app wrote in a shape we cannot use: shown as such, never thrown. */
export interface InvalidRecord {
  id: string;
  /** One line per problem, `field: what is wrong`. */
  problems: string[];
}

export type CustomerRead = { ok: true; customer: Customer; raw: StoredCustomer } | ({ ok: false } & InvalidRecord);

const customerCache = new WeakMap<object, CustomerRead>();

function problemsOf(error: z.core.$ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`);
}

/** Validates a stored customer (once per stored value) and shapes it for elements. */
export function readCustomer(id: string, raw: unknown): CustomerRead {
  if (typeof raw === 'string') return { ok: false, id, problems: ['record: not a JSON object'] };
  if (typeof raw !== 'object' || raw === null) return { ok: false, id, problems: [`record: expected an object, found ${raw === null ? 'null' : typeof raw}`] };
  const cached = customerCache.get(raw);
  if (cached) return cached;
  const parsed = StoredCustomerSchema.safeParse(raw);
  let read: CustomerRead;
  if (!parsed.success) read = { ok: false, id, problems: problemsOf(parsed.error) };
  else if (parsed.data.id !== id) read = { ok: false, id, problems: [`id: the record says ${parsed.data.id}`] };
  else {
    const { v: _v, clock: _c, clocks: _cs, addresses, ...rest } = parsed.data;
    const list: Address[] = [];
    for (const [addressId, address] of Object.entries(addresses)) if (address) list.push({ id: addressId, ...address });
    read = { ok: true, raw: parsed.data, customer: { ...rest, addresses: list, deleted: isDeletedRecord(parsed.data) } };
  }
  customerCache.set(raw, read);
  return read;
}

const customerShape = StoredCustomerSchema.shape;
const customerKeys = new Set(Object.keys(customerShape));
/** Fields a creation may leave out when empty (those the schema gives a default), with the value they read as. */
const omittedValues: Record<string, unknown> = Object.fromEntries(
  Object.entries(customerShape).flatMap(([key, schema]) => (schema instanceof z.ZodMiniDefault ? [[key, schema.parse(undefined)]] : [])),
);
const omittableKeys = new Set(Object.keys(omittedValues));
const addressKeys = new Set(Object.keys(AddressFieldsSchema.shape));
const addressTextFields = ['firstName', 'lastName', 'company', 'street1', 'street2', 'city', 'region', 'postcode', 'phone'] as const;
/** The limit of a string schema's `maxLength` check, if it has one (zod/mini has no `.maxLength`). */
function maxLengthOf(schema: z.core.$ZodString): number | undefined {
  const limits = (schema._zod.def.checks ?? []).flatMap((check) => (check instanceof $ZodCheckMaxLength ? [check._zod.def.maximum] : []));
  return limits.length ? Math.min(...limits) : undefined;
}
/** Length limits and the email pattern read from the schemas, so a change there cannot be missed here. */
const addressTextLimits = addressTextFields.map((field) => [field, maxLengthOf(AddressFieldsSchema.shape[field].def.innerType) ?? Infinity] as const);
const FIRST_NAME_MAX = maxLengthOf(customerShape.firstName.def.innerType) ?? 0;
const LAST_NAME_MAX = maxLengthOf(customerShape.lastName.def.innerType) ?? 0;
const NOTES_MAX = maxLengthOf(customerShape.notes.def.innerType) ?? 0;
const emailSchema = customerShape.email.def.innerType.def.options[0];
const EMAIL_MAX = maxLengthOf(emailSchema) ?? 0;
// z.email() always sets its pattern; without one no email would pass here, leaving each to zod.
const EMAIL = emailSchema._zod.def.pattern ?? /(?!)/;
const BARCODE_MAX = maxLengthOf(customerShape.cardBarcode.def.innerType) ?? 0;
// The patterns of customer.ts; test/node/store/record-views.test.ts holds this check to the schema.
const E164 = /^\+[1-9]\d{6,14}$/;
const BARCODE = /^[A-Za-z0-9\-./]*$/;
const COUNTRY = /^[A-Za-z]{2}$/;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const isFiniteNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
/** Untrimmed length within the limit: the schema trims first, so this can only be stricter. */
const isShortText = (v: unknown, max: number) => v === undefined || (typeof v === 'string' && v.length <= max);
const isNullableString = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const isNullableNumber = (v: unknown) => v === undefined || v === null || isFiniteNumber(v);

function isAddressEntry(value: unknown): boolean {
  if (value === null) return true;
  if (!isPlainRecord(value)) return false;
  for (const key in value) if (!addressKeys.has(key)) return false;
  const country = value.country;
  return (
    addressTextLimits.every(([field, max]) => isShortText(value[field], max)) &&
    (country === undefined || country === '' || (typeof country === 'string' && COUNTRY.test(country)))
  );
}

/**
 * A cheap structural check of a stored customer that accepts only records StoredCustomerSchema accepts
 * (every field, to the same rules or stricter: untrimmed lengths, no whitespace round a code), so a store
 * opening 100k customers runs zod only for the records this turns down — to tell which are invalid and
 * why. A record it passes is valid; zod still builds its view on the first `readCustomer`.
 */
export function passesStoredSchema(id: string, raw: unknown): boolean {
  if (!isPlainRecord(raw)) return false;
  for (const key in raw) if (!customerKeys.has(key)) return false;
  const { email, phone, groupId, mergedInto, addresses, clocks } = raw;
  if (!isPlainRecord(addresses) || !isPlainRecord(clocks)) return false;
  for (const entry in addresses) if (!isAddressEntry(addresses[entry])) return false;
  for (const path in clocks) if (!isFiniteNumber(clocks[path])) return false;
  return (
    raw.v === 1 &&
    id !== '' &&
    raw.id === id &&
    isShortText(raw.firstName, FIRST_NAME_MAX) &&
    isShortText(raw.lastName, LAST_NAME_MAX) &&
    isShortText(raw.notes, NOTES_MAX) &&
    (groupId === undefined || groupId === null || (typeof groupId === 'string' && groupId !== '')) &&
    (raw.cardBarcode === undefined || (typeof raw.cardBarcode === 'string' && raw.cardBarcode.length <= BARCODE_MAX && BARCODE.test(raw.cardBarcode))) &&
    (email === undefined || email === '' || (typeof email === 'string' && email.length <= EMAIL_MAX && EMAIL.test(email))) &&
    (phone === undefined || phone === '' || (typeof phone === 'string' && E164.test(phone))) &&
    isNullableString(raw.billingAddressId) &&
    isNullableString(raw.shippingAddressId) &&
    isFiniteNumber(raw.createdAt) &&
    typeof raw.createdBy === 'string' &&
    isFiniteNumber(raw.updatedAt) &&
    typeof raw.updatedBy === 'string' &&
    isNullableNumber(raw.deletedAt) &&
    isNullableString(raw.deletedBy) &&
    isNullableNumber(raw.purgedAt) &&
    (mergedInto === undefined || mergedInto === null || (typeof mergedInto === 'string' && mergedInto !== '')) &&
    isFiniteNumber(raw.clock)
  );
}

/** An address as the store writes it: empty fields left out (they read back as ''). */
export function leanAddress(address: AddressFields): AddressInput {
  return Object.fromEntries(Object.entries(address).filter(([, value]) => value !== ''));
}

/**
 * A new customer as the store writes it: fields still empty left out, for a ~0.6× decode. Only at
 * creation: an absent field reads as empty with the creation stamp, which is what it then is; a field
 * cleared later must carry its new stamp, so it is written.
 */
export function leanCustomerRecord(record: StoredCustomer): StoredCustomerRecord {
  const addresses: Record<string, AddressInput | null> = {};
  for (const [addressId, address] of Object.entries(record.addresses)) addresses[addressId] = address && leanAddress(address);
  const lean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!(omittableKeys.has(key) && (value === '' || value === null))) lean[key] = key === 'addresses' ? addresses : value;
  }
  return lean as StoredCustomerRecord;
}

/** A stored customer with the fields its creation left out written in, for comparing field by field. */
export function withOmittedFields<T extends ClockedRecord>(record: T): T {
  return { ...omittedValues, ...record };
}

export type GroupRead = { ok: true; group: Group; raw: z.infer<typeof StoredGroupSchema> } | ({ ok: false } & InvalidRecord);

export function readGroup(id: string, raw: unknown): GroupRead {
  const parsed = StoredGroupSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, id, problems: problemsOf(parsed.error) };
  const { v: _v, clock: _c, clocks: _cs, ...rest } = parsed.data;
  return { ok: true, raw: parsed.data, group: { ...rest, deleted: isDeletedRecord(parsed.data) } };
}

/** The strings search and uniqueness need, read defensively from a record that may be invalid. */
export function searchableFields(id: string, raw: unknown) {
  const r = (isClockedRecord(raw) ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return { id, firstName: str(r.firstName), lastName: str(r.lastName), email: str(r.email), phone: str(r.phone), cardBarcode: str(r.cardBarcode) };
}

/** Live for search and lists: a record we can read the stamps of that is not deleted. */
export function isLiveRecord(raw: unknown): raw is ClockedRecord {
  return isClockedRecord(raw) && !isDeletedRecord(raw);
}
