import * as z from 'zod/mini';
import { AddressFieldsSchema, AddressSchema } from './address.js';
import { messages } from './messages.js';
import { loadPhone, loadedPhone } from './lazy-phone.js';
import { fieldErrorsOf, type Result } from './field-errors.js';
import type { Settings } from './settings.js';
import { text } from './text-fields.js';

export { displayName } from './display-name.js';

const e164 = z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, { error: messages.phoneInvalid }));
const email = z.email({ error: messages.emailInvalid }).check(z.maxLength(254, { error: messages.tooLong(254) }));
const barcode = z.string().check(z.trim(), z.maxLength(64, { error: messages.tooLong(64) }), z.regex(/^[A-Za-z0-9\-./]*$/, { error: messages.barcodeInvalid }));

/** Field rules shared by what a cashier types and what is read back from the document. */
const customerFieldShape = {
  firstName: text(100),
  lastName: text(100),
  groupId: z.nullable(z.string().check(z.minLength(1))),
  notes: text(2000),
  cardBarcode: barcode,
};

/**
 * The customer as it is stored in the document (the record of layout 2, a JSON string in `customers`; see components/store/README.md, "Document layout").
 * Every field a till can change has a hybrid-clock stamp in `clocks` (absent: the record's `clock`),
 * which is what lets two tills' concurrent edits of one record merge field by field.
 * A field left empty at creation may be absent (it reads as its empty value, with the creation stamp):
 * a record decodes in ~0.6× the time without them. A field cleared later is written, never dropped.
 */
export const StoredCustomerSchema = z.strictObject({
  v: z.literal(1),
  id: z.string().check(z.minLength(1)),
  firstName: z._default(customerFieldShape.firstName, ''),
  lastName: z._default(customerFieldShape.lastName, ''),
  groupId: z._default(customerFieldShape.groupId, null),
  notes: z._default(customerFieldShape.notes, ''),
  cardBarcode: z._default(customerFieldShape.cardBarcode, ''),
  email: z._default(z.union([email, z.literal('')]), ''),
  phone: z._default(z.union([e164, z.literal('')]), ''),
  /** Addresses by id; `null` marks a removed address so a concurrent edit cannot silently revive it. */
  addresses: z.record(z.string(), z.nullable(z.strictObject(AddressFieldsSchema.shape))),
  billingAddressId: z._default(z.nullable(z.string()), null),
  shippingAddressId: z._default(z.nullable(z.string()), null),
  createdAt: z.number(),
  createdBy: z.string(),
  updatedAt: z.number(),
  updatedBy: z.string(),
  deletedAt: z._default(z.nullable(z.number()), null),
  deletedBy: z._default(z.nullable(z.string()), null),
  purgedAt: z._default(z.nullable(z.number()), null),
  /** Set on the record a merge removed: the id of the customer it was merged into (see CustomerStore.mergeCustomers). */
  mergedInto: z._default(z.nullable(z.string().check(z.minLength(1))), null),
  clock: z.number(),
  clocks: z.record(z.string(), z.number()),
});
export type StoredCustomer = z.infer<typeof StoredCustomerSchema>;
/** A stored customer as written, empty fields possibly left out. */
export type StoredCustomerRecord = z.input<typeof StoredCustomerSchema>;

/** The customer as elements and host pages see it: live addresses as a list, deletion as a flag. */
export const CustomerSchema = z.extend(z.omit(StoredCustomerSchema, { v: true, clock: true, clocks: true, addresses: true }), {
  addresses: z.array(AddressSchema),
  deleted: z.boolean(),
});
export type Customer = z.infer<typeof CustomerSchema>;

/** Everything a cashier may set on a customer; the phone is free text until normalised. */
const customerInputShape = {
  ...customerFieldShape,
  firstName: z._default(customerFieldShape.firstName, ''),
  lastName: z._default(customerFieldShape.lastName, ''),
  groupId: z._default(customerFieldShape.groupId, null),
  notes: z._default(customerFieldShape.notes, ''),
  cardBarcode: z._default(customerFieldShape.cardBarcode, ''),
  email: z._default(z.string().check(z.trim(), z.toLowerCase()), ''),
  phone: z._default(z.string().check(z.trim()), ''),
};
export const CustomerInputSchema = z.object(customerInputShape);
export type CustomerInput = z.input<typeof CustomerInputSchema>;
export type CustomerFields = z.infer<typeof CustomerInputSchema>;
export type CustomerFieldName = keyof CustomerFields;
export const customerFieldNames = Object.keys(customerInputShape) as CustomerFieldName[];

/** A create may carry the billing and shipping addresses of the NexoPOS back-office tabs. */
export type NewCustomerInput = CustomerInput & {
  billingAddress?: z.input<typeof AddressFieldsSchema>;
  shippingAddress?: z.input<typeof AddressFieldsSchema> | 'same-as-billing';
};

type FieldRules = Pick<Settings, 'defaultCountry' | 'requireEmail' | 'requirePhone'>;

/**
 * Checks what a cashier typed against every rule that does not need other customers: each field's own
 * limits, and the rules that depend on the store's settings (phone read in the store's country, required
 * email / phone, a name). Every problem is reported at once, the phone comes back as E.164.
 */
export function validateCustomerFields(input: CustomerInput, settings: FieldRules, heldPhones: readonly string[] = []): Result<CustomerFields> {
  const parsed = CustomerInputSchema.safeParse(input);
  const errors = parsed.success ? [] : fieldErrorsOf(parsed.error);
  const failed = new Set(errors.map((e) => e.field));
  const raw = (field: 'firstName' | 'lastName' | 'email' | 'phone') => (typeof input[field] === 'string' ? (input[field] as string).trim() : '');
  let phone = raw('phone');
  if (phone) {
    const read = readPhone(phone, settings.defaultCountry, heldPhones);
    if (read.ok) phone = read.e164;
    else errors.push({ field: 'phone', message: read.message });
  } else if (settings.requirePhone) errors.push({ field: 'phone', message: messages.phoneRequired });
  const emailValue = raw('email').toLowerCase();
  if (emailValue) {
    if (!email.safeParse(emailValue).success && !failed.has('email')) errors.push({ field: 'email', message: messages.emailInvalid });
  } else if (settings.requireEmail) errors.push({ field: 'email', message: messages.emailRequired });
  if (!raw('firstName') && !raw('lastName')) errors.push({ field: 'firstName', message: messages.nameRequired });
  if (!parsed.success || errors.length) return { ok: false, errors };
  return { ok: true, value: { ...parsed.data, phone } };
}

/**
 * A phone as the store writes it: E.164, read in the store's country. The phone module is fetched as a
 * store opens (lazy-phone.ts, local-store.ts); before it has arrived (a store used before its whenReady,
 * or a fetch that failed offline) only a number already stored on the customers concerned is taken.
 */
export function readPhone(
  input: string,
  defaultCountry: string,
  heldPhones: readonly string[] = [],
): { ok: true; e164: string } | { ok: false; message: string } {
  const phone = loadedPhone();
  if (!phone) {
    if (heldPhones.includes(input)) return { ok: true, e164: input };
    loadPhone().catch(() => undefined);
    return { ok: false, message: messages.phoneNotReady };
  }
  const normalized = phone.normalizePhone(input, defaultCountry);
  return normalized.ok ? normalized : { ok: false, message: messages.phoneInvalid };
}
