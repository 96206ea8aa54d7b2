/**
 * One store's tills for bench/reconcile.ts, as the app runs them: each a Y.Doc with a CustomerStore and a
 * SyncConnection (y-websocket 3's provider) to the sync server. One till goes offline with the cashier's
 * switch, makes its edits through the store while other tills edit some of the same customers, and comes
 * back; the watch times how long until every till holds the same document.
 */
import { createHash } from 'node:crypto';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { GeneratedCustomer } from '../../test/fixtures/customer-generator.js';
import { mulberry32, type Random } from '../../test/fixtures/customer-generator.js';
import { CustomerStore } from '../../components/store/customer-store.js';
import { storeMaps } from '../../components/store/document-layout.js';
import { SyncConnection } from '../../components/store/sync-connection.js';
import { waitUntil } from '../sync/clients.js';
import type { RunningServer } from '../sync/servers.js';

/** Bytes and time spent on incoming messages, counted by the till's WebSocket. */
export interface SocketCounters {
  sent: number;
  received: number;
  /** ms spent in the handlers of incoming messages (the provider applying updates, the store observing them). */
  handlingMs: number;
}

export interface ScenarioTill {
  readonly index: number;
  readonly doc: Y.Doc;
  readonly store: CustomerStore;
  readonly connection: SyncConnection;
  readonly counters: SocketCounters;
}

/**
 * ws's WebSocket counting what goes through it. y-websocket reads incoming messages through `onmessage`,
 * which ws dispatches from its 'message' event, so timing `emit('message')` times the provider's handler.
 */
function countingSocket(counters: SocketCounters): typeof WebSocket {
  return class CountingWebSocket extends WebSocket {
    override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
      counters.sent += byteLength(data);
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'message') return super.emit(event, ...args);
      counters.received += byteLength(args[0]);
      const started = performance.now();
      try {
        return super.emit(event, ...args);
      } finally {
        counters.handlingMs += performance.now() - started;
      }
    }
  };
}

function byteLength(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (Array.isArray(data)) return data.reduce((sum: number, part: unknown) => sum + byteLength(part), 0);
  return typeof data === 'string' ? Buffer.byteLength(data) : 0;
}

/** Opens `count` tills of one store; the first brings the seeded document, the others start empty and sync. */
export async function openTills(server: RunningServer, room: string, count: number, seed: Uint8Array, customers: number): Promise<ScenarioTill[]> {
  const tills: ScenarioTill[] = [];
  const open = (index: number, doc: Y.Doc): ScenarioTill => {
    const counters: SocketCounters = { sent: 0, received: 0, handlingMs: 0 };
    const connection = new SyncConnection(doc, {
      serverUrl: server.url,
      storeId: room,
      tillId: `till-${index}`,
      tillName: `Till ${index}`,
      WebSocketPolyfill: countingSocket(counters) as unknown as typeof globalThis.WebSocket,
    });
    const store = new CustomerStore(doc, { tillId: `till-${index}` });
    const till = { index, doc, store, connection, counters };
    tills.push(till);
    return till;
  };
  const first = new Y.Doc();
  Y.applyUpdate(first, seed);
  const seeding = open(0, first);
  await waitUntil(() => seeding.connection.status.synced, 30_000, 'the first till to sync');
  for (let i = 1; i < count; i++) open(i, new Y.Doc());
  await waitUntil(() => tills.every((t) => t.connection.status.synced && t.store.liveCount === customers), 120_000, `${count} tills to receive the store`);
  // A store validates a first sync's records in slices after it; finished here, so the first (profiled)
  // reconnect measures the reconcile and not 20 tills' leftover open.
  for (const till of tills) till.store.invalidRecords();
  return tills;
}

export function closeTills(tills: readonly ScenarioTill[]): void {
  for (const till of tills) {
    till.connection.destroy();
    till.store.destroy();
    till.doc.destroy();
  }
}

// ── the edits ────────────────────────────────────────────────────────────────

export interface EditMix {
  /** Field edits (notes, first or last name) of customers no other till touches meanwhile. */
  fieldEdits: number;
  creates: number;
  deletes: number;
  /** Customers another till edits meanwhile in another field: both edits must survive. */
  otherFieldCollisions: number;
  /** Customers another till edits meanwhile in the same field: every till must settle on one value. */
  sameFieldCollisions: number;
  /** Customers another till deletes meanwhile while the offline till edits them. */
  editDeleteCollisions: number;
}

export const totalEdits = (mix: EditMix): number =>
  mix.fieldEdits + mix.creates + mix.deletes + mix.otherFieldCollisions + mix.sameFieldCollisions + mix.editDeleteCollisions;

/** What the offline till's edits must look like on every till afterwards. */
interface Expectation {
  id: string;
  check: (store: CustomerStore) => boolean;
}

export interface OfflineRound {
  /** The offline till's own update of everything it did while offline, in bytes (Yjs v1 encoding). */
  offlineUpdateBytes: number;
  expectations: Expectation[];
  /** Yjs client id and clock of the offline till's last edit: a till holding it has all of them. */
  offlineClient: number;
  offlineClock: number;
}

function shuffled<T>(items: readonly T[], rand: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function must<T>(result: { ok: true; value: T } | { ok: false; errors: unknown }, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${JSON.stringify(result.errors)}`);
  return result.value;
}

/**
 * Takes `offline` offline, makes the mix of edits there (and the colliding ones on the other tills,
 * half before and half after the offline till's, so each side wins some same-field collisions), and
 * waits until the online tills agree among themselves. `pool` holds the live customers not touched by
 * earlier rounds; the ones this round uses are taken out of it.
 */
export async function offlineRound(
  tills: readonly ScenarioTill[],
  offline: ScenarioTill,
  pool: string[],
  newCustomers: readonly GeneratedCustomer[],
  mix: EditMix,
  round: number,
): Promise<OfflineRound> {
  const rand = mulberry32(1000 + round);
  const online = tills.filter((t) => t !== offline);
  const touched = mix.fieldEdits + mix.deletes + mix.otherFieldCollisions + mix.sameFieldCollisions + mix.editDeleteCollisions;
  if (pool.length < touched) throw new Error(`only ${pool.length} untouched customers left for ${touched} edits`);
  const picked = shuffled(pool, rand).slice(0, touched);
  const taken = new Set(picked);
  pool.splice(0, pool.length, ...pool.filter((id) => !taken.has(id)));
  let at = 0;
  const take = (n: number) => picked.slice(at, (at += n));
  const fieldIds = take(mix.fieldEdits);
  const deleteIds = take(mix.deletes);
  const otherFieldIds = take(mix.otherFieldCollisions);
  const sameFieldIds = take(mix.sameFieldCollisions);
  const editDeleteIds = take(mix.editDeleteCollisions);

  offline.connection.setOnline(false);
  await waitUntil(() => offline.connection.status.state === 'offline', 5000, 'the till to go offline');
  const svBefore = Y.encodeStateVector(offline.doc);

  const otherTill = (i: number) => online[i % online.length] as ScenarioTill;
  const onlineEdits: Array<() => void> = [
    ...otherFieldIds.map((id, i) => () => must(otherTill(i).store.update(id, { lastName: `Online-${round}-${i}` }), 'online lastName edit')),
    ...sameFieldIds.map((id, i) => () => must(otherTill(i).store.update(id, { notes: `Online note ${round}-${i}` }), 'online notes edit')),
    ...editDeleteIds.map((id, i) => () => must(otherTill(i).store.delete(id), 'online delete')),
  ];
  const half = Math.ceil(onlineEdits.length / 2);
  for (const edit of onlineEdits.slice(0, half)) edit();

  const expectations: Expectation[] = [];
  const fields = ['notes', 'firstName', 'lastName'] as const;
  fieldIds.forEach((id, i) => {
    const field = fields[i % fields.length] as (typeof fields)[number];
    const value = field === 'notes' ? `Offline note ${round}-${i}: pays by card, prefers SMS.` : `Offline${round}x${i}`;
    must(offline.store.update(id, { [field]: value }), 'offline field edit');
    expectations.push({ id, check: (store) => store.get(id)?.[field] === value });
  });
  for (const customer of newCustomers) {
    const created = must(offline.store.create(customer), 'offline create');
    expectations.push({ id: created.id, check: (store) => store.get(created.id)?.email === customer.email });
  }
  for (const id of deleteIds) {
    must(offline.store.delete(id), 'offline delete');
    expectations.push({ id, check: (store) => store.get(id)?.deleted === true });
  }
  otherFieldIds.forEach((id, i) => {
    const notes = `Offline note ${round}-c${i}`;
    must(offline.store.update(id, { notes }), 'offline colliding edit');
    // Both tills' fields survive the merge: the record-level conflict Yjs resolves is joined field by field.
    expectations.push({ id, check: (store) => store.get(id)?.notes === notes && store.get(id)?.lastName === `Online-${round}-${i}` });
  });
  sameFieldIds.forEach((id, i) => must(offline.store.update(id, { notes: `Offline note ${round}-s${i}` }), 'offline same-field edit'));
  editDeleteIds.forEach((id, i) => must(offline.store.update(id, { notes: `Offline note ${round}-d${i}` }), 'offline edit of a customer deleted elsewhere'));

  for (const edit of onlineEdits.slice(half)) edit();
  const offlineUpdateBytes = Y.encodeStateAsUpdate(offline.doc, svBefore).length;
  const ownClock = Y.getState(offline.doc.store, offline.doc.clientID);
  await waitUntil(() => sameStateVectors(online), 60_000, 'the online tills to agree before the reconnect');
  return { offlineUpdateBytes, expectations, offlineClient: offline.doc.clientID, offlineClock: ownClock };
}

// ── convergence ──────────────────────────────────────────────────────────────

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Equal state vectors: every till has received the same updates. Yjs encodes them in a canonical order. */
export function sameStateVectors(tills: readonly ScenarioTill[]): boolean {
  const [first, ...rest] = tills.map((t) => Y.encodeStateVector(t.doc));
  return first !== undefined && rest.every((sv) => sameBytes(sv, first));
}

/** A hash of the customers as stored: every record, keys sorted, so equal content gives equal hashes. */
export function contentHash(till: ScenarioTill): string {
  const customers = storeMaps(till.doc).customers;
  const hash = createHash('sha1');
  for (const id of [...customers.keys()].sort()) hash.update(`${id}\u0000${stableJson(customers.get(id))}\u0001`);
  return hash.digest('hex');
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

export interface Convergence {
  /** From the reconnect call until every till's state vector was equal for the last time, ms. */
  convergedMs: number;
  /** Until the reconnecting till's provider reported its sync with the server. */
  offlineSyncedMs: number;
  /** Until the first and the last other till held every edit of the offline till. */
  firstReceiverMs: number;
  lastReceiverMs: number;
  /** Updates the tills applied or made after the reconnect (the edits, and the field-wise joins the stores wrote). */
  updates: number;
  /** Transactions the stores wrote after the reconnect: joins of records whose concurrent whole-value writes lost fields. */
  joinWrites: number;
  /** Customers those joins rewrote, summed over the tills. */
  joinedCustomers: number;
}

/**
 * Reconnects `offline` and waits until every till has the same state vector, nothing has changed
 * anywhere for `quietMs` (the stores' field-wise joins come as further updates after the first
 * agreement, so the first equal moment is not the end), and no till still waits to see whether it must
 * write a join itself.
 */
export async function reconnect(
  tills: readonly ScenarioTill[],
  offline: ScenarioTill,
  round: OfflineRound,
  quietMs: number,
  timeoutMs: number,
): Promise<Convergence> {
  let updates = 0;
  let joinWrites = 0;
  let joinedCustomers = 0;
  let lastChange = performance.now();
  let equalSince: number | undefined;
  let checkScheduled = false;
  const receivedAll = new Map<number, number>();
  let offlineSynced = NaN;
  const started = performance.now();

  const check = (): void => {
    checkScheduled = false;
    const now = performance.now();
    for (const till of tills) {
      if (till === offline || receivedAll.has(till.index)) continue;
      if (Y.getState(till.doc.store, round.offlineClient) >= round.offlineClock) receivedAll.set(till.index, now - started);
    }
    if (sameStateVectors(tills)) equalSince ??= now;
    else equalSince = undefined;
  };
  const listeners = tills.map((till) => {
    const onUpdate = (_update: Uint8Array, origin: unknown): void => {
      updates++;
      if (origin === till.store) joinWrites++;
      lastChange = performance.now();
      if (!checkScheduled) {
        checkScheduled = true;
        setImmediate(check);
      }
    };
    const onCustomers = (event: Y.YMapEvent<unknown>, tx: Y.Transaction): void => {
      if (tx.origin === till.store) joinedCustomers += event.keysChanged.size;
    };
    const customers = storeMaps(till.doc).customers;
    till.doc.on('update', onUpdate);
    customers.observe(onCustomers);
    return () => {
      till.doc.off('update', onUpdate);
      customers.unobserve(onCustomers);
    };
  });
  const offStatus = offline.connection.onStatus((status) => {
    if (status.synced && Number.isNaN(offlineSynced)) offlineSynced = performance.now() - started;
  });
  try {
    offline.connection.setOnline(true);
    await waitUntil(
      () =>
        equalSince !== undefined &&
        performance.now() - lastChange >= quietMs &&
        performance.now() - equalSince >= quietMs &&
        // A till waiting for another's copy of a join writes its own if none came: not the end yet.
        !tills.some((till) => till.store.awaitingJoins),
      timeoutMs,
      'every till to hold the same document',
    );
  } finally {
    for (const off of listeners) off();
    offStatus();
  }
  const receivers = [...receivedAll.values()];
  return {
    convergedMs: (equalSince as number) - started,
    offlineSyncedMs: offlineSynced,
    firstReceiverMs: Math.min(...receivers),
    lastReceiverMs: Math.max(...receivers),
    updates,
    joinWrites,
    joinedCustomers,
  };
}

/** Every till's content hash and live count equal, and the offline till's edits as expected on each: the count of failures. */
export function verify(tills: readonly ScenarioTill[], round: OfflineRound): { sameContent: boolean; lostEdits: number } {
  const hashes = new Set(tills.map(contentHash));
  const counts = new Set(tills.map((t) => t.store.liveCount));
  let lostEdits = 0;
  for (const till of tills) for (const e of round.expectations) if (!e.check(till.store)) lostEdits++;
  return { sameContent: hashes.size === 1 && counts.size === 1, lostEdits };
}
