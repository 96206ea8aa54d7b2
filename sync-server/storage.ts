/**
 * Durable storage of each store's Yjs updates in LevelDB (classic-level).
 *
 * The key layout is y-leveldb's (`['v1', store, 'update', clock]` holding
 * updates, `['v1_sv', store]` holding `varUint clock, varUint8Array sv`), so a
 * data directory stays readable with y-leveldb's LeveldbPersistence. The write
 * path is our own because y-leveldb swallows write errors (it only logs a
 * warning), and a sync server that relays an update it failed to store
 * loses data the moment it restarts.
 *
 * After any failed write the database handle is closed and reopened before
 * the next write: LevelDB does not poison itself after a failed log append
 * (only after a failed fsync), and its log writer then believes bytes are on
 * disk that are not, which can make records written afterwards unreadable on
 * recovery. Reopening replays the intact part of the log and starts a fresh one.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { Logger } from './log.ts';

type Db = ClassicLevel<Uint8Array, Uint8Array>;

export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

const keyString = 0;
const keyUint32 = 1;
/** y-leveldb's upper bound for update clocks. */
const maxClock = 0xffffffff;

function encodeKey(parts: Array<string | number>): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts) {
    if (typeof part === 'string') {
      encoding.writeUint8(encoder, keyString);
      encoding.writeVarString(encoder, part);
    } else {
      encoding.writeUint8(encoder, keyUint32);
      encoding.writeUint32BigEndian(encoder, part);
    }
  }
  return encoding.toUint8Array(encoder);
}

const updateKey = (store: string, clock: number): Uint8Array => encodeKey(['v1', store, 'update', clock]);
const stateVectorKey = (store: string): Uint8Array => encodeKey(['v1_sv', store]);
/** Outside every y-leveldb key range, so probing never shows up as a document. */
const probeKey = encodeKey(['pos_sync_probe']);
/**
 * Large enough to need fresh blocks on a full disk; a tiny probe can land in
 * the unused tail of an already allocated page and succeed on a disk that
 * has no room for a real update.
 */
const probeValue = new Uint8Array(64 * 1024);

function clockOfUpdateKey(key: Uint8Array): number {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  return view.getUint32(key.byteLength - 4, false);
}

function encodeStateVectorRecord(clock: number, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

export interface StoredRoom {
  updates: Uint8Array[];
  /** Clock of the last stored update, -1 for a store never written. */
  lastClock: number;
}

export interface StorageOptions {
  dir: string;
  /** fsync every write, so an acknowledged update also survives a power cut. */
  fsync: boolean;
  log: Logger;
  /** Called for every write that did not reach the disk. */
  onWriteError: () => void;
  recoveryIntervalMs?: number;
}

export class Storage {
  private db: Db;
  private generation = 0;
  private failure: Error | null = null;
  private recoveryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private lastSizeBytes = 0;

  private constructor(private readonly options: StorageOptions) {
    this.db = this.createDb();
  }

  static async open(options: StorageOptions): Promise<Storage> {
    await mkdir(options.dir, { recursive: true });
    const storage = new Storage(options);
    await storage.db.open();
    // Fail at start, not at the first till's update, if the directory is not writable.
    await storage.probe(storage.db);
    await storage.refreshSize();
    return storage;
  }

  get healthy(): boolean {
    return this.failure === null && !this.closed;
  }

  get lastError(): string | null {
    return this.failure === null ? null : this.failure.message;
  }

  get sizeBytes(): number {
    return this.lastSizeBytes;
  }

  async loadRoom(store: string): Promise<StoredRoom> {
    return this.read(async (db) => {
      const entries = await db.iterator({ gte: updateKey(store, 0), lt: updateKey(store, maxClock) }).all();
      const last = entries.at(-1);
      return {
        updates: entries.map(([, value]) => value),
        lastClock: last === undefined ? -1 : clockOfUpdateKey(last[0]),
      };
    });
  }

  /** Writes `updates` at consecutive clocks from `firstClock`, atomically. */
  async appendUpdates(store: string, firstClock: number, updates: Uint8Array[]): Promise<void> {
    const first = updates[0];
    if (first === undefined) return;
    const operations = updates.map((value, i) => ({ type: 'put' as const, key: updateKey(store, firstClock + i), value }));
    if (firstClock === 0) {
      // y-leveldb lists documents by their state vector record; write it like y-leveldb does.
      operations.push({ type: 'put', key: stateVectorKey(store), value: encodeStateVectorRecord(0, Y.encodeStateVectorFromUpdate(first)) });
    }
    await this.write((db) => db.batch(operations, { sync: this.options.fsync }));
  }

  /**
   * Replaces the updates before `clock` by `merged` (the whole document),
   * written at `clock`. The merged update is stored before the old ones are
   * cleared, so a crash in between leaves duplicates, which Yjs merges, and
   * never a gap.
   */
  async compactRoom(store: string, clock: number, merged: Uint8Array, stateVector: Uint8Array): Promise<void> {
    await this.write(async (db) => {
      await db.batch(
        [
          { type: 'put', key: updateKey(store, clock), value: merged },
          { type: 'put', key: stateVectorKey(store), value: encodeStateVectorRecord(clock, stateVector) },
        ],
        { sync: this.options.fsync },
      );
      await db.clear({ gte: updateKey(store, 0), lt: updateKey(store, clock) });
    });
  }

  /** Size of the data directory, refreshed on demand because stat-ing files is I/O. */
  async refreshSize(): Promise<number> {
    try {
      const names = await readdir(this.options.dir);
      const sizes = await Promise.all(
        names.map((name) =>
          stat(join(this.options.dir, name)).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      this.lastSizeBytes = sizes.reduce((sum, size) => sum + size, 0);
    } catch {
      // Keep the last known size; the data directory itself may be the thing failing.
    }
    return this.lastSizeBytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recoveryTimer !== null) clearTimeout(this.recoveryTimer);
    this.recoveryTimer = null;
    try {
      await this.db.close();
    } catch (err) {
      this.options.log.error('closing storage failed', { err });
    }
  }

  private createDb(): Db {
    return new ClassicLevel<Uint8Array, Uint8Array>(this.options.dir, { keyEncoding: 'view', valueEncoding: 'view' });
  }

  private async probe(db: Db): Promise<void> {
    await db.put(probeKey, probeValue, { sync: true });
    await db.del(probeKey, { sync: true });
  }

  private async read<T>(run: (db: Db) => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageUnavailableError('storage is closed');
    if (this.failure !== null) throw new StorageUnavailableError(`storage unavailable: ${this.failure.message}`);
    try {
      return await run(this.db);
    } catch (err) {
      throw new StorageUnavailableError(`storage read failed: ${(err as Error).message}`, { cause: err });
    }
  }

  private async write(run: (db: Db) => Promise<void>): Promise<void> {
    if (this.closed) {
      this.options.onWriteError();
      throw new StorageUnavailableError('storage is closed');
    }
    if (this.failure !== null) {
      this.options.onWriteError();
      throw new StorageUnavailableError(`storage unavailable: ${this.failure.message}`);
    }
    const generation = this.generation;
    try {
      await run(this.db);
    } catch (err) {
      this.options.onWriteError();
      // A write that was already in flight on a handle we replaced says nothing about the new one.
      if (generation === this.generation && this.failure === null) this.fail(err as Error);
      throw new StorageUnavailableError(`storage write failed: ${(err as Error).message}`, { cause: err });
    }
  }

  private fail(err: Error): void {
    this.failure = err;
    this.options.log.error('storage write failed; refusing writes until storage recovers', { err, dir: this.options.dir });
    this.scheduleRecovery();
  }

  private scheduleRecovery(): void {
    if (this.recoveryTimer !== null || this.closed) return;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = null;
      void this.recover();
    }, this.options.recoveryIntervalMs ?? 1000);
  }

  private async recover(): Promise<void> {
    if (this.closed) return;
    this.generation++;
    try {
      await this.db.close();
    } catch {
      // The old handle is being discarded either way.
    }
    const db = this.createDb();
    try {
      await db.open();
      await this.probe(db);
    } catch (err) {
      try {
        await db.close();
      } catch {
        // Nothing more to release.
      }
      this.options.log.warn('storage still failing', { err, dir: this.options.dir });
      this.scheduleRecovery();
      return;
    }
    if (this.closed) {
      await db.close();
      return;
    }
    this.db = db;
    this.failure = null;
    this.options.log.info('storage recovered', { dir: this.options.dir });
  }
}
