import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

/** Another till in the room, from awareness. */
export interface PeerTill {
  clientId: number;
  tillId: string;
  tillName: string;
  /** The customer that till has open in a form, if any. */
  editing: string | null;
}

export interface ConnectionStatus {
  state: 'offline' | 'connecting' | 'online' | 'refused';
  /** True once the first exchange with the server after (re)connecting completed. */
  synced: boolean;
  /** Changes made on this till that have not been sent to the server yet. */
  pendingChanges: number;
  peers: PeerTill[];
  /** Why the server refused us (auth), when `state` is 'refused'. */
  refusedReason?: string;
}

export interface SyncConnectionOptions {
  serverUrl: string;
  storeId: string;
  tillId: string;
  tillName?: string;
  token?: string;
  /** For Node: the `ws` package's WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
}

/**
 * The till's link to the sync server: the stock y-websocket provider, plus what a cashier needs to
 * see — online/offline, whether local changes are still waiting, which other tills are in the store.
 * Cross-tab BroadcastChannel is off so every till (even two on one demo page) syncs only through the
 * server, and taking a till offline really takes it offline.
 */
export class SyncConnection {
  readonly provider: WebsocketProvider;
  status: ConnectionStatus = { state: 'connecting', synced: false, pendingChanges: 0, peers: [] };
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();
  /** Forms open on a customer, oldest first (see openEditing). */
  private readonly editingClaims: Array<{ customerId: string }> = [];
  private destroyed = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly options: SyncConnectionOptions,
  ) {
    this.provider = new WebsocketProvider(options.serverUrl, options.storeId, doc, {
      params: options.token ? { token: options.token } : {},
      disableBc: true,
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    });
    this.provider.awareness.setLocalStateField('till', { id: options.tillId, name: options.tillName ?? options.tillId });
    this.provider.on('status', this.onProviderStatus);
    this.provider.on('sync', this.onSync);
    this.provider.on('closed', this.onClosed);
    this.provider.awareness.on('change', this.onAwareness);
    doc.on('update', this.onUpdate);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells other tills which customer this till has open (null when none). */
  setEditing(customerId: string | null): void {
    if (this.destroyed) return;
    // Awareness broadcasts every set, even of the same value; the tills' presence badges need only changes.
    const published: unknown = this.provider.awareness.getLocalState()?.['editing'];
    if ((published ?? null) === customerId) return;
    this.provider.awareness.setLocalStateField('editing', customerId);
  }

  /**
   * Publishes `customerId` as open on this till until the returned function is called. A till can hold
   * several forms at once (a back-office form and the picker's, say), and one closing must not hide the
   * other, so each form holds a claim and the most recent open one is what other tills see.
   */
  openEditing(customerId: string): () => void {
    const claim = { customerId };
    this.editingClaims.push(claim);
    this.publishEditing();
    return () => {
      const at = this.editingClaims.indexOf(claim);
      if (at < 0) return;
      this.editingClaims.splice(at, 1);
      this.publishEditing();
    };
  }

  /** The cashier's (or the demo's) offline switch. */
  setOnline(online: boolean): void {
    if (online) {
      this.update({ state: 'connecting' });
      this.provider.connect();
    } else {
      this.provider.disconnect();
      this.update({ state: 'offline', synced: false, peers: [] });
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.doc.off('update', this.onUpdate);
    this.provider.awareness.off('change', this.onAwareness);
    this.provider.destroy();
    this.listeners.clear();
  }

  /**
   * The provider drops the other tills' presence when the connection closes, but awareness keeps each one's
   * last clock, and on reconnect the server replays their states with those same clocks: ignored as not
   * newer, the other tills would stay unseen until each renews its state (every 15 s). Forgotten here,
   * they are seen as soon as the server replays them.
   */
  private forgetPeers(): void {
    const { awareness } = this.provider;
    for (const clientId of [...awareness.meta.keys()]) if (clientId !== this.doc.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId);
  }

  private publishEditing(): void {
    this.setEditing(this.editingClaims.at(-1)?.customerId ?? null);
  }

  private readonly onProviderStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
    if (status === 'disconnected') this.forgetPeers();
    if (this.status.state === 'refused' || (this.status.state === 'offline' && !this.provider.shouldConnect)) return;
    this.update({
      state: status === 'connected' ? 'online' : status === 'connecting' ? 'connecting' : 'offline',
      synced: status === 'connected' && this.provider.synced,
    });
  };

  private readonly onSync = (synced: boolean): void => {
    // The provider answers the server's state vector before the server's answer to ours arrives, so
    // once synced every change made here has been sent.
    this.update(synced ? { synced, pendingChanges: 0 } : { synced });
  };

  private readonly onClosed = ({ code, reason }: { code: number; reason: string }): void => {
    this.update({ state: 'refused', synced: false, refusedReason: reason || `closed with code ${code}` });
  };

  private readonly onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider) return;
    if (!(this.provider.wsconnected && this.provider.synced)) this.update({ pendingChanges: this.status.pendingChanges + 1 });
  };

  private readonly onAwareness = (): void => {
    const peers: PeerTill[] = [];
    this.provider.awareness.getStates().forEach((state, clientId) => {
      if (clientId === this.doc.clientID) return;
      const till = state.till as { id?: unknown; name?: unknown } | undefined;
      if (!till || typeof till.id !== 'string') return;
      peers.push({
        clientId,
        tillId: till.id,
        tillName: typeof till.name === 'string' ? till.name : till.id,
        editing: typeof state.editing === 'string' ? state.editing : null,
      });
    });
    // This till's own awareness changes (the customer its form has open) change no peer: every element
    // listening would re-render for nothing.
    if (samePeers(peers, this.status.peers)) return;
    this.update({ peers });
  };

  private update(patch: Partial<ConnectionStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener(this.status);
  }
}

function samePeers(a: readonly PeerTill[], b: readonly PeerTill[]): boolean {
  return (
    a.length === b.length &&
    a.every((peer, i) => {
      const other = b[i];
      return (
        other !== undefined &&
        peer.clientId === other.clientId &&
        peer.tillId === other.tillId &&
        peer.tillName === other.tillName &&
        peer.editing === other.editing
      );
    })
  );
}
