/**
 * The device database's first read, made without y-indexeddb or Yjs: a page can read the open snapshot
 * (open-snapshot.ts) while the store's code is still on its way, and hand the probe on to DeviceStorage.
 */

/** The key of the snapshot in y-indexeddb's `custom` object store, beside the document's updates. */
export const SNAPSHOT_KEY = 'pos-open-snapshot';

/** A usable database, with the read of its snapshot (undefined when there is none); or the problem that makes it unusable. */
export type DeviceProbe = string | { snapshot: Promise<unknown> };

/** One IndexedDB database per store and till profile, so two tills in one browser never share one. */
export function deviceDatabaseName(storeId: string, tillId: string): string {
  return `pos-customers/${storeId}/${tillId}`;
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Opens the database the way y-indexeddb will and checks its object stores first: y-indexeddb's own
 * open path has no error handling, so a database it cannot use would only surface as an unhandled
 * rejection and a load that never finishes. Reads the saved snapshot on the way. A string is the problem
 * that makes the database unusable.
 */
export function probeDatabase(name: string): Promise<DeviceProbe> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) return Promise.resolve('This browser offers no IndexedDB storage.');
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(name);
    } catch (error) {
      resolve(`Device storage could not be opened (${describe(error)}).`);
      return;
    }
    request.onupgradeneeded = () => {
      request.result.createObjectStore('updates', { autoIncrement: true });
      request.result.createObjectStore('custom');
    };
    request.onsuccess = () => {
      const db = request.result;
      const usable = db.objectStoreNames.contains('updates') && db.objectStoreNames.contains('custom');
      if (!usable) {
        db.close();
        resolve('Device storage holds a database this app cannot use.');
        return;
      }
      // An unreadable snapshot is no reason not to open: the store indexes the document instead. The
      // connection closes once the read is done.
      const snapshot = new Promise<unknown>((done) => {
        try {
          const read = db.transaction(['custom'], 'readonly').objectStore('custom').get(SNAPSHOT_KEY);
          read.onsuccess = () => done(read.result);
          read.onerror = () => done(undefined);
        } catch {
          done(undefined);
        }
      });
      db.close();
      resolve({ snapshot });
    };
    request.onerror = () => resolve(`Device storage could not be opened (${request.error?.name ?? 'unknown error'}).`);
    request.onblocked = () => resolve('Device storage is blocked by another tab upgrading it.');
  });
}
