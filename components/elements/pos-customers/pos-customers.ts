import { provide } from '@lit/context';
import { html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { storeContext, storePreviewContext, type StoreHandle, type StorePreview } from '../../controllers/store-context.js';
import { CustomerPreview } from '../../store/customer-preview.js';
import { deviceDatabaseName, probeDatabase } from '../../store/device-probe.js';
import type { LocalStore } from '../../store/local-store.js';
import type { SyncConnection } from '../../store/sync-connection.js';
import { PosElement } from '../pos-element.js';

const CHUNK_RETRY_MS = 5_000;

/**
 * Fetches one of the store's chunks, and tries again every CHUNK_RETRY_MS while it cannot be fetched
 * (offline before it was ever cached), as a provider would reconnect.
 */
function loadChunk<T>(what: string, load: () => Promise<T>, use: (module: T) => void, isClosed: () => boolean): void {
  load().then(use, (error: unknown) => {
    console.warn(`pos-customers: ${what} could not be loaded; trying again`, error);
    if (!isClosed()) setTimeout(() => loadChunk(what, load, use, isClosed), CHUNK_RETRY_MS);
  });
}

/**
 * @summary Opens a store's customers on this till — saved on the device, synced through the server — and
 * provides them to every pos-… element inside it. While the store's code loads and the device's document is read,
 * it provides the customers of the till's saved open snapshot for searching (see components/store/customer-preview.ts).
 *
 * @slot - The elements that use this store.
 * @event pos-store-ready - The store is open (again, after `store`, `till`, `server` or `token` changed).
 * @event pos-store-connected - The store's sync connection is made, once the customers saved on the device are loaded.
 */
@customElement('pos-customers')
export class PosCustomers extends PosElement {
  /** The store (shop) id: one document and one sync room per store. */
  @property() store = '';
  /** This till's id, recorded on every change it makes; one device database per store and till. */
  @property() till = '';
  /** A human name for this till, shown to other tills (defaults to the id). */
  @property({ attribute: 'till-name' }) tillName = '';
  /** The cashier signed in on this till, recorded with the changes they make (shown in customers' history). */
  @property() cashier = '';
  /** The sync server's websocket URL, e.g. ws://127.0.0.1:4455. Without it the till works on its own. */
  @property() server = '';
  /** The signed token that opens this store's room on the server. */
  @property() token = '';
  /** Take this till offline (and back) without closing anything. */
  @property({ type: Boolean, reflect: true }) offline = false;

  /** The open store, also provided to descendants through context. */
  @provide({ context: storeContext })
  handle: StoreHandle | undefined;

  /** The device snapshot's customers, provided until the store is ready (see customer-lookup.ts). */
  @provide({ context: storePreviewContext })
  preview: StorePreview | undefined;

  private opened: { close: () => Promise<void> } | undefined;
  /** What the open store was opened with, so the first update does not open it a second time. */
  private openedWith = '';

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this.close();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.handle && this.store && this.till) this.reopen();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store') || changed.has('till') || changed.has('server') || changed.has('token')) {
      if (this.isConnected && this.openingKey() !== this.openedWith) this.reopen();
      return;
    }
    if (changed.has('offline')) this.handle?.connection?.setOnline(!this.offline);
    if (changed.has('tillName')) this.handle?.connection?.provider.awareness.setLocalStateField('till', { id: this.till, name: this.tillName || this.till });
    if (this.handle && (changed.has('tillName') || changed.has('cashier'))) {
      this.handle.store.tillName = this.tillName || undefined;
      this.handle.store.cashier = this.cashier || undefined;
    }
  }

  private openingKey(): string {
    return JSON.stringify([this.store, this.till, this.server, this.token]);
  }

  private reopen(): void {
    void this.close();
    if (!this.store || !this.till) return;
    this.openedWith = this.openingKey();
    const { store: storeId, till: tillId, server, token } = this;
    let local: LocalStore | undefined;
    let preview: CustomerPreview | undefined;
    let connection: SyncConnection | undefined;
    let closed = false;
    let ready = false;
    const isClosed = () => closed;
    this.opened = {
      close: async () => {
        closed = true;
        if (!local) return;
        // Sent before the link closes: joins this till was still waiting for another till to write.
        local.store.writeAwaitedJoins();
        connection?.destroy();
        await local.destroy();
      },
    };
    // The device's snapshot is read while the store's code (Yjs, zod, the store) is fetched: elements that
    // find customers search it until the store is ready. The store then takes the same read.
    const probe = probeDatabase(deviceDatabaseName(storeId, tillId));
    let opened: (local: LocalStore) => void = () => {};
    const whenOpened = new Promise<LocalStore>((resolve) => (opened = resolve));
    // Made once the store's read of the document is under way: restoring it would otherwise hold that read back.
    const snapshot = probe.then((found) => (typeof found === 'string' ? undefined : found.snapshot));
    const reading = whenOpened.then((local) => local.storage.whenReading.then(() => local));
    void Promise.all([snapshot, reading]).then(([value, local]) => {
      preview = closed || ready || value === undefined ? undefined : CustomerPreview.from(value, tillId);
      if (!preview) return;
      this.preview = { storeId, tillId, lookup: preview };
      local.store.adoptRestoredIndex(preview.restored);
    });
    loadChunk(
      'the store',
      () => import('../../store/local-store.js'),
      ({ openLocalStore }) => {
        if (closed) return;
        local = openLocalStore({ storeId, tillId, tillName: this.tillName || undefined, cashier: this.cashier || undefined, probe });
        const { store, storage, whenReady } = local;
        this.handle = { storeId, tillId, store, storage, whenReady, connection: undefined };
        void whenReady.then(() => {
          ready = true;
          // Let go here too: the closures of this open (close among them) would keep it for the store's life.
          preview = undefined;
          if (!closed) this.preview = undefined;
        });
        opened(local);
        this.emit('pos-store-ready', { storeId, tillId });
      },
      isClosed,
    );
    if (!server) return;
    // Connected once the device's customers are loaded: a provider listening during that load would
    // encode the whole stored document as an update to send (~0.8 s at 100k customers), where the sync
    // handshake after it exchanges only what the other side lacks. The sync link (y-websocket) is
    // fetched meanwhile, so a till's first search does not wait for its download.
    const connect = (Connection: typeof SyncConnection, { doc, store, storage, whenReady }: LocalStore): void => {
      if (closed) return;
      connection = new Connection(doc, { serverUrl: server, storeId, tillId, tillName: this.tillName || tillId, ...(token ? { token } : {}) });
      if (this.offline) connection.setOnline(false);
      this.handle = { storeId, tillId, store, storage, whenReady, connection };
      this.emit('pos-store-connected', { storeId, tillId });
    };
    loadChunk(
      'the sync link',
      () => import('../../store/sync-connection.js'),
      ({ SyncConnection }) => void whenOpened.then((loaded) => loaded.whenReady.then(() => connect(SyncConnection, loaded))),
      isClosed,
    );
  }

  private async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    this.openedWith = '';
    this.handle = undefined;
    this.preview = undefined;
    await opened?.close();
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customers': PosCustomers;
  }
}
