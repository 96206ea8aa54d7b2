import { getCountries } from 'libphonenumber-js/min';

export interface CountryOption {
  /** ISO 3166-1 alpha-2. */
  value: string;
  label: string;
}

const cache = new Map<string, CountryOption[]>();

/**
 * The countries whose phone numbers the store can read (libphonenumber's list, so a default country is
 * always one that parses), named in the page's language by Intl.DisplayNames and sorted by name.
 */
export function countryOptions(locale: string): CountryOption[] {
  let options = cache.get(locale);
  if (!options) {
    const names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'code' });
    const collator = new Intl.Collator(locale);
    options = getCountries()
      .map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` }))
      .sort((a, b) => collator.compare(a.label, b.label));
    cache.set(locale, options);
  }
  return options;
}
