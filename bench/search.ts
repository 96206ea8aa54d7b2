/**
 * Search latency as a cashier sees it: every keystroke of a realistic query is one `store.search(prefix,
 * 50)`, at 10k / 50k / 100k customers, against MiniSearch indexing the same fields. Each store size runs
 * in its own process so one size's heap and JIT state do not colour the next.
 *
 *   node --import tsx bench/search.ts            all sizes, markdown on stdout
 *   node --expose-gc --import tsx bench/search.ts --size 10000    one size, JSON (used by the above)
 */
import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import { StoredCustomerSchema, type StoredCustomer } from '../components/model/customer.js';
import { nationalDigits } from '../components/model/national-number.js';
import { phoneQueryDigits } from '../components/store/search-text.js';
import { CustomerStore } from '../components/store/customer-store.js';
import { storeMaps } from '../components/store/document-layout.js';
import { searchableFields } from '../components/store/record-views.js';
import { SearchIndex, type SearchableCustomer } from '../components/store/search-index.js';
import { fold, isPhoneQuery } from '../components/store/search-text.js';
import { buildStoreDocument, customerIds } from '../test/fixtures/customer-generator.js';
import {
  argValue,
  checkTarget,
  collect,
  isMain,
  log,
  mb,
  ms,
  percentile,
  median,
  profiled,
  profileMarkdown,
  ratio,
  runChild,
  summariseProfile,
  table,
  writeResult,
  type ProfileSummary,
  type Section,
  type TargetCheck,
} from './common.js';
import { decodeCustomer } from '../components/store/stored-customers.js';

export const SEARCH_SIZES = [10_000, 50_000, 100_000];
const SEED = 1;
const LIMIT = 50;
/** Measured passes over every keystroke, after one unmeasured warm-up pass. */
const ROUNDS = 5;
/** MiniSearch answers short prefixes at 100k in tenths of a second; fewer passes keep `npm run bench` within minutes. */
const PEER_ROUNDS = 3;
/** p95 budgets from the issue: a keystroke must answer within a frame. */
const P95_TARGET: Record<number, number> = { 10_000: 4, 100_000: 16 };

// ── the queries ──────────────────────────────────────────────────────────────

/** Customers the queries are aimed at, all among the first 10k so every store size holds them. */
interface Targets {
  vnPhone: StoredCustomer;
  usPhone: StoredCustomer;
  email: StoredCustomer;
  barcode: StoredCustomer;
}

function findTargets(records: readonly StoredCustomer[]): Targets {
  const first = records.slice(0, 10_000);
  const find = (what: string, test: (r: StoredCustomer) => boolean) => {
    const found = first.find(test);
    if (!found) throw new Error(`fixture has no ${what} among its first 10k customers`);
    return found;
  };
  return {
    vnPhone: find('+84 912… phone', (r) => r.phone.startsWith('+84912')),
    usPhone: find('+1 415… phone', (r) => r.phone.startsWith('+1415')),
    email: first[4321] as StoredCustomer,
    barcode: find('card barcode', (r) => r.cardBarcode !== ''),
  };
}

const nationalFormat = (e164: string) => {
  const n = nationalDigits(e164) ?? '';
  return `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
};
const usFormat = (e164: string) => `+1 ${e164.slice(2, 5)} ${e164.slice(5, 8)} ${e164.slice(8)}`;

/** What the cashier finally types; every prefix of each is one measured search. */
function typedQueries(t: Targets): string[] {
  const [local, domain] = t.email.email.split('@') as [string, string];
  return [
    'nguyen van',
    'linh',
    'trần',
    nationalFormat(t.vnPhone.phone),
    usFormat(t.usPhone.phone),
    `${local}@${domain.slice(0, 2)}`,
    'nguyne',
    'jhon',
    t.barcode.cardBarcode,
    'jose munoz',
  ];
}

interface Keystroke {
  query: string;
  text: string;
}

function keystrokes(queries: readonly string[]): Keystroke[] {
  return queries.flatMap((query) => {
    const chars = Array.from(query.normalize('NFC'));
    return chars.map((_, i) => ({ query, text: chars.slice(0, i + 1).join('') }));
  });
}

/** A query and what the cashier meant by it: one customer, or any customer of a kind. */
interface QualityCase {
  query: string;
  intent: string;
  kind: 'customer' | 'class';
  match: (r: StoredCustomer) => boolean;
}

const folded = (s: string) => fold(s).trim();

function qualityCases(t: Targets): QualityCase[] {
  const vnNational = nationalDigits(t.vnPhone.phone) ?? '';
  const us = t.usPhone.phone;
  const [local, domain] = t.email.email.split('@') as [string, string];
  const is = (target: StoredCustomer) => (r: StoredCustomer) => r.id === target.id;
  const partialPhone = nationalFormat(t.vnPhone.phone).slice(0, 6);
  return [
    { query: 'nguyne', intent: 'a Nguyễn (typo)', kind: 'class', match: (r) => folded(r.lastName) === 'nguyen' },
    { query: 'jhon', intent: 'a John (typo)', kind: 'class', match: (r) => r.firstName === 'John' },
    {
      query: 'nguyen van',
      intent: 'a Nguyễn Văn … or Nguyễn … Vân',
      kind: 'class',
      match: (r) => folded(r.lastName) === 'nguyen' && folded(r.firstName).split(' ').includes('van'),
    },
    {
      query: 'linh tran',
      intent: 'a Trần … Linh (words in any order)',
      kind: 'class',
      match: (r) => folded(r.lastName) === 'tran' && folded(r.firstName).split(' ').includes('linh'),
    },
    {
      query: 'jose munoz',
      intent: 'a José … Muñoz … (typed without accents)',
      kind: 'class',
      match: (r) => r.firstName.split(' ').includes('José') && r.lastName.split(' ').includes('Muñoz'),
    },
    { query: nationalFormat(t.vnPhone.phone), intent: `${t.vnPhone.phone} (national format)`, kind: 'customer', match: is(t.vnPhone) },
    {
      query: `+84 ${vnNational.slice(0, 2)} ${vnNational.slice(2, 5)} ${vnNational.slice(5)}`,
      intent: `${t.vnPhone.phone} (international, spaced)`,
      kind: 'customer',
      match: is(t.vnPhone),
    },
    { query: `(${us.slice(2, 5)}) ${us.slice(5, 8)}-${us.slice(8)}`, intent: `${us} (US national format)`, kind: 'customer', match: is(t.usPhone) },
    {
      query: partialPhone,
      intent: `Vietnamese phones starting ${partialPhone}`,
      kind: 'class',
      match: (r) => r.phone.startsWith('+84') && (nationalDigits(r.phone) ?? '').startsWith(partialPhone.replace(/\D/g, '').slice(1)),
    },
    { query: `${local}@${domain.slice(0, 2)}`, intent: `${t.email.email} (email prefix)`, kind: 'customer', match: is(t.email) },
    { query: local, intent: `${t.email.email} (local part only)`, kind: 'customer', match: is(t.email) },
    { query: t.barcode.cardBarcode, intent: `card ${t.barcode.cardBarcode} (scan)`, kind: 'customer', match: is(t.barcode) },
  ];
}

// ── the peer ─────────────────────────────────────────────────────────────────

interface MiniDoc {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  barcode: string;
}

/** The same strings our index gets: phone as E.164 digits and national digits, barcode as is. */
function miniDoc(slot: number, c: SearchableCustomer): MiniDoc {
  const digits = c.phone.replace(/\D/g, '');
  const national = c.phone ? nationalDigits(c.phone) : undefined;
  return { id: slot, firstName: c.firstName, lastName: c.lastName, email: c.email, phone: national ? `${digits} ${national}` : digits, barcode: c.cardBarcode };
}

function newMiniSearch(): MiniSearch<MiniDoc> {
  return new MiniSearch<MiniDoc>({
    fields: ['firstName', 'lastName', 'email', 'phone', 'barcode'],
    // The same accent folding as ours, so "tran" finds "Trần" in both.
    processTerm: (term) => fold(term),
    searchOptions: {
      prefix: true,
      // Fuzzy on digits would match other people's phone numbers; only words are typo-tolerant.
      fuzzy: (term) => (/^\d+$/.test(term) ? false : 0.2),
      combineWith: 'AND',
    },
  });
}

/** The phone-aware query: digit runs as typed and without the trunk 0, as our parse does. */
function miniSearchIds(index: MiniSearch<MiniDoc>, query: string, limit: number): { ids: number[]; total: number } {
  const trimmed = query.trim();
  if (!trimmed) return { ids: [], total: 0 };
  let q: Query = trimmed;
  let options: SearchOptions = {};
  if (isPhoneQuery(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    q = { combineWith: 'OR', queries: [...new Set([...phoneQueryDigits(trimmed), digits])] };
    options = { fields: ['phone', 'barcode'], prefix: true, fuzzy: false };
  }
  const results = index.search(q, options);
  const ids: number[] = [];
  for (let i = 0; i < results.length && i < limit; i++) ids.push((results[i] as { id: number }).id);
  return { ids, total: results.length };
}

// ── one store size (child process) ───────────────────────────────────────────

interface LatencySummary {
  p50: number;
  p95: number;
  max: number;
  mean: number;
  samples: number;
  /**
   * p95 over the keystrokes of each keystroke's fastest round: other processes on a shared 2-core machine
   * inflate single samples, and the fastest of several rounds is the nearest to the engine's own cost.
   */
  bestP95: number;
}

interface KeystrokeRow {
  text: string;
  ours: number;
  mini: number;
  oursTotal: number;
  miniTotal: number;
}

interface QualityRow {
  query: string;
  intent: string;
  ours: string;
  mini: string;
}

export interface SearchSizeResult {
  size: number;
  keystrokes: number;
  queries: string[];
  ours: LatencySummary;
  mini: LatencySummary;
  oursIndex: { buildMs: number; firstQueryMs: number; heapBytes: number };
  miniIndex: { buildMs: number; firstQueryMs: number; heapBytes: number; terms: number };
  storeConstructMs: number;
  slowest: KeystrokeRow[];
  quality: QualityRow[];
  profile?: ProfileSummary;
}

function summarise(samples: readonly number[], per: readonly number[][]): LatencySummary {
  return {
    bestP95: percentile(
      per.map((rounds) => Math.min(...rounds)),
      95,
    ),
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: Math.max(...samples),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    samples: samples.length,
  };
}

function heapUsed(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

function measure(strokes: readonly Keystroke[], rounds: number, run: (text: string) => number): { samples: number[]; per: number[][]; totals: number[] } {
  collect();
  for (const k of strokes) run(k.text);
  const per = strokes.map(() => [] as number[]);
  const totals = strokes.map(() => 0);
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    strokes.forEach((k, i) => {
      const start = performance.now();
      totals[i] = run(k.text);
      const took = performance.now() - start;
      samples.push(took);
      (per[i] as number[]).push(took);
    });
  }
  return { samples, per, totals };
}

function rankOf(ids: readonly string[], c: QualityCase, byId: Map<string, StoredCustomer>): string {
  const top = ids.slice(0, 5).map((id) => byId.get(id));
  if (c.kind === 'customer') {
    const at = top.findIndex((r) => r !== undefined && c.match(r));
    return at >= 0 ? `#${at + 1}` : '✗';
  }
  return `${top.filter((r) => r !== undefined && c.match(r)).length}/5`;
}

async function runSize(size: number): Promise<SearchSizeResult> {
  log(`search ${size}: building fixture`);
  const doc = buildStoreDocument(size, SEED);
  const map = storeMaps(doc).customers;
  const ids = customerIds(size, SEED);
  // Parsed, so fields a creation left empty (and out of the record) read as '' here.
  const records = ids.map((id) => StoredCustomerSchema.parse(decodeCustomer(map.get(id))));
  const byId = new Map(records.map((r) => [r.id, r]));
  const fields = records.map((r) => searchableFields(r.id, r));
  const targets = findTargets(records);
  const queries = typedQueries(targets);
  const strokes = keystrokes(queries);

  log(`search ${size}: index builds`);
  let before = heapUsed();
  let start = performance.now();
  let ownIndex: SearchIndex | undefined = new SearchIndex();
  for (const f of fields) ownIndex.put(f);
  const ownBuild = performance.now() - start;
  start = performance.now();
  ownIndex.search('a', LIMIT);
  const ownFirst = performance.now() - start;
  const ownHeap = heapUsed() - before;
  ownIndex = undefined;

  before = heapUsed();
  start = performance.now();
  const mini = newMiniSearch();
  mini.addAll(fields.map((f, slot) => miniDoc(slot, f)));
  const miniBuild = performance.now() - start;
  start = performance.now();
  miniSearchIds(mini, 'a', LIMIT);
  const miniFirst = performance.now() - start;
  const miniHeap = heapUsed() - before;

  log(`search ${size}: store`);
  start = performance.now();
  const store = new CustomerStore(doc, { tillId: 'bench' });
  const storeConstructMs = performance.now() - start;
  store.search('a', LIMIT);

  log(`search ${size}: ${strokes.length} keystrokes × ${ROUNDS} rounds, ours`);
  const own = measure(strokes, ROUNDS, (text) => store.search(text, LIMIT).total);
  log(`search ${size}: MiniSearch, ${PEER_ROUNDS} rounds`);
  const peer = measure(strokes, PEER_ROUNDS, (text) => miniSearchIds(mini, text, LIMIT).total);

  const rows: KeystrokeRow[] = strokes.map((k, i) => ({
    text: k.text,
    ours: median(own.per[i] as number[]),
    mini: median(peer.per[i] as number[]),
    oursTotal: own.totals[i] as number,
    miniTotal: peer.totals[i] as number,
  }));
  const slowest = [...rows].sort((a, b) => b.ours - a.ours).slice(0, 8);

  const recordAt = (slot: number) => records[slot]?.id ?? '';
  const quality = qualityCases(targets).map((c) => ({
    query: c.query,
    intent: c.intent,
    ours: rankOf(store.search(c.query, LIMIT).ids, c, byId),
    mini: rankOf(miniSearchIds(mini, c.query, LIMIT).ids.map(recordAt), c, byId),
  }));

  const result: SearchSizeResult = {
    size,
    keystrokes: strokes.length,
    queries,
    ours: summarise(own.samples, own.per),
    mini: summarise(peer.samples, peer.per),
    oursIndex: { buildMs: ownBuild, firstQueryMs: ownFirst, heapBytes: ownHeap },
    miniIndex: { buildMs: miniBuild, firstQueryMs: miniFirst, heapBytes: miniHeap, terms: mini.termCount },
    storeConstructMs,
    slowest,
    quality,
  };

  const target = P95_TARGET[size];
  if (target !== undefined && result.ours.p95 > target) {
    log(`search ${size}: p95 ${result.ours.p95.toFixed(2)} ms misses ${target} ms, profiling`);
    const { profile } = await profiled(() => {
      for (let round = 0; round < 3; round++) for (const k of strokes) store.search(k.text, LIMIT);
    });
    result.profile = summariseProfile(profile);
  }
  store.destroy();
  return result;
}

// ── all sizes (parent) ───────────────────────────────────────────────────────

function renderSearch(results: readonly SearchSizeResult[]): Section {
  const first = results[0];
  const targets: TargetCheck[] = [];
  for (const r of results) {
    const limit = P95_TARGET[r.size];
    if (limit !== undefined) targets.push(checkTarget(`store.search alone p95 at ${r.size / 1000}k`, r.ours.p95, limit, 'ms', 2));
  }
  const parts: string[] = [];
  parts.push(
    `Each keystroke of ${first?.queries.length ?? 0} queries typed one character at a time is one \`store.search(prefix, ${LIMIT})\` ` +
      `(${first?.keystrokes ?? 0} keystrokes; after one warm-up round, ${ROUNDS} measured rounds for ours and ${PEER_ROUNDS} for MiniSearch, so ${(first?.keystrokes ?? 0) * ROUNDS} and ${(first?.keystrokes ?? 0) * PEER_ROUNDS} samples per size). ` +
      'MiniSearch 7 indexes the same strings (firstName, lastName, email, phone digits E.164 + national, barcode) with prefix, ' +
      'fuzzy 0.2 on words, AND, the same accent folding, and a phone-aware query (digit runs as typed and without the trunk 0, OR, over phone and barcode). ' +
      'Ours is timed through CustomerStore; MiniSearch through `search()` plus taking the first 50 ids. Each store size runs in its own process. ' +
      'p50 / p95 / max are over all samples (the targets use these); "p95 best-of-rounds" is the p95 over keystrokes of each keystroke\'s fastest round, ' +
      'which discounts samples slowed by other processes on this shared machine (see the load average above).',
  );
  parts.push('', 'Queries (each typed keystroke by keystroke): ' + (first?.queries.map((q) => `\`${q}\``).join(', ') ?? ''));
  parts.push(
    '',
    '### Keystroke latency',
    '',
    table(
      [
        'customers',
        'ours p50',
        'ours p95',
        'ours p95 best-of-rounds',
        'ours max',
        'MiniSearch p50',
        'MiniSearch p95',
        'MiniSearch p95 best-of-rounds',
        'MiniSearch max',
        'p50 ours/MS',
        'p95 ours/MS',
      ],
      results.map((r) => [
        r.size.toLocaleString('en-US'),
        ms(r.ours.p50),
        ms(r.ours.p95),
        ms(r.ours.bestP95),
        ms(r.ours.max),
        ms(r.mini.p50),
        ms(r.mini.p95),
        ms(r.mini.bestP95),
        ms(r.mini.max),
        ratio(r.ours.p50, r.mini.p50),
        ratio(r.ours.p95, r.mini.p95),
      ]),
    ),
  );
  parts.push(
    '',
    '### Index build',
    '',
    'Index alone, from the same prepared field strings; heap is the growth measured after full collections. ' +
      '"First query" is the first search after the build (ours sorts its token list then). "Store construction" is `new CustomerStore(doc)` on the decoded document (validation + search index + uniqueness index).',
    '',
    table(
      [
        'customers',
        'ours build',
        'ours first query',
        'ours heap',
        'MiniSearch build',
        'MiniSearch first query',
        'MiniSearch heap',
        'build ours/MS',
        'heap ours/MS',
        'store construction',
      ],
      results.map((r) => [
        r.size.toLocaleString('en-US'),
        ms(r.oursIndex.buildMs),
        ms(r.oursIndex.firstQueryMs),
        mb(r.oursIndex.heapBytes),
        ms(r.miniIndex.buildMs),
        ms(r.miniIndex.firstQueryMs),
        mb(r.miniIndex.heapBytes),
        ratio(r.oursIndex.buildMs + r.oursIndex.firstQueryMs, r.miniIndex.buildMs + r.miniIndex.firstQueryMs),
        ratio(r.oursIndex.heapBytes, r.miniIndex.heapBytes),
        ms(r.storeConstructMs),
      ]),
    ),
  );
  const largest = results[results.length - 1];
  if (largest) {
    parts.push(
      '',
      `### Slowest keystrokes at ${largest.size.toLocaleString('en-US')} (median over rounds)`,
      '',
      table(
        ['typed', 'ours', 'matches', 'MiniSearch', 'matches'],
        largest.slowest.map((k) => [`\`${k.text}\``, ms(k.ours), String(k.oursTotal), ms(k.mini), String(k.miniTotal)]),
      ),
    );
  }
  parts.push(
    '',
    '### Result quality',
    '',
    'Whether the intended customer is in the top 5 (its rank, ✗ if not), or for a kind of customer how many of the top 5 are of that kind; per store size 10k · 50k · 100k.',
    '',
    table(
      ['query', 'intended', 'ours', 'MiniSearch'],
      (first?.quality ?? []).map((q, i) => [
        `\`${q.query}\``,
        q.intent,
        results.map((r) => r.quality[i]?.ours ?? '').join(' · '),
        results.map((r) => r.quality[i]?.mini ?? '').join(' · '),
      ]),
    ),
  );
  for (const r of results) {
    if (!r.profile) continue;
    parts.push('', `### Profile: keystrokes at ${r.size.toLocaleString('en-US')} (target missed)`, '', profileMarkdown(r.profile));
  }
  return { title: 'Search', markdown: parts.join('\n'), targets };
}

export async function benchSearch(): Promise<Section> {
  const results: SearchSizeResult[] = [];
  for (const size of SEARCH_SIZES) results.push(await runChild<SearchSizeResult>('search.ts', ['--size', String(size)], ['--expose-gc']));
  return renderSearch(results);
}

if (isMain(import.meta.url)) {
  const size = argValue('--size');
  if (size) writeResult(await runSize(Number(size)));
  else console.log((await benchSearch()).markdown);
}
