import * as Y from 'yjs';

/**
 * Layout 2 keeps each customer in the `customers` map as one JSON string: Yjs decodes one string per
 * record instead of a nested object's ~35 keys and values, a fraction of the decode time at 100k customers
 * (bench/RESULTS.md). Layout-1 values (plain objects) that an older till or another app writes are still
 * read as they are, and become strings the next time this store writes them.
 */
export function encodeCustomer(record: object): string {
  return JSON.stringify(record).replace(NON_ASCII, escapeChar);
}

/**
 * Written as ASCII (other characters as `\uXXXX` escapes): a decoded string with one accented letter is
 * stored two bytes a character, so plain ASCII keeps the document's 100k strings at half the heap.
 */
const NON_ASCII = /[\u007f-\uffff]/g;
const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A stored value as a record object; a string that is not JSON comes back as is, to be reported invalid. */
export function decodeCustomer(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Decoded records kept for reads: enough for a screen of rows and the customers being edited. */
const CACHE_SIZE = 2_000;

/**
 * The `customers` map read and written as record objects. Keeping every decoded record would double the
 * heap at 100k customers (the string and its object), so only recently read ones are kept, keyed by the
 * stored value they came from so another till's write is never served stale.
 */
export class StoredCustomers {
  private readonly cache = new Map<string, { stored: unknown; record: unknown }>();

  constructor(private readonly map: Y.Map<unknown>) {}

  get(id: string): unknown {
    const stored = this.map.get(id);
    if (stored === undefined) return undefined;
    const hit = this.cache.get(id);
    if (hit && hit.stored === stored) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit.record;
    }
    const record = decodeCustomer(stored);
    this.remember(id, stored, record);
    return record;
  }

  /**
   * A record a write just changed, decoded once: kept only when its previous value was (a row on screen, a
   * customer being edited), so another till's update of a thousand records does not push those out.
   */
  reread(id: string): unknown {
    return this.cache.has(id) ? this.get(id) : this.peek(id);
  }

  /** A record decoded without keeping it (one of many read once, as in a bulk load). */
  peek(id: string): unknown {
    return decodeCustomer(this.map.get(id));
  }

  /**
   * Whether the stored value was written by a till that held `previous` as this customer's value: its
   * Yjs item went right after the one holding `previous`, with nothing concurrent between. A store
   * writes a record built from the one it holds, so such a value already carries every field stamp of
   * `previous` and no join can be due; only a write made without seeing `previous` needs one.
   */
  writtenOver(id: string, previous: unknown): boolean {
    // `_map` is Yjs's own key → item table (as in open-snapshot.ts): Y.Map offers no other way to see what a write saw.
    const item = this.map._map.get(id);
    const left = item?.left;
    if (!item?.origin || !left || !Y.compareIDs(item.origin, left.lastId)) return false;
    return left.content instanceof Y.ContentAny && left.content.getContent()[0] === previous;
  }

  /** A record encoded ahead of its write (`encodeCustomer`): an import builds its records in slices and writes them at once. */
  setEncoded(id: string, encoded: string): void {
    this.map.set(id, encoded);
  }

  set(id: string, record: object): void {
    // Not cached: the next read decodes what other tills will decode, not the object passed in.
    this.map.set(id, encodeCustomer(record));
  }

  /** Every record once, decoded without filling the cache (a store opening reads them all). */
  forEach(fn: (record: unknown, id: string) => void): void {
    this.map.forEach((stored, id) => fn(decodeCustomer(stored), id));
  }

  private remember(id: string, stored: unknown, record: unknown): void {
    this.cache.delete(id);
    this.cache.set(id, { stored, record });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }
}
