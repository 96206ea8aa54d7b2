import type * as Y from 'yjs';
import type { AddressFields } from '../model/address.js';
import type { Customer } from '../model/customer.js';
import { fail, type Result } from '../model/field-errors.js';
import {
  FieldChangeEntrySchema,
  addressIdOf,
  encodeChange,
  idFields,
  textFields,
  type ChangeToLog,
  type FieldValue,
  type IdField,
  type LoggedChange,
  type TextField,
} from '../model/field-change.js';
import { messages } from '../model/messages.js';
import type { CustomerStore } from './customer-store.js';
import { isDeletedRecord, sameRecord, type ClockedRecord } from './record-merge.js';
import type { CustomerRead } from './record-views.js';

/** Who writes: recorded on every entry. */
export interface ChangeAuthor {
  tillId: string;
  tillName: string | undefined;
  cashier: string | undefined;
}

interface ChangeBase {
  ok: true;
  /** Names this change for `restoreFieldValue`; the same on every till and after a reload. */
  ref: string;
  customerId: string;
  /** Hybrid-clock stamp of the write: the order of changes, newest first. */
  stamp: number;
  /** Wall time of the write, ms since the epoch. */
  at: number;
  tillId: string;
  /** The till's name when it wrote, if it had one. */
  tillName: string | undefined;
  cashier: string | undefined;
  /** How many customers the same change reached: more than 1 for a bulk move to a group or a bulk delete. */
  customers: number;
  /** Writing the value before back would change the customer as it is now. */
  restorable: boolean;
}

/** What changed, by kind of field. */
type Typed =
  | { kind: 'text'; field: TextField; before: string; after: string }
  | { kind: 'id'; field: IdField; before: string | null; after: string | null }
  /** `null` before: the address was added; `null` after: removed. */
  | { kind: 'address'; field: string; addressId: string; before: AddressFields | null; after: AddressFields | null }
  | { kind: 'deleted'; field: 'deleted'; before: boolean; after: boolean }
  /** Personal data erased (`purge`): the values are gone from the history too. */
  | { kind: 'purged'; field: 'purged' };

/** One change of one field of a customer, as the history shows it. */
export type FieldChange = ChangeBase & Typed;

/** An entry another till or app wrote in a shape we cannot use: shown as such, never thrown. */
export interface InvalidFieldChange {
  ok: false;
  ref: string;
  customerId: string;
  stamp: number;
  problems: string[];
}

export type FieldHistoryEntry = FieldChange | InvalidFieldChange;

type LoggedRead = { ok: true; change: LoggedChange } | { ok: false; problems: string[] };

/** One customer's place in a stored entry (`k`: its position in a bulk entry's list). */
interface Slot {
  entry: unknown;
  k: number;
  /** Arrival order, naming entries that have no ref of their own (invalid ones). */
  seq: number;
  problem?: string;
}

/** Changes of one transaction, not yet written. */
interface PendingChange {
  field: string;
  customerIds: string[];
  befores: unknown[];
  after: unknown;
  stamp: number;
  at: number;
}

/** Bulk operations change these for thousands of customers at once; one entry lists them all. */
const BULK_FIELDS = new Set(['groupId', 'deleted']);

/**
 * The field history of a store's customers (the document's `history` array): what CustomerStore
 * writes goes in as one entry per changed field, all entries of a transaction in one push, so a
 * transaction costs one Yjs item. Reading is lazy: nothing is decoded when a store opens; the first
 * `entriesFor` indexes the array by customer, and an observer keeps that index current. Entries are
 * validated when read, so an entry another app wrote wrongly shows as invalid.
 */
export class FieldHistory {
  private index: Map<string, Slot[]> | undefined;
  private seq = 0;
  private readonly checked = new WeakMap<object, LoggedRead>();
  private pending = new Map<string, PendingChange>();
  /** Customers purged in this transaction: their logged values are erased at flush. */
  private purged = new Set<string>();

  constructor(
    private readonly log: Y.Array<unknown>,
    private readonly author: () => ChangeAuthor,
    /** Told which customers have new entries, once the index is built (remote entries, for re-rendering). */
    private readonly onEntries: (customerIds: ReadonlySet<string>) => void,
  ) {
    log.observe(this.onLog);
  }

  destroy(): void {
    this.log.unobserve(this.onLog);
  }

  /**
   * Notes what a write changed in one customer record, field by field. Creation is not noted (the
   * record says who created it and when); a purge notes only that it happened, never the values.
   */
  note(customerId: string, before: ClockedRecord, after: ClockedRecord, stamp: number): void {
    const at = Date.now();
    const add = (field: string, b: unknown, a: unknown) => {
      // One stamp and one new value: a bulk write's customers share an entry (a re-ticked stamp splits it).
      const key = BULK_FIELDS.has(field) ? `${field}\n${stamp}\n${JSON.stringify(a)}` : `${field}\n${customerId}\n${stamp}`;
      const change = this.pending.get(key);
      if (change) {
        change.customerIds.push(customerId);
        change.befores.push(b);
      } else this.pending.set(key, { field, customerIds: [customerId], befores: [b], after: a, stamp, at });
    };
    if ((after.purgedAt ?? null) !== null && (before.purgedAt ?? null) === null) {
      this.purged.add(customerId);
      return add('purged', false, true);
    }
    // A field a creation left out reads as its empty value.
    for (const field of textFields) {
      const [b, a] = [before[field] ?? '', after[field] ?? ''];
      if (b !== a) add(field, b, a);
    }
    for (const field of idFields) {
      const [b, a] = [before[field] ?? null, after[field] ?? null];
      if (b !== a) add(field, b, a);
    }
    const fromAddresses = entriesOf(before.addresses);
    const toAddresses = entriesOf(after.addresses);
    for (const id of new Set([...Object.keys(fromAddresses), ...Object.keys(toAddresses)])) {
      const [b, a] = [fromAddresses[id] ?? null, toAddresses[id] ?? null];
      if (!sameRecord(b, a)) add(`addresses.${id}`, b, a);
    }
    const [wasDeleted, isDeleted] = [isDeletedRecord(before), isDeletedRecord(after)];
    if (wasDeleted !== isDeleted) add('deleted', wasDeleted, isDeleted);
  }

  /** Writes the noted changes with one push; called inside the transaction that made them. */
  flush(): void {
    if (this.purged.size) this.erase(this.purged);
    const changes = [...this.pending.values()];
    this.pending = new Map();
    this.purged = new Set();
    if (!changes.length) return;
    const author = this.author();
    this.log.push(changes.map((change) => encodeChange({ ...change, ...author } satisfies ChangeToLog)));
  }

  /** A customer's changes, newest first; `current` (the record now) says which can be restored. */
  entriesFor(customerId: string, current: CustomerRead | undefined): FieldHistoryEntry[] {
    const slots = this.built().get(customerId) ?? [];
    return slots.map((slot) => this.view(customerId, slot, current)).sort(newestFirst);
  }

  private built(): Map<string, Slot[]> {
    if (!this.index) {
      this.index = new Map();
      this.log.forEach((value) => this.add(value));
    }
    return this.index;
  }

  private add(value: unknown, touched?: Set<string>): void {
    const seq = this.seq++;
    let entry = value;
    let problem: string | undefined;
    if (typeof value !== 'string') problem = 'entry: expected a JSON string';
    else {
      try {
        entry = JSON.parse(value);
      } catch {
        // Not JSON: no customer can be read from it, so no customer's history shows it.
        return;
      }
    }
    customersNamed(entry).forEach((customerId, k) => {
      if (customerId === undefined) return;
      const slots = this.index?.get(customerId);
      const slot: Slot = problem ? { entry, k, seq, problem } : { entry, k, seq };
      if (slots) slots.push(slot);
      else this.index?.set(customerId, [slot]);
      touched?.add(customerId);
    });
  }

  private check(slot: Slot): LoggedRead {
    if (slot.problem || typeof slot.entry !== 'object' || slot.entry === null) return { ok: false, problems: [slot.problem ?? 'entry: expected an object'] };
    let read = this.checked.get(slot.entry);
    if (!read) {
      const parsed = FieldChangeEntrySchema.safeParse(slot.entry);
      read = parsed.success
        ? { ok: true, change: parsed.data }
        : { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`) };
      this.checked.set(slot.entry, read);
    }
    return read;
  }

  private view(customerId: string, slot: Slot, current: CustomerRead | undefined): FieldHistoryEntry {
    const read = this.check(slot);
    const typed = read.ok ? typedChange(read.change.field, read.change.befores[slot.k] ?? null, read.change.after) : undefined;
    if (!read.ok || !typed) {
      const stamp = (slot.entry as { s?: unknown } | null)?.s;
      const problems = read.ok ? [`${read.change.field}: values do not fit the field`] : read.problems;
      return { ok: false, ref: `invalid:${slot.seq}`, customerId, stamp: typeof stamp === 'number' ? stamp : 0, problems };
    }
    const c = read.change;
    const base = {
      ok: true as const,
      ref: JSON.stringify([c.stamp, c.tillId, c.field, customerId]),
      customerId,
      stamp: c.stamp,
      at: c.at,
      tillId: c.tillId,
      tillName: c.tillName,
      cashier: c.cashier,
      customers: c.customerIds.length,
    };
    return { ...base, ...typed, restorable: canRestore(typed, current) };
  }

  /** A purge erases what the history holds of the customer's data: every entry about that customer alone. */
  private erase(customerIds: ReadonlySet<string>): void {
    const values = this.log.toArray();
    for (let i = values.length - 1; i >= 0; i--) {
      const value = values[i];
      if (typeof value !== 'string') continue;
      let customerId: unknown;
      try {
        customerId = (JSON.parse(value) as { c?: unknown } | null)?.c;
      } catch {
        continue;
      }
      if (typeof customerId === 'string' && customerIds.has(customerId)) this.log.delete(i, 1);
    }
  }

  private readonly onLog = (event: Y.YArrayEvent<unknown>): void => {
    if (!this.index) return;
    // Entries leave only by a purge, which is rare: index again on the next read.
    if (event.changes.deleted.size) {
      this.index = undefined;
      return;
    }
    const touched = new Set<string>();
    for (const item of event.changes.added) {
      if (!item.deleted) for (const value of item.content.getContent()) this.add(value, touched);
    }
    if (touched.size) this.onEntries(touched);
  };
}

/**
 * Writes an earlier value of a field back, as a normal edit of the store (validated, checked for
 * duplicates, undoable, itself logged). A removed address comes back as a new address; a deletion is
 * undone by restoring the customer.
 */
export function restoreFieldChange(store: CustomerStore, customerId: string, ref: string): Result<Customer> {
  const entry = store.fieldHistory(customerId).find((e) => e.ref === ref);
  if (!entry) return fail('ref', messages.historyEntryUnknown);
  if (!entry.ok) return fail('ref', messages.historyEntryInvalid);
  const then = (result: Result<unknown>): Result<Customer> => (result.ok ? { ok: true, value: store.get(customerId) as Customer } : result);
  switch (entry.kind) {
    case 'text':
      return store.update(customerId, { [entry.field]: entry.before });
    case 'id':
      if (entry.field === 'groupId') return store.update(customerId, { groupId: entry.before });
      return then(store.setDefaultAddress(customerId, entry.field === 'billingAddressId' ? 'billing' : 'shipping', entry.before));
    case 'address': {
      if (!entry.before) return fail('ref', messages.historyNotRestorable);
      const exists = store.get(customerId)?.addresses.some((a) => a.id === entry.addressId);
      return then(exists ? store.updateAddress(customerId, entry.addressId, entry.before) : store.addAddress(customerId, entry.before));
    }
    case 'deleted':
      // An erased customer stays deleted: restoring it would bring back a record without its data.
      return entry.before || store.get(customerId)?.purgedAt ? fail('ref', messages.historyNotRestorable) : store.restore(customerId);
    case 'purged':
      return fail('ref', messages.historyNotRestorable);
  }
}

function entriesOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The customer ids an entry names, by position (a bulk entry names several). */
function customersNamed(entry: unknown): Array<string | undefined> {
  if (typeof entry !== 'object' || entry === null) return [];
  const { c, cs } = entry as { c?: unknown; cs?: unknown };
  if (typeof c === 'string') return [c];
  return Array.isArray(cs) ? cs.map((id) => (typeof id === 'string' ? id : undefined)) : [];
}

function typedChange(field: string, before: FieldValue, after: FieldValue): Typed | undefined {
  const isId = (v: FieldValue): v is string | null => v === null || typeof v === 'string';
  const isAddress = (v: FieldValue): v is AddressFields | null => v === null || typeof v === 'object';
  const addressId = addressIdOf(field);
  if (isOneOf(textFields, field) && typeof before === 'string' && typeof after === 'string') return { kind: 'text', field, before, after };
  if (isOneOf(idFields, field) && isId(before) && isId(after)) return { kind: 'id', field, before, after };
  if (addressId && isAddress(before) && isAddress(after)) return { kind: 'address', field, addressId, before, after };
  if (field === 'deleted' && typeof before === 'boolean' && typeof after === 'boolean') return { kind: 'deleted', field, before, after };
  if (field === 'purged') return { kind: 'purged', field };
  return undefined;
}

function isOneOf<T extends string>(names: readonly T[], name: string): name is T {
  return (names as readonly string[]).includes(name);
}

function canRestore(change: Typed, current: CustomerRead | undefined): boolean {
  if (!current?.ok) return false;
  const { raw, customer } = current;
  switch (change.kind) {
    case 'deleted':
      return !change.before && customer.deleted && customer.purgedAt === null;
    case 'purged':
      return false;
    case 'text':
    case 'id':
      return !customer.deleted && change.before !== raw[change.field];
    case 'address':
      return !customer.deleted && change.before !== null && !sameRecord(change.before, raw.addresses[change.addressId] ?? null);
  }
}

function newestFirst(a: FieldHistoryEntry, b: FieldHistoryEntry): number {
  return b.stamp - a.stamp || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);
}
