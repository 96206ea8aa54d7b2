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

/** The national significant number of a stored E.164 phone, e.g. "912345678" for "+84912345678". */
export function nationalDigits(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.nationalNumber;
}

/**
 * Digit strings a phone query may match by prefix: the digits as typed, and without the national
 * trunk prefix ("0912…" → "912…"), so partial national input finds stored international numbers.
 */
export function phoneQueryDigits(query: string): string[] {
  const digits = query.replace(/\D/g, '');
  if (!digits) return [];
  const out = new Set([digits]);
  const trunkless = digits.replace(/^0+/, '');
  if (trunkless.length >= 2) out.add(trunkless);
  return [...out];
}
