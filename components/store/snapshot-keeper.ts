import type { CustomerStore } from './customer-store.js';
import type { DeviceStorage } from './device-storage.js';
import { whenIdle } from './idle.js';

export interface SnapshotKeeperOptions {
  /** A snapshot is saved once customers have not changed, and no key or pointer has been pressed on the page, for this long... */
  quietMs?: number;
  /** ...or at the latest this long after the first change it lacks, on a store that is never quiet... */
  maxWaitMs?: number;
  /** ...once it lacks more customers than this (fewer cost the next open milliseconds; the page being hidden saves them). */
  staleLimit?: number;
}

const nextIdle = () => new Promise<void>((resolve) => whenIdle(() => resolve()));
/** What tells that someone is using the page: a save waits for them to stop. */
const INPUT_EVENTS = ['keydown', 'input', 'pointerdown', 'wheel'] as const;

/**
 * Keeps the snapshot saved beside the device's document (open-snapshot.ts) close enough to it. Taking a
 * snapshot of 100k customers blocks the page for a few hundred milliseconds (copying it, and IndexedDB
 * cloning it), while a stale one only costs the next open the time to index what changed since, about a
 * millisecond per 100 customers. So it is saved rarely: when the page is hidden (a till closing for the
 * night, a cashier switching apps), and otherwise only once it lacks more than `staleLimit` customers and
 * the store and the cashier have been quiet: a save in the middle of a search would hold up its
 * keystrokes. The index is sorted a part per idle period first. Returns a function that stops it.
 */
export function keepOpenSnapshot(store: CustomerStore, storage: DeviceStorage, options: SnapshotKeeperOptions = {}): () => void {
  const quietMs = options.quietMs ?? 15_000;
  const maxWaitMs = options.maxWaitMs ?? 600_000;
  const staleLimit = options.staleLimit ?? 1_000;
  let stopped = false;
  let saving = false;
  /** Customers changed since the saved snapshot was taken (counted per change: an upper bound). */
  let stale = 0;
  /** When the first of those changes was made. */
  let staleSince = 0;
  /** When the store last changed or someone last used the page. */
  let busyAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe = () => {};

  /** Quiet for `quietMs`, or waited `maxWaitMs` since the first change the snapshot lacks. */
  const dueAt = () => Math.min(busyAt + quietMs, staleSince + maxWaitMs);
  const schedule = () => {
    clearTimeout(timer);
    if (stopped || stale <= staleLimit) return;
    timer = setTimeout(() => (Date.now() >= dueAt() ? void save() : schedule()), Math.max(0, dueAt() - Date.now()));
  };
  const changed = (customers: number) => {
    if (!stale) staleSince = Date.now();
    stale += customers;
    busyAt = Date.now();
    schedule();
  };
  // Only noted here: the timer, when it fires, finds the cashier was busy since and waits again.
  const onInput = () => {
    busyAt = Date.now();
  };
  /** `hidden`: no one is waiting on the page, and a hidden page's timers run once a second at most, so sort in one go. */
  const save = async (hidden = false) => {
    if (stopped || saving || !stale) return;
    saving = true;
    try {
      while (store.sortIndexStep()) {
        if (hidden) continue;
        await nextIdle();
        if (stopped) return;
      }
      if (!hidden) await nextIdle();
      // Someone started using the page while the index was being sorted: the copy would hold them up.
      if (stopped || (!hidden && Date.now() < dueAt())) return;
      const snapshot = store.openSnapshot();
      if (!snapshot) return;
      // Taken synchronously: a change from here on is one this snapshot lacks.
      stale = 0;
      await storage.saveSnapshot(snapshot);
    } finally {
      saving = false;
      schedule();
    }
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') void save(true);
  };

  void storage.whenReady
    .then(() => store.whenLoaded())
    .then(() => {
      if (stopped || storage.status.mode !== 'saved') return;
      unsubscribe = store.subscribe((change) => {
        if (change.customers.size) changed(change.customers.size);
      });
      if (typeof document !== 'undefined') {
        document.addEventListener('visibilitychange', onHidden);
        for (const type of INPUT_EVENTS) document.addEventListener(type, onInput, { capture: true, passive: true });
      }
      // No snapshot, or one that left many customers to index: the next open would pay for them again.
      const use = store.snapshotUse;
      changed(use ? use.staleKeys : Math.max(store.liveCount, 1) + staleLimit);
    });

  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
    if (typeof document !== 'undefined') {
      document.removeEventListener('visibilitychange', onHidden);
      for (const type of INPUT_EVENTS) document.removeEventListener(type, onInput, { capture: true });
    }
  };
}
