import * as Y from 'yjs';
import { loadPhone } from '../model/lazy-phone.js';
import { CustomerStore } from './customer-store.js';
import { deviceDatabaseName } from './device-probe.js';
import { DeviceStorage, type DeviceStorageOptions } from './device-storage.js';
import { keepOpenSnapshot, type SnapshotKeeperOptions } from './snapshot-keeper.js';

/** A phone module fetch that hangs (a captive portal, lost packets) holds whenReady, and the sync link after it, no longer than this. */
const PHONE_WAIT_LIMIT_MS = 5_000;

export interface LocalStoreOptions extends DeviceStorageOptions {
  /** When the snapshot that speeds up the next open is saved (see snapshot-keeper.ts); false: never. */
  snapshots?: SnapshotKeeperOptions | false;
  storeId: string;
  tillId: string;
  /** Recorded with this till's changes in the field history (see StoreOptions). */
  tillName?: string;
  cashier?: string;
}

/** A store's document with its device storage and the customer store on top. */
export interface LocalStore {
  readonly doc: Y.Doc;
  readonly store: CustomerStore;
  readonly storage: DeviceStorage;
  /** Resolves once the customers saved on this device are loaded (or storage fell back to memory). */
  readonly whenReady: Promise<void>;
  destroy(): Promise<void>;
}

export function openLocalStore(options: LocalStoreOptions): LocalStore {
  // Searching never needs the phone module; writing a phone does (see readPhone). Fetched beside the
  // device's read, so a host's first write after whenReady finds it; if it cannot be fetched (offline,
  // never cached) or hangs, the till still opens (after PHONE_WAIT_LIMIT_MS at most) and a write with a new
  // phone says why it is refused.
  let phoneWait: ReturnType<typeof setTimeout> | undefined;
  const phone = Promise.race([loadPhone().catch(() => undefined), new Promise((resolve) => (phoneWait = setTimeout(resolve, PHONE_WAIT_LIMIT_MS)))]).finally(
    () => clearTimeout(phoneWait),
  );
  const doc = new Y.Doc();
  const store = new CustomerStore(doc, { tillId: options.tillId, tillName: options.tillName, cashier: options.cashier });
  const storage = new DeviceStorage(doc, deviceDatabaseName(options.storeId, options.tillId), {
    ...options,
    beforeLoad: (loadOrigin, snapshot) => store.prepareLoadWhileReading(loadOrigin, snapshot),
  });
  // A page closed or left runs no destroy: joins this till was waiting for another till to write are
  // written when it is hidden, so they are saved and sent rather than lost with it; registered before the
  // snapshot keeper's listener, so the snapshot it saves then already holds them.
  const writeJoinsWhenHidden = () => document.visibilityState === 'hidden' && store.writeAwaitedJoins();
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', writeJoinsWhenHidden);
  const stopSnapshots = options.snapshots === false ? () => {} : keepOpenSnapshot(store, storage, options.snapshots);
  return {
    doc,
    store,
    storage,
    whenReady: Promise.all([storage.whenReady.then(() => store.whenLoaded()), phone]).then(() => undefined),
    async destroy() {
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', writeJoinsWhenHidden);
      stopSnapshots();
      store.destroy();
      await storage.destroy();
      doc.destroy();
    },
  };
}
