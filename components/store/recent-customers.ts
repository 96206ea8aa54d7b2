/** The part of the Web Storage API the list uses, so tests can hand in a broken or full one. */
export type RecentStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface RecentCustomersOptions {
  /** How many ids are kept (default 20). */
  limit?: number;
  /** Where the list is saved; `null` keeps it in memory only. Default: the page's localStorage. */
  storage?: RecentStorage | null;
}

/** The localStorage key of one till's list: a till profile's recents never show up on another. */
export function recentCustomersKey(storeId: string, tillId: string): string {
  return `pos-customers/${storeId}/${tillId}/recent`;
}

/**
 * The page's copy of every list, shared by all instances: it is what is read while localStorage is
 * unusable (missing, blocked by privacy settings, full), and it wins over localStorage for a key whose
 * last save failed, so a cashier never sees an older list than the one they just made.
 */
const memory = new Map<string, { ids: string[]; saved: boolean }>();

function pageStorage(): RecentStorage | null {
  try {
    // Reading `localStorage` itself throws a SecurityError in sandboxed frames and with storage blocked.
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function parseIds(json: string | null): string[] | undefined {
  if (json === null) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The customers most recently chosen on this till, newest first, for the picker's empty search. Ids
 * only: the picker reads each from the store, so an edited customer shows its new name and a deleted
 * one drops out of what is shown (its id stays here and comes back with a restore).
 */
export class RecentCustomers {
  readonly key: string;
  private readonly limit: number;
  private readonly storage: RecentStorage | null;

  constructor(storeId: string, tillId: string, options: RecentCustomersOptions = {}) {
    this.key = recentCustomersKey(storeId, tillId);
    this.limit = options.limit ?? 20;
    this.storage = options.storage === undefined ? pageStorage() : options.storage;
  }

  /** Newest first. Read afresh each time, so pickers in other tabs of this till stay in step. */
  ids(): string[] {
    const remembered = memory.get(this.key);
    if (remembered && !remembered.saved) return [...remembered.ids];
    try {
      const stored = parseIds(this.storage ? this.storage.getItem(this.key) : null);
      // Another app's garbage under our key reads as an empty list rather than breaking the picker.
      if (stored) return stored.slice(0, this.limit);
    } catch {
      // Storage became unusable after the page loaded; fall through to memory.
    }
    return [...(remembered?.ids ?? [])];
  }

  /** Moves a customer to the front, dropping the oldest beyond the limit. */
  add(id: string): void {
    this.save([id, ...this.ids().filter((other) => other !== id)].slice(0, this.limit));
  }

  private save(ids: string[]): void {
    let saved = false;
    try {
      if (this.storage) {
        this.storage.setItem(this.key, JSON.stringify(ids));
        saved = true;
      }
    } catch {
      // Quota exceeded or storage blocked: the memory copy below keeps the list for this page.
    }
    memory.set(this.key, { ids, saved });
  }
}
