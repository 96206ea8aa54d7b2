import * as z from 'zod';
import { type Address } from '../model/address.js';
import { StoredCustomerSchema, type Customer, type StoredCustomer } from '../model/customer.js';
import { StoredGroupSchema, type Group } from '../model/group.js';
import { isClockedRecord, isDeletedRecord } from './record-merge.js';

/** A record that another till or app wrote in a shape we cannot use: shown as such, never thrown. */
export interface InvalidRecord {
  id: string;
  /** One line per problem, `field: what is wrong`. */
  problems: string[];
}

export type CustomerRead = { ok: true; customer: Customer; raw: StoredCustomer } | ({ ok: false } & InvalidRecord);

const customerCache = new WeakMap<object, CustomerRead>();

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`);
}

/** Validates a stored customer (once per stored value) and shapes it for elements. */
export function readCustomer(id: string, raw: unknown): CustomerRead {
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
export function isLiveRecord(raw: unknown): boolean {
  return isClockedRecord(raw) && !isDeletedRecord(raw);
}
