import type { CustomerLookup, CustomerSummary, SummaryRead } from './customer-lookup.js';
import { readOpenSnapshot, type OpenSnapshot } from './open-snapshot.js';
import type { InvalidRecord } from './record-views.js';
import { SearchIndex, type RestoredIndex, type SearchableCustomer, type SearchResult } from './search-index.js';
import { UniqueIndex } from './unique-index.js';

/**
 * A till's customers as its open snapshot (open-snapshot.ts) saw them, searchable before Yjs, zod and the
 * store's code have arrived and the document is loaded. It may lack the last changes the snapshot was not
 * saved with; an element shows it only until the store is ready, and chooses customers from the store.
 */
export class CustomerPreview implements CustomerLookup {
  private readonly index = new SearchIndex();
  private readonly groupIds = new Map<string, string | null>();
  private readonly groupNames: ReadonlyMap<string, string>;
  private readonly mergedInto: ReadonlyMap<string, string | null>;
  private readonly invalid: ReadonlyMap<string, InvalidRecord>;
  private readonly defaultCustomerId: string | null;
  private barcodes: Map<string, string> | undefined;
  /** The index restored from the snapshot, for the store opening from the same snapshot to take over (see CustomerStore.adoptRestoredIndex). */
  readonly restored: RestoredIndex;

  /** The preview of a snapshot read from the device, if it is one this code can use. */
  static from(value: unknown, tillId: string): CustomerPreview | undefined {
    const snapshot = readOpenSnapshot(value, tillId);
    if (!snapshot) return undefined;
    try {
      return new CustomerPreview(snapshot);
    } catch (error) {
      // The store finds the same snapshot unusable and indexes the document instead.
      console.warn('pos-customers: the saved search snapshot is unusable for a preview', error);
      return undefined;
    }
  }

  private constructor(snapshot: OpenSnapshot) {
    const customers = this.index.restore(snapshot.index);
    customers.forEach((customer, slot) => customer && this.groupIds.set(customer.id, snapshot.groupIds[slot] ?? null));
    this.restored = { from: snapshot.index, index: this.index, customers };
    this.groupNames = new Map(snapshot.groupNames);
    this.mergedInto = new Map(snapshot.deletedHere);
    this.invalid = new Map(snapshot.invalid.map((record) => [record.id, record]));
    this.defaultCustomerId = snapshot.defaultCustomerId;
  }

  get liveCount(): number {
    return this.index.size;
  }

  search(query: string, limit = 50): SearchResult {
    return this.index.search(query, limit);
  }

  read(id: string): SummaryRead | undefined {
    const invalid = this.invalid.get(id);
    if (invalid) return { ok: false, ...invalid };
    const customer = this.summary(id);
    return customer && { ok: true, customer };
  }

  group(id: string): { name: string } | undefined {
    const name = this.groupNames.get(id);
    return name === undefined ? undefined : { name };
  }

  settings(): { defaultCustomerId: string | null } {
    return { defaultCustomerId: this.defaultCustomerId };
  }

  defaultCustomer(): CustomerSummary | undefined {
    return this.defaultCustomerId ? this.summary(this.resolveCustomerId(this.defaultCustomerId)) : undefined;
  }

  /** Follows only the merges made on this till: the snapshot keeps no other deleted customer. */
  resolveCustomerId(id: string): string {
    const seen = new Set([id]);
    let current = id;
    for (let next = this.mergedInto.get(current); next && !seen.has(next); next = this.mergedInto.get(current)) {
      seen.add(next);
      current = next;
    }
    return current;
  }

  findByBarcode(barcode: string): CustomerSummary | undefined {
    if (!barcode.trim()) return undefined;
    if (!this.barcodes) {
      this.barcodes = new Map();
      for (const id of this.groupIds.keys()) {
        const code = this.index.get(id)?.cardBarcode;
        if (code) this.barcodes.set(UniqueIndex.key('cardBarcode', code), id);
      }
    }
    const id = this.barcodes.get(UniqueIndex.key('cardBarcode', barcode));
    return id === undefined ? undefined : this.summary(id);
  }

  invalidRecords(): InvalidRecord[] {
    return [...this.invalid.values()];
  }

  private summary(id: string): CustomerSummary | undefined {
    const indexed: SearchableCustomer | undefined = this.index.get(id);
    if (!indexed) return undefined;
    const { firstName, lastName, email, phone } = indexed;
    return { id, firstName, lastName, email, phone, groupId: this.groupIds.get(id) ?? null, deleted: false };
  }
}
