import * as z from 'zod/mini';
import { issueMessage } from './issue-messages.js';
import { messages } from './messages.js';

// Every schema builds on this module, so zod has the messages before anything parses. zod's settings are
// the page's: a host page that chose zod's messages (classic zod loads English; a locale of its own) keeps them.
if (!z.config().localeError) z.config({ localeError: issueMessage });

/** A trimmed free-text field, empty allowed, with a cashier-readable length limit. */
export function text(max: number) {
  return z.string().check(z.trim(), z.maxLength(max, { error: messages.tooLong(max) }));
}

const COUNTRY_CODE = /^[A-Z]{2}$/;

/** ISO 3166-1 alpha-2, upper-cased on the way in. */
export const countryCode = z.string().check(z.trim(), z.toUpperCase(), z.regex(COUNTRY_CODE, { error: messages.countryInvalid }));

/**
 * The ISO 3166-1 alpha-2 codes assigned to countries and territories, and the three more that phone numbering
 * has (AC Ascension, TA Tristan da Cunha, XK Kosovo), so every country the store settings offer is one.
 * Also the choices of an address's country (`elements/shared/country-options.ts`).
 */
export const COUNTRIES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
    'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW AC TA XK'
  ).split(' '),
);

/**
 * A country a cashier types on an address: a code that names one. Addresses already stored are read with
 * `countryCode` alone, so one another app wrote with an odd code is not made invalid by this.
 */
export const knownCountryCode = countryCode.check(
  // A code of another shape is told once, by countryCode.
  z.refine((code) => COUNTRIES.has(code) || !COUNTRY_CODE.test(code), { error: messages.countryInvalid }),
);
