import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export type PhoneResult = { ok: true; e164: string } | { ok: false };

/**
 * Parses what a cashier typed ("0912 345 678", "+84 912-345-678", "(415) 555 2671") against the
 * store's default country and returns E.164, the one form we store and compare.
 */
export function normalizePhone(input: string, defaultCountry: string): PhoneResult {
  const parsed = parsePhoneNumberFromString(input, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return { ok: false };
  return { ok: true, e164: parsed.number };
}
