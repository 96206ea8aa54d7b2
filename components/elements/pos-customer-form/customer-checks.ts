import { validateCustomerFields, type CustomerInput } from '../../model/customer.js';
import type { FieldError } from '../../model/field-errors.js';
import type { Settings } from '../../model/settings.js';

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

/** The store's customer rules that need no other customer, run without saving, keyed by field. */
export function customerIssues(
  values: CustomerValues,
  settings: Pick<Settings, 'defaultCountry' | 'requireEmail' | 'requirePhone'>,
): Map<BasicField, FieldError> {
  const checked = validateCustomerFields(customerInput(values), settings);
  const out = new Map<BasicField, FieldError>();
  if (!checked.ok) for (const e of checked.errors) if (isBasicField(e.field) && !out.has(e.field)) out.set(e.field, e);
  return out;
}
