/**
 * Set-up half of bench/open-browser.ts: puts a store into this browser profile's IndexedDB the way a till
 * comes to hold it. The till opens its store (openLocalStore: DeviceStorage over y-indexeddb), receives
 * the whole store as one update (what the sync server's first answer is to a till with an empty
 * database), and works a session: one edit at a time until device storage has written enough updates
 * for y-indexeddb to compact them (PREFERRED_TRIM_SIZE), which leaves one update holding the whole
 * document. That is what every till has after its first few hundred edits, and what it has again after
 * every few hundred more.
 */
import * as Y from 'yjs';
import { PREFERRED_TRIM_SIZE } from 'y-indexeddb';
import { deviceDatabaseName } from '../../components/store/device-probe.js';
import { openLocalStore, type LocalStore } from '../../components/store/local-store.js';
import { sleep } from './frames.js';

export interface SeedResult {
  /** Y.applyUpdate of the whole store into the till's document, and the store's indexing of it (in slices after). */
  applyMs: number;
  /** Until device storage reported that update written. */
  writtenMs: number;
  /** Edits made, one transaction (and one IndexedDB write) each, to reach the compaction. */
  edits: number;
  /** From the edit that triggered the compaction until the database held one update. */
  compactMs: number;
  /** What the database holds when the till closes: updates and their total size. */
  storedUpdates: number;
  storedBytes: number;
  liveCount: number;
  /** Saving the open snapshot when the session ends, as the till's snapshot keeper does; null when not saved. */
  snapshot: { sortSteps: number; sortMs: number; longestSortStepMs: number; takeMs: number; writeMs: number } | null;
}

export interface OpenSeedApi {
  seed(size: number, storeId: string, tillId: string, withSnapshot: boolean): Promise<SeedResult>;
}

declare global {
  interface Window {
    benchOpenSeed?: OpenSeedApi;
  }
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** The till's `updates` object store read through a connection of our own, after y-indexeddb's writes. */
async function storedUpdates<T>(name: string, read: (updates: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await request(indexedDB.open(name));
  try {
    return await request(read(db.transaction('updates', 'readonly').objectStore('updates')));
  } finally {
    db.close();
  }
}

/** Bounded: no write seen takes a tenth of this; the status turns to "memory" if storage gives up. */
async function untilWritten(local: LocalStore): Promise<void> {
  const start = performance.now();
  while (performance.now() - start < 120_000) {
    const status = local.storage.status;
    if (status.mode === 'memory') throw new Error(`device storage fell back to memory: ${status.reason}`);
    if (status.mode === 'saved' && status.pendingWrites === 0) return;
    await sleep(20);
  }
  throw new Error('device storage did not finish writing in 120 s');
}

/** The snapshot keeper's work (snapshot-keeper.ts) done once, timed: index sorted a part per task, copied, written. */
async function saveSnapshot(local: LocalStore): Promise<NonNullable<SeedResult['snapshot']>> {
  const t0 = performance.now();
  let sortSteps = 0;
  let longestSortStepMs = 0;
  for (;;) {
    const s = performance.now();
    const more = local.store.sortIndexStep();
    longestSortStepMs = Math.max(longestSortStepMs, performance.now() - s);
    if (!more) break;
    sortSteps++;
    await sleep(0);
  }
  const t1 = performance.now();
  const snapshot = local.store.openSnapshot();
  if (!snapshot) throw new Error('the store has records still waiting for validation');
  const t2 = performance.now();
  if (!(await local.storage.saveSnapshot(snapshot))) throw new Error('the snapshot was not saved');
  return { sortSteps, sortMs: t1 - t0, longestSortStepMs, takeMs: t2 - t1, writeMs: performance.now() - t2 };
}

async function seed(size: number, storeId: string, tillId: string, withSnapshot: boolean): Promise<SeedResult> {
  const name = deviceDatabaseName(storeId, tillId);
  // Saved (or not) explicitly below, not whenever the store happens to be quiet for a while.
  const local = openLocalStore({ storeId, tillId, snapshots: false });
  let closed = false;
  try {
    await local.whenReady;
    const response = await fetch(`/bench-data/store-${size}.bin`);
    if (!response.ok) throw new Error(`store-${size}.bin: HTTP ${response.status}`);
    const update = new Uint8Array(await response.arrayBuffer());
    const t0 = performance.now();
    Y.applyUpdate(local.doc, update);
    await local.store.whenIndexed();
    const t1 = performance.now();
    await untilWritten(local);
    const t2 = performance.now();

    // DeviceStorage compacts when its count of stored updates reaches PREFERRED_TRIM_SIZE.
    const edits = PREFERRED_TRIM_SIZE - (await storedUpdates(name, (s) => s.count()));
    const ids = local.store.liveIds().slice(0, edits);
    if (ids.length < edits) throw new Error(`only ${ids.length} customers to edit, ${edits} edits needed`);
    for (const [i, id] of ids.entries()) {
      const edited = local.store.update(id, { notes: `Asked for the loyalty card (visit ${i + 1})` });
      if (!edited.ok) throw new Error(`edit of ${id} refused: ${edited.errors.map((e) => e.message).join('; ')}`);
    }
    const t3 = performance.now();
    await untilWritten(local);
    let stored = await storedUpdates(name, (s) => s.count());
    // Compaction re-reads the log, re-encodes the document and deletes what it replaced.
    while (stored > 1 && performance.now() - t3 < 120_000) {
      await sleep(100);
      stored = await storedUpdates(name, (s) => s.count());
    }
    if (stored !== 1) throw new Error(`y-indexeddb did not compact: ${stored} updates stored`);
    const t4 = performance.now();
    const liveCount = local.store.liveCount;
    local.store.invalidRecords();
    const snapshot = withSnapshot ? await saveSnapshot(local) : null;
    await local.destroy();
    closed = true;
    const values = await storedUpdates(name, (s) => s.getAll());
    return {
      applyMs: t1 - t0,
      writtenMs: t2 - t1,
      edits,
      compactMs: t4 - t3,
      storedUpdates: values.length,
      storedBytes: values.reduce((n: number, v: unknown) => n + (v instanceof Uint8Array ? v.byteLength : 0), 0),
      liveCount,
      snapshot,
    };
  } finally {
    if (!closed) await local.destroy();
  }
}

window.benchOpenSeed = { seed };
