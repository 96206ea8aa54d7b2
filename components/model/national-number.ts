/**
 * Every country calling code libphonenumber-js knows, geographic and not (+800, +882…). Calling
 * codes are prefix-free, so a stored E.164 number has exactly one of these as its first 1–3 digits. Kept
 * here rather than read from libphonenumber's metadata so that indexing phones for search does not need
 * the phone module (~29 KB gzipped) before a till can search; test/node/model/national-number.test.ts
 * fails when the library's list changes.
 */
export const CALLING_CODES: ReadonlySet<string> = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 ' +
    '66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 ' +
    '231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 ' +
    '256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 ' +
    '357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 501 ' +
    '502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 ' +
    '678 679 680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 852 853 855 856 870 878 880 881 ' +
    '882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994 ' +
    '995 996 998'
  ).split(' '),
);

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The national significant number of a stored E.164 phone, e.g. "912345678" for "+84912345678": what a
 * cashier types without the country code. Every number the store writes is libphonenumber's E.164, which
 * is its calling code followed by exactly that; a number another app wrote with a national prefix after
 * the code ("+840912…") keeps it here, so it is found by the digits it was written with.
 */
export function nationalDigits(e164: string): string | undefined {
  if (!E164.test(e164)) return undefined;
  for (let length = 1; length <= 3; length++) {
    if (CALLING_CODES.has(e164.slice(1, 1 + length))) return e164.slice(1 + length);
  }
  return undefined;
}
