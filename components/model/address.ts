import * as z from 'zod/mini';
import { countryCode, knownCountryCode, text } from './text-fields.js';

/** The fields a cashier edits on an address; the outlet address has the same shape. */
export const AddressFieldsSchema = z.object({
  firstName: z._default(text(100), ''),
  lastName: z._default(text(100), ''),
  company: z._default(text(120), ''),
  street1: z._default(text(200), ''),
  street2: z._default(text(200), ''),
  city: z._default(text(100), ''),
  region: z._default(text(100), ''),
  postcode: z._default(text(20), ''),
  country: z._default(z.union([countryCode, z.literal('')]), ''),
  phone: z._default(text(40), ''),
});
export type AddressFields = z.infer<typeof AddressFieldsSchema>;
export type AddressInput = z.input<typeof AddressFieldsSchema>;

/** What a cashier may write as an address: the same fields, with a country that exists. */
export const AddressInputSchema = z.extend(AddressFieldsSchema, { country: z._default(z.union([knownCountryCode, z.literal('')]), '') });

export const AddressSchema = z.extend(AddressFieldsSchema, { id: z.string().check(z.minLength(1)) });
export type Address = z.infer<typeof AddressSchema>;

export const emptyAddress: AddressFields = AddressFieldsSchema.parse({});
