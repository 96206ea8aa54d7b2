/**
 * Edit-to-visible latency: tills of one store connected through a server; one till edits a
 * customer through CustomerStore.update, and each other till's store reports the change to its
 * subscribers. The time from the edit call to that report, per receiving till, is one sample.
 */
import * as Y from 'yjs';
import { CustomerStore } from '../../components/store/customer-store.js';
import { mulberry32 } from '../../test/fixtures/customer-generator.js';
import { openTill, waitUntil, type Till } from './clients.js';
import type { RunningServer } from './servers.js';

export interface LatencyOptions {
  tills: number;
  /** The store's document as one update (generated customers). */
  seed: Uint8Array;
  customerIds: readonly string[];
  /** Edits before measuring, to get the JIT of client and server past their first calls. */
  warmupEdits: number;
  edits: number;
  /** Pause between edits, uniformly drawn from [0, maxGapMs]: edits do not queue behind each other. */
  maxGapMs: number;
  /** An edit whose receivers have not all seen it by then counts its missing receivers as missed. */
  editTimeoutMs: number;
  randomSeed: number;
}

export interface LatencyResult {
  /** One per (edit, receiving till), in ms. */
  samples: number[];
  /** Per edit: when the first receiving till saw it (the server's path plus one till's processing). */
  firstSamples: number[];
  /** Per edit: when the last receiving till saw it. */
  lastSamples: number[];
  /** Per edit: how long the editing till's own store.update call took (the send happens inside it). */
  localSamples: number[];
  missed: number;
  edits: number;
  /** Time for the tills to connect and receive the store, ms. */
  connectMs: number;
}

interface PendingEdit {
  id: string;
  notes: string;
  editor: number;
  startedAt: number;
  seen: boolean[];
  remaining: number;
  first: number;
  last: number;
  done: () => void;
}

export async function measureLatency(server: RunningServer, options: LatencyOptions): Promise<LatencyResult> {
  const rand = mulberry32(options.randomSeed);
  const tills: Till[] = [];
  const stores: CustomerStore[] = [];
  const customers = options.customerIds.length;
  const room = `latency-${options.randomSeed}`;
  const started = performance.now();
  try {
    // The first till brings the store to the server, as the till that created it would.
    const firstDoc = new Y.Doc();
    Y.applyUpdate(firstDoc, options.seed);
    tills.push(openTill(server, room, firstDoc));
    await waitUntil(() => tills[0]?.isSynced() === true, 15_000, 'the first till to sync');
    for (let i = 1; i < options.tills; i++) tills.push(openTill(server, room, new Y.Doc()));
    await waitUntil(
      () => tills.every((till) => till.isSynced() && till.doc.getMap('customers').size === customers),
      30_000,
      `${options.tills} tills to receive the store`,
    );
    const connectMs = performance.now() - started;

    let pending: PendingEdit | null = null;
    let samples: number[] = [];
    let firstSamples: number[] = [];
    let lastSamples: number[] = [];
    let localSamples: number[] = [];
    tills.forEach((till, index) => {
      const store = new CustomerStore(till.doc, { tillId: `till-${index}` });
      stores.push(store);
      store.subscribe((change) => {
        const edit = pending;
        if (edit === null || change.local || edit.seen[index] === true || !change.customers.has(edit.id)) return;
        // Another till's earlier edit of the same customer would not count as this one arriving.
        if (store.get(edit.id)?.notes !== edit.notes) return;
        const elapsed = performance.now() - edit.startedAt;
        samples.push(elapsed);
        if (edit.remaining === options.tills - 1) edit.first = elapsed;
        edit.last = elapsed;
        edit.seen[index] = true;
        if (--edit.remaining === 0) edit.done();
      });
    });

    let missed = 0;
    const total = options.warmupEdits + options.edits;
    for (let k = 0; k < total; k++) {
      if (k === options.warmupEdits) {
        samples = [];
        firstSamples = [];
        lastSamples = [];
        localSamples = [];
        missed = 0;
      }
      // Spread the edits over every till, in an order that does not follow the connection order.
      const editor = (k * 7) % options.tills;
      const id = options.customerIds[Math.floor(rand() * customers)] as string;
      const notes = `Edit ${k} from till ${editor}: prefers the window seat, pays by card.`;
      const finished = new Promise<void>((resolve) => {
        pending = {
          id,
          notes,
          editor,
          startedAt: 0,
          seen: tills.map((_, i) => i === editor),
          remaining: options.tills - 1,
          first: NaN,
          last: NaN,
          done: resolve,
        };
      });
      const edit = pending as PendingEdit | null;
      if (edit === null) throw new Error('unreachable');
      edit.startedAt = performance.now();
      const result = stores[editor]?.update(id, { notes });
      localSamples.push(performance.now() - edit.startedAt);
      if (result?.ok !== true) throw new Error(`store.update failed: ${JSON.stringify(result)}`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.editTimeoutMs)))]);
      clearTimeout(timer);
      missed += edit.remaining;
      if (edit.remaining === 0) {
        firstSamples.push(edit.first);
        lastSamples.push(edit.last);
      }
      pending = null;
      await new Promise((resolve) => setTimeout(resolve, rand() * options.maxGapMs));
    }
    return { samples, firstSamples, lastSamples, localSamples, missed, edits: options.edits, connectMs };
  } finally {
    for (const store of stores) store.destroy();
    for (const till of tills) till.destroy();
  }
}
