/**
 * In-page half of bench/csv-import.ts's browser run: fetches a CSV the Node side exported and imports it
 * into a fresh in-memory store with the same code and watchdog as the Node run (bench/browser/csv-pipeline.ts).
 */
import { importCsv, StallWatch, type PhaseStats } from './csv-pipeline.js';

export interface BrowserCsvRun {
  phases: PhaseStats[];
  parsedRows: number;
  ok: number;
  created: number;
  liveCount: number;
}

export interface CsvPageApi {
  /** Fetches the file first (not timed), so the run starts from text in memory as after `file.text()`. */
  fetch(size: number): Promise<number>;
  run(): Promise<BrowserCsvRun>;
}

declare global {
  interface Window {
    benchCsv?: CsvPageApi;
  }
}

const progress = document.getElementById('progress') as HTMLProgressElement;
const label = document.getElementById('label') as HTMLElement;
/** Chromium's heap figure; exact only with --enable-precise-memory-info, which the harness passes. */
const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;

let csv: string | undefined;
/** Kept until the next run so the Node side can measure what the imported store retains. */
let imported: unknown;

window.benchCsv = {
  async fetch(size) {
    const response = await fetch(`/bench-data/customers-${size}.csv`);
    if (!response.ok) throw new Error(`customers-${size}.csv: HTTP ${response.status}`);
    csv = await response.text();
    return csv.length;
  },
  async run() {
    if (csv === undefined) throw new Error('fetch a CSV first');
    imported = undefined;
    const outcome = await importCsv(csv, new StallWatch(heap), (p) => {
      progress.value = p.total ? (100 * p.done) / p.total : 0;
      label.textContent = `${p.phase} ${p.done.toLocaleString()} / ${p.total.toLocaleString()}`;
    });
    imported = outcome.store;
    return {
      phases: outcome.phases,
      parsedRows: outcome.parsedRows,
      ok: outcome.counts.ok,
      created: outcome.created,
      liveCount: outcome.liveCount,
    };
  },
};
