/**
 * Which live customers hold each email, phone and card barcode. A store normally has one holder per
 * value; two offline tills can make two, which is what duplicate detection reports.
 */
export type UniqueField = 'email' | 'phone' | 'cardBarcode';
export const uniqueFields: UniqueField[] = ['email', 'phone', 'cardBarcode'];

/** One holder as its id; a Set only for a value several customers share (a Set per value costs ~30 MB at 100k). */
type Holders = string | Set<string>;

/**
 * Puts are queued, and indexed a slice at a time in the background (`indexSome`) or all at once on the
 * first lookup: a store opening 100k customers answers its first search without hashing 240k values,
 * and its first create, edit, scan or duplicate listing finds them mostly done (all of them take
 * ~0.5 s on a till).
 */
export class UniqueIndex {
  private readonly holders: Record<UniqueField, Map<string, Holders>> = {
    email: new Map(),
    phone: new Map(),
    cardBarcode: new Map(),
  };
  /** Each customer's keys in `uniqueFields` order, '' for a field it leaves empty: what `remove` takes out. */
  private readonly keysOf = new Map<string, string[]>();
  /** Puts not indexed yet, the latest per customer. */
  private readonly queued = new Map<string, Record<UniqueField, string>>();
  /** The keys several customers hold, so listing duplicates does not walk every value. */
  private readonly shared: Record<UniqueField, Set<string>> = { email: new Set(), phone: new Set(), cardBarcode: new Set() };

  put(id: string, values: Record<UniqueField, string>): void {
    this.queued.set(id, values);
  }

  remove(id: string): void {
    this.queued.delete(id);
    this.unindex(id);
  }

  /** Indexes up to `count` queued puts; true while some are left. */
  indexSome(count: number): boolean {
    let left = count;
    for (const [id, values] of this.queued) {
      if (left-- <= 0) return true;
      this.index(id, values);
      this.queued.delete(id);
    }
    return false;
  }

  private indexQueued(): void {
    for (const [id, values] of this.queued) this.index(id, values);
    this.queued.clear();
  }

  private index(id: string, values: Record<UniqueField, string>): void {
    this.unindex(id);
    let keys: string[] | undefined;
    uniqueFields.forEach((field, i) => {
      const key = UniqueIndex.key(field, values[field]);
      if (!key) return;
      keys ??= uniqueFields.map(() => '');
      keys[i] = key;
      const holders = this.holders[field];
      const held = holders.get(key);
      if (held === undefined) holders.set(key, id);
      else if (typeof held === 'string') {
        if (held !== id) {
          holders.set(key, new Set([held, id]));
          this.shared[field].add(key);
        }
      } else held.add(id);
    });
    if (keys) this.keysOf.set(id, keys);
  }

  private unindex(id: string): void {
    const keys = this.keysOf.get(id);
    if (!keys) return;
    uniqueFields.forEach((field, i) => {
      const key = keys[i] as string;
      const held = key ? this.holders[field].get(key) : undefined;
      if (held === undefined) return;
      if (typeof held === 'string') {
        if (held === id) this.holders[field].delete(key);
        return;
      }
      held.delete(id);
      // Back to the single-id form once the value is no longer shared.
      const [only] = held;
      if (held.size === 1 && only !== undefined) {
        this.holders[field].set(key, only);
        this.shared[field].delete(key);
      }
    });
    this.keysOf.delete(id);
  }

  /** Another live customer than `exceptId` holding `value`, if any. */
  holder(field: UniqueField, value: string, exceptId?: string): string | undefined {
    this.indexQueued();
    const key = UniqueIndex.key(field, value);
    const held = key ? this.holders[field].get(key) : undefined;
    if (held === undefined) return undefined;
    if (typeof held === 'string') return held === exceptId ? undefined : held;
    for (const id of held) if (id !== exceptId) return id;
    return undefined;
  }

  /** Every live customer holding `value` (a merge checks the values it moves against customers other than the two). */
  holdersOf(field: UniqueField, value: string): string[] {
    this.indexQueued();
    const key = UniqueIndex.key(field, value);
    const held = key ? this.holders[field].get(key) : undefined;
    return held === undefined ? [] : typeof held === 'string' ? [held] : [...held];
  }

  /** Values held by more than one live customer: [field, value, ids]. */
  *conflicts(): Generator<[UniqueField, string, string[]]> {
    this.indexQueued();
    for (const field of uniqueFields) {
      for (const key of this.shared[field]) {
        const held = this.holders[field].get(key);
        if (typeof held === 'object') yield [field, key, [...held]];
      }
    }
  }

  /** The form two values compare in: an email in lower case, a card barcode in upper case, trimmed. */
  static key(field: UniqueField, value: string): string {
    const v = value.trim();
    return field === 'email' ? v.toLowerCase() : field === 'cardBarcode' ? v.toUpperCase() : v;
  }
}
