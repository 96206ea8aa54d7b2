/**
 * Customers to and from CSV, for the back office's import and export. Pure TypeScript over the ESM
 * builds of csv-parse and csv-stringify, so the same code runs in the browser and in Node tests.
 *
 * Validation is the store's: every row is checked with `createMany(…, { dryRun: true })`, and the import
 * writes the rows that passed with one `createMany` call (one transaction). Rows are checked a slice at a
 * time, yielding between slices, so a 10,000-row file shows its progress instead of freezing the page.
 */
import { parse } from 'csv-parse/browser/esm/sync';
import { stringify } from 'csv-stringify/browser/esm/sync';
import { strings } from '../i18n/strings.js';
import type { AddressFields, AddressInput } from '../model/address.js';
import { displayName, type Customer, type NewCustomerInput } from '../model/customer.js';
import type { FieldError } from '../model/field-errors.js';
import type { Group } from '../model/group.js';
import { messages } from '../model/messages.js';
import { normalizePhone } from '../model/phone.js';
import type { CustomerStore } from './customer-store.js';
import { fold } from './search-text.js';

type CustomerColumn = 'firstName' | 'lastName' | 'email' | 'phone' | 'group' | 'notes' | 'cardBarcode';
type AddressKind = 'billing' | 'shipping';
type AddressField = keyof AddressFields;
/** What a column of the file holds; `fullName` is a single name column ("Name", "Customer"). */
type ColumnId = CustomerColumn | 'fullName' | `${AddressKind}.${AddressField}`;

const CUSTOMER_HEADERS: ReadonlyArray<[CustomerColumn, string]> = [
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['group', 'group'],
  ['notes', 'notes'],
  ['cardBarcode', 'card_barcode'],
];
const ADDRESS_HEADERS: ReadonlyArray<[AddressField, string]> = [
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['company', 'company'],
  ['street1', 'street1'],
  ['street2', 'street2'],
  ['city', 'city'],
  ['region', 'region'],
  ['postcode', 'postcode'],
  ['country', 'country'],
  ['phone', 'phone'],
];
const ADDRESS_KINDS: readonly AddressKind[] = ['billing', 'shipping'];

/** The header row of an export, in order: the customer, then the billing and the shipping address. */
export const CSV_COLUMNS: readonly string[] = [
  ...CUSTOMER_HEADERS.map(([, header]) => header),
  ...ADDRESS_KINDS.flatMap((kind) => ADDRESS_HEADERS.map(([, header]) => `${kind}_${header}`)),
];

const CUSTOMER_ALIASES: Record<CustomerColumn | 'fullName', readonly string[]> = {
  firstName: ['first name', 'first', 'given name', 'forename', 'fname'],
  lastName: ['last name', 'last', 'surname', 'family name', 'lname'],
  fullName: ['name', 'full name', 'customer', 'customer name'],
  email: ['email', 'email address', 'mail'],
  phone: ['phone', 'telephone', 'tel', 'phone number', 'telephone number', 'mobile', 'mobile phone', 'mobile number', 'cell', 'cell phone'],
  group: ['group', 'customer group', 'group name'],
  notes: ['notes', 'note', 'comment', 'comments', 'remarks'],
  cardBarcode: ['card barcode', 'barcode', 'card', 'card number', 'loyalty card', 'loyalty card number', 'loyalty number'],
};
const ADDRESS_ALIASES: Record<AddressField, readonly string[]> = {
  firstName: ['first name', 'first'],
  lastName: ['last name', 'last'],
  company: ['company', 'company name'],
  street1: ['street1', 'street', 'street address', 'address', 'address1', 'address line 1', 'line1'],
  street2: ['street2', 'address2', 'address line 2', 'line2'],
  city: ['city', 'town'],
  region: ['region', 'state', 'province', 'county'],
  postcode: ['postcode', 'postal code', 'zip', 'zip code'],
  country: ['country', 'country code'],
  phone: ['phone', 'telephone', 'tel', 'phone number'],
};
const ADDRESS_PREFIXES: Record<AddressKind, readonly string[]> = { billing: ['billing', 'bill', 'invoice'], shipping: ['shipping', 'ship', 'delivery'] };
/** Address columns a file may name without a prefix ("City", "Zip"): they are the billing address. */
const UNPREFIXED_BILLING: readonly AddressField[] = ['company', 'street1', 'street2', 'city', 'region', 'postcode', 'country'];

/** "First Name", "first_name", "FIRSTNAME" and "Prénom"-style accents all compare alike. */
function headerKey(header: string): string {
  return fold(header).replace(/[^a-z0-9]/g, '');
}

const COLUMN_BY_HEADER: ReadonlyMap<string, ColumnId> = (() => {
  const map = new Map<string, ColumnId>();
  for (const [column, aliases] of Object.entries(CUSTOMER_ALIASES) as Array<[CustomerColumn | 'fullName', readonly string[]]>) {
    for (const alias of aliases) map.set(headerKey(alias), column);
  }
  for (const kind of ADDRESS_KINDS) {
    for (const [field, aliases] of Object.entries(ADDRESS_ALIASES) as Array<[AddressField, readonly string[]]>) {
      for (const prefix of ADDRESS_PREFIXES[kind]) for (const alias of aliases) map.set(headerKey(`${prefix} ${alias}`), `${kind}.${field}`);
    }
  }
  for (const field of UNPREFIXED_BILLING) for (const alias of ADDRESS_ALIASES[field]) map.set(headerKey(alias), `billing.${field}`);
  for (const [column, header] of CUSTOMER_HEADERS) map.set(headerKey(header), column);
  return map;
})();

/** The export header naming a store field path (`email`, `billingAddress.postcode`), for row messages. */
export function csvColumnOf(field: string): string | undefined {
  const [head, tail] = field.split('.');
  if (tail && (head === 'billingAddress' || head === 'shippingAddress')) {
    const header = ADDRESS_HEADERS.find(([f]) => f === tail)?.[1];
    return header ? `${head === 'billingAddress' ? 'billing' : 'shipping'}_${header}` : undefined;
  }
  if (head === 'groupId') return 'group';
  return CUSTOMER_HEADERS.find(([f]) => f === head)?.[1];
}

// A cell that starts like a formula runs as one when the file is opened in a spreadsheet (CSV injection,
// OWASP): the export prefixes it with an apostrophe and the import takes one off again. Leading
// apostrophes are counted so a value that itself starts with "'=" survives the round trip.
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const GUARDED_FORMULA = /^'+[=+\-@\t\r]/;

function guardCell(value: string): string {
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

function unguardCell(value: string): string {
  return GUARDED_FORMULA.test(value) ? value.slice(1) : value;
}

/**
 * The CSV of these customers (header row first, CRLF line ends as RFC 4180 and spreadsheets expect): the
 * customer's fields, the group by name and the default billing and shipping addresses. Other saved
 * addresses are not exported. Phones are E.164, which a spreadsheet cannot mistake for a formula.
 */
export function exportCustomersCsv(customers: readonly Customer[], groups: readonly Group[]): string {
  const groupNames = new Map(groups.map((g) => [g.id, g.name]));
  const addressCells = (customer: Customer, id: string | null) => {
    const address = id ? customer.addresses.find((a) => a.id === id) : undefined;
    return ADDRESS_HEADERS.map(([field]) => guardCell(address?.[field] ?? ''));
  };
  const records = customers.map((c) => [
    guardCell(c.firstName),
    guardCell(c.lastName),
    guardCell(c.email),
    c.phone,
    guardCell((c.groupId && groupNames.get(c.groupId)) || ''),
    guardCell(c.notes),
    guardCell(c.cardBarcode),
    ...addressCells(c, c.billingAddressId),
    ...addressCells(c, c.shippingAddressId),
  ]);
  return stringify([[...CSV_COLUMNS], ...records], { record_delimiter: 'windows' });
}

/** A row of the file, read into what `createMany` takes; the group is still a name. */
export interface CsvCustomerRow {
  /** The file's line the row starts on (the spreadsheet's row number unless a cell holds a line break). */
  line: number;
  input: NewCustomerInput;
  /** The group as named in the file, '' for none; resolved against the store's groups when checking. */
  groupName: string;
}

/** A row that could not be read into a customer at all. */
export interface CsvRowError {
  line: number;
  error: string;
}

export interface ParsedCustomersCsv {
  rows: Array<CsvCustomerRow | CsvRowError>;
  /** Problems with the file as a whole (unreadable, no name column, a field in two columns); no rows then. */
  headerErrors: string[];
  /** Header cells no field matched; their values are not imported. */
  ignoredColumns: string[];
}

/** Excel writes ";" where the decimal separator is a comma, and some tools export tabs. */
function sniffDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const firstLine = end === -1 ? text : text.slice(0, end);
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

function emptyAddress(address: Partial<Record<AddressField, string>>): boolean {
  return Object.values(address).every((v) => !v?.trim());
}

function sameAddress(a: Partial<Record<AddressField, string>>, b: Partial<Record<AddressField, string>>): boolean {
  // Compared as the store will keep them: trimmed, the country upper-cased.
  const norm = (field: AddressField, v: string | undefined) => (field === 'country' ? (v ?? '').trim().toUpperCase() : (v ?? '').trim());
  return ADDRESS_HEADERS.every(([field]) => norm(field, a[field]) === norm(field, b[field]));
}

/**
 * Reads a customers CSV. The first row names the columns, matched case- and accent-insensitively with
 * common aliases ("First Name", "firstname", "E-mail", "Telephone", "Zip", "Billing Street"…); address
 * columns without a billing_/shipping_ prefix are the billing address. A shipping address equal to the
 * billing address becomes one shared address, as the form's "same as billing" does.
 */
export function parseCustomersCsv(text: string): ParsedCustomersCsv {
  const t = strings();
  // csv-parse counts a CRLF inside a quoted cell as two lines; with one line end throughout, its line
  // numbers match the file's, and cells read as a browser's textarea would give them.
  const normalized = text.replace(/\r\n?/g, '\n');
  const endLines: number[] = [];
  let records: string[][];
  try {
    records = parse(normalized, {
      bom: true,
      delimiter: sniffDelimiter(normalized),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (record, context) => {
        endLines.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as { lines: number }).lines : 1;
    return { rows: [], headerErrors: [t.csvUnreadable(line, error instanceof Error ? error.message : String(error))], ignoredColumns: [] };
  }
  const startLine = (i: number) => (endLines[i] ?? 1) - (records[i] ?? []).reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);

  const header = records[0];
  if (!header) return { rows: [], headerErrors: [t.csvEmptyFile], ignoredColumns: [] };
  const headerErrors: string[] = [];
  const ignoredColumns: string[] = [];
  const headerOf = new Map<ColumnId, string>();
  const columns = header.map((cell): ColumnId | undefined => {
    const column = COLUMN_BY_HEADER.get(headerKey(cell));
    if (!column) {
      if (cell.trim()) ignoredColumns.push(cell.trim());
      return undefined;
    }
    const earlier = headerOf.get(column);
    if (earlier !== undefined) headerErrors.push(t.csvSameColumnTwice(earlier, cell.trim()));
    else headerOf.set(column, cell.trim());
    return column;
  });
  if (headerOf.has('fullName') && (headerOf.has('firstName') || headerOf.has('lastName'))) {
    // "Name" next to "First name"/"Last name" is a derived column: the split names win.
    ignoredColumns.push(headerOf.get('fullName') ?? '');
    for (const [i, column] of columns.entries()) if (column === 'fullName') columns[i] = undefined;
  } else if (!headerOf.has('fullName') && !headerOf.has('firstName') && !headerOf.has('lastName')) {
    headerErrors.push(t.csvNoNameColumn);
  }
  if (headerErrors.length) return { rows: [], headerErrors, ignoredColumns };

  const rows: ParsedCustomersCsv['rows'] = [];
  for (let r = 1; r < records.length; r++) {
    const cells = records[r] ?? [];
    const line = startLine(r);
    // Spreadsheets pad blank rows with delimiters (",,,,"): nothing to import, nothing to report.
    if (cells.every((cell) => !cell.trim())) continue;
    if (cells.slice(columns.length).some((cell) => cell.trim())) {
      rows.push({ line, error: t.csvTooManyValues(cells.length, columns.length) });
      continue;
    }
    const input: NewCustomerInput = {};
    const addresses: Record<AddressKind, Partial<Record<AddressField, string>>> = { billing: {}, shipping: {} };
    let groupName = '';
    columns.forEach((column, i) => {
      if (!column) return;
      const value = unguardCell(cells[i] ?? '');
      if (column === 'group') groupName = value.trim();
      else if (column === 'fullName') input.firstName = value;
      else if (column.includes('.')) {
        const [kind, field] = column.split('.') as [AddressKind, AddressField];
        addresses[kind][field] = value;
      } else input[column as Exclude<CustomerColumn, 'group'>] = value;
    });
    const { billing, shipping } = addresses;
    if (!emptyAddress(billing)) input.billingAddress = billing as AddressInput;
    if (!emptyAddress(shipping))
      input.shippingAddress = input.billingAddress && sameAddress(billing, shipping) ? 'same-as-billing' : (shipping as AddressInput);
    rows.push({ line, input, groupName });
  }
  return { rows, headerErrors, ignoredColumns };
}

/** What the import would do with one row of the file. */
export interface ImportRowCheck {
  line: number;
  status: 'ok' | 'invalid' | 'duplicate-existing' | 'duplicate-in-file';
  /** The customer the row creates, its group resolved; absent for a row that could not be read. */
  input?: NewCustomerInput;
  /** Why the row is not imported, by store field (`email`, `billingAddress.postcode`; `_` for the row). */
  errors: FieldError[];
  /** `duplicate-existing`: the customer in the store who already holds the email, phone or card. */
  existing?: { id: string; name: string };
  /** `duplicate-in-file`: the line of the earlier row that keeps the value. */
  firstLine?: number;
}

export interface ImportPreview {
  rows: ImportRowCheck[];
  counts: { ok: number; invalid: number; duplicates: number };
}

export interface ImportProgress {
  /** `checking` rows one slice at a time, then `saving` them in one transaction. */
  phase: 'checking' | 'saving';
  done: number;
  total: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Stops checking between slices (a new file was chosen, the element left the page); nothing is written. */
  signal?: AbortSignal;
}

export interface ImportResult {
  /** Ids of the customers created, in file order. */
  created: string[];
  /** Every row not imported, with why (including rows another till made duplicates since the preview). */
  notImported: ImportRowCheck[];
}

/** Work this long between yields keeps a progress bar moving at display rate. */
const SLICE_MS = 16;

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A row with any other problem is invalid (fixing it is needed anyway); only then a duplicate. */
function classify(store: CustomerStore, line: number, input: NewCustomerInput, errors: FieldError[]): ImportRowCheck {
  const holderId = errors[0]?.existingCustomerId;
  if (!holderId || errors.some((e) => !e.existingCustomerId)) return { line, status: 'invalid', input, errors };
  const holder = store.get(holderId);
  return { line, status: 'duplicate-existing', input, errors, existing: { id: holderId, name: holder ? displayName(holder) : holderId } };
}

/**
 * The keys `createMany` compares rows of one batch by (email, E.164 phone, card barcode), so that rows
 * checked one at a time are held to the same rule as one batch: the first row keeps a value.
 */
function uniqueKeys(input: NewCustomerInput, country: string): Array<['email' | 'phone' | 'cardBarcode', string]> {
  const keys: Array<['email' | 'phone' | 'cardBarcode', string]> = [];
  const email = input.email?.trim().toLowerCase();
  if (email) keys.push(['email', `email:${email}`]);
  const phone = input.phone?.trim() ? normalizePhone(input.phone.trim(), country) : undefined;
  if (phone?.ok) keys.push(['phone', `phone:${phone.e164}`]);
  const barcode = input.cardBarcode?.trim().toUpperCase();
  if (barcode) keys.push(['cardBarcode', `cardBarcode:${barcode}`]);
  return keys;
}

async function checkRows(store: CustomerStore, parsed: ParsedCustomersCsv, options: ImportOptions): Promise<ImportRowCheck[]> {
  const t = strings();
  const groupIds = new Map(store.groups().map((g) => [fold(g.name.trim()), g.id]));
  const country = store.settings().defaultCountry;
  const firstLineOf = new Map<string, number>();
  const total = parsed.rows.length;
  const out: ImportRowCheck[] = [];
  let sliceStart = performance.now();
  for (const [i, row] of parsed.rows.entries()) {
    if (performance.now() - sliceStart > SLICE_MS) {
      options.onProgress?.({ phase: 'checking', done: i, total });
      await nextTask();
      options.signal?.throwIfAborted();
      sliceStart = performance.now();
    }
    if ('error' in row) {
      out.push({ line: row.line, status: 'invalid', errors: [{ field: '_', message: row.error }] });
      continue;
    }
    const groupId = row.groupName ? groupIds.get(fold(row.groupName)) : null;
    const input: NewCustomerInput = { ...row.input, groupId: groupId ?? null };
    if (groupId === undefined) {
      out.push({ line: row.line, status: 'invalid', input, errors: [{ field: 'groupId', message: t.csvUnknownGroup(row.groupName) }] });
      continue;
    }
    const rejected = store.createMany([input], { dryRun: true }).rejected[0];
    if (rejected) {
      out.push(classify(store, row.line, input, rejected.errors));
      continue;
    }
    const errors: FieldError[] = [];
    let firstLine: number | undefined;
    for (const [field, key] of uniqueKeys(input, country)) {
      const first = firstLineOf.get(key);
      if (first === undefined) firstLineOf.set(key, row.line);
      else {
        errors.push({ field, message: messages.duplicateInBatch(first) });
        firstLine ??= first;
      }
    }
    out.push(
      firstLine === undefined ? { line: row.line, status: 'ok', input, errors } : { line: row.line, status: 'duplicate-in-file', input, errors, firstLine },
    );
  }
  options.onProgress?.({ phase: 'checking', done: total, total });
  return out;
}

function summarize(rows: ImportRowCheck[]): ImportPreview {
  const counts = { ok: 0, invalid: 0, duplicates: 0 };
  for (const row of rows) {
    if (row.status === 'ok') counts.ok++;
    else if (row.status === 'invalid') counts.invalid++;
    else counts.duplicates++;
  }
  return { rows, counts };
}

/** What importing the file would do, row by row; writes nothing. */
export async function previewImport(store: CustomerStore, parsed: ParsedCustomersCsv, options: ImportOptions = {}): Promise<ImportPreview> {
  return summarize(await checkRows(store, parsed, options));
}

/**
 * Checks the rows again (the store may have changed since the preview) and creates the valid ones with
 * one `createMany` call: one transaction, one sync message, one undo step.
 */
export async function importCustomers(store: CustomerStore, parsed: ParsedCustomersCsv, options: ImportOptions = {}): Promise<ImportResult> {
  const checked = await checkRows(store, parsed, options);
  const ready = checked.flatMap((row) => (row.status === 'ok' && row.input ? [{ line: row.line, input: row.input }] : []));
  options.onProgress?.({ phase: 'saving', done: 0, total: ready.length });
  // Let "saving" paint before the one synchronous write.
  await nextTask();
  options.signal?.throwIfAborted();
  const outcome = ready.length ? store.createMany(ready.map((r) => r.input)) : { created: [], rejected: [] };
  const refused = new Map(outcome.rejected.map((r) => [r.index, r.errors]));
  const notImported: ImportRowCheck[] = [];
  let readyIndex = 0;
  for (const row of checked) {
    if (row.status !== 'ok') notImported.push(row);
    else {
      const errors = refused.get(readyIndex++);
      if (errors && row.input) notImported.push(classify(store, row.line, row.input, errors));
    }
  }
  options.onProgress?.({ phase: 'saving', done: ready.length, total: ready.length });
  return { created: outcome.created, notImported };
}
