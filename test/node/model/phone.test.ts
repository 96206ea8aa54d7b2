import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import examples from 'libphonenumber-js/examples.mobile.json';
import { nationalDigits } from '../../../components/model/phone.js';
import { generateCustomers, mulberry32 } from '../../fixtures/customer-generator.js';

/** What libphonenumber itself says, the reference nationalDigits must match. */
const parsed = (e164: string) => parsePhoneNumberFromString(e164)?.nationalNumber;

describe('nationalDigits', () => {
  it('matches the parser on random numbers of every length after the calling codes we see', () => {
    const rand = mulberry32(7);
    // Vietnam, US, UK, Italy (national numbers keep their 0), Argentina (a 9 for mobiles, 15 as a
    // carrier prefix), Australia, China (prefixes that look like mobile numbers), Ireland, +800 (non-geographic).
    const callingCodes = ['84', '1', '44', '39', '54', '61', '86', '353', '800'];
    let compared = 0;
    for (const code of callingCodes) {
      for (let i = 0; i < 3000; i++) {
        const length = 7 + Math.floor(rand() * 9) - code.length;
        // Every leading digit, national-prefix look-alikes (0, 1, 15, 183…) included.
        let national = String(i % 10);
        while (national.length < length) national += String(Math.floor(rand() * 10));
        const e164 = `+${code}${national}`;
        assert.equal(nationalDigits(e164), parsed(e164), e164);
        compared++;
      }
    }
    assert.equal(compared, callingCodes.length * 3000);
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

  it('leaves what the parser strips or rejects to the parser', () => {
    assert.equal(nationalDigits('+840912345678'), '912345678', 'a national prefix written after the calling code');
    for (const bad of ['', 'abc', '+0123456789', '+84']) assert.equal(nationalDigits(bad), parsed(bad), bad);
  });
});
