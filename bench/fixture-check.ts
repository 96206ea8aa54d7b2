/**
 * Checks the generated fixture before any figure is taken from it: figures measured on records the
 * store would reject, or on duplicate emails and phones, would not describe a real shop. Throws on the
 * first broken property, so `npm run bench` stops instead of writing misleading results.
 */
import * as Y from 'yjs';
import { StoredCustomerSchema } from '../components/model/customer.js';
import { normalizePhone } from '../components/model/phone.js';
import { CustomerStore } from '../components/store/customer-store.js';
import { readCustomer } from '../components/store/record-views.js';
import { fold, words } from '../components/store/search-text.js';
import { buildStoreDocument, encodeStore, generateCustomers, storedRecords } from '../test/fixtures/customer-generator.js';
import { isMain, log, table, writeResult, type Section } from './common.js';

const SIZE = 100_000;
const SEED = 1;

function check(what: string, ok: boolean, detail = ''): void {
  if (!ok) throw new Error(`fixture check failed: ${what}${detail ? ` (${detail})` : ''}`);
}

function eanValid(code: string): boolean {
  if (!/^\d{13}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(code[i]) * (i % 2 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(code[12]);
}

function runCheck(): Section {
  log('fixture check');
  const a = encodeStore(2_000, 7);
  const b = encodeStore(2_000, 7);
  check('same seed, same document bytes', a.length === b.length && a.every((x, i) => x === b[i]));
  const small = generateCustomers(1_000, SEED);
  const large = generateCustomers(SIZE, SEED);
  check('the first N customers do not depend on the count', JSON.stringify(small) === JSON.stringify(large.slice(0, 1_000)));

  const emails = new Set(large.map((c) => c.email));
  const phones = new Set(large.map((c) => c.phone));
  const barcodes = large.filter((c) => c.cardBarcode).map((c) => c.cardBarcode);
  check('emails unique', emails.size === SIZE && !emails.has(''));
  check('phones unique', phones.size === SIZE);
  check('barcodes unique', new Set(barcodes).size === barcodes.length);
  check('barcodes are EAN-13', barcodes.every(eanValid));
  const badPhone = large.find((c) => {
    const parsed = normalizePhone(c.phone, 'US');
    return !parsed.ok || parsed.e164 !== c.phone;
  });
  check('every phone valid E.164 per libphonenumber', !badPhone, badPhone?.phone);

  const records = storedRecords(large, SEED);
  let checked = 0;
  for (let i = 0; i < records.length; i += 50) {
    const record = records[i];
    const parsed = StoredCustomerSchema.safeParse(record);
    check('stored record passes StoredCustomerSchema', parsed.success, parsed.error?.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '));
    check('stored record reads as a live customer', record !== undefined && readCustomer(record.id, record).ok);
    checked++;
  }

  const store = new CustomerStore(new Y.Doc(), { tillId: 'fixture-check' });
  const created = small.slice(0, 300).map((c) => store.create(c));
  const refused = created.find((r) => !r.ok);
  check('generated customers pass CustomerStore.create', !refused, refused && !refused.ok ? JSON.stringify(refused.errors) : '');

  const built = new CustomerStore(buildStoreDocument(5_000, SEED), { tillId: 'fixture-check' });
  check('buildStoreDocument: every customer live', built.liveCount === 5_000, String(built.liveCount));
  check('buildStoreDocument: no invalid records', built.invalidRecords().length === 0, JSON.stringify(built.invalidRecords()[0]));
  check('buildStoreDocument: no duplicates', built.duplicates().length === 0);

  const share = (n: number) => `${((n / SIZE) * 100).toFixed(0)}%`;
  const nameWords = (pick: (c: (typeof large)[number]) => string) => new Set(large.flatMap((c) => words(fold(pick(c))))).size;
  const vn = large.filter((c) => c.phone.startsWith('+84')).length;
  const rows: string[][] = [
    ['determinism', 'same seed → identical encoded bytes; first 1,000 of 100k = a 1,000 run'],
    [
      'validity',
      `${checked.toLocaleString('en-US')} sampled stored records pass StoredCustomerSchema and readCustomer; 300 pass CustomerStore.create; 5k-customer document opens with 0 invalid, 0 duplicates`,
    ],
    [
      'uniqueness',
      `${emails.size.toLocaleString('en-US')} emails, ${phones.size.toLocaleString('en-US')} phones (all valid per libphonenumber), ${barcodes.length.toLocaleString('en-US')} EAN-13 card barcodes (${share(barcodes.length)}) — all unique`,
    ],
    ['mix', `${share(vn)} Vietnamese phones (+84 9x/3x), ${share(SIZE - vn)} US (+1)`],
    [
      'names',
      `${new Set(large.map((c) => c.firstName)).size.toLocaleString('en-US')} distinct first names (${nameWords((c) => c.firstName)} distinct words), ` +
        `${new Set(large.map((c) => c.lastName)).size.toLocaleString('en-US')} distinct last names (${nameWords((c) => c.lastName)} words), ` +
        `${new Set(large.map((c) => `${c.firstName}|${c.lastName}`)).size.toLocaleString('en-US')} distinct full names`,
    ],
  ];
  return {
    title: 'Fixture',
    markdown: [
      `\`test/fixtures/customer-generator.ts\`, ${SIZE.toLocaleString('en-US')} customers, seed ${SEED}: all checks passed.`,
      '',
      table(['check', 'result'], rows),
    ].join('\n'),
    targets: [],
  };
}

if (isMain(import.meta.url)) writeResult(runCheck());
