/**
 * What the field history costs when a till opens a store: decode the stored update, build the
 * CustomerStore, answer a first search — for 10,000 customers without history, after 10,000 edits
 * made through the store (each edit one transaction: one history entry, one Yjs item), and after the
 * same edits with logging switched off (as before the history existed), so the difference is the history
 * alone. Also the first
 * `fieldHistory` read, which builds the per-customer index. Each run is a fresh Node process.
 *
 *   node --import tsx bench/history-open.ts [--customers 10000] [--edits 10000] [--runs 3]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { CustomerStore } from '../components/store/customer-store.js';
import { FieldHistory } from '../components/store/field-history.js';
import { encodeStore } from '../test/fixtures/customer-generator.js';
import { argValue, isMain, log, mb, median, ms, runChild, table, writeResult } from './common.js';

interface OpenTimes {
  decodeMs: number;
  storeMs: number;
  firstSearchMs: number;
  firstHistoryMs: number;
  /** CPU time of decode + store + first search: less disturbed than wall time by other work on the machine. */
  openCpuMs: number;
}

function measure(file: string): OpenTimes {
  const update = new Uint8Array(readFileSync(file));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const t1 = performance.now();
  const store = new CustomerStore(doc, { tillId: 'bench-till' });
  const t2 = performance.now();
  const found = store.search('a', 50);
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  store.fieldHistory(found.ids[0] ?? '');
  const t4 = performance.now();
  return { decodeMs: t1 - t0, storeMs: t2 - t1, firstSearchMs: t3 - t2, firstHistoryMs: t4 - t3, openCpuMs: (cpu.user + cpu.system) / 1000 };
}

/** The fixture after `edits` single-field edits through the store, each its own transaction. */
function edited(base: Uint8Array, edits: number, logged: boolean): Uint8Array {
  const note = FieldHistory.prototype.note;
  // The baseline: the same writes as before the history existed (nothing noted, so nothing pushed).
  if (!logged) FieldHistory.prototype.note = () => undefined;
  const doc = new Y.Doc();
  doc.clientID = 7;
  Y.applyUpdate(doc, base);
  const store = new CustomerStore(doc, { tillId: 'till-editing', tillName: 'Till 1', cashier: 'Lan' });
  const ids = store.liveIds();
  for (let i = 0; i < edits; i++) store.update(ids[(i * 7919) % ids.length] as string, { notes: `Visit ${i}: asked about the loyalty card` });
  store.destroy();
  FieldHistory.prototype.note = note;
  if (doc.getArray('history').length !== (logged ? edits : 0)) throw new Error('unexpected history length');
  return Y.encodeStateAsUpdate(doc);
}

async function main(): Promise<void> {
  const customers = Number(argValue('--customers') ?? 10_000);
  const edits = Number(argValue('--edits') ?? 10_000);
  const runs = Number(argValue('--runs') ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'pos-history-bench-'));
  try {
    log(`building ${customers.toLocaleString()} customers and ${edits.toLocaleString()} edits`);
    const base = encodeStore(customers);
    const variants: Array<[string, Uint8Array]> = [
      ['no edits', base],
      [`${edits.toLocaleString()} edits, not logged`, edited(base, edits, false)],
      [`${edits.toLocaleString()} edits with their history`, edited(base, edits, true)],
    ];
    const files = variants.map(([, update], i) => {
      const file = join(dir, `${i}.bin`);
      writeFileSync(file, update);
      return file;
    });
    const results: OpenTimes[][] = variants.map(() => []);
    // Round robin, so a burst of load on the machine falls on every variant alike.
    for (let run = 0; run < runs; run++) {
      for (const [i, file] of files.entries()) results[i]?.push(await runChild<OpenTimes>('history-open.ts', ['--child', file]));
      log(`run ${run + 1} of ${runs} done`);
    }
    const rows = variants.map(([name, update], i) => {
      const m = (key: keyof OpenTimes) => median((results[i] ?? []).map((r) => r[key]));
      const total = m('decodeMs') + m('storeMs') + m('firstSearchMs');
      return [name, mb(update.length), ms(m('decodeMs')), ms(m('storeMs')), ms(m('firstSearchMs')), ms(total), ms(m('openCpuMs')), ms(m('firstHistoryMs'))];
    });
    console.log(
      table(['10,000 customers', 'update', 'decode', 'new CustomerStore', 'first search', 'open (wall)', 'open (CPU)', 'first fieldHistory'], rows),
      `\nMedian of ${runs} fresh processes each.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const child = argValue('--child');
  if (child) writeResult(measure(child));
  else await main();
}
