/**
 * The rooms currently in memory, one per store with connected tills, and
 * their unloading once the last till has been gone for a grace period (a till
 * that reconnects within it finds the document still loaded).
 */
import type { Logger } from './log.js';
import type { ServerMetrics } from './metrics.js';
import { Room, type Peer, type RoomOptions } from './room.js';

interface Entry {
  room: Room;
  unloadTimer: NodeJS.Timeout | null;
  unloading: Promise<void> | null;
}

export interface RoomsOptions extends RoomOptions {
  graceMs: number;
}

export class Rooms {
  private readonly entries = new Map<string, Entry>();
  private readonly log: Logger;
  private readonly metrics: ServerMetrics;

  constructor(private readonly options: RoomsOptions) {
    this.log = options.log;
    this.metrics = options.metrics;
  }

  get count(): number {
    return this.entries.size;
  }

  /**
   * Adds `peer` to the store's room, loading it if needed. The peer is added
   * before the load finishes, so it cannot miss an update relayed between the
   * end of the load and its own first sync step.
   */
  async join(store: string, peer: Peer): Promise<Room> {
    for (;;) {
      const existing = this.entries.get(store);
      if (existing?.unloading) {
        // A store being unloaded is stored first and then loaded afresh.
        await existing.unloading;
        continue;
      }
      const entry = existing ?? this.create(store);
      if (entry.unloadTimer !== null) {
        clearTimeout(entry.unloadTimer);
        entry.unloadTimer = null;
      }
      entry.room.addPeer(peer);
      try {
        await entry.room.loaded;
      } catch (err) {
        entry.room.removePeer(peer);
        if (this.entries.get(store) === entry) {
          this.entries.delete(store);
          entry.room.dispose();
        }
        throw err;
      }
      return entry.room;
    }
  }

  leave(room: Room, peer: Peer): void {
    room.removePeer(peer);
    const entry = this.entries.get(room.store);
    if (entry === undefined || entry.room !== room || entry.unloading !== null) return;
    if (room.peerCount === 0 && entry.unloadTimer === null) {
      entry.unloadTimer = setTimeout(() => this.unload(room.store, entry), this.options.graceMs);
    }
  }

  /** Stores and frees every room; used on shutdown, after all peers were told to go. */
  async closeAll(): Promise<void> {
    const pending: Array<Promise<void>> = [];
    for (const [store, entry] of this.entries) {
      if (entry.unloadTimer !== null) clearTimeout(entry.unloadTimer);
      entry.unloadTimer = null;
      pending.push(entry.unloading ?? this.unload(store, entry));
    }
    await Promise.all(pending);
  }

  private create(store: string): Entry {
    const entry: Entry = { room: new Room(store, this.options), unloadTimer: null, unloading: null };
    this.entries.set(store, entry);
    return entry;
  }

  private unload(store: string, entry: Entry): Promise<void> {
    entry.unloadTimer = null;
    entry.unloading = entry.room
      .close()
      .catch((err: unknown) => this.log.error('unloading room failed', { store, err }))
      .finally(() => {
        if (this.entries.get(store) === entry) this.entries.delete(store);
        this.metrics.roomsUnloaded.inc();
        this.log.info('room unloaded', { store });
      });
    return entry.unloading;
  }
}
