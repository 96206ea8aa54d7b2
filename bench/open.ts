/**
 * Opening a store as a till does after a reload: decode the stored Yjs update, build the CustomerStore
 * over it (validation, search and uniqueness indexes), answer a first search. Every measurement runs in
 * a fresh Node process with --expose-gc so the heap figure is the store alone, not an earlier run's
 * leftovers or the fixture generator's garbage.
 *
 *   node --import tsx bench/open.ts                          all sizes, markdown on stdout
 *   node --expose-gc --import tsx bench/open.ts --child F    one measurement of the update in file F
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { join } from 'node:path';
import * as Y from 'yjs';
import { CustomerStore } from '../components/store/customer-store.js';
import { storeMaps } from '../components/store/document-layout.js';
import { StoredCustomerSchema } from '../components/model/customer.js';
import { searchableFields } from '../components/store/record-views.js';
import { StoredCustomers } from '../components/store/stored-customers.js';
import { SearchIndex } from '../components/store/search-index.js';
import { UniqueIndex } from '../components/store/unique-index.js';
import { encodeStore, generateCustomers, storedRecords } from '../test/fixtures/customer-generator.js';
import {
  argValue,
  checkTarget,
  collect,
  isMain,
  log,
  mb,
  median,
  ms,
  profiled,
  profileMarkdown,
  runChild,
  summariseProfile,
  writeResult,
  table,
  type ProfileSummary,
  type Section,
  type TargetCheck,
} from './common.js';

const sizesArg = argValue('--sizes');
/** `--sizes 100000`: one size only, for a quick look. */
export const OPEN_SIZES = sizesArg ? sizesArg.split(',').map(Number) : [10_000, 50_000, 100_000];
const SEED = 1;
const RUNS = 3;
const OPEN_TARGET_MS = 1500;
const HEAP_TARGET_MB = 250;

interface OpenMeasurement {
  /** Deserialising the saved open snapshot (what IndexedDB's structured clone does in a page); 0 without one. */
  snapshotMs: number;
  /** Customers the snapshot did not cover, indexed from the document; -1 without a snapshot. */
  staleKeys: number;
  decodeMs: number;
  storeMs: number;
  firstSearchMs: number;
  totalMs: number;
  /** The first duplicate check after the open, which builds the uniqueness index (deferred until then). */
  firstUniqueMs: number;
  /** CPU time of the process over the same span (all threads): less disturbed than wall time by other work on the machine. */
  cpuMs: number;
  /** Heap after full collections with the document and store alive. */
  heapBytes: number;
  /** The same before decoding (modules loaded), so heapBytes − baseline is what the store costs. */
  baselineBytes: number;
  rssBytes: number;
  liveCount: number;
  profile?: ProfileSummary;
}

// ── child: one measurement ───────────────────────────────────────────────────

const TILL = 'bench-till';
const LOAD = 'device load';

/**
 * With a snapshot file, the product's path (local-store.ts): a store on the empty document, the snapshot
 * offered, the device's document loaded in one transaction whose observers restore from it. Without,
 * a store built over the decoded document, indexing every customer.
 */
async function measureOpen(file: string, snapshotFile: string | undefined, profile: boolean): Promise<OpenMeasurement> {
  let update: Uint8Array | undefined = new Uint8Array(readFileSync(file));
  let snapshotBytes: Buffer | undefined = snapshotFile ? readFileSync(snapshotFile) : undefined;
  collect();
  const baselineBytes = process.memoryUsage().heapUsed;
  const open = () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const snapshot: unknown = snapshotBytes && deserialize(snapshotBytes);
    const ts = performance.now();
    const doc = new Y.Doc();
    let store: CustomerStore | undefined;
    let t1: number;
    if (snapshot) {
      store = new CustomerStore(doc, { tillId: TILL });
      if (!store.prepareLoad(LOAD, snapshot)) throw new Error('the snapshot was refused');
      let observers = NaN;
      doc.on('beforeObserverCalls', () => (observers = performance.now()));
      Y.applyUpdate(doc, update as Uint8Array, LOAD);
      t1 = observers;
    } else {
      Y.applyUpdate(doc, update as Uint8Array);
      t1 = performance.now();
      store = new CustomerStore(doc, { tillId: TILL });
    }
    const t2 = performance.now();
    store.search('a', 50);
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const staleKeys = snapshot ? (store.snapshotUse?.staleKeys ?? NaN) : -1;
    return {
      doc,
      store,
      snapshotMs: ts - t0,
      staleKeys,
      decodeMs: t1 - ts,
      storeMs: t2 - t1,
      firstSearchMs: t3 - t2,
      totalMs: t3 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };
  const run = profile ? await profiled(open) : { value: open(), profile: undefined };
  const { store, doc, ...times } = run.value;
  const t4 = performance.now();
  store.check({ firstName: 'New', email: 'new.customer@example.com' });
  const firstUniqueMs = performance.now() - t4;
  update = undefined;
  snapshotBytes = undefined;
  collect();
  const memory = process.memoryUsage();
  const result: OpenMeasurement = { ...times, firstUniqueMs, heapBytes: memory.heapUsed, baselineBytes, rssBytes: memory.rss, liveCount: store.liveCount };
  if (run.profile) result.profile = summariseProfile(run.profile);
  // Keeps both alive through the heap reading above.
  if (!doc.getMap('customers').size) throw new Error('the decoded document is empty');
  return result;
}

/** The snapshot a till's keeper would have saved of this document, serialised as IndexedDB's structured clone would. */
async function makeSnapshot(file: string, out: string): Promise<void> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(readFileSync(file)));
  const store = new CustomerStore(doc, { tillId: TILL });
  store.invalidRecords();
  while (store.sortIndexStep());
  writeFileSync(out, serialize(store.openSnapshot()));
}

interface HeapBreakdown {
  baselineBytes: number;
  parts: Array<[string, number]>;
}

/**
 * What each part the store keeps costs on the heap, built one after another from the decoded document
 * the way the CustomerStore constructor builds them.
 */
function measureBreakdown(file: string): HeapBreakdown {
  const update = new Uint8Array(readFileSync(file));
  collect();
  const baselineBytes = process.memoryUsage().heapUsed;
  const parts: Array<[string, number]> = [];
  let last = baselineBytes;
  const step = (name: string) => {
    collect();
    const now = process.memoryUsage().heapUsed;
    parts.push([name, now - last]);
    last = now;
  };
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  step('Y.Doc (records as JSON strings)');
  const customers = new StoredCustomers(storeMaps(doc).customers);
  const index = new SearchIndex();
  customers.forEach((raw, id) => index.put(searchableFields(id, raw)));
  index.search('a', 50);
  step('SearchIndex');
  const unique = new UniqueIndex();
  customers.forEach((raw, id) => unique.put(id, searchableFields(id, raw)));
  unique.holder('email', 'new.customer@example.com');
  step('UniqueIndex (after its first lookup)');
  // Read after the last measurement so the parts above stay reachable through it.
  if (index.size !== doc.getMap('customers').size || unique.conflicts().next().done !== true) throw new Error('fixture customers are not all live and unique');
  return { baselineBytes, parts };
}

interface ShapeRow {
  shape: string;
  encodedBytes: number;
  decodeMs: number;
  parseMs: number;
}

/**
 * The same customers stored in other record shapes, to show how much of the decode time the shape of a
 * record costs Yjs (every key and string is its own TextDecoder call and allocation in lib0's readAny).
 */
function measureShapes(size: number): ShapeRow[] {
  const records = storedRecords(generateCustomers(size, SEED), SEED) as Array<Record<string, unknown>>;
  const shapes: Array<[string, (r: Record<string, unknown>) => unknown, boolean]> = [
    ['as stored: one JSON string per record (layout 2)', (r) => JSON.stringify(r), true],
    ['one plain object per record (layout 1)', (r) => r, false],
    ['layout 1 with every field written (as first stored)', (r) => StoredCustomerSchema.parse(r), false],
    ['layout 1 without the address (and its ids)', ({ addresses: _a, billingAddressId: _b, shippingAddressId: _s, ...rest }) => rest, false],
  ];
  return shapes.map(([shape, toValue, json]) => {
    log(`open shapes: ${shape}`);
    let built: Y.Doc | undefined = new Y.Doc();
    const map = built.getMap('customers');
    built.transact(() => {
      for (const r of records) map.set(r.id as string, toValue(r));
    });
    const update = Y.encodeStateAsUpdate(built);
    built.destroy();
    built = undefined;
    const decodes: number[] = [];
    const parses: number[] = [];
    for (let i = 0; i < 2; i++) {
      collect();
      const start = performance.now();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, update);
      decodes.push(performance.now() - start);
      if (json) {
        const t = performance.now();
        doc.getMap('customers').forEach((v) => JSON.parse(v as string));
        parses.push(performance.now() - t);
      }
      doc.destroy();
    }
    return { shape, encodedBytes: update.byteLength, decodeMs: Math.min(...decodes), parseMs: parses.length ? Math.min(...parses) : 0 };
  });
}

// ── parent: all sizes ────────────────────────────────────────────────────────

interface SizeRow {
  size: number;
  /** Opened from a current snapshot (the product's reopen) or without one. */
  snapshot: boolean;
  snapshotBytes: number;
  encodedBytes: number;
  runs: OpenMeasurement[];
  med: Omit<OpenMeasurement, 'profile'>;
}

function medianOf(runs: readonly OpenMeasurement[]): Omit<OpenMeasurement, 'profile'> {
  const m = (f: (r: OpenMeasurement) => number) => median(runs.map(f));
  return {
    snapshotMs: m((r) => r.snapshotMs),
    staleKeys: m((r) => r.staleKeys),
    decodeMs: m((r) => r.decodeMs),
    storeMs: m((r) => r.storeMs),
    firstSearchMs: m((r) => r.firstSearchMs),
    totalMs: m((r) => r.totalMs),
    firstUniqueMs: m((r) => r.firstUniqueMs),
    cpuMs: m((r) => r.cpuMs),
    heapBytes: m((r) => r.heapBytes),
    baselineBytes: m((r) => r.baselineBytes),
    rssBytes: m((r) => r.rssBytes),
    liveCount: m((r) => r.liveCount),
  };
}

export async function benchOpen(): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-open-'));
  const rows: SizeRow[] = [];
  let profile: ProfileSummary | undefined;
  let breakdown: (HeapBreakdown & { targetMissed: boolean }) | undefined;
  let shapes: ShapeRow[] | undefined;
  const targets: TargetCheck[] = [];
  try {
    for (const size of OPEN_SIZES) {
      log(`open ${size}: encoding`);
      const update = encodeStore(size, SEED);
      const file = join(dir, `store-${size}.bin`);
      writeFileSync(file, update);
      const snapshotFile = join(dir, `snapshot-${size}.bin`);
      log(`open ${size}: taking the snapshot a till would have saved`);
      await runChild<null>('open.ts', ['--make-snapshot', file, snapshotFile], []);
      const snapshotBytes = readFileSync(snapshotFile).byteLength;
      let withSnapshot: SizeRow | undefined;
      for (const snapshot of [true, false]) {
        const args = snapshot ? ['--child', file, '--snapshot', snapshotFile] : ['--child', file];
        const runs: OpenMeasurement[] = [];
        for (let i = 0; i < RUNS; i++) {
          log(`open ${size}${snapshot ? '' : ' without snapshot'}: run ${i + 1}/${RUNS}`);
          runs.push(await runChild<OpenMeasurement>('open.ts', args, ['--expose-gc']));
        }
        const med = medianOf(runs);
        if (med.liveCount !== size) throw new Error(`store opened ${med.liveCount} live customers, expected ${size}`);
        if (snapshot && med.staleKeys !== 0) throw new Error(`the snapshot left ${med.staleKeys} customers to index`);
        const row: SizeRow = { size, snapshot, snapshotBytes, encodedBytes: update.byteLength, runs, med };
        rows.push(row);
        if (snapshot) withSnapshot = row;
      }
      if (size === OPEN_SIZES[OPEN_SIZES.length - 1] && withSnapshot) {
        const { med } = withSnapshot;
        const open = checkTarget(`open at ${size / 1000}k (snapshot + decode + store + first search)`, med.totalMs, OPEN_TARGET_MS, 'ms', 0);
        const heap = checkTarget(`heap at ${size / 1000}k (after GC, store open)`, med.heapBytes / 1048576, HEAP_TARGET_MB, 'MB', 1);
        targets.push(open, heap);
        if (!open.met) {
          log(`open ${size}: ${open.measured} misses ${open.limit}, profiling`);
          profile = (await runChild<OpenMeasurement>('open.ts', ['--child', file, '--snapshot', snapshotFile, '--profile'], ['--expose-gc'])).profile;
        }
        log(`open ${size}: decoding other record shapes`);
        shapes = await runChild<ShapeRow[]>('open.ts', ['--shapes', String(size)], ['--expose-gc']);
        log(`open ${size}: measuring the heap part by part`);
        breakdown = { ...(await runChild<HeapBreakdown>('open.ts', ['--breakdown', file], ['--expose-gc'])), targetMissed: !heap.met };
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const parts: string[] = [];
  parts.push(
    `Document of generated customers (seed ${SEED}), encoded once with \`Y.encodeStateAsUpdate\`; each measurement is a fresh \`node --expose-gc\` process that reads the update from a file. ` +
      '**With the snapshot** (how a till reopens: components/store/local-store.ts) it also reads the open snapshot a till would have saved of that document (taken once per size in another process, written with `v8.serialize`, the structured clone IndexedDB uses) and times: deserialising it ("snapshot"), ' +
      'a `CustomerStore` on the empty document offered the snapshot, `Y.applyUpdate` of the document in one transaction ("decode", until the observers start), the observers restoring every customer from the snapshot ("store"), and the first `search("a")`. ' +
      '**Without** (a till that has no snapshot yet) it times `Y.applyUpdate` into a new Y.Doc, `new CustomerStore(doc)` indexing every customer, and the first search. ' +
      'Wall clock; "CPU time" is the process\'s user + system time over the same span, garbage-collector threads included. ' +
      "After the open it times the first `store.check` of a new customer's email, which builds the uniqueness index the store defers until a create, edit, scan or duplicate listing needs it (not part of the total). " +
      `Heap is \`heapUsed\` after two full collections with document and store alive, uniqueness index built; "store share" subtracts the process's heap before decoding (modules loaded). Medians of ${RUNS} runs.`,
    '',
    table(
      [
        'customers',
        'encoded',
        'snapshot',
        'decode',
        'store',
        'first search',
        'total',
        'CPU time',
        'first duplicate check',
        'heap',
        'store share of heap',
        'RSS',
      ],
      rows.map((r) => [
        `${r.size.toLocaleString('en-US')}${r.snapshot ? '' : ', no snapshot'}`,
        mb(r.encodedBytes),
        r.snapshot ? `${ms(r.med.snapshotMs)} (${mb(r.snapshotBytes)})` : '—',
        ms(r.med.decodeMs),
        ms(r.med.storeMs),
        ms(r.med.firstSearchMs),
        ms(r.med.totalMs),
        ms(r.med.cpuMs),
        ms(r.med.firstUniqueMs),
        mb(r.med.heapBytes),
        mb(r.med.heapBytes - r.med.baselineBytes),
        mb(r.med.rssBytes),
      ]),
    ),
    '',
    'All runs (total ms / heap MB): ' +
      rows
        .map(
          (r) =>
            `${r.size / 1000}k${r.snapshot ? '' : ' no snapshot'}: ${r.runs.map((x) => `${x.totalMs.toFixed(0)}/${(x.heapBytes / 1048576).toFixed(0)}`).join(', ')}`,
        )
        .join('; '),
    '',
    `Per customer at ${(rows[rows.length - 1]?.size ?? 0) / 1000}k: ` +
      (() => {
        const r = rows.filter((x) => x.snapshot).pop();
        if (!r) return '';
        return `${(r.encodedBytes / r.size).toFixed(0)} B encoded, ${((r.med.heapBytes - r.med.baselineBytes) / r.size / 1024).toFixed(2)} KB of heap, ${((r.med.storeMs * 1000) / r.size).toFixed(0)} µs of store restoring from the snapshot.`;
      })(),
  );
  if (breakdown) {
    const total = breakdown.parts.reduce((a, [, b]) => a + b, 0);
    parts.push(
      '',
      `### Heap by part at ${OPEN_SIZES[OPEN_SIZES.length - 1]?.toLocaleString('en-US')}${breakdown.targetMissed ? ' (target missed)' : ''}`,
      '',
      'Each part built in turn in a fresh process, heap measured after full collections between parts; shares are of the open store.',
      '',
      table(
        ['part', 'heap', 'share'],
        [
          ...breakdown.parts.map(([name, bytes]) => [name, mb(bytes), `${((bytes / total) * 100).toFixed(0)}%`]),
          ['modules loaded (baseline)', mb(breakdown.baselineBytes), ''],
        ],
      ),
    );
  }
  if (shapes) {
    const base = shapes[0];
    parts.push(
      '',
      `### Decode time by record shape at ${OPEN_SIZES[OPEN_SIZES.length - 1]?.toLocaleString('en-US')}`,
      '',
      'Why layout 2 stores each customer as one JSON string: the same customers written in other shapes (the first row is the layout; the others are layout 1 and experiments), each decoded twice in one fresh process; best of 2, because other work on this machine slows single runs. "Decode" counts `Y.applyUpdate` plus, for JSON strings, parsing every record once (what opening the store does).',
      '',
      table(
        ['record shape', 'encoded', 'Y.applyUpdate', 'JSON.parse of all records', 'decode vs as stored'],
        shapes.map((r) => [
          r.shape,
          mb(r.encodedBytes),
          ms(r.decodeMs),
          r.parseMs ? ms(r.parseMs) : '—',
          base ? `${((r.decodeMs + r.parseMs) / (base.decodeMs + base.parseMs)).toFixed(2)}×` : '',
        ]),
      ),
    );
  }
  if (profile) {
    parts.push(
      '',
      `### Profile: open at ${OPEN_SIZES[OPEN_SIZES.length - 1]?.toLocaleString('en-US')} (target missed)`,
      '',
      'One extra run (with the snapshot) sampled by the V8 profiler (inspector, 250 µs) over snapshot + decode + store + first search only.',
      '',
      profileMarkdown(profile),
    );
  }
  return { title: 'Store open', markdown: parts.join('\n'), targets };
}

if (isMain(import.meta.url)) {
  const child = argValue('--child');
  const breakdownFile = argValue('--breakdown');
  const shapesSize = argValue('--shapes');
  const makeSnapshotOf = argValue('--make-snapshot');
  if (child) writeResult(await measureOpen(child, argValue('--snapshot'), process.argv.includes('--profile')));
  else if (makeSnapshotOf) {
    await makeSnapshot(makeSnapshotOf, process.argv[process.argv.indexOf('--make-snapshot') + 2] as string);
    writeResult(null);
  } else if (breakdownFile) writeResult(measureBreakdown(breakdownFile));
  else if (shapesSize) writeResult(measureShapes(Number(shapesSize)));
  else console.log((await benchOpen()).markdown);
}
