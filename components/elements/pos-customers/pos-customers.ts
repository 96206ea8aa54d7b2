import { provide } from '@lit/context';
import { html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { storeContext, type StoreHandle } from '../../controllers/store-context.js';
import { openLocalStore } from '../../store/local-store.js';
import type { SyncConnection } from '../../store/sync-connection.js';
import { PosElement } from '../pos-element.js';

const SYNC_LINK_RETRY_MS = 5_000;

/**
 * @summary Opens a store's customers on this till — saved on the device, synced through the server — and
 * provides them to every pos-… element inside it.
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
    const local = openLocalStore({ storeId: this.store, tillId: this.till, tillName: this.tillName || undefined, cashier: this.cashier || undefined });
    let connection: SyncConnection | undefined;
    let closed = false;
    const base = { storeId: this.store, tillId: this.till, store: local.store, storage: local.storage, whenReady: local.whenReady };
    this.handle = { ...base, connection };
    this.opened = {
      close: async () => {
        closed = true;
        // Sent before the link closes: joins this till was still waiting for another till to write.
        local.store.writeAwaitedJoins();
        connection?.destroy();
        await local.destroy();
      },
    };
    const server = this.server;
    if (server) {
      // Connected once the device's customers are loaded: a provider listening during that load would
      // encode the whole stored document as an update to send (~0.8 s at 100k customers), where the sync
      // handshake after it exchanges only what the other side lacks. The sync link (y-websocket) is
      // fetched meanwhile, so a till's first search does not wait for its download.
      const connect = (Connection: typeof SyncConnection): void => {
        if (closed) return;
        connection = new Connection(local.doc, {
          serverUrl: server,
          storeId: base.storeId,
          tillId: base.tillId,
          tillName: this.tillName || base.tillId,
          ...(this.token ? { token: this.token } : {}),
        });
        if (this.offline) connection.setOnline(false);
        this.handle = { ...base, connection };
        this.emit('pos-store-connected', { storeId: base.storeId, tillId: base.tillId });
      };
      const load = (): void => {
        import('../../store/sync-connection.js').then(
          ({ SyncConnection }) => void local.whenReady.then(() => connect(SyncConnection)),
          (error: unknown) => {
            // The chunk could not be fetched (offline before it was ever cached): the till works on its
            // own and tries again, as a provider would reconnect.
            console.warn('pos-customers: the sync link could not be loaded; trying again', error);
            if (!closed) setTimeout(load, SYNC_LINK_RETRY_MS);
          },
        );
      };
      load();
    }
    this.emit('pos-store-ready', { storeId: this.store, tillId: this.till });
  }

  private async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    this.openedWith = '';
    this.handle = undefined;
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
