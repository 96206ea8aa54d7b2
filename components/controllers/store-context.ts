import { createContext } from '@lit/context';
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
