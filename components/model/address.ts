import * as z from 'zod';
import { countryCode, text } from './text-fields.js';

/** The fields a cashier edits on an address; the outlet address has the same shape. */
export const AddressFieldsSchema = z.object({
  firstName: text(100).default(''),
  lastName: text(100).default(''),
  company: text(120).default(''),
  street1: text(200).default(''),
  street2: text(200).default(''),
  city: text(100).default(''),
  region: text(100).default(''),
  postcode: text(20).default(''),
  country: countryCode.or(z.literal('')).default(''),
  phone: text(40).default(''),
});
export type AddressFields = z.infer<typeof AddressFieldsSchema>;
export type AddressInput = z.input<typeof AddressFieldsSchema>;

export const AddressSchema = AddressFieldsSchema.extend({ id: z.string().min(1) });
export type Address = z.infer<typeof AddressSchema>;

export const emptyAddress: AddressFields = AddressFieldsSchema.parse({});
