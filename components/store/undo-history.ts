import { hasOutlivedTombstone, sameRecord, type ClockedRecord } from './record-merge.js';

/** One record as this till's change left it: which map, and the value before and after. */
export interface RecordTransition {
  map: 'customers' | 'groups';
  id: string;
  before: ClockedRecord;
  after: ClockedRecord;
}

/** A store setting changed along with records (a merge re-points the default customer): undone only while it still holds `after`. */
export interface SettingTransition {
  map: 'settings';
  key: string;
  before: unknown;
  after: unknown;
}

export type UndoTransition = RecordTransition | SettingTransition;

const UNDOABLE_SKIP = new Set(['v', 'id', 'clock', 'clocks', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy']);

/**
 * This till's own changes, field by field. Why not Y.UndoManager: our records are whole values in a
 * Y.Map, and undoing a map set restores the whole old value — other tills' later edits to other fields
 * of the same customer would be reverted with it. Here an undo reverts only the fields this till
 * changed, and only where they still hold what this till wrote, so another till's edit is never undone.
 */
export class UndoHistory {
  private readonly undoStack: UndoTransition[][] = [];
  private readonly redoStack: UndoTransition[][] = [];

  constructor(private readonly depth = 100) {}

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  record(step: UndoTransition[]): void {
    if (!step.length) return;
    this.undoStack.push(step);
    if (this.undoStack.length > this.depth) this.undoStack.shift();
    this.redoStack.length = 0;
  }

  takeUndo(): UndoTransition[] | undefined {
    const step = this.undoStack.pop();
    if (step) this.redoStack.push(step);
    return step;
  }

  takeRedo(): UndoTransition[] | undefined {
    const step = this.redoStack.pop();
    if (step) this.undoStack.push(step);
    return step;
  }

  clear(): void {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
  }
}

/**
 * The patch that moves `current` from `from` towards `to`, touching only fields (and address entries)
 * that changed between the two and that still hold `from`'s value in `current`.
 */
export function revertPatch(currentRecord: ClockedRecord, fromRecord: ClockedRecord, toRecord: ClockedRecord): Record<string, unknown> {
  const [current, from, to] = [asRead(currentRecord), asRead(fromRecord), asRead(toRecord)];
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (UNDOABLE_SKIP.has(key)) continue;
    if (key === 'addresses') {
      const entries = entryPatch(current[key], from[key], to[key]);
      if (Object.keys(entries).length) patch[key] = entries;
    } else if (!sameRecord(from[key], to[key]) && sameRecord(current[key], from[key])) {
      patch[key] = to[key] ?? null;
    }
  }
  return patch;
}

/** A record as it reads: undoing a delete of a customer that outlived an older tombstone brings it back live. */
function asRead(record: ClockedRecord): ClockedRecord {
  return hasOutlivedTombstone(record) ? { ...record, deletedAt: null, deletedBy: null } : record;
}

function entryPatch(current: unknown, from: unknown, to: unknown): Record<string, unknown> {
  const c = (current ?? {}) as Record<string, unknown>;
  const f = (from ?? {}) as Record<string, unknown>;
  const t = (to ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const id of new Set([...Object.keys(f), ...Object.keys(t)])) {
    if (!sameRecord(f[id], t[id]) && sameRecord(c[id] ?? null, f[id] ?? null)) out[id] = t[id] ?? null;
  }
  return out;
}
