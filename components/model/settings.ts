import * as z from 'zod/mini';
import { AddressFieldsSchema, emptyAddress } from './address.js';
import { countryCode } from './text-fields.js';

/** Store-wide settings; each key is its own entry in the document's `settings` map, so they merge key by key. */
export const SettingsSchema = z.object({
  /** The walk-in customer the picker starts on; it cannot be deleted while it is the default. */
  defaultCustomerId: z._default(z.nullable(z.string()), null),
  /** Country used to read phone numbers typed without a +country prefix. */
  defaultCountry: z._default(countryCode, 'US'),
  /** The outlet's address: every new customer address starts from it. */
  outletAddress: z._default(AddressFieldsSchema, emptyAddress),
  requireEmail: z._default(z.boolean(), false),
  requirePhone: z._default(z.boolean(), false),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsInput = Partial<z.input<typeof SettingsSchema>>;
export const settingKeys = Object.keys(SettingsSchema.shape) as (keyof Settings)[];

export const defaultSettings: Settings = SettingsSchema.parse({});
