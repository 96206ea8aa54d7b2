import { Metadata, getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

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

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * For each geographic calling code, a pattern that matches the start of a national number when a
 * country using that code has a national prefix that could be read there ("84" → 0…). The parser strips
 * a national prefix even after a calling code ("+84 0912…" → "912…"), so the digits after the code are
 * the national number only when this does not match. A code whose prefixes the metadata does not expose
 * is left out, and its numbers go through the parser. Built on first use rather than at import, so a
 * bundle that imports this module without calling `nationalDigits` carries no phone metadata.
 */
let nationalPrefixes: Map<string, RegExp | null> | undefined;

function nationalPrefixByCallingCode(): Map<string, RegExp | null> {
  if (nationalPrefixes) return nationalPrefixes;
  const patterns = new Map<string, Set<string>>();
  const unreadable = new Set<string>();
  const metadata = new Metadata();
  for (const country of getCountries()) {
    const code = getCountryCallingCode(country);
    metadata.selectNumberingPlan(country);
    const pattern = nationalPrefixForParsing(metadata.numberingPlan);
    if (pattern === undefined) unreadable.add(code);
    const ofCode = patterns.get(code) ?? new Set<string>();
    if (pattern) ofCode.add(pattern);
    patterns.set(code, ofCode);
  }
  const byCode = new Map<string, RegExp | null>();
  for (const [code, ofCode] of patterns) {
    if (unreadable.has(code)) continue;
    // One test for all the code's countries (+1 has 13 patterns); `(?<=.)` makes an empty match fail,
    // so the engine tries every alternative for one that reads at least a digit.
    const alternatives = [...ofCode].map((pattern) => `(?:${pattern})`).join('|');
    byCode.set(code, alternatives ? new RegExp(`^(?:${alternatives})(?<=.)`) : null);
  }
  nationalPrefixes = byCode;
  return byCode;
}

/** The plan's national prefix for parsing ('' for none); undefined when this metadata version does not expose it. */
function nationalPrefixForParsing(plan: unknown): string | undefined {
  if (typeof plan !== 'object' || plan === null || !('nationalPrefixForParsing' in plan) || typeof plan.nationalPrefixForParsing !== 'function')
    return undefined;
  const pattern: unknown = plan.nationalPrefixForParsing();
  if (pattern === undefined || pattern === null) return '';
  return typeof pattern === 'string' ? pattern : undefined;
}

/**
 * The national significant number of a stored E.164 phone, e.g. "912345678" for "+84912345678". Indexing
 * a store calls this once per customer, and a full parse costs ~5 µs, so a well-formed number with a
 * geographic calling code and no national prefix after it is cut after its calling code (calling codes
 * are prefix-free, so at most one of its first 1–3 digits is one — the one the parser finds); anything
 * else (non-geographic codes such as +800, a written national prefix, malformed input) is parsed.
 */
export function nationalDigits(e164: string): string | undefined {
  if (E164.test(e164)) {
    const byCallingCode = nationalPrefixByCallingCode();
    for (let length = 1; length <= 3; length++) {
      const nationalPrefix = byCallingCode.get(e164.slice(1, 1 + length));
      if (nationalPrefix === undefined) continue;
      const national = e164.slice(1 + length);
      if (!nationalPrefix?.test(national)) return national;
      break;
    }
  }
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
