import * as z from 'zod/mini';
import { AddressFieldsSchema, type AddressFields } from './address.js';

/**
 * One entry of a store's field history (the `history` array, components/store/README.md "Document layout"): which
 * field of which customer(s) a till changed, the value before and after, and when. Yjs keeps only
 * current values, so every change a till writes is logged here as a compact JSON string; a change made
 * to many customers at once (a bulk move to a group, a bulk delete) is one entry listing all of them.
 */

/** Customer fields logged with their text before and after. */
export const textFields = ['firstName', 'lastName', 'email', 'phone', 'notes', 'cardBarcode'] as const;
/** Customer fields holding an id (or null): a group, an address. */
export const idFields = ['groupId', 'billingAddressId', 'shippingAddressId'] as const;
export type TextField = (typeof textFields)[number];
export type IdField = (typeof idFields)[number];

/** A logged field's value: text, an id or null, an address or null (none), or a flag (`deleted`, `purged`). */
export type FieldValue = string | null | boolean | AddressFields;

const ADDRESS_PREFIX = 'addresses.';

/** The schema of a field's values, or undefined for a name this layout version does not log. */
function valueSchema(field: string): z.ZodMiniType<FieldValue> | undefined {
  if ((textFields as readonly string[]).includes(field)) return z.string();
  if ((idFields as readonly string[]).includes(field)) return z.nullable(z.string());
  if (field === 'deleted' || field === 'purged') return z.boolean();
  if (field.startsWith(ADDRESS_PREFIX) && field.length > ADDRESS_PREFIX.length) return z.nullable(z.strictObject(AddressFieldsSchema.shape));
  return undefined;
}

/** The address id of an `addresses.<id>` field, else undefined. */
export function addressIdOf(field: string): string | undefined {
  return field.startsWith(ADDRESS_PREFIX) ? field.slice(ADDRESS_PREFIX.length) : undefined;
}

const entryShape = {
  v: z.literal(1),
  /** The field: a name of `textFields` / `idFields`, `addresses.<id>`, `deleted` or `purged`. */
  f: z.string().check(z.minLength(1)),
  /** The value after the change. */
  a: z.unknown(),
  /** The hybrid-clock stamp of the write (the stamp the record's `clocks` got). */
  s: z.number(),
  /** Wall time of the write, ms since the epoch. */
  t: z.number(),
  /** The till that wrote it, its name then, and the cashier signed in, when known. */
  till: z.string(),
  tn: z.optional(z.string()),
  u: z.optional(z.string()),
};
/** One customer: `c` its id, `b` the value before. */
const OneCustomerEntrySchema = z.object({ ...entryShape, c: z.string().check(z.minLength(1)), b: z.unknown() });
/** Several customers changed to the same value in one write: `cs` their ids, `bs` each one's value before. */
const ManyCustomersEntrySchema = z.object({ ...entryShape, cs: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), bs: z.array(z.unknown()) });

/** A history entry as a till reads it: normalised to lists of customers, values checked for the field. */
export interface LoggedChange {
  field: string;
  customerIds: string[];
  /** Each customer's value before, aligned with `customerIds`. */
  befores: FieldValue[];
  after: FieldValue;
  stamp: number;
  at: number;
  tillId: string;
  tillName: string | undefined;
  cashier: string | undefined;
}

/** Parses one decoded entry (JSON.parse of the stored string); values must fit their field. */
export const FieldChangeEntrySchema = z.pipe(
  z.union([OneCustomerEntrySchema, ManyCustomersEntrySchema]),
  z.transform((entry, ctx): LoggedChange => {
    const problem = (path: PropertyKey[], message: string) => ctx.issues.push({ code: 'custom', path, message, input: entry });
    const schema = valueSchema(entry.f);
    if (!schema) {
      problem(['f'], `not a field this version logs: ${entry.f}`);
      return z.NEVER;
    }
    const [customerIds, rawBefores, beforePath] = 'c' in entry ? [[entry.c], [entry.b], ['b']] : [entry.cs, entry.bs, ['bs']];
    if (customerIds.length !== rawBefores.length) problem(['bs'], `${rawBefores.length} values for ${customerIds.length} customers`);
    const value = (raw: unknown, path: PropertyKey[]): FieldValue => {
      const parsed = schema.safeParse(raw);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) problem([...path, ...issue.path], issue.message);
      return null;
    };
    const after = value(entry.a, ['a']);
    const befores = rawBefores.map((raw, i) => value(raw, 'c' in entry ? beforePath : [...beforePath, i]));
    return { field: entry.f, customerIds, befores, after, stamp: entry.s, at: entry.t, tillId: entry.till, tillName: entry.tn, cashier: entry.u };
  }),
);

/** A change as a till writes it: values as the record holds them (an address with its empty fields left out). */
export type ChangeToLog = Omit<LoggedChange, 'befores' | 'after'> & { befores: unknown[]; after: unknown };

/** The stored form of a change: one compact JSON string in the history array. */
export function encodeChange(change: ChangeToLog): string {
  const { field: f, customerIds, befores, after: a, stamp: s, at: t, tillId: till, tillName: tn, cashier: u } = change;
  const who = customerIds.length === 1 ? { c: customerIds[0], f, b: befores[0] } : { cs: customerIds, f, bs: befores };
  return JSON.stringify({ v: 1, ...who, a, s, t, till, tn, u });
}
