import type { CustomerInput } from '../../model/customer.js';
import type { FieldError } from '../../model/field-errors.js';
import type { CustomerStore } from '../../store/customer-store.js';

/** The customer's own fields, in the order the form shows them. */
export const basicFields = ['firstName', 'lastName', 'email', 'phone', 'groupId', 'cardBarcode', 'notes'] as const;
export type BasicField = (typeof basicFields)[number];

export function isBasicField(key: string): key is BasicField {
  return (basicFields as readonly string[]).includes(key);
}

export type CustomerValues = Record<BasicField, string>;

/** What the store's `create` / `update` take for these values (an empty group select means no group). */
export function customerInput(values: CustomerValues, only: Iterable<BasicField> = basicFields): Partial<CustomerInput> {
  const input: Partial<CustomerInput> = {};
  for (const field of only) {
    if (field === 'groupId') input.groupId = values.groupId || null;
    else input[field] = values[field];
  }
  return input;
}

/** Every problem the store would find with these values (duplicates included), without saving, keyed by field. */
export function customerIssues(store: CustomerStore, values: CustomerValues, selfId: string): Map<BasicField, FieldError> {
  const out = new Map<BasicField, FieldError>();
  for (const e of store.check(customerInput(values), selfId || undefined)) if (isBasicField(e.field) && !out.has(e.field)) out.set(e.field, e);
  return out;
}
