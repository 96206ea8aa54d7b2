import type * as Y from 'yjs';
import type { InvalidRecord } from './record-views.js';
import type { SearchIndexSnapshot } from './search-index.js';

/**
 * Bumped whenever what a snapshot holds, or how the search index tokenises a customer, changes: a
 * snapshot of another format is ignored and the store indexes the document as it would without one.
 */
export const SNAPSHOT_FORMAT = 5;

/**
 * What a store derives from its customers — search index, list fields, validation outcome — saved on the
 * device beside the document. Reopening 100k customers then decodes none of them: a value whose Yjs item
 * id is the one the snapshot recorded for its key is the value the snapshot was made from (an item's
 * content never changes; any write to a key makes a new item), so only keys whose item differs are
 * decoded and indexed again. A stale snapshot therefore costs time, never correctness.
 */
export interface OpenSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** Which till's deletions `deletedHere` lists: one device database belongs to one till. */
  tillId: string;
  /** The live customers. */
  index: SearchIndexSnapshot;
  /** The item id (client, clock) of each live customer's value when the snapshot was taken, per index slot. */
  clients: Float64Array;
  clocks: Float64Array;
  /** The other keys of `customers` (deleted, invalid), with the item ids of their values. */
  otherKeys: string[];
  otherClients: Float64Array;
  otherClocks: Float64Array;
  /** Per index slot: what lists filter and sort by. */
  groupIds: Array<string | null>;
  createdAt: Float64Array;
  updatedAt: Float64Array;
  invalid: InvalidRecord[];
  /** Customers whose deletion was made on this till, with the customer a merge moved them into. */
  deletedHere: Array<[string, string | null]>;
  /** What a picker shows before the document is loaded (see customer-preview.ts): live groups' names by id, and the walk-in customer. */
  groupNames: Array<[string, string]>;
  defaultCustomerId: string | null;
}

/** The Yjs item holding a key's current value, as a comparable id; undefined for a key without a value. */
export function valueItemId(map: Y.Map<unknown>, key: string): { client: number; clock: number } | undefined {
  // `_map` is Yjs's own key → item table; Y.Map offers no other way to see which write a value came from.
  const item = map._map.get(key);
  return item && !item.deleted ? item.id : undefined;
}

/** Snapshots already found usable, with their till: the preview and the store read the same one as a till opens. */
const checked = new WeakMap<object, string>();

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * The snapshot read back from the device, if it is one this code can use. Checked by hand, not with zod:
 * it is this till's own cache, not shared data, and a schema walk over its million entries would cost
 * much of what it saves. What is checked here is what would otherwise throw while restoring it; a
 * snapshot that fails there is dropped too.
 */
export function readOpenSnapshot(value: unknown, tillId: string): OpenSnapshot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (checked.get(value) === tillId) return value as OpenSnapshot;
  const s = value as Partial<Record<keyof OpenSnapshot, unknown>>;
  if (s.format !== SNAPSHOT_FORMAT || s.tillId !== tillId || !isStringArray(s.otherKeys)) return undefined;
  const others = s.otherKeys.length;
  if (![s.otherClients, s.otherClocks].every((a) => a instanceof Float64Array && a.length === others)) return undefined;
  const index = s.index as Partial<Record<keyof SearchIndexSnapshot, unknown>> | undefined;
  if (typeof index !== 'object' || index === null || !isStringArray(index.ids) || !isStringArray(index.names)) return undefined;
  const slots = index.ids.length;
  if (![s.clients, s.clocks].every((a) => a instanceof Float64Array && a.length === slots)) return undefined;
  if (![index.emails, index.phones, index.barcodes].every((a) => isStringArray(a) && a.length === slots)) return undefined;
  if (![index.firstName, index.lastName, index.sortKey].every((a) => a instanceof Uint32Array && a.length === slots)) return undefined;
  if (!isStringArray(index.nameWords) || !(index.nameWordUses instanceof Uint32Array) || !Array.isArray(index.buckets)) return undefined;
  if (!(index.byName === null || index.byName instanceof Int32Array)) return undefined;
  const bucketsOk = index.buckets.every(
    (b: Record<string, unknown>) =>
      typeof b === 'object' &&
      b !== null &&
      typeof b.key === 'number' &&
      isStringArray(b.tokens) &&
      b.tokenOf instanceof Uint32Array &&
      b.slots instanceof Int32Array &&
      b.tokenOf.every((t) => t < (b.tokens as string[]).length),
  );
  if (!bucketsOk) return undefined;
  if (!Array.isArray(s.groupIds) || s.groupIds.length !== slots || !s.groupIds.every((g) => g === null || typeof g === 'string')) return undefined;
  if (![s.createdAt, s.updatedAt].every((a) => a instanceof Float64Array && a.length === slots)) return undefined;
  const invalidOk = Array.isArray(s.invalid) && s.invalid.every((r: InvalidRecord) => typeof r?.id === 'string' && isStringArray(r.problems));
  const deletedOk =
    Array.isArray(s.deletedHere) && s.deletedHere.every((d) => Array.isArray(d) && typeof d[0] === 'string' && (d[1] === null || typeof d[1] === 'string'));
  const groupsOk = Array.isArray(s.groupNames) && s.groupNames.every((g) => Array.isArray(g) && isStringArray(g) && g.length === 2);
  const defaultOk = s.defaultCustomerId === null || typeof s.defaultCustomerId === 'string';
  if (!(invalidOk && deletedOk && groupsOk && defaultOk)) return undefined;
  checked.set(value, tillId);
  return value as OpenSnapshot;
}
