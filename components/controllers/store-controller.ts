import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CustomerLookup } from '../store/customer-lookup.js';
import type { CustomerStore, StoreChange } from '../store/customer-store.js';
import type { ConnectionStatus, PeerTill } from '../store/sync-connection.js';
import type { DeviceStorageStatus } from '../store/device-storage.js';
import { storeContext, storePreviewContext, type StoreHandle, type StorePreview } from './store-context.js';

type Host = ReactiveControllerHost & HTMLElement & { storeRef?: string };

export interface StoreControllerOptions {
  /** Re-render only for changes this returns true for (default: every change). */
  relevant?: (change: StoreChange) => boolean;
  /** Called for every store change, before the re-render is requested. */
  onChange?: (change: StoreChange) => void;
  /** Called when the element is attached to a (new) store. */
  onAttach?: (handle: StoreHandle) => void;
}

/**
 * Binds an element to the store: from the nearest <pos-customers> through context, or from the one
 * named by the element's `store-ref` attribute when it sits elsewhere in the page. Re-renders the host
 * on store changes, connection and device-storage status; unsubscribes when the host leaves the page.
 */
export class StoreController implements ReactiveController {
  handle: StoreHandle | undefined;
  /** The customers of the device's snapshot, from the nearest <pos-customers>, until its store is ready. */
  preview: StorePreview | undefined;
  /** The handle whose store is ready: its device load is done. */
  private readyHandle: StoreHandle | undefined;
  private readonly consumer: ContextConsumer<typeof storeContext, Host>;
  private contextHandle: StoreHandle | undefined;
  private refElement: (HTMLElement & { handle?: StoreHandle }) | null = null;
  private cleanups: Array<() => void> = [];

  constructor(
    private readonly host: Host,
    private readonly options: StoreControllerOptions = {},
  ) {
    host.addController(this);
    this.consumer = new ContextConsumer(host, {
      context: storeContext,
      subscribe: true,
      callback: (handle) => {
        this.contextHandle = handle;
        this.resolve();
      },
    });
    new ContextConsumer(host, {
      context: storePreviewContext,
      subscribe: true,
      callback: (preview) => {
        this.preview = preview;
        this.host.requestUpdate();
      },
    });
  }

  /** The store's device load is done: it holds every customer this till has. */
  get ready(): boolean {
    return this.handle !== undefined && this.readyHandle === this.handle;
  }

  /**
   * Where to find customers now: the store once it is ready; before that the snapshot's preview, if
   * there is one, else the store as far as it is loaded.
   */
  get lookup(): CustomerLookup | undefined {
    return this.ready ? this.handle?.store : (this.preview?.lookup ?? this.handle?.store);
  }

  /** The store and till, known from the preview before the store is opened. */
  get storeAndTill(): { storeId: string; tillId: string } | undefined {
    return this.handle ?? this.preview;
  }

  get store(): CustomerStore | undefined {
    return this.handle?.store;
  }

  get connectionStatus(): ConnectionStatus | undefined {
    return this.handle?.connection?.status;
  }

  get storageStatus(): DeviceStorageStatus | undefined {
    return this.handle?.storage.status;
  }

  /** The other tills in the store right now (none without a server, or while offline). */
  get peers(): readonly PeerTill[] {
    return this.connectionStatus?.peers ?? [];
  }

  /**
   * The other tills that have this customer open in a form, one entry per till: a till that reconnects
   * can linger under its old awareness id until the server times it out.
   */
  tillsEditing(customerId: string): PeerTill[] {
    const seen = new Set<string>();
    return this.peers.filter((peer) => peer.editing === customerId && !seen.has(peer.tillId) && seen.add(peer.tillId));
  }

  /** A till's name as it announces itself, or its id when it is not online now (records keep only ids). */
  tillName(tillId: string): string {
    return this.peers.find((peer) => peer.tillId === tillId)?.tillName ?? tillId;
  }

  hostConnected(): void {
    this.resolve();
  }

  hostDisconnected(): void {
    this.detach();
    this.refElement?.removeEventListener('pos-store-ready', this.onRefReady);
    this.refElement?.removeEventListener('pos-store-connected', this.onRefReady);
    this.refElement = null;
  }

  hostUpdate(): void {
    // `store-ref` may be set or changed after connection.
    if (this.host.storeRef && this.refElement?.id !== this.host.storeRef) this.resolve();
  }

  private resolve(): void {
    let handle = this.contextHandle ?? this.consumer.value;
    if (!handle && this.host.storeRef) {
      const ref = document.getElementById(this.host.storeRef) as (HTMLElement & { handle?: StoreHandle }) | null;
      if (ref !== this.refElement) {
        for (const type of ['pos-store-ready', 'pos-store-connected'] as const) {
          this.refElement?.removeEventListener(type, this.onRefReady);
          ref?.addEventListener(type, this.onRefReady);
        }
        this.refElement = ref;
      }
      handle = ref?.handle;
    }
    if (handle !== this.handle) this.attach(handle);
  }

  private readonly onRefReady = (): void => this.resolve();

  private attach(handle: StoreHandle | undefined): void {
    this.detach();
    this.handle = handle;
    if (handle) {
      this.cleanups.push(
        handle.store.subscribe((change) => {
          this.options.onChange?.(change);
          if (!this.options.relevant || this.options.relevant(change)) this.host.requestUpdate();
        }),
        handle.storage.onStatus(() => this.host.requestUpdate()),
      );
      if (handle.connection) this.cleanups.push(handle.connection.onStatus(() => this.host.requestUpdate()));
      this.options.onAttach?.(handle);
      // Customers loaded from the device after attaching arrive as store changes; this covers the wait.
      void handle.whenReady.then(() => {
        if (this.handle !== handle) return;
        this.readyHandle = handle;
        this.host.requestUpdate();
      });
    }
    this.host.requestUpdate();
  }

  private detach(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}
