import type { CustomerStore } from './customer-store.js';
import type { DeviceStorage } from './device-storage.js';

export interface SnapshotKeeperOptions {
  /** A snapshot is saved once customers have not changed for this long... */
  quietMs?: number;
  /** ...or at the latest this long after the first change it lacks, on a store that is never quiet. */
  maxWaitMs?: number;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Keeps the snapshot saved beside the device's document (open-snapshot.ts) close to the document: after
 * the load unless the snapshot it restored was current, after changes once the store is quiet, and when
 * the page is hidden (a till closing for the night). A stale snapshot only costs the next open the time
 * to index what changed since, so saving is rare and never in the way of a cashier's typing: the index is
 * sorted a part per task first, and only the copy runs in one go. Returns a function that stops it.
 */
export function keepOpenSnapshot(store: CustomerStore, storage: DeviceStorage, options: SnapshotKeeperOptions = {}): () => void {
  const quietMs = options.quietMs ?? 15_000;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  let stopped = false;
  let saving = false;
  /** When the first change the saved snapshot lacks was made; undefined when it lacks none. */
  let changedSince: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe = () => {};

  const schedule = (delay: number) => {
    clearTimeout(timer);
    if (stopped || changedSince === undefined) return;
    timer = setTimeout(() => void save(), Math.max(0, Math.min(delay, changedSince + maxWaitMs - Date.now())));
  };
  const changed = () => {
    changedSince ??= Date.now();
    schedule(quietMs);
  };
  const save = async () => {
    if (stopped || saving || changedSince === undefined) return;
    saving = true;
    try {
      while (store.sortIndexStep()) {
        await nextTask();
        if (stopped) return;
      }
      const snapshot = store.openSnapshot();
      if (!snapshot) return;
      // Taken synchronously: a change from here on is one this snapshot lacks.
      changedSince = undefined;
      await storage.saveSnapshot(snapshot);
    } finally {
      saving = false;
      schedule(quietMs);
    }
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') void save();
  };

  void storage.whenReady.then(() => {
    if (stopped || storage.status.mode !== 'saved') return;
    unsubscribe = store.subscribe((change) => {
      if (change.customers.size) changed();
    });
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onHidden);
    if (store.snapshotUse?.staleKeys !== 0) changed();
  });

  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onHidden);
  };
}
