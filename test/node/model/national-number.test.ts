import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCountries, getCountryCallingCode, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import examples from 'libphonenumber-js/examples.mobile.json';
import metadata from 'libphonenumber-js/metadata.min.json';
import { CALLING_CODES, nationalDigits } from '../../../components/model/national-number.js';
import { generateCustomers, mulberry32 } from '../../fixtures/customer-generator.js';

/** What libphonenumber itself says, the reference nationalDigits must match on every number the store writes. */
const parsed = (e164: string) => parsePhoneNumberFromString(e164)?.nationalNumber;

describe('nationalDigits', () => {
  it('knows every calling code libphonenumber-js knows, and no other', () => {
    const codes = new Set(getCountries().map((country) => getCountryCallingCode(country)));
    for (const code of Object.keys(metadata.nonGeographic)) codes.add(code);
    const sorted = (set: Iterable<string>) => [...set].sort((a, b) => Number(a) - Number(b)).join(' ');
    assert.equal(sorted(CALLING_CODES), sorted(codes), 'update CALLING_CODES in components/model/national-number.ts to the list above');
  });

  it('matches the parser on every valid number of random digits after each calling code', () => {
    const rand = mulberry32(7);
    let valid = 0;
    for (const code of CALLING_CODES) {
      for (let i = 0; i < 1000; i++) {
        let national = String(i % 10);
        const length = 4 + Math.floor(rand() * 11);
        while (national.length < length) national += String(Math.floor(rand() * 10));
        const number = parsePhoneNumberFromString(`+${code}${national}`);
        // What the store writes: a valid number, as libphonenumber's E.164, which the schema accepts.
        if (!number?.isValid() || !/^\+[1-9]\d{6,14}$/.test(number.number)) continue;
        assert.equal(nationalDigits(number.number), number.nationalNumber, number.number);
        valid++;
      }
    }
    assert.ok(valid > 15_000, `only ${valid} valid numbers compared`);
  });

  it('matches the parser on every country’s example mobile number and on the fixture’s phones', () => {
    for (const country of getCountries()) {
      const e164 = getExampleNumber(country, examples)?.number;
      if (e164) assert.equal(nationalDigits(e164), parsed(e164), `${country} ${e164}`);
    }
    for (const { phone } of generateCustomers(2000, 3)) assert.equal(nationalDigits(phone), parsed(phone), phone);
  });

  it('cuts the calling code of ordinary numbers', () => {
    assert.equal(nationalDigits('+84912345678'), '912345678');
    assert.equal(nationalDigits('+14155552671'), '4155552671');
    assert.equal(nationalDigits('+390612345678'), '0612345678');
    assert.equal(nationalDigits('+353851234567'), '851234567');
    assert.equal(nationalDigits('+80012345678'), '12345678');
  });

  it('keeps a national prefix another app wrote after the calling code, and reads nothing from what is not E.164', () => {
    assert.equal(nationalDigits('+840912345678'), '0912345678');
    for (const bad of ['', 'abc', '+0123456789', '+84', '84912345678', '+84 912 345 678']) assert.equal(nationalDigits(bad), undefined, bad);
  });
});
