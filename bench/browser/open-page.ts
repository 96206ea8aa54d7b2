/**
 * In-page half of bench/open-browser.ts: a till's page opening a store that is already in IndexedDB, timed
 * from navigation start (performance.now() is 0 there) to the first keystroke in the picker answered.
 * The page's inline script (open.html) records long tasks and IndexedDB reads from before any module
 * loads; this module marks the load transaction's phases through the document's transaction events, then
 * opens the picker and types a query as soon as the store is ready.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';
import '../../components/elements/pos-customers/pos-customers.js';
import '../../components/elements/pos-customer-picker/pos-customer-picker.js';
import type { PosCustomers } from '../../components/elements/pos-customers/pos-customers.js';
import type { PosCustomerPicker } from '../../components/elements/pos-customer-picker/pos-customer-picker.js';
import { displayName } from '../../components/model/customer.js';
import { strings } from '../../components/i18n/strings.js';
import { afterPaint, nextFrame } from './frames.js';

/** Every module evaluated: the elements are defined and <pos-customers> has opened its (empty) store. */
const modulesMs = performance.now();

export interface LongTask {
  startMs: number;
  durationMs: number;
}

interface IdbRead {
  store: string;
  startMs: number;
  endMs: number;
  values: number;
  bytes: number;
}

interface OpenProbe {
  longTasks: LongTask[];
  idbReads: IdbRead[];
  idbGets: Array<{ store: string; startMs: number; endMs: number; found: boolean }>;
  /** Each pos-store-ready: <pos-customers> opened a store. */
  storeOpened: number[];
}

/** Milliseconds since navigation start. */
export interface OpenMarks {
  modulesMs: number;
  /**
   * <pos-customers> began opening: it probes the device's database and fetches the store's code as it is
   * connected, while the page's modules are evaluated; taken as the end of that evaluation, which is no later.
   */
  storeOpenedMs: number;
  /** The open snapshot's preview provided: the picker can search the till's customers (NaN: never, before the store was ready). */
  previewMs: number;
  /** DeviceStorage's get of the open snapshot: issued, and its value in the page (deserialised); NaN when there was none. */
  snapshotReadStartMs: number;
  snapshotReadEndMs: number;
  /** y-indexeddb's getAll of the stored updates: issued, and its values in the page (deserialised). */
  readStartMs: number;
  readEndMs: number;
  /** y-indexeddb's transaction applying them: Y.applyUpdate, then the observers (the store indexing every customer). */
  applyStartMs: number;
  observersStartMs: number;
  observersEndMs: number;
  /** Yjs's cleanup after the observers (merging structs), and with a sync provider the update it encodes for it. */
  cleanupEndMs: number;
  updateEncodedMs: number;
  /** DeviceStorage's whenReady resolved. */
  readyMs: number;
  /** The picker's first render (before the store was loaded), and its update once the store was ready. */
  pickerFirstMs: number;
  pickerReadyMs: number;
  /** The search panel open (show(), rendered), the keystroke dispatched, result rows in the DOM, and painted. */
  panelOpenMs: number;
  keyMs: number;
  rowsMs: number;
  interactiveMs: number;
}

export interface OpenResult {
  marks: OpenMarks;
  query: string;
  /** Long tasks that started before the keystroke was answered. */
  longTasks: LongTask[];
  read: { values: number; bytes: number };
  /** Customers the open had to decode and index because the snapshot lacked them; null when no snapshot was used. */
  snapshotStaleKeys: number | null;
  /** Stores <pos-customers> opened while the page loaded (each reads the device database). */
  storeOpens: number;
  /** y-indexeddb reads of the stored updates, every store's: [issued, values in page, bytes]. */
  reads: Array<[number, number, number]>;
  /** performance.memory.usedJSHeapSize when the keystroke was answered (no collection). */
  heapAtInteractiveBytes: number;
  liveCount: number;
  rows: number;
  server: boolean;
  /** Files the page fetched (the HTML aside): modules, served one by one by Vite's dev server. */
  modules: number;
}

export interface OpenPageApi {
  result: Promise<OpenResult>;
  /** Throws unless the rows shown are the store's answer; separate so a profile of the open leaves it out. */
  verify(): void;
}

declare global {
  interface Window {
    benchOpen?: OpenPageApi;
    benchOpenProbe?: OpenProbe;
  }
  interface Performance {
    /** Chromium only; precise with --enable-precise-memory-info. */
    memory?: { usedJSHeapSize: number };
  }
}

/** The query typed: the start of the most common Vietnamese family name, 24% of the generated customers. */
const QUERY = 'nguy';

/** Marks the phases of y-indexeddb's load transaction, the first transaction it makes. */
function markLoad(doc: Y.Doc, marks: OpenMarks, withProvider: boolean): void {
  let load: Y.Transaction | undefined;
  const at = (f: (tx: Y.Transaction) => void) => (tx: Y.Transaction) => tx === load && f(tx);
  doc.on('beforeTransaction', (tx: Y.Transaction) => {
    if (load || !(tx.origin instanceof IndexeddbPersistence)) return;
    load = tx;
    marks.applyStartMs = performance.now();
  });
  doc.on(
    'beforeObserverCalls',
    at(() => (marks.observersStartMs = performance.now())),
  );
  // Registered after the store's own afterTransaction listener, so it runs after the store notified the elements.
  doc.on(
    'afterTransaction',
    at(() => (marks.observersEndMs = performance.now())),
  );
  doc.on(
    'afterTransactionCleanup',
    at(() => (marks.cleanupEndMs = performance.now())),
  );
  // Only beside a provider's own listener: a first 'update' listener would make Yjs encode the update just for us.
  if (withProvider) doc.on('update', (_u: Uint8Array, _o: unknown, _d: Y.Doc, tx: Y.Transaction) => tx === load && (marks.updateEncodedMs = performance.now()));
}

async function run(): Promise<OpenResult> {
  const probe = window.benchOpenProbe;
  const shop = document.getElementById('shop') as PosCustomers;
  const picker = document.getElementById('picker') as PosCustomerPicker;
  // <pos-customers> opens a store when connected and again in its first update, which sees `store` and
  // `till` as changed; the store it keeps is the second. Its database read starts later (after a probe).
  // Polled once a frame from the start: when the picker could first search the device snapshot's preview.
  let storeReady = false;
  let previewMs = NaN;
  const previewWatch = (async () => {
    for (let i = 0; i < 3600 && !storeReady; i++) {
      if (shop.preview) {
        previewMs = performance.now();
        return;
      }
      await nextFrame();
    }
  })();
  await shop.updateComplete;
  // The store's code is fetched with import() while the device's snapshot is read: its handle comes then.
  for (let i = 0; i < 3600 && !shop.handle; i++) await nextFrame();
  const handle = shop.handle;
  if (!probe || !handle) throw new Error('the page did not open a store');
  const marks: OpenMarks = {
    modulesMs,
    storeOpenedMs: modulesMs,
    previewMs: NaN,
    snapshotReadStartMs: NaN,
    snapshotReadEndMs: NaN,
    readStartMs: NaN,
    readEndMs: NaN,
    applyStartMs: NaN,
    observersStartMs: NaN,
    observersEndMs: NaN,
    cleanupEndMs: NaN,
    updateEncodedMs: NaN,
    readyMs: NaN,
    pickerFirstMs: NaN,
    pickerReadyMs: NaN,
    panelOpenMs: NaN,
    keyMs: NaN,
    rowsMs: NaN,
    interactiveMs: NaN,
  };
  markLoad(handle.store.doc, marks, handle.connection !== undefined);
  await picker.updateComplete;
  marks.pickerFirstMs = performance.now();
  await handle.whenReady;
  marks.readyMs = performance.now();
  storeReady = true;
  await previewWatch;
  marks.previewMs = previewMs;
  if (handle.storage.status.mode !== 'saved') throw new Error(`device storage is not in use: ${JSON.stringify(handle.storage.status)}`);
  await picker.updateComplete;
  marks.pickerReadyMs = performance.now();

  // The cashier opens the picker and types: the panel, then the first keystroke.
  picker.show();
  await picker.updateComplete;
  marks.panelOpenMs = performance.now();
  const root = picker.shadowRoot;
  const input = root?.querySelector<HTMLInputElement>('input[part="search"]');
  if (!root || !input) throw new Error('the picker has no search field');
  const rows = () => root.querySelectorAll<HTMLElement>('[role="option"].customer-option');
  marks.keyMs = performance.now();
  input.value = QUERY;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  // Polled once a frame, bounded to ~60 s of frames.
  for (let i = 0; i < 3600 && !rows().length; i++) await nextFrame();
  marks.rowsMs = performance.now();
  marks.interactiveMs = await afterPaint();
  const heapAtInteractiveBytes = performance.memory?.usedJSHeapSize ?? NaN;

  if (Number.isNaN(marks.applyStartMs)) throw new Error("y-indexeddb's load transaction was not seen");
  // The kept store's read: the last to finish before its load transaction began.
  const reads = probe.idbReads.filter((r) => r.store === 'updates' && r.bytes > 0);
  const read = reads.filter((r) => r.endMs <= marks.applyStartMs).sort((a, b) => b.endMs - a.endMs)[0];
  if (!read) throw new Error('y-indexeddb read no updates before the load');
  marks.readStartMs = read.startMs;
  marks.readEndMs = read.endMs;
  const snapshotRead = probe.idbGets.find((g) => g.store === 'custom' && g.found);
  if (snapshotRead) {
    marks.snapshotReadStartMs = snapshotRead.startMs;
    marks.snapshotReadEndMs = snapshotRead.endMs;
  }

  return {
    marks,
    query: QUERY,
    longTasks: probe.longTasks.filter((t) => t.startMs < marks.interactiveMs),
    read: { values: read.values, bytes: read.bytes },
    snapshotStaleKeys: handle.store.snapshotUse?.staleKeys ?? null,
    storeOpens: probe.storeOpened.length,
    reads: reads.map((r) => [r.startMs, r.endMs, r.bytes]),
    heapAtInteractiveBytes,
    liveCount: handle.store.liveCount,
    rows: rows().length,
    server: await connectionMade(shop),
    modules: performance.getEntriesByType('resource').length,
  };
}

/**
 * Whether the page's `<pos-customers>` connected to its sync server. It connects once the device's customers
 * are loaded and its sync link (fetched meanwhile) has arrived, which may be after the first keystroke: it is
 * waited for, a few seconds at most, after everything is timed.
 */
async function connectionMade(shop: PosCustomers): Promise<boolean> {
  for (let i = 0; i < 600 && shop.server && shop.handle?.connection === undefined; i++) await nextFrame();
  return shop.handle?.connection !== undefined;
}

/** The picker's count of matches and first row must be the store's. */
function verify(): void {
  const handle = (document.getElementById('shop') as PosCustomers).handle;
  const picker = document.getElementById('picker') as PosCustomerPicker;
  const root = picker.shadowRoot;
  if (!handle || !root) throw new Error('nothing to verify');
  const store = handle.store;
  const found = store.search(QUERY, picker.limit);
  const status = root.querySelector('[part="status"]')?.textContent?.trim() ?? '';
  const first = found.ids[0] ? store.get(found.ids[0]) : undefined;
  const firstRow = root.querySelector('[role="option"].customer-option [part="option-name"]')?.textContent?.trim();
  if (status !== strings().resultsCount(found.ids.length, found.total)) throw new Error(`the picker says "${status}", the store found ${found.total}`);
  if (!first || firstRow !== displayName(first))
    throw new Error(`the first row is "${firstRow}", the store's first match ${first ? displayName(first) : 'none'}`);
}

window.benchOpen = { result: run(), verify };
