import { strings } from '../../i18n/strings.js';
import { COUNTRIES } from '../../model/text-fields.js';

type Codes = ReadonlySet<string> | readonly string[];

export interface CountryOption {
  /** ISO 3166-1 alpha-2. */
  value: string;
  label: string;
}

/** Per list of codes, per language: naming and sorting some 250 countries is worth doing once. */
const named = new WeakMap<Codes, Map<string, CountryOption[]>>();

/** The language countries are named in: the page's. */
function pageLocale(): string {
  return document.documentElement.lang || navigator.language || 'en';
}

/**
 * `codes` named in the page's language by Intl.DisplayNames ("Vietnam (VN)") and sorted by name. `codes`
 * should be a constant: the result is kept for it.
 */
export function countryOptions(codes: Codes): CountryOption[] {
  const locale = pageLocale();
  let byLocale = named.get(codes);
  if (!byLocale) named.set(codes, (byLocale = new Map()));
  let options = byLocale.get(locale);
  if (!options) {
    const names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'code' });
    const collator = new Intl.Collator(locale);
    options = [...codes].map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` })).sort((a, b) => collator.compare(a.label, b.label));
    byLocale.set(locale, options);
  }
  return options;
}

/**
 * The list with `value` in it even when the list lacks it: a code another app stored stays shown, and is
 * kept by a save that leaves it, instead of the control falling back to its first choice.
 */
export function withValue(options: CountryOption[], value: string): CountryOption[] {
  return !value || options.some((o) => o.value === value) ? options : [{ value, label: value }, ...options];
}

/**
 * The choices of an address's country: none (an address may have no country), then every country (the
 * codes the model accepts from a cashier, without libphonenumber's metadata in the bundle).
 */
export function addressCountryOptions(value: string): CountryOption[] {
  return [{ value: '', label: strings().noCountry }, ...withValue(countryOptions(COUNTRIES), value)];
}
