/**
 * In-page half of bench/list-scroll.ts: loads a prebuilt store update into <pos-customers>, mounts a
 * <pos-customer-list> and measures it from inside the page, where frame timings are not blurred by the
 * round trip to playwright. Node calls the functions on `window.benchList` one phase at a time.
 */
import * as Y from 'yjs';
import '../../components/elements/pos-customers/pos-customers.js';
import '../../components/elements/pos-customer-list/pos-customer-list.js';
import '../../components/elements/pos-customer-picker/pos-customer-picker.js';
import type { PosCustomerPicker } from '../../components/elements/pos-customer-picker/pos-customer-picker.js';
import type { PosCustomers } from '../../components/elements/pos-customers/pos-customers.js';
import type { PosCustomerList } from '../../components/elements/pos-customer-list/pos-customer-list.js';
import { afterPaint, afterTask, nextFrame, sleep } from './frames.js';

export interface LoadResult {
  bytes: number;
  fetchMs: number;
  /** Y.applyUpdate into the store's document, and the store's indexing of it (in slices after the transaction). */
  applyMs: number;
  /** Until device storage reported the update written, so its IndexedDB work stays out of later phases. */
  storageMs: number;
  storage: string;
  liveCount: number;
}

export interface FirstRowsResult {
  /** The list's first Lit update (ordering every customer, rendering the toolbar and the rows in view). */
  firstUpdateMs: number;
  /** Until rows were in the DOM. */
  rowsMs: number;
  /** Until the frame showing them had been rendered. */
  paintedMs: number;
  rows: number;
  /** Every element in the list's shadow root. */
  elements: number;
}

export interface ScrollResult {
  /** requestAnimationFrame timestamp deltas: the time between frames the page produced. */
  deltas: number[];
  /** Main-thread time of each frame, from our rAF callback to after that frame's rendering. */
  work: number[];
  /** Frames whose viewport was missing rows when the frame was rendered. */
  blankFrames: number;
  /** Most rows missing from the viewport in one frame. */
  missingRowsMax: number;
  frames: number;
  distancePx: number;
  maxRows: number;
  maxElements: number;
  viewportPx: number;
  scrollHeightPx: number;
  /** Distance between consecutive rows. */
  pitchPx: number;
}

export interface KeystrokeResult {
  value: string;
  /** From the input event to the end of the task that handled it (all microtasks done: rows in the DOM). */
  domMs: number;
  /** To after the next frame rendered them. */
  paintedMs: number;
  rows: number;
  countText: string;
  /** Every row shown is one the store lists for this query (a check that the rows did update). */
  rowsMatch: boolean;
}

export interface PickerKeystrokeResult {
  value: string;
  /** From the input event to the end of the task that handled it (all microtasks done). */
  taskMs: number;
  /** To the first frame in which the picker's rows were the answer to this query, rendered. */
  paintedMs: number;
  /** Frames waited for the rows to change (0: already in the DOM at the end of the task). */
  framesWaited: number;
  rows: number;
  /** The first row shown is the store's best match for the query. */
  firstMatches: boolean;
}

export interface ListPageApi {
  load(size: number): Promise<LoadResult>;
  mount(heightPx: number): Promise<FirstRowsResult>;
  scroll(stepPx: number, durationMs: number): Promise<ScrollResult>;
  typeInPicker(values: readonly string[], pauseMs: number): Promise<PickerKeystrokeResult[]>;
  /** With `check`, also verifies each keystroke's rows against the store (after the timing). */
  type(values: readonly string[], pauseMs: number, check: boolean): Promise<KeystrokeResult[]>;
}

declare global {
  interface Window {
    benchList?: ListPageApi;
  }
}

const shop = document.getElementById('shop') as PosCustomers;
let list: PosCustomerList | undefined;

function handle() {
  const h = shop.handle;
  if (!h) throw new Error('<pos-customers> has no store');
  return h;
}

function root(): ShadowRoot {
  const r = list?.shadowRoot;
  if (!r) throw new Error('the list is not mounted');
  return r;
}

const renderedRows = () => [...root().querySelectorAll<HTMLElement>('[part="rows"] [role="row"][data-index]')];

async function load(size: number): Promise<LoadResult> {
  // <pos-customers> fetches the store's code with import() as it opens: its handle comes then.
  for (let i = 0; i < 600 && !shop.handle; i++) await nextFrame();
  const h = handle();
  await h.whenReady;
  const t0 = performance.now();
  const response = await fetch(`/bench-data/store-${size}.bin`);
  if (!response.ok) throw new Error(`store-${size}.bin: HTTP ${response.status}`);
  const update = new Uint8Array(await response.arrayBuffer());
  const t1 = performance.now();
  Y.applyUpdate(h.store.doc, update);
  // Another till's whole store arriving at once is indexed in slices after the transaction.
  await h.store.whenIndexed();
  const t2 = performance.now();
  // Bounded: 60 s is far beyond any write seen; the status says "memory" if storage gave up.
  while (performance.now() - t2 < 60_000) {
    const status = h.storage.status;
    if (status.mode !== 'saved' || status.pendingWrites === 0) break;
    await sleep(20);
  }
  const status = h.storage.status;
  return {
    bytes: update.byteLength,
    fetchMs: t1 - t0,
    applyMs: t2 - t1,
    storageMs: performance.now() - t2,
    storage: status.mode === 'saved' ? `saved, ${status.pendingWrites} writes pending` : status.mode,
    liveCount: h.store.liveCount,
  };
}

async function mount(heightPx: number): Promise<FirstRowsResult> {
  const element = document.createElement('pos-customer-list');
  element.style.setProperty('--pos-customer-list-height', `${heightPx}px`);
  list = element;
  const t0 = performance.now();
  shop.append(element);
  await element.updateComplete;
  const firstUpdateMs = performance.now() - t0;
  let rowsMs = NaN;
  // Polled once a frame, bounded to ~60 s of frames.
  for (let i = 0; i < 3600 && !renderedRows().length; i++) await nextFrame();
  rowsMs = performance.now() - t0;
  const painted = await afterPaint();
  const rows = renderedRows().length;
  if (!rows) throw new Error('no rows rendered');
  return { firstUpdateMs, rowsMs, paintedMs: painted - t0, rows, elements: root().querySelectorAll('*').length };
}

/**
 * Rows that should be visible at scroll offset `top` but are not rendered. Worked out from the rows'
 * indices and the row pitch rather than from their boxes: reading boxes would force the frame's layout
 * early and change what is being measured.
 */
function missingRows(top: number, viewport: number, pitch: number, count: number): number {
  const first = Math.floor(top / pitch);
  const last = Math.min(count - 1, Math.floor((top + viewport - 1) / pitch));
  const rendered = new Set(renderedRows().map((row) => Number(row.dataset.index)));
  let missing = 0;
  for (let i = first; i <= last; i++) if (!rendered.has(i)) missing++;
  return missing;
}

/**
 * Scrolls the list's scrolling area by `stepPx` in every frame for `durationMs`, turning at either
 * end. Coverage is read in a ResizeObserver callback on a probe resized every frame: those run after the
 * frame's layout and after the list's own observer (created earlier), so it sees the rows that
 * frame paints.
 */
async function scroll(stepPx: number, durationMs: number): Promise<ScrollResult> {
  const scroller = root().querySelector<HTMLElement>('[part="rows"]');
  if (!scroller) throw new Error('no scrolling rows');
  scroller.scrollTop = 0;
  await nextFrame();
  await afterPaint();
  const probe = document.createElement('div');
  probe.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0';
  document.body.append(probe);
  const rowAt = (index: number) => renderedRows().find((row) => row.dataset.index === String(index));
  const pitch = (rowAt(1)?.getBoundingClientRect().top ?? NaN) - (rowAt(0)?.getBoundingClientRect().top ?? NaN);
  if (!(pitch > 0)) throw new Error('could not measure the row pitch');
  const count = Math.round(scroller.scrollHeight / pitch);
  let position = 0;
  const result: ScrollResult = {
    deltas: [],
    work: [],
    blankFrames: 0,
    missingRowsMax: 0,
    frames: 0,
    distancePx: 0,
    maxRows: 0,
    maxElements: 0,
    viewportPx: scroller.clientHeight,
    scrollHeightPx: scroller.scrollHeight,
    pitchPx: pitch,
  };
  let checkPending = false;
  const observer = new ResizeObserver(() => {
    if (!checkPending) return;
    checkPending = false;
    const missing = missingRows(position, result.viewportPx, pitch, count);
    if (missing > 0) result.blankFrames++;
    result.missingRowsMax = Math.max(result.missingRowsMax, missing);
    result.maxRows = Math.max(result.maxRows, renderedRows().length);
  });
  observer.observe(probe);
  const channel = new MessageChannel();
  channel.port1.onmessage = (event: MessageEvent<number>) => void result.work.push(performance.now() - event.data);
  let direction = 1;
  // Read once: reading scrollTop or scrollHeight in the loop would force the frame's layout early and
  // charge it to this harness in a profile. Rows all have one height, so the scroll height stays put.
  const max = scroller.scrollHeight - scroller.clientHeight;
  try {
    await new Promise<void>((resolve) => {
      let last: number | undefined;
      const start = performance.now();
      const tick = (ts: number) => {
        const begun = performance.now();
        if (last !== undefined) result.deltas.push(ts - last);
        last = ts;
        // Bounded by time and by a frame count, whichever comes first.
        if (begun - start >= durationMs || result.frames >= 2000) {
          resolve();
          return;
        }
        let next = position + direction * stepPx;
        if (next >= max || next <= 0) {
          direction = -direction;
          next = Math.min(max, Math.max(0, next));
        }
        result.distancePx += Math.abs(next - position);
        position = next;
        scroller.scrollTop = next;
        result.frames++;
        probe.style.width = `${1 + (result.frames % 2)}px`;
        checkPending = true;
        if (result.frames % 30 === 0) result.maxElements = Math.max(result.maxElements, root().querySelectorAll('*').length);
        channel.port2.postMessage(begun);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // Lets the last frame's work message arrive.
    await afterPaint();
  } finally {
    observer.disconnect();
    probe.remove();
    channel.port1.close();
  }
  return result;
}

async function type(values: readonly string[], pauseMs: number, check: boolean): Promise<KeystrokeResult[]> {
  const input = root().querySelector<HTMLInputElement>('input[part="search"]');
  if (!input) throw new Error('no search input');
  const store = handle().store;
  const out: KeystrokeResult[] = [];
  // From the top, as a manager starts a search: the rows checked below are then the first matches.
  const scroller = root().querySelector<HTMLElement>('[part="rows"]');
  if (scroller) scroller.scrollTop = 0;
  for (const value of values) {
    await afterPaint();
    const t0 = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    const done = await afterTask();
    const painted = await afterPaint();
    const rows = renderedRows();
    // Costs another full search at 100k: left out of profiled runs, where it would double the search's share.
    const expected = check && value.trim() ? new Set(store.listIds({ query: value })) : undefined;
    out.push({
      value,
      domMs: done - t0,
      paintedMs: painted - t0,
      rows: rows.length,
      countText: root().querySelector('.count')?.textContent?.trim() ?? '',
      rowsMatch: rows.length > 0 && rows.every((r) => r.dataset.index !== undefined && (!expected || expected.has(r.dataset.id ?? ''))),
    });
    await sleep(pauseMs);
  }
  return out;
}

/** The picker in the same shop, its panel open, typed into as a cashier does; the list is removed first. */
async function typeInPicker(values: readonly string[], pauseMs: number): Promise<PickerKeystrokeResult[]> {
  document.querySelector('pos-customer-list')?.remove();
  const shop = document.getElementById('shop') as PosCustomers;
  const picker = document.createElement('pos-customer-picker') as PosCustomerPicker;
  shop.append(picker);
  await picker.updateComplete;
  picker.show();
  await picker.updateComplete;
  await sleep(500);
  const pickerRoot = picker.shadowRoot;
  const input = pickerRoot?.querySelector<HTMLInputElement>('input[part="search"]');
  if (!pickerRoot || !input) throw new Error('the picker has no search field');
  const store = handle().store;
  const firstName = () => pickerRoot.querySelector('[role="option"].customer-option [part="option-name"]')?.textContent?.trim() ?? '';
  const out: PickerKeystrokeResult[] = [];
  for (const value of values) {
    await afterPaint();
    const best = store.search(value, 1).ids[0];
    const expected = best ? (store.get(best)?.firstName ?? '') : '';
    const before = firstName();
    const t0 = performance.now();
    // As a key does: keydown (the picker watches for scanners), then the text changes and input fires.
    input.dispatchEvent(new KeyboardEvent('keydown', { key: value.slice(-1) || 'Backspace', bubbles: true, composed: true }));
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    const taskEnd = await afterTask();
    // Rows are in the DOM when the task ends; should they ever come in a later frame, wait (bounded) for the first to change.
    let framesWaited = 0;
    while (framesWaited < 30 && firstName() === before && expected && !before.startsWith(expected)) {
      await nextFrame();
      framesWaited++;
    }
    const painted = await afterPaint();
    out.push({
      value,
      taskMs: taskEnd - t0,
      paintedMs: painted - t0,
      framesWaited,
      rows: pickerRoot.querySelectorAll('[role="option"].customer-option').length,
      firstMatches: !expected || firstName().startsWith(expected),
    });
    await sleep(pauseMs);
  }
  return out;
}

window.benchList = { load, mount, scroll, type, typeInPicker };
