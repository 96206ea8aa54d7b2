import type { AxeResults } from 'axe-core';
import type { PosCustomers } from '../../components/elements/pos-customers/pos-customers.js';
import '../../components/elements/pos-customers/pos-customers.js';

/** Waits for a condition a user would see, polling; fails with what was awaited. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Puts a <pos-customers> on the page (its own store id, so tests never share data) around `inner`, and
 * waits until its store is open and loaded from IndexedDB.
 */
export async function mountStore(
  inner: string,
  options: { store?: string; till?: string; server?: string; token?: string; parent?: Element } = {},
): Promise<PosCustomers> {
  const root = document.createElement('pos-customers');
  root.store = options.store ?? uniqueId('store');
  root.till = options.till ?? 'till-1';
  if (options.server) root.server = options.server;
  if (options.token) root.token = options.token;
  root.innerHTML = inner;
  (options.parent ?? document.body).append(root);
  await until(() => Boolean(root.handle), 'the store to open');
  await root.handle?.whenReady;
  // The sync connection is made once the device's customers are loaded.
  if (options.server) await until(() => Boolean(root.handle?.connection), 'the sync connection');
  return root;
}

/**
 * Holds the device database's document updates as a slow disk would: the store's load of the
 * document waits until released, while the snapshot beside it (another object store) can be read.
 */
export async function holdDocumentLoad(name: string): Promise<() => void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  let held = true;
  const tx = db.transaction(['updates'], 'readwrite');
  const updates = tx.objectStore('updates');
  const keepBusy = () => {
    if (held) updates.count().onsuccess = keepBusy;
  };
  keepBusy();
  tx.oncomplete = () => db.close();
  return () => (held = false);
}

/** Removes everything tests put on the page, closing their stores. */
export function cleanUpPage(): void {
  document.body.replaceChildren();
}

let axeLoaded: Promise<void> | undefined;

/** Runs axe-core on an element (shadow roots included) and fails listing every violation. */
export async function expectNoAxeViolations(element: Element): Promise<void> {
  axeLoaded ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('axe-core did not load'));
    document.head.append(script);
  });
  await axeLoaded;
  const axe = (window as unknown as { axe: { run: (el: Element, opts: object) => Promise<AxeResults> } }).axe;
  const results = await axe.run(element, { resultTypes: ['violations'] });
  const problems = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  if (problems.length) throw new Error(`axe found ${problems.length} accessibility violation(s):\n${problems.join('\n')}`);
}

/** Types into an input the way a keyboard does: value, then an input event per character. */
export async function typeInto(input: HTMLInputElement | HTMLTextAreaElement, text: string): Promise<void> {
  input.focus();
  for (const ch of text) {
    input.value += ch;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: ch, inputType: 'insertText' }));
  }
  await new Promise((r) => setTimeout(r, 0));
}
