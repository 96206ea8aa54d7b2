/**
 * Which live customers hold each email, phone and card barcode. A store normally has one holder per
 * value; two offline tills can make two, which is what duplicate detection reports.
 */
export type UniqueField = 'email' | 'phone' | 'cardBarcode';
export const uniqueFields: UniqueField[] = ['email', 'phone', 'cardBarcode'];

export class UniqueIndex {
  private readonly holders: Record<UniqueField, Map<string, Set<string>>> = {
    email: new Map(),
    phone: new Map(),
    cardBarcode: new Map(),
  };
  private readonly valuesOf = new Map<string, Array<[UniqueField, string]>>();

  put(id: string, values: Record<UniqueField, string>): void {
    this.remove(id);
    const held: Array<[UniqueField, string]> = [];
    for (const field of uniqueFields) {
      const key = UniqueIndex.key(field, values[field]);
      if (!key) continue;
      const set = this.holders[field].get(key) ?? new Set<string>();
      set.add(id);
      this.holders[field].set(key, set);
      held.push([field, key]);
    }
    this.valuesOf.set(id, held);
  }

  remove(id: string): void {
    for (const [field, key] of this.valuesOf.get(id) ?? []) {
      const set = this.holders[field].get(key);
      set?.delete(id);
      if (set && !set.size) this.holders[field].delete(key);
    }
    this.valuesOf.delete(id);
  }

  /** Another live customer than `exceptId` holding `value`, if any. */
  holder(field: UniqueField, value: string, exceptId?: string): string | undefined {
    const key = UniqueIndex.key(field, value);
    if (!key) return undefined;
    for (const id of this.holders[field].get(key) ?? []) if (id !== exceptId) return id;
    return undefined;
  }

  /** Values held by more than one live customer: [field, value, ids]. */
  *conflicts(): Generator<[UniqueField, string, string[]]> {
    for (const field of uniqueFields) {
      for (const [key, ids] of this.holders[field]) if (ids.size > 1) yield [field, key, [...ids]];
    }
  }

  private static key(field: UniqueField, value: string): string {
    const v = value.trim();
    return field === 'email' ? v.toLowerCase() : field === 'cardBarcode' ? v.toUpperCase() : v;
  }
}
