/**
 * One store's shared document: its Yjs doc, the awareness of its tills, and
 * the single write queue through which every update reaches disk.
 *
 * Invariant: an update is stored before it is applied to the in-memory doc,
 * and only the in-memory doc is ever relayed or served in a sync step. So
 * anything a till has received from the server is on disk, whatever happens
 * to the process afterwards.
 */
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { CloseReason } from './close-reasons.js';
import type { Logger } from './log.js';
import type { ServerMetrics } from './metrics.js';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, isEmptyUpdate } from './protocol.js';
import type { Storage } from './storage.js';

/** What a room needs from a connected till. */
export interface Peer {
  readonly id: number;
  send(message: Uint8Array): void;
  close(reason: CloseReason, detail?: string): void;
}

export interface RoomOptions {
  storage: Storage;
  metrics: ServerMetrics;
  log: Logger;
  /** Rewrite the stored updates as one after this many incremental ones. */
  compactAfter: number;
}

interface PendingUpdate {
  peer: Peer;
  update: Uint8Array;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Bounds one storage batch, so one huge backlog does not become one huge write. */
const maxBatchBytes = 16 * 1024 * 1024;
const maxBatchUpdates = 1000;

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  readonly loaded: Promise<void>;
  /** Awareness client ids each peer announced, to clear them when it leaves. */
  private readonly peers = new Map<Peer, Set<number>>();
  private readonly log: Logger;
  private queue: PendingUpdate[] = [];
  private pumping = false;
  private idleWaiters: Array<() => void> = [];
  private nextClock = 0;
  private updatesSinceCompaction = 0;
  private compactionRequested = false;
  /** Peers whose update could not be stored: their later updates must not overtake it. */
  private readonly refusedPeers = new WeakSet<Peer>();
  private echoToOrigin = false;
  private disposed = false;

  constructor(
    readonly store: string,
    private readonly options: RoomOptions,
  ) {
    this.log = options.log.child({ store });
    this.awareness = new Awareness(this.doc);
    // The server is not a participant; it must not announce an awareness state of its own.
    this.awareness.setLocalState(null);
    this.loaded = this.load();
    // Callers observe load failures through `loaded`; this only silences the unobserved copy.
    this.loaded.catch(() => {});
  }

  get peerCount(): number {
    return this.peers.size;
  }

  addPeer(peer: Peer): void {
    if (!this.peers.has(peer)) this.peers.set(peer, new Set());
  }

  removePeer(peer: Peer): void {
    const clientIds = this.peers.get(peer);
    if (clientIds === undefined) return;
    this.peers.delete(peer);
    if (clientIds.size > 0 && !this.disposed) removeAwarenessStates(this.awareness, [...clientIds], 'peer left');
  }

  /** The server's half of the handshake: ask the till for what the server lacks. */
  greet(peer: Peer): void {
    peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    this.sendAwareness(peer);
  }

  /** Only the difference to the till's state vector: a reconnecting till gets what it lacks. */
  answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    peer.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)));
  }

  submitUpdate(peer: Peer, update: Uint8Array): void {
    this.options.metrics.updatesReceived.inc();
    if (isEmptyUpdate(update)) return;
    this.queue.push({ peer, update });
    void this.pump();
  }

  applyAwareness(peer: Peer, update: Uint8Array): void {
    try {
      applyAwarenessUpdate(this.awareness, update, peer);
    } catch (err) {
      this.log.warn('awareness update could not be applied', { err, conn: peer.id });
      peer.close('malformed', 'awareness update could not be applied');
    }
  }

  sendAwareness(peer: Peer): void {
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length === 0) return;
    peer.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, clients)));
  }

  /** Resolves once every update received so far has been stored (or refused). */
  idle(): Promise<void> {
    if (!this.pumping && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stores what is pending, compacts, and frees the document. */
  async close(): Promise<void> {
    try {
      await this.loaded;
    } catch {
      this.dispose();
      return;
    }
    await this.idle();
    if ((this.updatesSinceCompaction > 0 || this.compactionRequested) && this.options.storage.healthy) {
      // Makes the next load of this store a single read instead of a replay.
      await this.compact();
    }
    this.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private async load(): Promise<void> {
    const started = performance.now();
    const stored = await this.options.storage.loadRoom(this.store);
    let bytes = 0;
    this.doc.transact(() => {
      for (const update of stored.updates) {
        bytes += update.length;
        try {
          Y.applyUpdate(this.doc, update);
        } catch (err) {
          // Validated before it was stored, so this is a Yjs bug; keep the rest of the store usable.
          this.log.error('stored update could not be applied; skipping it', { err });
        }
      }
    });
    this.nextClock = stored.lastClock + 1;
    // The first stored update is normally the last compaction.
    this.updatesSinceCompaction = Math.max(0, stored.updates.length - 1);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.options.metrics.roomsLoaded.inc();
    this.log.info('room loaded', { updates: stored.updates.length, bytes, ms: Math.round(performance.now() - started) });
    if (this.updatesSinceCompaction >= this.options.compactAfter) {
      this.compactionRequested = true;
      void this.pump();
    }
  }

  /**
   * The only writer of this store. Updates are stored in arrival order, in
   * batches (one disk write, and with fsync one flush, for whatever queued up
   * meanwhile), and applied only after their batch is on disk.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      await this.loaded;
      for (;;) {
        if (this.queue.length > 0) {
          await this.storeBatch(this.takeBatch());
          if (this.updatesSinceCompaction >= this.options.compactAfter) this.compactionRequested = true;
        } else if (this.compactionRequested) {
          this.compactionRequested = false;
          await this.compact();
        } else {
          break;
        }
      }
    } catch (err) {
      this.log.error('room write loop failed', { err });
      for (const { peer } of this.queue) peer.close('internal_error');
      this.queue = [];
    } finally {
      this.pumping = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private takeBatch(): PendingUpdate[] {
    const batch: PendingUpdate[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && batch.length < maxBatchUpdates) {
      const next = this.queue[0];
      if (next === undefined) break;
      if (this.refusedPeers.has(next.peer)) {
        this.queue.shift();
        continue;
      }
      if (batch.length > 0 && bytes + next.update.length > maxBatchBytes) break;
      this.queue.shift();
      batch.push(next);
      bytes += next.update.length;
    }
    return batch;
  }

  private async storeBatch(batch: PendingUpdate[]): Promise<void> {
    if (batch.length === 0) return;
    const firstClock = this.nextClock;
    // Clocks are never reused, not even after a failed write: that write may
    // still have reached the disk, and must not be overwritten by a later one.
    this.nextClock += batch.length;
    try {
      await this.options.storage.appendUpdates(
        this.store,
        firstClock,
        batch.map((item) => item.update),
      );
    } catch (err) {
      this.refuse(batch, err);
      return;
    }
    this.options.metrics.updatesPersisted.inc(undefined, batch.length);
    this.updatesSinceCompaction += batch.length;
    for (const item of batch) this.apply(item);
  }

  /**
   * Not stored means not applied and not relayed. Closing the senders makes
   * their providers reconnect; the sync handshake then resends the update.
   */
  private refuse(batch: PendingUpdate[], err: unknown): void {
    this.options.metrics.updatesRejected.inc({ reason: 'storage_unavailable' }, batch.length);
    const peers = new Set(batch.map((item) => item.peer));
    this.log.warn('updates not stored; closing their connections', {
      err,
      updates: batch.length,
      conns: [...peers].map((peer) => peer.id),
    });
    for (const peer of peers) {
      this.refusedPeers.add(peer);
      peer.close('storage_unavailable');
    }
  }

  private apply(item: PendingUpdate): void {
    const store = this.doc.store;
    // Normally the sender already has everything its update produces. Not so if
    // the update completed structs that were waiting for it: then the emitted
    // update also holds other tills' changes, which the sender may lack.
    this.echoToOrigin = store.pendingStructs !== null || store.pendingDs !== null;
    try {
      Y.applyUpdate(this.doc, item.update, item.peer);
    } catch (err) {
      this.options.metrics.updatesRejected.inc({ reason: 'apply_failed' });
      this.log.error('Yjs could not apply a stored update; closing its sender', { err, conn: item.peer.id });
      item.peer.close('malformed', 'update could not be applied');
      // Make the stored form equal to what the document actually holds.
      this.compactionRequested = true;
    } finally {
      this.echoToOrigin = false;
    }
  }

  private async compact(): Promise<void> {
    const clock = this.nextClock++;
    const started = performance.now();
    const merged = Y.encodeStateAsUpdate(this.doc);
    const stateVector = Y.encodeStateVector(this.doc);
    const replaced = this.updatesSinceCompaction;
    try {
      await this.options.storage.compactRoom(this.store, clock, merged, stateVector);
    } catch (err) {
      // The incremental updates are still stored; nothing is lost, the store only stays larger.
      this.log.warn('compaction failed', { err });
      return;
    }
    this.updatesSinceCompaction = 0;
    this.options.metrics.compactions.inc();
    this.log.debug('room compacted', { replaced, bytes: merged.length, ms: Math.round(performance.now() - started) });
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const message = encodeSyncUpdate(update);
    for (const peer of this.peers.keys()) {
      if (peer === origin && !this.echoToOrigin) continue;
      peer.send(message);
    }
  };

  private readonly onAwarenessUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    const sender = this.peers.has(origin as Peer) ? (origin as Peer) : null;
    if (sender !== null) {
      const owned = this.peers.get(sender);
      for (const id of added) owned?.add(id);
      for (const id of removed) owned?.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    const message = encodeAwareness(encodeAwarenessUpdate(this.awareness, changed));
    for (const peer of this.peers.keys()) {
      if (peer !== sender) peer.send(message);
    }
  };
}
