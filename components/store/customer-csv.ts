/**
 * Customers to and from CSV, for the back office's import and export. Pure TypeScript over the browser
 * ESM builds of csv-parse (its streaming parser) and csv-stringify, so the same code runs in the browser
 * and in Node tests.
 *
 * Every phase works a slice at a time and yields between slices (reading the file, checking its rows,
 * writing them, exporting), so a 100,000-row file moves a progress bar instead of freezing the page.
 * Each row is validated once, by the store (`checkNew`), in the preview; the import writes what the
 * preview accepted, all of it in one transaction (see `importCustomers`).
 */
import { parse as csvParser } from 'csv-parse/browser/esm';
import { stringify } from 'csv-stringify/browser/esm/sync';
import { strings } from '../i18n/strings.js';
import type { AddressFields, AddressInput } from '../model/address.js';
import { displayName, type Customer, type NewCustomerInput } from '../model/customer.js';
import type { FieldError } from '../model/field-errors.js';
import { messages } from '../model/messages.js';
import type { Settings } from '../model/settings.js';
import type { CheckedNewCustomer, CustomerStore } from './customer-store.js';
import { fold } from './search-text.js';
import { UniqueIndex, uniqueFields } from './unique-index.js';
import { loadPhone } from '../model/lazy-phone.js';

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

/** Work this long between yields keeps a progress bar moving at display rate. */
const SLICE_MS = 16;
/** Characters handed to the CSV parser at a time: about a millisecond of parsing. */
const PARSE_CHUNK_CHARS = 16_384;
/** An import builds its records in chunks of rows aimed at this long, sized from how long the last one took. */
const BUILD_CHUNK_MS = 25;
const BUILD_CHUNK_ROWS = { first: 250, min: 50, max: 1000 };

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Calls `work` once per item, yielding to the page whenever a slice of SLICE_MS has passed. */
async function inSlices<T>(items: readonly T[], work: (item: T, index: number) => void, onSlice: (done: number) => void, signal?: AbortSignal): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    if (performance.now() - sliceStart > SLICE_MS) {
      onSlice(i);
      await nextTask();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
    work(items[i] as T, i);
  }
}

/** A cut at most `size` characters on that splits neither a surrogate pair (an emoji) nor a CRLF. */
function cutAt(text: string, from: number, size: number): number {
  const end = Math.min(text.length, from + size);
  const code = text.charCodeAt(end - 1);
  return end < text.length && ((code >= 0xd800 && code <= 0xdbff) || code === 13) ? end - 1 : end;
}

export interface ExportOptions {
  /** Customers read so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * The CSV of these customers (header row first, CRLF line ends as RFC 4180 and spreadsheets expect): the
 * customer's fields, the group by name and the default billing and shipping addresses. Other saved
 * addresses are not exported. Phones are E.164: guarded like any cell starting with "+", so a spreadsheet shows
 * them as written (unguarded, it reads "+1415…" as a number and drops the "+"), as the address phones are. Ids
 * that are not live customers are left out; `count` says how many were written.
 */
export async function exportCustomersCsv(store: CustomerStore, ids: readonly string[], options: ExportOptions = {}): Promise<{ csv: string; count: number }> {
  const groupNames = new Map(store.groups().map((g) => [g.id, g.name]));
  const addressCells = (customer: Customer, id: string | null) => {
    const address = id ? customer.addresses.find((a) => a.id === id) : undefined;
    return ADDRESS_HEADERS.map(([field]) => guardCell(address?.[field] ?? ''));
  };
  const pieces = [stringify([[...CSV_COLUMNS]], { record_delimiter: 'windows' })];
  let records: string[][] = [];
  let count = 0;
  const flush = () => {
    if (records.length) pieces.push(stringify(records, { record_delimiter: 'windows' }));
    records = [];
  };
  await inSlices(
    ids,
    (id) => {
      const c = store.get(id);
      if (!c || c.deleted) return;
      count++;
      records.push([
        guardCell(c.firstName),
        guardCell(c.lastName),
        guardCell(c.email),
        guardCell(c.phone),
        guardCell((c.groupId && groupNames.get(c.groupId)) || ''),
        guardCell(c.notes),
        guardCell(c.cardBarcode),
        ...addressCells(c, c.billingAddressId),
        ...addressCells(c, c.shippingAddressId),
      ]);
    },
    (done) => {
      flush();
      options.onProgress?.(done, ids.length);
    },
    options.signal,
  );
  flush();
  options.onProgress?.(ids.length, ids.length);
  return { csv: pieces.join(''), count };
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

export interface ImportProgress {
  /**
   * `reading` the file (characters), `checking` its rows, `saving` the ready ones (customers prepared
   * for the one write that saves them all), then `indexing` them for search and lists (customers).
   */
  phase: 'reading' | 'checking' | 'saving' | 'indexing';
  done: number;
  total: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Stops reading, checking or an import between slices (a new file was chosen, the element left the
   * page); an import stopped before its one write has written nothing. Once written it runs to the end.
   */
  signal?: AbortSignal;
}

/** Excel writes ";" where the decimal separator is a comma, and some tools export tabs. */
function sniffDelimiter(text: string): string {
  const end = text.search(/[\r\n]/);
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

/** Reads the rows after the header into customers, given the header; or says what is wrong with the header. */
function rowReader(header: readonly string[]): {
  headerErrors: string[];
  ignoredColumns: string[];
  read: (cells: readonly string[], line: number) => CsvCustomerRow | CsvRowError | undefined;
} {
  const t = strings();
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
  const read = (cells: readonly string[], line: number): CsvCustomerRow | CsvRowError | undefined => {
    // Spreadsheets pad blank rows with delimiters (",,,,"): nothing to import, nothing to report.
    if (cells.every((cell) => !cell.trim())) return undefined;
    if (cells.slice(columns.length).some((cell) => cell.trim())) return { line, error: t.csvTooManyValues(cells.length, columns.length) };
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
    return { line, input, groupName };
  };
  return { headerErrors, ignoredColumns, read };
}

/**
 * Reads a customers CSV. The first row names the columns, matched case- and accent-insensitively with
 * common aliases ("First Name", "firstname", "E-mail", "Telephone", "Zip", "Billing Street"…); address
 * columns without a billing_/shipping_ prefix are the billing address. A shipping address equal to the
 * billing address becomes one shared address, as the form's "same as billing" does. The text is fed to
 * the parser a chunk at a time, each row read into a customer as it comes, yielding between slices.
 */
export async function parseCustomersCsv(text: string, options: ImportOptions = {}): Promise<ParsedCustomersCsv> {
  const t = strings();
  // An empty input makes the parser close itself through a stream method its browser build lacks.
  if (!text) return { rows: [], headerErrors: [t.csvEmptyFile], ignoredColumns: [] };
  let reader: ReturnType<typeof rowReader> | undefined;
  const rows: ParsedCustomersCsv['rows'] = [];
  let failure: unknown;
  const parser = csvParser({
    bom: true,
    delimiter: sniffDelimiter(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // Each record is read here as it is parsed and none is kept, so the stream never holds the file's rows.
    on_record: (cells: string[], context) => {
      if (!reader) reader = rowReader(cells);
      else if (!reader.headerErrors.length) {
        const line = context.lines - cells.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
        const row = reader.read(cells, line);
        if (row) rows.push(row);
      }
      return null;
    },
  });
  parser.on('error', (error) => (failure ??= error));
  let sliceStart = performance.now();
  for (let at = 0; at < text.length && failure === undefined && !reader?.headerErrors.length;) {
    const end = cutAt(text, at, PARSE_CHUNK_CHARS);
    // csv-parse counts a CRLF inside a quoted cell as two lines; with one line end throughout, its line
    // numbers match the file's, and cells read as a browser's textarea would give them. Each chunk is
    // changed as it is cut: replacing in the whole file at once blocked for tens of ms at 100k rows.
    parser.write(text.slice(at, end).replace(/\r\n?/g, '\n'));
    at = end;
    if (performance.now() - sliceStart > SLICE_MS) {
      options.onProgress?.({ phase: 'reading', done: at, total: text.length });
      await nextTask();
      options.signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
  if (failure === undefined) parser.end();
  if (failure !== undefined) {
    const line = typeof (failure as { lines?: unknown }).lines === 'number' ? (failure as { lines: number }).lines : 1;
    return { rows: [], headerErrors: [t.csvUnreadable(line, failure instanceof Error ? failure.message : String(failure))], ignoredColumns: [] };
  }
  if (!reader) return { rows: [], headerErrors: [t.csvEmptyFile], ignoredColumns: [] };
  options.onProgress?.({ phase: 'reading', done: text.length, total: text.length });
  const { headerErrors, ignoredColumns } = reader;
  return { rows: headerErrors.length ? [] : rows, headerErrors, ignoredColumns };
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
  /** `ok`: the customer as the store checked it, which the import writes without checking it again. */
  checked?: CheckedNewCustomer;
}

export interface ImportPreview {
  rows: ImportRowCheck[];
  counts: { ok: number; invalid: number; duplicates: number };
  /** The file the rows came from, checked again only if the store's settings change before the import. */
  parsed: ParsedCustomersCsv;
  /** The settings the rows were checked under (required email or phone, the phone country). */
  settings: Settings;
  /** The store's changeCount when the check began: unchanged at the import, the rows need no second check. */
  checkedAt: number;
}

export interface ImportResult {
  /** Ids of the customers created, in file order. */
  created: string[];
  /** Every row not imported, with why (including rows another till made duplicates since the preview). */
  notImported: ImportRowCheck[];
  /**
   * Set when the write threw (a document observer failed): why, and how many ready rows were not saved.
   * The import is one transaction and Yjs applies it before calling observers, so `created` is what the
   * document holds all the same: in practice every ready row (`notSaved` 0) or none.
   */
  failed?: { reason: string; notSaved: number };
}

/** A row with any other problem is invalid (fixing it is needed anyway); only then a duplicate. */
function classify(store: CustomerStore, line: number, input: NewCustomerInput, errors: FieldError[]): ImportRowCheck {
  const holderId = errors[0]?.existingCustomerId;
  if (!holderId || errors.some((e) => !e.existingCustomerId)) return { line, status: 'invalid', input, errors };
  const holder = store.get(holderId);
  return { line, status: 'duplicate-existing', input, errors, existing: { id: holderId, name: holder ? displayName(holder) : holderId } };
}

async function checkRows(store: CustomerStore, parsed: ParsedCustomersCsv, options: ImportOptions): Promise<ImportRowCheck[]> {
  const t = strings();
  const groupIds = new Map(store.groups().map((g) => [fold(g.name.trim()), g.id]));
  // The key `createMany` compares rows of one batch by, so the first row of the file keeps a value.
  const firstLineOf = new Map<string, number>();
  const total = parsed.rows.length;
  const out: ImportRowCheck[] = [];
  const check = (row: CsvCustomerRow | CsvRowError): ImportRowCheck => {
    if ('error' in row) return { line: row.line, status: 'invalid', errors: [{ field: '_', message: row.error }] };
    const groupId = row.groupName ? groupIds.get(fold(row.groupName)) : null;
    const input: NewCustomerInput = { ...row.input, groupId: groupId ?? null };
    if (groupId === undefined) return { line: row.line, status: 'invalid', input, errors: [{ field: 'groupId', message: t.csvUnknownGroup(row.groupName) }] };
    const checked = store.checkNew(input);
    if (!checked.ok) return classify(store, row.line, input, checked.errors);
    const errors: FieldError[] = [];
    let firstLine: number | undefined;
    for (const field of uniqueFields) {
      const value = checked.value.fields[field];
      if (!value) continue;
      const key = `${field}:${UniqueIndex.key(field, value)}`;
      const first = firstLineOf.get(key);
      if (first === undefined) firstLineOf.set(key, row.line);
      else {
        errors.push({ field, message: messages.duplicateInBatch(first) });
        firstLine ??= first;
      }
    }
    return firstLine === undefined
      ? { line: row.line, status: 'ok', input, errors, checked: checked.value }
      : { line: row.line, status: 'duplicate-in-file', input, errors, firstLine };
  };
  await inSlices(
    parsed.rows,
    (row) => out.push(check(row)),
    (done) => options.onProgress?.({ phase: 'checking', done, total }),
    options.signal,
  );
  options.onProgress?.({ phase: 'checking', done: total, total });
  return out;
}

function counted(rows: ImportRowCheck[]): ImportPreview['counts'] {
  const counts = { ok: 0, invalid: 0, duplicates: 0 };
  for (const row of rows) {
    if (row.status === 'ok') counts.ok++;
    else if (row.status === 'invalid') counts.invalid++;
    else counts.duplicates++;
  }
  return counts;
}

/** What importing the file would do, row by row; writes nothing. */
export async function previewImport(store: CustomerStore, parsed: ParsedCustomersCsv, options: ImportOptions = {}): Promise<ImportPreview> {
  // Rows are checked with the phone module (see readPhone); if it cannot be fetched, their phones say so.
  await loadPhone().catch(() => undefined);
  const settings = store.settings();
  const checkedAt = store.changeCount;
  const rows = await checkRows(store, parsed, options);
  return { rows, counts: counted(rows), parsed, settings, checkedAt };
}

/**
 * Creates the customers the preview found ready, in one transaction: every till receives the whole
 * import as one update or nothing of it, and it is one undo step. The records are built and encoded a
 * chunk at a time apart from the store's document (`store.beginImport()`), yielding between chunks with progress,
 * so 100,000 rows do not freeze the page; an abort (or a closed page) before the write leaves nothing
 * written. Each row is written as the preview checked it; only what another till can change meanwhile
 * is checked again, at the write (email, phone and card against the store, the group), unless the
 * store's settings changed since the preview, when every row is checked again first. Resolves once the
 * store has indexed the new customers for search and lists (`indexing` progress).
 */
export async function importCustomers(store: CustomerStore, preview: ImportPreview, options: ImportOptions = {}): Promise<ImportResult> {
  const sameSettings = JSON.stringify(store.settings()) === JSON.stringify(preview.settings);
  const checkedAt = sameSettings ? preview.checkedAt : store.changeCount;
  const rows = sameSettings ? preview.rows : await checkRows(store, preview.parsed, options);
  const ready = rows.filter((row) => row.status === 'ok');
  const total = ready.length;
  options.onProgress?.({ phase: 'saving', done: 0, total });
  const build = store.beginImport(checkedAt);
  /** Each ready row's new customer id, once built. */
  const idOf = new Map<ImportRowCheck, string>();
  let chunk = BUILD_CHUNK_ROWS.first;
  for (let done = 0; done < total;) {
    // Lets progress paint, and is where an abort leaves nothing written.
    await nextTask();
    options.signal?.throwIfAborted();
    const slice = ready.slice(done, done + chunk);
    const started = performance.now();
    build.add(slice.map((row) => row.checked as CheckedNewCustomer)).forEach((id, i) => idOf.set(slice[i] as ImportRowCheck, id));
    done += slice.length;
    const perRow = (performance.now() - started) / slice.length;
    chunk = Math.round(Math.min(BUILD_CHUNK_ROWS.max, Math.max(BUILD_CHUNK_ROWS.min, BUILD_CHUNK_MS / Math.max(perRow, 0.001))));
    options.onProgress?.({ phase: 'saving', done, total });
  }
  await nextTask();
  options.signal?.throwIfAborted();
  const outcome = build.commit();
  const refused = new Map(outcome.rejected.map((r) => [ready[r.index] as ImportRowCheck, r.errors]));
  const saved = new Set(outcome.created);
  await indexed(store, options);

  const created: string[] = [];
  const notImported: ImportRowCheck[] = [];
  let notSaved = 0;
  for (const row of rows) {
    const errors = refused.get(row);
    if (errors && row.input) notImported.push(classify(store, row.line, row.input, errors));
    else if (row.status !== 'ok') notImported.push(row);
    else if (saved.has(idOf.get(row) as string)) created.push(idOf.get(row) as string);
    else notSaved++;
  }
  if (outcome.error === undefined) return { created, notImported };
  return { created, notImported, failed: { reason: outcome.error instanceof Error ? outcome.error.message : String(outcome.error), notSaved } };
}

/** Waits for the store to index what a large import brought (it does so in slices), reporting progress. */
async function indexed(store: CustomerStore, options: ImportOptions): Promise<void> {
  const total = store.unindexedCount;
  if (!total) return;
  const report = () => options.onProgress?.({ phase: 'indexing', done: total - Math.min(total, store.unindexedCount), total });
  report();
  const unsubscribe = store.subscribe(report);
  try {
    await store.whenIndexed();
  } finally {
    unsubscribe();
  }
}
