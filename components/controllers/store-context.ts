import { createContext } from '@lit/context';
import type { CustomerLookup } from '../store/customer-lookup.js';
import type { CustomerStore } from '../store/customer-store.js';
import type { DeviceStorage } from '../store/device-storage.js';
import type { SyncConnection } from '../store/sync-connection.js';

/**
 * What <pos-customers> provides to the elements inside it. The object is replaced when the store is
 * switched, and once more when the sync connection is made (after the device's customers are loaded);
 * changes inside the store reach elements through StoreController, not through context.
 */
export interface StoreHandle {
  storeId: string;
  tillId: string;
  store: CustomerStore;
  storage: DeviceStorage;
  /** Absent when no server is configured: the till works on its device only. */
  connection: SyncConnection | undefined;
  whenReady: Promise<void>;
}

export const storeContext = createContext<StoreHandle | undefined>(Symbol('pos-customers-store'));

/**
 * What <pos-customers> provides before its store is ready: the customers of the device's open snapshot,
 * read while the store's code is fetched and the document loads, for elements that find customers.
 * Cleared once the store is ready.
 */
export interface StorePreview {
  storeId: string;
  tillId: string;
  lookup: CustomerLookup;
}

export const storePreviewContext = createContext<StorePreview | undefined>(Symbol('pos-customers-preview'));
