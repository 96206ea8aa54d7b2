import { IndexeddbPersistence, PREFERRED_TRIM_SIZE, storeState } from 'y-indexeddb';
import type * as Y from 'yjs';
import { describe, probeDatabase, SNAPSHOT_KEY, type DeviceProbe } from './device-probe.js';

/** Where this till keeps the store between page loads. */
export type DeviceStorageStatus =
  | { mode: 'opening' }
  | { mode: 'saved'; pendingWrites: number }
  /** Working from memory only: everything still syncs, but a reload before reconnecting loses local edits. */
  | { mode: 'memory'; reason: string };

export interface DeviceStorageOptions {
  /** How long to wait for IndexedDB to open and load before carrying on in memory. */
  openTimeoutMs?: number;
  /**
   * Called before the saved document is loaded in a transaction whose origin is `loadOrigin`, with the
   * read of the snapshot saved beside it (see saveSnapshot): undefined when there is none. The two reads
   * overlap, so the load may come first.
   */
  beforeLoad?: (loadOrigin: unknown, snapshot: Promise<unknown>) => void;
  /** The database's probe, when a page made it before this storage was opened (see probeDatabase). */
  probe?: Promise<DeviceProbe>;
}

/**
 * y-indexeddb with its known traps covered: an IndexedDB that is missing, fails to open, is closed under
 * us or is over quota never throws into the page or stops the other update listeners (the websocket
 * provider is one); the store carries on in memory and says why through `status`. Every write is
 * tracked to completion, so the UI can show whether local edits are on disk yet.
 */
export class DeviceStorage {
  status: DeviceStorageStatus = { mode: 'opening' };
  /** Resolves once the stored document is loaded, or once we fall back to memory; never rejects. */
  readonly whenReady: Promise<void>;
  /**
   * Resolves once y-indexeddb has asked for the stored document (the read then runs off the page's
   * thread), or once there is nothing to read; never rejects. Work that can wait belongs after it.
   */
  readonly whenReading: Promise<void>;
  private idb: IndexeddbPersistence | undefined;
  private pendingWrites = 0;
  private readonly listeners = new Set<(status: DeviceStorageStatus) => void>();
  private destroyed = false;

  constructor(
    private readonly doc: Y.Doc,
    readonly name: string,
    private readonly options: DeviceStorageOptions = {},
  ) {
    let reading = () => {};
    this.whenReading = new Promise((resolve) => (reading = resolve));
    this.whenReady = this.open(options.openTimeoutMs ?? 8000, reading);
    void this.whenReady.then(reading);
  }

  /**
   * Saves a snapshot of what the store derives from the document (a cache: it is only ever read back
   * to speed up the next open). False when it was not saved; a failure never changes the status, since
   * the document itself is unaffected, and drops the old snapshot rather than leave it to go stale.
   */
  async saveSnapshot(snapshot: unknown): Promise<boolean> {
    const db = this.idb?.db;
    if (!db || this.status.mode !== 'saved') return false;
    const write = (value: unknown) =>
      new Promise<boolean>((resolve) => {
        try {
          const tx = db.transaction(['custom'], 'readwrite');
          const store = tx.objectStore('custom');
          if (value === undefined) store.delete(SNAPSHOT_KEY);
          else store.put(value, SNAPSHOT_KEY);
          tx.oncomplete = () => resolve(true);
          tx.onabort = () => resolve(false);
          tx.onerror = () => resolve(false);
        } catch {
          resolve(false);
        }
      });
    if (await write(snapshot)) return true;
    await write(undefined);
    return false;
  }

  onStatus(listener: (status: DeviceStorageStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.doc.off('update', this.storeUpdate);
    this.listeners.clear();
    await this.idb?.destroy().catch(() => undefined);
  }

  private async open(timeoutMs: number, reading: () => void): Promise<void> {
    const probe = await (this.options.probe ?? probeDatabase(this.name));
    // Closed while probing (an element reopened its store): opening now would load a document nobody keeps.
    if (this.destroyed) return;
    if (typeof probe === 'string') {
      this.fallBack(probe);
      return;
    }
    let idb: IndexeddbPersistence;
    try {
      idb = new IndexeddbPersistence(this.name, this.doc);
    } catch (error) {
      this.fallBack(`Device storage could not be opened (${describe(error)}).`);
      return;
    }
    this.idb = idb;
    // Settles after y-indexeddb's own handler, which issues the read of the updates.
    idb._db.then(reading, reading);
    // y-indexeddb loads the document once its own read completes, after this; the snapshot's read, issued
    // first, often completes later (Chromium answers the updates' read first).
    this.options.beforeLoad?.(idb, probe.snapshot);
    // Replace y-indexeddb's own write path, which throws inside the doc's update handlers when the
    // database is closing and drops quota errors on the floor.
    this.doc.off('update', idb._storeUpdate);
    const failure = new Promise<string>((resolve) => {
      idb._db.catch((error: unknown) => resolve(`Device storage could not be opened (${describe(error)}).`));
      setTimeout(() => resolve('Device storage did not answer in time.'), timeoutMs);
    });
    const outcome = await Promise.race([idb.whenSynced.then(() => 'ok'), failure]);
    if (this.destroyed) return;
    if (outcome !== 'ok') {
      this.fallBack(outcome);
      return;
    }
    this.doc.on('update', this.storeUpdate);
    this.setStatus({ mode: 'saved', pendingWrites: 0 });
  }

  private readonly storeUpdate = (update: Uint8Array, origin: unknown): void => {
    const idb = this.idb;
    if (!idb?.db || origin === idb || this.status.mode !== 'saved') return;
    try {
      const tx = idb.db.transaction(['updates'], 'readwrite');
      tx.objectStore('updates').add(update);
      this.pendingWrites++;
      tx.oncomplete = () => {
        this.pendingWrites--;
        if (this.status.mode === 'saved') this.setStatus({ mode: 'saved', pendingWrites: this.pendingWrites });
      };
      tx.onabort = () => this.fallBack(`Saving on this device failed (${tx.error?.name ?? 'aborted'}).`);
      if (++idb._dbsize >= PREFERRED_TRIM_SIZE) this.compact(idb);
      this.setStatus({ mode: 'saved', pendingWrites: this.pendingWrites });
    } catch (error) {
      this.fallBack(`Saving on this device failed (${describe(error)}).`);
    }
  };

  /** Folds the update log into one state update, as y-indexeddb does, without its unhandled failures. */
  private compact(idb: IndexeddbPersistence): void {
    idb._dbsize = 0;
    storeState(idb, true).catch((error: unknown) => this.fallBack(`Saving on this device failed (${describe(error)}).`));
  }

  private fallBack(reason: string): void {
    if (this.destroyed || this.status.mode === 'memory') return;
    this.doc.off('update', this.storeUpdate);
    this.setStatus({ mode: 'memory', reason });
  }

  private setStatus(status: DeviceStorageStatus): void {
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }
}
