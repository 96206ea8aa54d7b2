/**
 * Server memory per idle store: many stores, each with one till connected that brought a small
 * document, then left alone; the server's RSS before and after, divided by the number of stores.
 * Then every till leaves and, once the server had time to unload the stores, RSS again.
 */
import * as Y from 'yjs';
import { openTill, waitUntil, type Till } from './clients.js';
import type { MemoryReading, RunningServer } from './servers.js';

export interface MemoryOptions {
  stores: number;
  /** Stores connected before the baseline, so one-time costs (first room, lazily loaded code) are not charged per store. */
  warmupStores: number;
  /** Each till's document as one update. */
  seed: Uint8Array;
  /** Tills connecting at once. */
  batch: number;
  settleMs: number;
  /** How long to wait after the tills left before the last reading (longer than our server's grace period). */
  unloadWaitMs: number;
}

export interface MemoryResult {
  /** RSS as the operating system sees it, with whatever garbage the server had not collected yet. */
  baselineRss: number;
  connectedRss: number;
  afterLeaveRss: number;
  /** The same three moments right after full collections in the server. */
  baselineGc: MemoryReading;
  connectedGc: MemoryReading;
  afterLeaveGc: MemoryReading;
  stores: number;
  connectMs: number;
}

export async function measureMemory(server: RunningServer, options: MemoryOptions): Promise<MemoryResult> {
  const tills: Till[] = [];
  const connect = async (from: number, count: number): Promise<void> => {
    for (let i = from; i < from + count; i += options.batch) {
      const batch: Till[] = [];
      for (let j = i; j < Math.min(from + count, i + options.batch); j++) {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, options.seed);
        batch.push(openTill(server, `store-${j}`, doc));
      }
      tills.push(...batch);
      await waitUntil(() => batch.every((till) => till.isSynced()), 30_000, `stores ${i}.. to sync`);
    }
  };
  try {
    await connect(0, options.warmupStores);
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const baselineRss = server.rss();
    const baselineGc = await server.memoryAfterGc();
    const started = performance.now();
    await connect(options.warmupStores, options.stores);
    const connectMs = performance.now() - started;
    // Each till's own document reaches the server after its sync: give the last ones time to land.
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const connectedRss = server.rss();
    const connectedGc = await server.memoryAfterGc();
    for (const till of tills.splice(0)) till.destroy();
    await new Promise((resolve) => setTimeout(resolve, options.unloadWaitMs));
    const afterLeaveRss = server.rss();
    const afterLeaveGc = await server.memoryAfterGc();
    return { baselineRss, connectedRss, afterLeaveRss, baselineGc, connectedGc, afterLeaveGc, stores: options.stores, connectMs };
  } finally {
    for (const till of tills) till.destroy();
  }
}
