/**
 * The CSV round trip of bench/csv-import.ts, shared by its Node run and its browser page (no node:
 * imports): export from a store, then parse → preview → import into a fresh store, each phase timed
 * with a timer watchdog beside it that tells how long the event loop could not run anything.
 */
import * as Y from 'yjs';
import { exportCustomersCsv, importCustomers, parseCustomersCsv, previewImport, type ImportProgress } from '../../components/store/customer-csv.js';
import { CustomerStore } from '../../components/store/customer-store.js';

export interface PhaseStats {
  name: string;
  /** performance.now() when the phase began, to cut a CPU profile into phases. */
  startMs: number;
  ms: number;
  /** How late the watchdog's timer fired at worst: the longest the page could not paint or take input. */
  longestStallMs: number;
  /** Stalls over 50 ms (what browsers call long tasks). */
  longStalls: number;
  /** Highest heap sampled during the phase (at each watchdog tick and at the phase's ends). */
  heapPeakBytes: number;
  /** Progress reports during the phase, and the longest time between two of them (or phase start/end). */
  progressEvents: number;
  longestProgressGapMs: number;
}

interface Gap {
  start: number;
  end: number;
}

interface PhaseRecord {
  name: string;
  start: number;
  end: number;
  heapPeak: number;
  progress: number[];
}

const LONG_STALL_MS = 50;

/**
 * A `setInterval(…, 10)` that records how late it fires: a synchronous block of N ms delays it by about
 * N. Phases are marked as they start; a stall counts for the phase it overlaps most.
 */
export class StallWatch {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;
  private readonly gaps: Gap[] = [];
  private readonly phases: PhaseRecord[] = [];

  constructor(
    private readonly heap: () => number,
    private readonly intervalMs = 10,
  ) {}

  phase(name: string): void {
    const now = performance.now();
    this.sampleHeap();
    const current = this.phases[this.phases.length - 1];
    if (current) current.end = now;
    this.phases.push({ name, start: now, end: NaN, heapPeak: this.heap(), progress: [] });
    if (this.timer === undefined) {
      this.last = now;
      this.timer = setInterval(this.tick, this.intervalMs);
    }
  }

  progress(): void {
    this.phases[this.phases.length - 1]?.progress.push(performance.now());
  }

  stop(): PhaseStats[] {
    // The block running now (if any) ended when stop was called: count it as the timer would have.
    this.tick();
    clearInterval(this.timer);
    this.timer = undefined;
    const end = performance.now();
    const current = this.phases[this.phases.length - 1];
    if (current) current.end = end;
    const stats = this.phases.map((p) => {
      const gaps = this.gaps.filter((g) => this.owner(g) === p).map((g) => g.end - g.start - this.intervalMs);
      const marks = [p.start, ...p.progress, p.end];
      let longestProgressGapMs = 0;
      for (let i = 1; i < marks.length; i++) longestProgressGapMs = Math.max(longestProgressGapMs, (marks[i] as number) - (marks[i - 1] as number));
      return {
        name: p.name,
        startMs: p.start,
        ms: p.end - p.start,
        longestStallMs: Math.max(0, ...gaps),
        longStalls: gaps.filter((g) => g > LONG_STALL_MS).length,
        heapPeakBytes: p.heapPeak,
        progressEvents: p.progress.length,
        longestProgressGapMs,
      };
    });
    this.phases.length = 0;
    this.gaps.length = 0;
    return stats;
  }

  private readonly tick = (): void => {
    const now = performance.now();
    if (now - this.last > this.intervalMs * 1.5) this.gaps.push({ start: this.last, end: now });
    this.last = now;
    this.sampleHeap();
  };

  private sampleHeap(): void {
    const current = this.phases[this.phases.length - 1];
    if (current) current.heapPeak = Math.max(current.heapPeak, this.heap());
  }

  private owner(gap: Gap): PhaseRecord | undefined {
    let best: PhaseRecord | undefined;
    let bestOverlap = -1;
    for (const p of this.phases) {
      const overlap = Math.min(gap.end, p.end) - Math.max(gap.start, p.start);
      if (overlap > bestOverlap) {
        best = p;
        bestOverlap = overlap;
      }
    }
    return best;
  }
}

/** What the back office's Export button does: every live customer, read through the store, to CSV. */
export async function exportStore(store: CustomerStore, onProgress?: () => void): Promise<{ csv: string; count: number }> {
  return exportCustomersCsv(store, store.liveIds(), { onProgress });
}

export interface ImportOutcome {
  phases: PhaseStats[];
  parsedRows: number;
  counts: { ok: number; invalid: number; duplicates: number };
  created: number;
  notImported: number;
  liveCount: number;
  /** The store imported into, kept so the caller can measure what it retains. */
  store: CustomerStore;
}

/**
 * What <pos-customer-import> does with a chosen file, in the same order: parse (sliced, with progress),
 * preview (every row checked once by the store, sliced), then import (the preview's checked rows built
 * in slices, written in one transaction, indexed in slices).
 */
export async function importCsv(csv: string, watch: StallWatch | undefined, onProgress?: (p: ImportProgress) => void): Promise<ImportOutcome> {
  const store = new CustomerStore(new Y.Doc(), { tillId: 'bench-import' });
  await store.whenLoaded();
  const report = (p: ImportProgress) => {
    watch?.progress();
    onProgress?.(p);
  };
  watch?.phase('parse');
  const parsed = await parseCustomersCsv(csv, { onProgress: report });
  if (parsed.headerErrors.length) throw new Error(`CSV header: ${parsed.headerErrors.join('; ')}`);
  watch?.phase('preview (check rows)');
  const preview = await previewImport(store, parsed, { onProgress: report });
  watch?.phase('import (build, one write, index)');
  const result = await importCustomers(store, preview, { onProgress: report });
  const phases = watch?.stop() ?? [];
  return {
    phases,
    parsedRows: parsed.rows.length,
    counts: preview.counts,
    created: result.created.length,
    notImported: result.notImported.length,
    liveCount: store.liveCount,
    store,
  };
}
