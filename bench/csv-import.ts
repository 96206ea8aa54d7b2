/**
 * CSV import of 10,000 and 100,000 customers (issue 5): generated customers in a store → the back
 * office's export → parseCustomersCsv → previewImport → importCustomers into a fresh store, each phase
 * timed, with a 10 ms timer watchdog measuring the longest the event loop was blocked (what freezes the
 * page) and the heap sampled. Each Node measurement runs in a fresh `node --expose-gc` process; then the
 * same import (parse → preview → import) runs once per size in headless Chromium.
 *
 *   node --import tsx bench/csv-import.ts                 all sizes; writes bench/results/csv-import.md and prints it
 *   node --import tsx bench/csv-import.ts --no-browser    Node only
 *   node --import tsx bench/csv-import.ts --sizes 100000 --runs 1   a quick look (still writes the file)
 *   node --expose-gc --import tsx bench/csv-import.ts --child 10000 [--profile] [--csv-out F]   one measurement, JSON
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomerStore } from '../components/store/customer-store.js';
import { buildStoreDocument } from '../test/fixtures/customer-generator.js';
import { exportStore, importCsv, StallWatch, type PhaseStats } from './browser/csv-pipeline.js';
import type { BrowserCsvRun, CsvPageApi } from './browser/csv-page.js';
import { startBrowserBench } from './browser/harness.js';
import { runStandalone } from './browser/standalone.js';
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
  runChild,
  summariseProfile,
  table,
  writeResult,
  type ProfileSummary,
  type Section,
  type TargetCheck,
} from './common.js';

export const CSV_SIZES = [10_000, 100_000];
const SEED = 1;
const RUNS = 3;
/** The issue asks that a large import not freeze the page "for seconds"; under one second is our reading of that. */
const STALL_TARGET_MS = 1000;
const NODE_FLAGS = ['--expose-gc'];

interface NodeRun {
  size: number;
  csvBytes: number;
  /** Export, then the import phases (parse, preview, import). */
  phases: PhaseStats[];
  /** Heap after full collections with the source store open, before exporting. */
  exportBaselineBytes: number;
  /** The same with the source store dropped and the CSV text alive, before importing. */
  importBaselineBytes: number;
  /** The same after the import, with the imported store alive. */
  retainedBytes: number;
  maxRssBytes: number;
  ok: number;
  created: number;
  liveCount: number;
  profiles?: Array<[string, ProfileSummary]>;
}

// ── child: one measurement ───────────────────────────────────────────────────

/**
 * Cuts a CPU profile into the phases' time windows. V8 stamps samples with the monotonic clock that
 * process.hrtime reads, so performance.now() converts to it through one offset.
 */
function splitProfile(profile: Profiler.Profile, phases: readonly PhaseStats[], offsetUs: number): Array<[string, ProfileSummary]> {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const times: number[] = [];
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) times.push((t += deltas[i] ?? 0));
  return phases.map((phase) => {
    const from = phase.startMs * 1000 + offsetUs;
    const to = from + phase.ms * 1000;
    const picked: number[] = [];
    const pickedDeltas: number[] = [0];
    samples.forEach((id, i) => {
      const at = times[i] as number;
      if (at >= from && at < to) {
        picked.push(id);
        // summariseProfile charges sample i with timeDeltas[i + 1], the gap to the next sample.
        pickedDeltas.push(deltas[i + 1] ?? 0);
      }
    });
    return [phase.name, summariseProfile({ ...profile, samples: picked, timeDeltas: pickedDeltas }, 8)];
  });
}

/** The store to export from, behind a holder the export empties again (see exportAndDrop). */
function openSource(size: number): { store?: CustomerStore } {
  return { store: new CustomerStore(buildStoreDocument(size, SEED), { tillId: 'bench-export' }) };
}

/**
 * Exports, then lets go of the source store. In a function of its own because V8 keeps values in the
 * registers of frames still running: a store created and dropped in one long-lived frame stays reachable,
 * and the heap before the import would count it.
 */
async function exportAndDrop(holder: { store?: CustomerStore }, watch: StallWatch, size: number): Promise<{ csv: string; exportPhases: PhaseStats[] }> {
  const store = holder.store as CustomerStore;
  watch.phase('export');
  const exported = await exportStore(store, () => watch.progress());
  const exportPhases = watch.stop();
  if (exported.count !== size) throw new Error(`exported ${exported.count} customers, expected ${size}`);
  store.destroy();
  store.doc.destroy();
  delete holder.store;
  return { csv: exported.csv, exportPhases };
}

async function measure(size: number, profile: boolean, csvOut: string | undefined): Promise<NodeRun> {
  const source = openSource(size);
  const heap = () => process.memoryUsage().heapUsed;
  collect();
  const exportBaselineBytes = heap();
  const offsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;

  const body = async () => {
    const watch = new StallWatch(heap);
    const { csv, exportPhases } = await exportAndDrop(source, watch, size);
    // Out of the watched phases: writing the file for the browser run, and the collection.
    if (csvOut) writeFileSync(csvOut, csv);
    collect();
    const importBaselineBytes = heap();
    const outcome = await importCsv(csv, watch);
    return { csv, exportPhases, importBaselineBytes, outcome };
  };
  const run = profile ? await profiled(body) : { value: await body(), profile: undefined };
  const { csv, exportPhases, importBaselineBytes, outcome } = run.value;
  if (outcome.counts.ok !== size || outcome.created !== size || outcome.liveCount !== size)
    throw new Error(`import of ${size}: ${outcome.counts.ok} ok in the preview, ${outcome.created} created, ${outcome.liveCount} live`);
  collect();
  const retainedBytes = heap();
  const phases = [...exportPhases, ...outcome.phases];
  const result: NodeRun = {
    size,
    csvBytes: Buffer.byteLength(csv),
    phases,
    exportBaselineBytes,
    importBaselineBytes,
    retainedBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    ok: outcome.counts.ok,
    created: outcome.created,
    liveCount: outcome.store.liveCount,
  };
  if (run.profile) result.profiles = splitProfile(run.profile, phases, offsetUs);
  return result;
}

// ── browser ──────────────────────────────────────────────────────────────────

interface BrowserRun extends BrowserCsvRun {
  size: number;
  retainedBytes: number;
}

async function browserRuns(csvFiles: ReadonlyMap<number, string>): Promise<BrowserRun[]> {
  const bench = await startBrowserBench();
  const out: BrowserRun[] = [];
  try {
    for (const [size, file] of csvFiles) {
      bench.data.set(`customers-${size}.csv`, readFileSync(file, 'utf8'));
      log(`csv ${size}: browser run`);
      const { context, page } = await bench.open('/bench/browser/csv.html');
      try {
        await page.waitForFunction(() => Boolean(window.benchCsv), undefined, { timeout: 30_000 });
        const api = await page.evaluateHandle(() => window.benchCsv as CsvPageApi);
        await api.evaluate((a, n) => a.fetch(n), size);
        const session = await context.newCDPSession(page);
        await session.send('HeapProfiler.collectGarbage');
        const run = await api.evaluate((a) => a.run());
        await session.send('HeapProfiler.collectGarbage');
        const retainedBytes = (await session.send('Runtime.getHeapUsage')).usedSize;
        await session.detach();
        if (run.ok !== size || run.created !== size || run.liveCount !== size)
          throw new Error(`browser import of ${size}: ${run.ok} ok, ${run.created} created`);
        out.push({ ...run, size, retainedBytes });
      } finally {
        await context.close();
        bench.data.delete(`customers-${size}.csv`);
      }
    }
  } finally {
    await bench.close();
  }
  return out;
}

// ── parent ───────────────────────────────────────────────────────────────────

const IMPORT_PHASES = ['parse', 'preview (check rows)', 'import (build, one write, index)'];

const phaseOf = (run: { phases: readonly PhaseStats[] }, name: string) => run.phases.find((p) => p.name === name);
const importStall = (run: { phases: readonly PhaseStats[] }) => Math.max(...IMPORT_PHASES.map((n) => phaseOf(run, n)?.longestStallMs ?? 0));
const importMs = (run: { phases: readonly PhaseStats[] }) => IMPORT_PHASES.reduce((sum, n) => sum + (phaseOf(run, n)?.ms ?? 0), 0);

function phaseTable(size: number, runs: ReadonlyArray<{ phases: readonly PhaseStats[] }>, names: readonly string[]): string[][] {
  const m = (name: string, f: (p: PhaseStats) => number) => median(runs.map((r) => (phaseOf(r, name) ? f(phaseOf(r, name) as PhaseStats) : NaN)));
  const rows = names.map((name) => {
    const time = m(name, (p) => p.ms);
    const progress = m(name, (p) => p.progressEvents);
    return [
      size.toLocaleString('en-US'),
      name,
      ms(time),
      `${Math.round(size / (time / 1000)).toLocaleString('en-US')}`,
      ms(m(name, (p) => p.longestStallMs)),
      String(m(name, (p) => p.longStalls)),
      progress ? `${progress} (longest gap ${ms(m(name, (p) => p.longestProgressGapMs))})` : '—',
      mb(m(name, (p) => p.heapPeakBytes)),
    ];
  });
  const imports = runs.map(importMs);
  rows.push([
    size.toLocaleString('en-US'),
    '**import total** (parse + preview + import)',
    `**${ms(median(imports))}**`,
    Math.round(size / (median(imports) / 1000)).toLocaleString('en-US'),
    `**${ms(median(runs.map(importStall)))}**`,
    String(median(runs.map((r) => IMPORT_PHASES.reduce((n, name) => n + (phaseOf(r, name)?.longStalls ?? 0), 0)))),
    '',
    '',
  ]);
  return rows;
}

function profileSection(phase: string, summary: ProfileSummary): string {
  const pct = (s: number) => `${(s * 100).toFixed(0)}%`;
  return [
    `**${phase}** — ${ms(summary.totalMs)} sampled; by package: ${summary.packages
      .filter(([, , s]) => s >= 0.02)
      .map(([p, , s]) => `${p} ${pct(s)}`)
      .join(', ')}`,
    '',
    table(
      ['top self time', 'where', 'self', 'share'],
      summary.self.map(([n, w, t, s]) => [`\`${n}\``, w, ms(t), pct(s)]),
    ),
    '',
    table(
      ['our code, inclusive', 'where', 'inclusive', 'share'],
      summary.inclusive.slice(0, 6).map(([n, w, t, s]) => [`\`${n}\``, w, ms(t), pct(s)]),
    ),
  ].join('\n');
}

export async function benchCsvImport(options: { browser?: boolean; sizes?: readonly number[]; runs?: number } = {}): Promise<Section> {
  const sizes = options.sizes ?? CSV_SIZES;
  const runCount = options.runs ?? RUNS;
  const dir = mkdtempSync(join(tmpdir(), 'pos-bench-csv-'));
  const nodeRuns = new Map<number, NodeRun[]>();
  const csvFiles = new Map<number, string>();
  let profiles: Array<[string, ProfileSummary]> | undefined;
  let browser: BrowserRun[] = [];
  let browserError: string | undefined;
  const targets: TargetCheck[] = [];
  const largest = sizes[sizes.length - 1] as number;
  try {
    for (const size of sizes) {
      const runs: NodeRun[] = [];
      for (let i = 0; i < runCount; i++) {
        log(`csv ${size}: node run ${i + 1}/${runCount}`);
        const csvOut = i === 0 ? join(dir, `customers-${size}.csv`) : undefined;
        runs.push(await runChild<NodeRun>('csv-import.ts', ['--child', String(size), ...(csvOut ? ['--csv-out', csvOut] : [])], NODE_FLAGS));
        if (csvOut) csvFiles.set(size, csvOut);
      }
      nodeRuns.set(size, runs);
    }
    const stall = median((nodeRuns.get(largest) ?? []).map(importStall));
    const target = checkTarget(`CSV import of ${largest / 1000}k (Node): longest event-loop stall`, stall, STALL_TARGET_MS, 'ms', 0);
    targets.push(target);
    if (!target.met) {
      log(`csv ${largest}: ${target.measured} misses ${target.limit}, profiling`);
      profiles = (await runChild<NodeRun>('csv-import.ts', ['--child', String(largest), '--profile'], NODE_FLAGS)).profiles;
    }
    if (options.browser !== false) {
      try {
        browser = await browserRuns(csvFiles);
        const last = browser.find((r) => r.size === largest);
        if (last)
          targets.push(checkTarget(`CSV import of ${largest / 1000}k (browser): longest event-loop stall`, importStall(last), STALL_TARGET_MS, 'ms', 0));
      } catch (error) {
        // The Node figures stand on their own; say why the browser ones are missing.
        browserError = error instanceof Error ? error.message : String(error);
        log(`csv: browser run failed: ${browserError}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const parts: string[] = [];
  parts.push(
    `Customers from \`buildStoreDocument(n, ${SEED})\` opened as a CustomerStore, exported as the back office's Export button does (\`exportCustomersCsv(store, store.liveIds())\`: customers read and written out in 16 ms slices), ` +
      "then imported as `<pos-customer-import>` does with a chosen file: `parseCustomersCsv` (the text fed to csv-parse's streaming parser in 16k-character chunks, rows read as they come, yielding every 16 ms), " +
      "`previewImport` (each row checked once by `store.checkNew` in 16 ms slices), `importCustomers` (the preview's checked rows built with `store.beginImport()` into a scratch Y.Doc in chunks sized to take ~25 ms (at most 1,000 rows), yielding between chunks, then checked again and applied to the store's document as one update; the store indexes the bulk change in ~12 ms slices afterwards and the import resolves when it is done) " +
      'into a fresh, empty store. Every row is valid and unique, so all are imported. ' +
      `Node: each run is a fresh \`node ${NODE_FLAGS.join(' ')}\` process; medians of ${runCount} runs. ` +
      '"Longest stall" is how late a `setInterval(…, 10)` beside the work fired at worst, i.e. the longest the event loop (in a page: painting, input, the progress bar) was blocked; "long stalls" counts those over 50 ms. ' +
      '"Heap peak" is `heapUsed` sampled at each timer tick and at phase ends: it counts garbage V8 has not collected yet, and misses a peak inside one synchronous block. ' +
      'The heap figures below it are after full collections; "peak RSS" is the process\'s over the whole run.',
    '',
    '### Node',
    '',
    table(
      ['rows', 'phase', 'time', 'rows/s', 'longest stall', 'long stalls', 'progress reports', 'heap peak'],
      sizes.flatMap((size) => phaseTable(size, nodeRuns.get(size) ?? [], ['export', ...IMPORT_PHASES])),
    ),
    '',
    table(
      [
        'rows',
        'CSV',
        'heap before export (source store open)',
        'heap before import (CSV text only)',
        'heap after import (imported store alive)',
        'imported store (after − before)',
        'peak RSS',
      ],
      sizes.map((size) => {
        const runs = nodeRuns.get(size) ?? [];
        const m = (f: (r: NodeRun) => number) => median(runs.map(f));
        return [
          size.toLocaleString('en-US'),
          mb(m((r) => r.csvBytes)),
          mb(m((r) => r.exportBaselineBytes)),
          mb(m((r) => r.importBaselineBytes)),
          mb(m((r) => r.retainedBytes)),
          mb(m((r) => r.retainedBytes - r.importBaselineBytes)),
          mb(m((r) => r.maxRssBytes)),
        ];
      }),
    ),
    '',
    'All runs (import total / longest stall): ' +
      sizes
        .map(
          (size) =>
            `${size / 1000}k: ${(nodeRuns.get(size) ?? []).map((r) => `${(importMs(r) / 1000).toFixed(1)} s / ${importStall(r).toFixed(0)} ms`).join(', ')}`,
        )
        .join('; '),
  );
  if (browser.length || browserError) {
    parts.push(
      '',
      '### Browser',
      '',
      'The same import code and watchdog in headless Chromium (Vite, Lit production build), on the CSV the first Node run exported, fetched before timing; ' +
        'into a fresh in-memory CustomerStore (no device storage), with a `<progress>` element updated on every progress report. One run per size. ' +
        'Heap is `performance.memory.usedJSHeapSize` (precise-memory flag on); "after import" is after full collections, through the DevTools protocol.',
      '',
    );
    if (browserError) parts.push(`The browser run failed: ${browserError}`);
    else
      parts.push(
        table(
          ['rows', 'phase', 'time', 'rows/s', 'longest stall', 'long stalls', 'progress reports', 'heap peak'],
          browser.flatMap((r) => phaseTable(r.size, [r], IMPORT_PHASES)),
        ),
        '',
        'JS heap after import (imported store alive, after GC): ' + browser.map((r) => `${r.size / 1000}k: ${mb(r.retainedBytes)}`).join('; ') + '.',
      );
  }
  if (profiles) {
    parts.push(
      '',
      `### Profile at ${largest.toLocaleString('en-US')} (Node, target missed)`,
      '',
      'One extra run sampled by the V8 profiler (inspector, 250 µs), cut into the phases above by time. "(garbage collector)" is time V8 spent collecting on this thread.',
      '',
      profiles.map(([phase, summary]) => profileSection(phase, summary)).join('\n\n'),
    );
  }
  return { title: 'CSV import', markdown: parts.join('\n'), targets };
}

if (isMain(import.meta.url)) {
  const child = argValue('--child');
  if (child) writeResult(await measure(Number(child), process.argv.includes('--profile'), argValue('--csv-out')));
  else {
    const sizes = argValue('--sizes')?.split(',').map(Number);
    const runs = argValue('--runs');
    await runStandalone('csv-import', 'bench/csv-import.ts', () =>
      benchCsvImport({ browser: !process.argv.includes('--no-browser'), ...(sizes ? { sizes } : {}), ...(runs ? { runs: Number(runs) } : {}) }),
    );
  }
}
