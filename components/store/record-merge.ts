import { equalityDeep } from 'lib0/function';

/**
 * Field-level merge of plain records kept as single values in a Y.Map (see README.md in this folder, "Merge").
 * Yjs resolves two concurrent writes of one key by keeping one whole value. Every field carries a
 * hybrid-clock stamp, so the till whose value lost can compute the join — per field, the newer stamp —
 * and write it back. The join is commutative, associative and idempotent, so every till that does this
 * writes the same value and the store converges without anything typed being lost.
 */

/** A record as stored: any fields plus its creation stamp and per-field stamps. */
export interface ClockedRecord {
  clock: number;
  clocks: Record<string, number>;
  [field: string]: unknown;
}

/** Fields fixed at creation: they never merge. */
const FIXED = new Set(['v', 'id', 'clock', 'clocks', 'createdAt', 'createdBy']);
/** Fields written by every change, so they say nothing about what data changed. */
const BOOKKEEPING = new Set(['updatedAt', 'updatedBy', 'deletedAt', 'deletedBy']);
/** Object-valued fields whose entries merge one by one (stamp key `addresses.<id>`). */
const ENTRY_MAPS = new Set(['addresses']);

export function stampOf(record: ClockedRecord, path: string): number {
  return record.clocks[path] ?? record.clock;
}

export function isClockedRecord(value: unknown): value is ClockedRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  return typeof r.clock === 'number' && typeof r.clocks === 'object' && r.clocks !== null;
}

/** Deterministic tie-break for equal stamps, so every till picks the same value. */
function prefer(a: unknown, b: unknown): boolean {
  // Values spelled alike (most fields and addresses of two versions of one record) need no spelling out.
  if (sameSpelling(a, b)) return true;
  return JSON.stringify(a ?? null) >= JSON.stringify(b ?? null);
}

/** True only when both values would be written as the same JSON: equal primitives, objects alike key by key in one order. */
function sameSpelling(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== other[i] || !sameSpelling(a[key], b[key])) return false;
  }
  return true;
}

/**
 * Which record's fixed fields the join keeps. Two versions of one record share their creation stamp and
 * fixed fields, so which one is the base changes nothing and the records need not be spelled out whole
 * to break the tie; only records that differ there (written by something else) are.
 */
function baseOf<T extends ClockedRecord>(a: T, b: T): T {
  if (a.clock !== b.clock) return a.clock < b.clock ? a : b;
  for (const key of FIXED) if (key !== 'clocks' && a[key] !== b[key]) return prefer(a, b) ? a : b;
  return a;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function joinRecords<T extends ClockedRecord>(a: T, b: T): T {
  if (a === b) return a;
  const base = baseOf(a, b);
  const out: Record<string, unknown> = {};
  const clocks: Record<string, number> = {};
  const keep = (path: string, stamp: number) => {
    if (stamp !== base.clock) clocks[path] = stamp;
  };
  const keys = unionOfKeys(a, b);
  for (const key of keys) {
    if (FIXED.has(key)) {
      out[key] = base[key];
    } else if (ENTRY_MAPS.has(key) && isPlainObject(a[key]) && isPlainObject(b[key])) {
      const ma = a[key] as Record<string, unknown>;
      const mb = b[key] as Record<string, unknown>;
      const merged: Record<string, unknown> = {};
      for (const entry of unionOfKeys(ma, mb)) {
        const path = `${key}.${entry}`;
        const pick = pickSide(a, b, path, ma[entry], mb[entry], entry in ma, entry in mb);
        merged[entry] = pick.value;
        keep(path, pick.stamp);
      }
      out[key] = merged;
      keep(key, Math.max(stampOf(a, key), stampOf(b, key)));
    } else {
      const pick = pickSide(a, b, key, a[key], b[key], key in a, key in b);
      out[key] = pick.value;
      keep(key, pick.stamp);
    }
  }
  out.clocks = clocks;
  return out as T;
}

/** Both objects' keys once each, sorted: the join writes its keys in one order whichever side they came from. */
function unionOfKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = Object.keys(a);
  for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) keys.push(key);
  return keys.sort();
}

function pickSide(a: ClockedRecord, b: ClockedRecord, path: string, va: unknown, vb: unknown, inA: boolean, inB: boolean) {
  if (!inB) return { value: va, stamp: stampOf(a, path) };
  if (!inA) return { value: vb, stamp: stampOf(b, path) };
  const sa = stampOf(a, path);
  const sb = stampOf(b, path);
  if (sa > sb || (sa === sb && prefer(va, vb))) return { value: va, stamp: sa };
  return { value: vb, stamp: sb };
}

/** The newest stamp on any data field (not bookkeeping), i.e. when the record's content last changed. */
export function lastDataStamp(record: ClockedRecord): number {
  let max = record.clock;
  for (const [path, stamp] of Object.entries(record.clocks)) {
    const field = path.split('.', 1)[0] ?? path;
    if (!BOOKKEEPING.has(field) && stamp > max) max = stamp;
  }
  return max;
}

/**
 * Delete against edit: a deletion hides the record unless some field was written later (by the hybrid
 * clock) than the deletion — an edit made on a till that had not yet seen the delete keeps the customer.
 */
export function isDeletedRecord(record: ClockedRecord): boolean {
  return record.deletedAt !== null && record.deletedAt !== undefined && stampOf(record, 'deletedAt') >= lastDataStamp(record);
}

/**
 * A record that reads as live though it holds a tombstone (an edit made later than the delete kept it). Written
 * back with a fresh stamp, that tombstone would win again, so a write clears it.
 */
export function hasOutlivedTombstone(record: ClockedRecord): boolean {
  return record.deletedAt !== null && record.deletedAt !== undefined && !isDeletedRecord(record);
}

export function sameRecord(a: unknown, b: unknown): boolean {
  return equalityDeep(a, b);
}

/**
 * Writes `patch` onto `record` with one fresh stamp for every field it touches. Entry-map fields in the
 * patch are given as the entries that change (`{ addresses: { id: value } }`), not the whole map.
 */
export function stampPatch<T extends ClockedRecord>(record: T, patch: Partial<Record<string, unknown>>, stamp: number): T {
  const out: Record<string, unknown> = { ...record, clocks: { ...record.clocks } };
  const clocks = out.clocks as Record<string, number>;
  for (const [key, value] of Object.entries(patch)) {
    if (FIXED.has(key)) continue;
    if (ENTRY_MAPS.has(key) && isPlainObject(value)) {
      const entries = { ...(isPlainObject(record[key]) ? (record[key] as Record<string, unknown>) : {}) };
      for (const [entry, entryValue] of Object.entries(value)) {
        entries[entry] = entryValue;
        clocks[`${key}.${entry}`] = stamp;
      }
      out[key] = entries;
    } else {
      out[key] = value;
    }
    clocks[key] = stamp;
  }
  return out as T;
}
