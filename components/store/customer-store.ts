import * as Y from 'yjs';
import type { CustomerLookup } from './customer-lookup.js';
import { AddressFieldsSchema, AddressInputSchema, type Address, type AddressFields, type AddressInput } from '../model/address.js';
import {
  readPhone,
  validateCustomerFields,
  displayName,
  type Customer,
  type CustomerFields,
  type CustomerInput,
  type NewCustomerInput,
  type StoredCustomer,
  type StoredCustomerRecord,
} from '../model/customer.js';
import { fail, fieldErrorsOf, type FieldError, type Result } from '../model/field-errors.js';
import { GroupInputSchema, type Group, type GroupInput, type StoredGroup } from '../model/group.js';
import { newId } from '../model/ids.js';
import { messages } from '../model/messages.js';
import { SettingsSchema, defaultSettings, settingKeys, type Settings, type SettingsInput } from '../model/settings.js';
import { LAYOUT_VERSION, storeMaps, type StoreMaps } from './document-layout.js';
import { FieldHistory, restoreFieldChange, type FieldHistoryEntry } from './field-history.js';
import { HybridClock } from './hybrid-clock.js';
import { hasOutlivedTombstone, isClockedRecord, isDeletedRecord, joinRecords, sameRecord, stampPatch, type ClockedRecord } from './record-merge.js';
import {
  isLiveRecord,
  leanAddress,
  leanCustomerRecord,
  passesStoredSchema,
  readCustomer,
  readGroup,
  searchableFields,
  withOmittedFields,
  type CustomerRead,
  type InvalidRecord,
} from './record-views.js';
import { readOpenSnapshot, valueItemId, SNAPSHOT_FORMAT, type OpenSnapshot } from './open-snapshot.js';
import { SearchIndex, type RestoredIndex, type SearchResult } from './search-index.js';
import { StoredCustomers, decodeCustomer, encodeCustomer } from './stored-customers.js';
import { fold } from './search-text.js';
import { UniqueIndex, uniqueFields, type UniqueField } from './unique-index.js';
import { UndoHistory, revertPatch, type RecordTransition, type UndoTransition } from './undo-history.js';
import { mergeTarget, planMerge, type MergePicks } from './customer-merge.js';

/** Something the cashier of this till should be told about another till's change. */
export type StoreNotice =
  | {
      kind: 'delete-overridden';
      customerId: string;
      /** The till whose concurrent edit kept the customer this till had deleted. */
      byTill: string;
    }
  | {
      /** A customer this till merged into `mergedInto` was edited later on a till that had not seen the merge: it is back, a duplicate again. */
      kind: 'merge-overridden';
      customerId: string;
      byTill: string;
      mergedInto: string;
    };

/** What changed in one transaction, for controllers deciding whether to re-render. */
export interface StoreChange {
  customers: ReadonlySet<string>;
  groups: boolean;
  settings: boolean;
  /** True when this till made the change. */
  local: boolean;
  notices: StoreNotice[];
}

export type StoreListener = (change: StoreChange) => void;

export interface StoreOptions {
  /** The till writing through this store; recorded as createdBy / updatedBy / deletedBy. */
  tillId: string;
  /** The till's name, recorded with its changes in the field history. */
  tillName?: string;
  /** The cashier signed in on the till, recorded with its changes in the field history. */
  cashier?: string;
  /** Wall clock in microseconds (tests pin it to make ties). */
  wallMicros?: () => number;
}

/** The fields of a live customer that lists filter and sort by. */
interface ListingFields {
  groupId: string | null;
  createdAt: number;
  updatedAt: number;
}

function listingFields(raw: Record<string, unknown>): ListingFields {
  const number = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { groupId: typeof raw.groupId === 'string' ? raw.groupId : null, createdAt: number(raw.createdAt), updatedAt: number(raw.updatedAt) };
}

export interface DeleteOutcome {
  deleted: string[];
  refused: FieldError[];
}

export interface MergeOutcome {
  /** The kept customer as the merge leaves it (with `dryRun`: would leave it). */
  customer: Customer;
  removedId: string;
  /** The removed customer's addresses on the kept one (their ids there); an address both had is not copied again. */
  movedAddressIds: string[];
  /** The removed customer was the store's walk-in customer; the kept one takes its place. */
  defaultCustomerMoved: boolean;
}

/** How long a device load waits for its snapshot's read before it is indexed without (see prepareLoadWhileReading). */
const SNAPSHOT_READ_LIMIT_MS = 5_000;

/** A record's field-wise join, to be written to its map. */
interface PendingJoin {
  map: RecordTransition['map'];
  id: string;
  record: ClockedRecord;
}

/** The device's load transaction, announced before it comes (see prepareLoad). */
interface DeviceLoad {
  origin: unknown;
  snapshot: OpenSnapshot | undefined;
  /** The snapshot is still being read (see prepareLoadWhileReading). */
  arriving: boolean;
  /** The load's keys, when it came before the snapshot: they wait for it. */
  keys?: string[];
}

/** More customers than this changed in one transaction are handled as a bulk load (see onCustomers). */
const BULK_CHANGE = 1_000;
/** A bulk load is indexed in slices of about this long, so a 100k import or first sync does not freeze the page. */
const INDEX_SLICE_MS = 12;
/**
 * How long a till waits for the join of a collision another till's edit lost (see rejoin) before writing it
 * itself, plus up to JOIN_JITTER_MS at random: with that till gone, the others' waits end apart, and the
 * first join written can reach the rest before their own waits end.
 */
const JOIN_WAIT_MS = 2000;
const JOIN_JITTER_MS = 1000;

/** A new customer as `create` checks it — fields normalised, addresses checked — before it has ids or stamps. */
export interface CheckedNewCustomer {
  fields: CustomerFields;
  billingAddress: AddressFields | null;
  shippingAddress: AddressFields | 'same-as-billing' | null;
}

export interface CreateManyOutcome {
  /** Ids of the customers created, in input order (none for a dry run: it makes no ids). */
  created: string[];
  rejected: Array<{ index: number; errors: FieldError[] }>;
}

/** An import built apart from the store's document and written in one transaction (see `beginImport`). */
export interface CustomerImport {
  /** Builds these customers' records into the import, without touching the store's document; returns their ids, in order. */
  add(customers: readonly CheckedNewCustomer[]): string[];
  /**
   * Writes every customer added in one transaction: one update for every till, one undo step. Each is
   * checked again, in the same synchronous step, only for what another till may have changed since it
   * was checked: its email, phone and card against the store's customers, and its group; `rejected`
   * indexes (in the order added) those refused. The caller keeps the customers of one import distinct.
   * `error` is set when the transaction threw (a document observer failed): `created` is then what the
   * document holds all the same. The import is used up either way.
   */
  commit(): CreateManyOutcome & { error?: unknown };
}

const DUPLICATE_MESSAGE: Record<UniqueField, (name: string) => string> = {
  email: messages.duplicateEmail,
  phone: messages.duplicatePhone,
  cardBarcode: messages.duplicateBarcode,
};

/**
 * The customer store of one shop: the only code that reads and writes the Yjs document. Elements use
 * it through controllers; it validates every record it reads, keeps a search index and the uniqueness
 * index live, merges concurrent edits field by field, and undoes this till's own changes.
 */
export class CustomerStore implements CustomerLookup {
  readonly doc: Y.Doc;
  readonly tillId: string;
  /** Recorded with every change in the field history; a host may change them while the store is open. */
  tillName: string | undefined;
  cashier: string | undefined;
  private readonly maps: StoreMaps;
  private readonly customers: StoredCustomers;
  private readonly clock: HybridClock;
  private index = new SearchIndex();
  /** An index restored from the snapshot the device load will read, to take over (see adoptRestoredIndex). */
  private adoptable: RestoredIndex | undefined;
  private readonly unique = new UniqueIndex();
  private readonly invalid = new Map<string, InvalidRecord>();
  /** Records present at open that have not been validated yet (see validateOpened). */
  private unvalidated: string[] = [];
  private validationTimer: ReturnType<typeof setTimeout> | undefined;
  /** Records a bulk change brought, not in the indexes or validated yet → whether another till wrote them (see indexLater). */
  private readonly unindexed = new Map<string, boolean>();
  private indexTimer: ReturnType<typeof setTimeout> | undefined;
  private indexWaiters: Array<() => void> = [];
  /** True while an import commits: its bulk write is indexed in slices afterwards, as another till's is. */
  private committingImport = false;
  /** What lists filter and sort live customers by, so a 100k list never decodes every record. */
  private readonly listing = new Map<string, ListingFields>();
  /** Customers whose current state is a deletion made on this till → the customer it merged them into, if it was a merge. */
  private readonly deletedHere = new Map<string, string | null>();
  /** Joins found by an observer, written when it is done (see writeRejoined); `awaited` ones only if no other till's copy came. */
  private readonly rejoined: Array<PendingJoin & { awaited: boolean }> = [];
  /** Joins left to the till whose edit they save, by the timer that writes them if its copy does not come. */
  private readonly awaitedJoins = new Map<ReturnType<typeof setTimeout>, PendingJoin[]>();
  /** Records another till's update removed from the map, kept until they come back (see onCustomers). */
  private readonly vanished = new Map<string, unknown>();
  private readonly history = new UndoHistory();
  private readonly changeLog: FieldHistory;
  private readonly listeners = new Set<StoreListener>();
  private pending: { customers: Set<string>; groups: boolean; settings: boolean; local: boolean; notices: StoreNotice[] } | undefined;
  /** The device's load transaction to come, and the snapshot it may restore from (see prepareLoad). */
  private load: DeviceLoad | undefined;
  private loaded: Promise<void> = Promise.resolve();
  private changeTransactions = 0;
  /**
   * How the device load used a snapshot: how many customers it had to index again because they changed
   * after it was taken. Undefined when none was used.
   */
  snapshotUse: { staleKeys: number } | undefined;

  constructor(doc: Y.Doc, options: StoreOptions) {
    this.doc = doc;
    this.tillId = options.tillId;
    this.clock = new HybridClock(options.wallMicros);
    this.maps = storeMaps(doc);
    this.tillName = options.tillName;
    this.cashier = options.cashier;
    this.changeLog = new FieldHistory(
      this.maps.history,
      () => ({ tillId: this.tillId, tillName: this.tillName, cashier: this.cashier }),
      (ids) => ids.forEach((id) => this.changes().customers.add(id)),
    );
    this.customers = new StoredCustomers(this.maps.customers);
    this.customers.forEach((raw, id) => this.reindex(id, raw, false, false));
    this.deferValidation(this.maps.customers.keys());
    this.maps.customers.observe(this.onCustomers);
    this.maps.groups.observe(this.onGroups);
    this.maps.settings.observe(this.onSettings);
    doc.on('afterTransaction', this.flush);
  }

  destroy(): void {
    clearTimeout(this.validationTimer);
    clearTimeout(this.indexTimer);
    // Nothing more will be indexed: an import waiting for it finishes rather than hangs.
    for (const resolve of this.indexWaiters.splice(0)) resolve();
    this.maps.customers.unobserve(this.onCustomers);
    this.maps.groups.unobserve(this.onGroups);
    this.maps.settings.unobserve(this.onSettings);
    this.doc.off('afterTransaction', this.flush);
    // Into the document, which the device keeps and sends on its next sync: a join the till waited for
    // would be lost if the till it waited for never wrote it.
    this.writeAwaitedJoins();
    this.changeLog.destroy();
    this.listeners.clear();
  }

  /** True while this till waits for another till's copy of a join it would otherwise write (see writeAwaitedJoins). */
  get awaitingJoins(): boolean {
    return this.awaitedJoins.size > 0;
  }

  /**
   * Writes now every join this till is waiting for another till to write (see README.md, Merge), unless
   * what is stored holds it already. `destroy` does; a host about to lose the document without it may.
   */
  writeAwaitedJoins(): void {
    const waiting = [...this.awaitedJoins];
    this.awaitedJoins.clear();
    for (const [timer] of waiting) clearTimeout(timer);
    this.writeMissingJoins(waiting.flatMap(([, joins]) => joins));
  }

  /** Calls `listener` once after every transaction that changed customers, groups or settings. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ── reading ────────────────────────────────────────────────────────────────

  /** The customer with this id, validated; deleted customers are returned with `deleted: true`. */
  read(id: string): CustomerRead | undefined {
    const raw = this.customers.get(id);
    return raw === undefined ? undefined : readCustomer(id, raw);
  }

  get(id: string): Customer | undefined {
    const read = this.read(id);
    return read?.ok ? read.customer : undefined;
  }

  /** Live customers matching what a cashier typed, best first. */
  search(query: string, limit = 50): SearchResult {
    return this.index.search(query, limit);
  }

  /** Every live customer id, alphabetically by name. */
  liveIds(): string[] {
    return this.index.allByName();
  }

  get liveCount(): number {
    return this.index.size;
  }

  /**
   * Customers a bulk change brought (an import, a device load, a first sync) that are not in the search
   * and list indexes yet: they are indexed in slices just after, and listeners hear of each slice.
   * Searches and lists answer from what is indexed so far; duplicate checks finish the indexing first.
   */
  get unindexedCount(): number {
    return this.unindexed.size;
  }

  /** Resolves once every customer of the bulk changes so far is indexed (at once when none waits). */
  whenIndexed(): Promise<void> {
    if (!this.unindexed.size) return Promise.resolve();
    return new Promise((resolve) => this.indexWaiters.push(resolve));
  }

  /**
   * Records written by another till or app that do not pass validation, with what is wrong. The records
   * a store opens or loads with are validated in slices just after; this finishes that first, unless
   * `soFar` (for an element answering a keystroke: listeners hear of each invalid record the slices find).
   */
  invalidRecords(options: { soFar?: boolean } = {}): InvalidRecord[] {
    if (!options.soFar) {
      this.indexPending();
      this.validate(this.unvalidated.length);
    }
    return [...this.invalid.values()];
  }

  /** The live customer holding a card barcode, for a scan. */
  findByBarcode(barcode: string): Customer | undefined {
    this.indexPending();
    const id = this.unique.holder('cardBarcode', barcode);
    return id ? this.get(id) : undefined;
  }

  /** Values several live customers share (two offline tills created the same person). */
  duplicates(): Array<{ field: UniqueField; value: string; customerIds: string[] }> {
    this.indexPending();
    return [...this.unique.conflicts()].map(([field, value, customerIds]) => ({ field, value, customerIds }));
  }

  // ── snapshots of what the store derives (see open-snapshot.ts) ─────────────

  /**
   * Tells the store that its next transaction made with `origin` loads the device's document: it is
   * indexed at once, not in slices, so the store is searchable when the load is done; and with a
   * snapshot read from the device, customers whose value it saw are restored from it, not decoded and
   * indexed. True when the snapshot is taken: one this code can use, and the store holds no customers yet.
   */
  prepareLoad(origin: unknown, snapshotValue?: unknown): boolean {
    const snapshot = this.maps.customers.size === 0 ? this.usableSnapshot(snapshotValue) : undefined;
    this.load = { origin, snapshot, arriving: false };
    return snapshot !== undefined;
  }

  /**
   * As prepareLoad, with the snapshot still being read: the device's read of the document and of the
   * snapshot then overlap. If the load comes first, its customers wait, unindexed, for the snapshot (or
   * for it to turn out unusable) and are restored or indexed then; `whenLoaded` says when.
   */
  prepareLoadWhileReading(origin: unknown, snapshotValue: Promise<unknown>): void {
    const load: DeviceLoad = { origin, snapshot: undefined, arriving: true };
    this.load = load;
    // A read that never answers must not hold the load (and whenReady) back: past this, it is ignored.
    const giveUp = new Promise<undefined>((resolve) => setTimeout(resolve, SNAPSHOT_READ_LIMIT_MS));
    this.loaded = Promise.race([snapshotValue, giveUp])
      .catch(() => undefined)
      .then((value) => {
        load.arriving = false;
        load.snapshot = this.usableSnapshot(value);
        const keys = load.keys;
        if (!keys) return;
        load.keys = undefined;
        this.finishLoad(load.snapshot, keys);
        this.flush();
      });
  }

  /**
   * An index already restored from the very snapshot this store's device load reads (a CustomerPreview's,
   * made while the store's code was fetched): the load takes it over instead of restoring it a second time.
   * The preview then shows what the store does to it; it is dropped once the store is ready.
   */
  adoptRestoredIndex(restored: RestoredIndex): void {
    this.adoptable = restored;
  }

  /** Resolves once the device load is indexed (at once, unless its snapshot was still being read). */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  private usableSnapshot(value: unknown): OpenSnapshot | undefined {
    const snapshot = value === undefined ? undefined : readOpenSnapshot(value, this.tillId);
    return snapshot && this.holdsNothing() ? snapshot : undefined;
  }

  /** No customer indexed, listed, waiting to be or reported invalid: what a store is before its device load. */
  private holdsNothing(): boolean {
    return this.index.size === 0 && this.listing.size === 0 && this.invalid.size === 0 && !this.unindexed.size;
  }

  /** A device load into an empty store: restored from its snapshot, or else indexed at once (validated in slices after). */
  private finishLoad(snapshot: OpenSnapshot | undefined, keys: readonly string[]): void {
    if (snapshot && this.restoreSnapshot(snapshot, keys)) return;
    for (const id of keys) {
      this.reindex(id, this.customers.peek(id), true, false);
      this.changes().customers.add(id);
    }
    this.deferValidation(keys);
  }

  /**
   * Sorts one more part of the search index; false once it is all sorted. A snapshot saver runs it a
   * step per idle period first, so taking the snapshot blocks only to copy, and a reopened store sorts nothing.
   */
  sortIndexStep(): boolean {
    return this.index.settleOne();
  }

  /** A snapshot of the store as it is; undefined while records loaded in bulk still wait for validation. */
  openSnapshot(): OpenSnapshot | undefined {
    if (this.unvalidated.length || this.unindexed.size) return undefined;
    const index = this.index.toSnapshot();
    const slots = index.ids.length;
    const groupIds: Array<string | null> = new Array<string | null>(slots).fill(null);
    const createdAt = new Float64Array(slots);
    const updatedAt = new Float64Array(slots);
    index.ids.forEach((id, slot) => {
      const listed = id ? this.listing.get(id) : undefined;
      if (!listed) return;
      groupIds[slot] = listed.groupId;
      createdAt[slot] = listed.createdAt;
      updatedAt[slot] = listed.updatedAt;
    });
    const clients = new Float64Array(slots);
    const clocks = new Float64Array(slots);
    index.ids.forEach((id, slot) => {
      const item = id ? valueItemId(this.maps.customers, id) : undefined;
      clients[slot] = item?.client ?? -1;
      clocks[slot] = item?.clock ?? -1;
    });
    const otherKeys: string[] = [];
    const otherClients: number[] = [];
    const otherClocks: number[] = [];
    for (const key of this.maps.customers.keys()) {
      const item = this.listing.has(key) ? undefined : valueItemId(this.maps.customers, key);
      if (!item) continue;
      otherKeys.push(key);
      otherClients.push(item.client);
      otherClocks.push(item.clock);
    }
    return {
      format: SNAPSHOT_FORMAT,
      tillId: this.tillId,
      index,
      clients,
      clocks,
      otherKeys,
      otherClients: Float64Array.from(otherClients),
      otherClocks: Float64Array.from(otherClocks),
      groupIds,
      createdAt,
      updatedAt,
      invalid: [...this.invalid.values()],
      deletedHere: [...this.deletedHere],
      groupNames: this.groups().map((group) => [group.id, group.name]),
      defaultCustomerId: this.settings().defaultCustomerId,
    };
  }

  // ── customers ──────────────────────────────────────────────────────────────

  create(input: NewCustomerInput): Result<Customer> {
    const prepared = this.prepareNew(input);
    if (!prepared.ok) return prepared;
    const record = leanCustomerRecord(prepared.value);
    this.write(() => this.customers.set(record.id, record));
    this.history.record([this.creation('customers', record)]);
    return { ok: true, value: this.get(record.id) as Customer };
  }

  /**
   * Creates many customers in one transaction, each checked as `create` would, and also against the
   * others in the batch (the first keeps an email, phone or card). With `dryRun` nothing is written and
   * no ids are made: `rejected` is the preview.
   */
  createMany(inputs: NewCustomerInput[], options: { dryRun?: boolean } = {}): CreateManyOutcome {
    const accepted: CheckedNewCustomer[] = [];
    const rejected: CreateManyOutcome['rejected'] = [];
    const inBatch = new Map<string, number>();
    inputs.forEach((input, index) => {
      const checked = this.checkNew(input);
      if (!checked.ok) {
        rejected.push({ index, errors: checked.errors });
        return;
      }
      const errors: FieldError[] = [];
      for (const field of uniqueFields) {
        const value = checked.value.fields[field];
        if (!value) continue;
        const key = `${field}:${UniqueIndex.key(field, value)}`;
        const first = inBatch.get(key);
        if (first !== undefined) errors.push({ field, message: messages.duplicateInBatch(first + 1) });
        else inBatch.set(key, index);
      }
      if (errors.length) rejected.push({ index, errors });
      else accepted.push(checked.value);
    });
    if (options.dryRun || !accepted.length) return { created: [], rejected };
    const records = accepted.map((customer) => leanCustomerRecord(this.newRecord(customer)));
    this.write(() => {
      for (const record of records) this.customers.set(record.id, record);
    });
    this.history.record(records.map((record) => this.creation('customers', record)));
    return { created: records.map((record) => record.id), rejected };
  }

  /** What `create` checks of a new customer, without writing or making ids: one row of an import's preview. */
  checkNew(input: NewCustomerInput): Result<CheckedNewCustomer> {
    const checked = this.checkFields(input);
    if (!checked.ok) return checked;
    let billingAddress: AddressFields | null = null;
    let shippingAddress: CheckedNewCustomer['shippingAddress'] = null;
    if (input.billingAddress) {
      const billing = this.checkAddress(input.billingAddress, 'billingAddress');
      if (!billing.ok) return billing;
      billingAddress = billing.value;
    }
    if (input.shippingAddress === 'same-as-billing') shippingAddress = billingAddress && 'same-as-billing';
    else if (input.shippingAddress) {
      const shipping = this.checkAddress(input.shippingAddress, 'shippingAddress');
      if (!shipping.ok) return shipping;
      shippingAddress = shipping.value;
    }
    return { ok: true, value: { fields: checked.value, billingAddress, shippingAddress } };
  }

  /**
   * Starts an import of customers `checkNew` accepted. Records are built into a scratch document that
   * nothing observes, a slice at a time as the caller likes (yielding between slices costs nothing
   * there), and `commit` writes them into the store's document as one update: other tills receive all
   * of it or none, it is one undo step, and an import abandoned before `commit` has written nothing.
   */
  /**
   * How many transactions have changed customers or groups since the store opened: a check made at one
   * count still holds while the count is the same.
   */
  get changeCount(): number {
    return this.changeTransactions;
  }

  /** `checkedAt`: the changeCount when the rows were checked; if it is still that at the commit, nothing is checked again. */
  beginImport(checkedAt?: number): CustomerImport {
    // Each record is built and encoded as its slice is added; the store's document is touched only by the
    // commit, one map write per customer in one transaction. (Building in a scratch document and applying
    // its updates at the commit took twice as long: Yjs decoded every item again.)
    const added: Array<{ fields: CustomerFields; step: RecordTransition; encoded: string }> = [];
    return {
      add: (customers) => {
        const records = customers.map((customer) => leanCustomerRecord(this.newRecord(customer)));
        records.forEach((record, i) =>
          added.push({ fields: (customers[i] as CheckedNewCustomer).fields, step: this.creation('customers', record), encoded: encodeCustomer(record) }),
        );
        return records.map((record) => record.id);
      },
      commit: () => {
        const rejected: CreateManyOutcome['rejected'] = [];
        const kept: typeof added = [];
        const groupExists = new Map<string, boolean>();
        // Checked and written in one synchronous step: no other till's update can land in between.
        const unchanged = checkedAt === this.changeTransactions;
        added.forEach((entry, index) => {
          if (unchanged) {
            kept.push(entry);
            return;
          }
          const { fields } = entry;
          const errors = this.uniqueConflicts({ email: fields.email, phone: fields.phone, cardBarcode: fields.cardBarcode });
          const groupId = fields.groupId ?? null;
          if (groupId !== null) {
            if (!groupExists.has(groupId)) groupExists.set(groupId, this.group(groupId) !== undefined);
            if (!groupExists.get(groupId)) errors.push({ field: 'groupId', message: messages.unknownGroup });
          }
          if (errors.length) rejected.push({ index, errors });
          else kept.push(entry);
        });
        added.length = 0;
        let error: unknown;
        try {
          if (kept.length) {
            this.committingImport = true;
            this.write(() => kept.forEach(({ step, encoded }) => this.customers.setEncoded(step.id, encoded)));
          }
        } catch (thrown) {
          error = thrown;
        } finally {
          this.committingImport = false;
        }
        // Yjs applies a transaction before calling its observers, so one that threw still wrote.
        const steps = kept.map(({ step }) => step);
        const written = error === undefined ? steps : steps.filter((step) => this.maps.customers.has(step.id));
        this.history.record(written);
        const created = written.map((step) => step.id);
        return error === undefined ? { created, rejected } : { created, rejected, error };
      },
    };
  }

  /** The errors `create` (or `update` of `selfId`) would return for these fields, without writing: checks as the cashier types. */
  check(input: CustomerInput, selfId?: string): FieldError[] {
    const checked = this.checkFields(input, selfId);
    return checked.ok ? [] : checked.errors;
  }

  /**
   * Live customer ids for lists: optionally only those matching a search (as `search` finds them, but in
   * the list's order, not by relevance) and in a group (`null` = no group), sorted by name, creation or
   * last change.
   */
  listIds(options: { query?: string; groupId?: string | null; sort?: 'name' | 'created' | 'updated'; descending?: boolean } = {}): string[] {
    const query = options.query?.trim() ?? '';
    let ids = query ? this.index.matchingIds(query) : this.index.allByName();
    if (options.groupId !== undefined) ids = ids.filter((id) => this.listing.get(id)?.groupId === options.groupId);
    if (options.sort === 'created' || options.sort === 'updated') {
      const field = options.sort === 'created' ? 'createdAt' : 'updatedAt';
      // Each stamp read once: a lookup inside the comparator costs seconds at 100k.
      const stamped = ids.map((id) => ({ id, at: this.listing.get(id)?.[field] ?? 0 }));
      ids = stamped.sort((a, b) => a.at - b.at).map((s) => s.id);
    }
    return options.descending ? [...ids].reverse() : ids;
  }

  /** Changes only the fields given; fields another till changed meanwhile are kept. */
  update(id: string, patch: Partial<CustomerInput>): Result<Customer> {
    const current = this.editable(id);
    if (!current.ok) return current;
    const { raw } = current.value;
    const checked = this.checkFields({ ...raw, ...patch }, id);
    if (!checked.ok) return checked;
    const changed: Record<string, unknown> = {};
    for (const key of Object.keys(patch) as (keyof CustomerFields)[]) {
      if (!sameRecord(checked.value[key], raw[key])) changed[key] = checked.value[key];
    }
    this.change('customers', id, raw, changed);
    return { ok: true, value: this.get(id) as Customer };
  }

  delete(id: string): Result<void> {
    const outcome = this.deleteMany([id]);
    const refused = outcome.refused[0];
    return refused ? { ok: false, errors: [refused] } : { ok: true, value: undefined };
  }

  /** Deletes (tombstones) many customers in one transaction; the default customer is refused. */
  deleteMany(ids: Iterable<string>): DeleteOutcome {
    const outcome: DeleteOutcome = { deleted: [], refused: [] };
    const defaultId = this.settings().defaultCustomerId;
    const steps: RecordTransition[] = [];
    const stamp = this.clock.tick();
    this.write(() => {
      for (const id of ids) {
        const current = this.editable(id);
        if (!current.ok) {
          outcome.refused.push(...current.errors.map((e) => ({ ...e, existingCustomerId: id })));
          continue;
        }
        if (id === defaultId) {
          outcome.refused.push({ field: 'id', message: messages.defaultCustomerUndeletable, existingCustomerId: id });
          continue;
        }
        steps.push(this.stampedWrite('customers', id, current.value.raw, { deletedAt: Date.now(), deletedBy: this.tillId }, stamp));
        outcome.deleted.push(id);
      }
    });
    this.history.record(steps);
    return outcome;
  }

  restore(id: string): Result<Customer> {
    const raw = this.customers.get(id);
    if (!isClockedRecord(raw)) return fail('id', messages.unknownCustomer);
    if (!isDeletedRecord(raw)) return { ok: true, value: this.get(id) as Customer };
    const conflicts = this.uniqueConflicts(searchableFields(id, raw), id);
    if (conflicts.length) return { ok: false, errors: conflicts };
    this.change('customers', id, raw, { deletedAt: null, deletedBy: null, ...(raw.mergedInto ? { mergedInto: null } : {}) });
    return { ok: true, value: this.get(id) as Customer };
  }

  /**
   * Erases a customer's personal data on request (right to erasure): names, contact data, notes and
   * addresses are cleared, the record stays as a deleted tombstone so other tills converge on the erasure.
   */
  purge(id: string): Result<void> {
    const raw = this.customers.get(id);
    if (!isClockedRecord(raw)) return fail('id', messages.unknownCustomer);
    if (id === this.settings().defaultCustomerId) return fail('id', messages.defaultCustomerUndeletable, id);
    const addresses: Record<string, null> = {};
    for (const addressId of Object.keys((raw.addresses ?? {}) as object)) addresses[addressId] = null;
    const now = Date.now();
    this.change(
      'customers',
      id,
      raw,
      {
        firstName: '',
        lastName: '',
        email: '',
        phone: '',
        notes: '',
        cardBarcode: '',
        addresses,
        billingAddressId: null,
        shippingAddressId: null,
        purgedAt: now,
        deletedAt: now,
        deletedBy: this.tillId,
      },
      { undoable: false },
    );
    return { ok: true, value: undefined };
  }

  // ── field history ──────────────────────────────────────────────────────────

  /** Who changed which field of a customer, on which till, when — newest first (see field-history.ts). */
  fieldHistory(customerId: string): FieldHistoryEntry[] {
    return this.changeLog.entriesFor(customerId, this.read(customerId));
  }

  /** Writes back the value a field had before the change `ref` (an entry of `fieldHistory`), as a normal edit. */
  restoreFieldValue(customerId: string, ref: string): Result<Customer> {
    return restoreFieldChange(this, customerId, ref);
  }

  // ── merging duplicates ─────────────────────────────────────────────────────

  /**
   * Merges two records of one person (see `duplicates()`) in one transaction, undoable: the kept customer
   * takes the picked value of each field (its own where `picks` says nothing) and every address of the
   * removed one; the removed one becomes a deleted record with `mergedInto: keepId` that keeps all its data;
   * the store's walk-in customer moves to the kept one if it was the removed one. Refused when either is
   * not live, when they are the same, or when a value taken from the removed customer belongs to a third
   * (a value the kept one already has is never refused: a third holder stays listed by `duplicates()`).
   * With `dryRun` nothing is written: the outcome is the preview.
   */
  mergeCustomers(keepId: string, removeId: string, picks: MergePicks = {}, options: { dryRun?: boolean } = {}): Result<MergeOutcome> {
    if (keepId === removeId) return fail('removeId', messages.mergeSameCustomer);
    const keep = this.editable(keepId);
    const remove = this.editable(removeId);
    if (!keep.ok || !remove.ok) {
      const errors = [
        ...(keep.ok ? [] : keep.errors.map((e) => ({ ...e, field: 'keepId' }))),
        ...(remove.ok ? [] : remove.errors.map((e) => ({ ...e, field: 'removeId' }))),
      ];
      return { ok: false, errors };
    }
    const kept = keep.value.raw;
    const removed = remove.value.raw;
    const plan = planMerge(kept, removed, picks, newId);
    // Checked as an edit of the kept customer would be, except uniqueness: judged against customers other than these two.
    const checked = this.checkFields(plan.fields, keepId, [removed.phone]);
    const errors = (checked.ok ? [] : checked.errors).filter((e) => e.existingCustomerId === undefined);
    if (errors.length) return { ok: false, errors };
    const fields = validateCustomerFields(plan.fields, this.settings(), [kept.phone, removed.phone]);
    if (!fields.ok) return fields;
    errors.push(...this.mergeClashes(fields.value, kept, removeId));
    if (errors.length) return { ok: false, errors };
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...fields.value, billingAddressId: plan.billingAddressId, shippingAddressId: plan.shippingAddressId })) {
      if (!sameRecord(value, kept[key as keyof StoredCustomer])) patch[key] = value;
    }
    const movedAddressIds = Object.keys(plan.addresses);
    if (movedAddressIds.length) patch.addresses = Object.fromEntries(movedAddressIds.map((id) => [id, leanAddress(plan.addresses[id] as AddressFields)]));
    // Written on the kept customer even when nothing else changes, with a stamp newer than the removal's:
    // two tills merging one pair in opposite directions while apart then leave the later merge's survivor
    // (on an exact tie, both customers), never two deleted records.
    patch.mergedInto = null;
    const defaultCustomerMoved = this.settings().defaultCustomerId === removeId;
    if (options.dryRun) {
      const preview = readCustomer(keepId, stampPatch(kept, patch, kept.clock));
      return preview.ok
        ? { ok: true, value: { customer: preview.customer, removedId: removeId, movedAddressIds, defaultCustomerMoved } }
        : { ok: false, errors: [{ field: 'keepId', message: messages.invalidRecord }] };
    }
    const steps: UndoTransition[] = [];
    this.write(() => {
      steps.push(this.stampedWrite('customers', removeId, removed, { deletedAt: Date.now(), deletedBy: this.tillId, mergedInto: keepId }));
      steps.push(this.stampedWrite('customers', keepId, kept, patch));
      if (defaultCustomerMoved) {
        this.maps.settings.set('defaultCustomerId', keepId);
        steps.push({ map: 'settings', key: 'defaultCustomerId', before: removeId, after: keepId });
      }
    });
    this.history.record(steps);
    return { ok: true, value: { customer: this.get(keepId) as Customer, removedId: removeId, movedAddressIds, defaultCustomerMoved } };
  }

  /**
   * The customer standing for `id` now: a customer merged away resolves to the one it was merged into
   * (through several merges), so a cart, a picker or a setting holding an old id finds the survivor.
   * Any other id — live, deleted without a merge, unknown — resolves to itself.
   */
  resolveCustomerId(id: string): string {
    const seen = new Set([id]);
    let current = id;
    for (;;) {
      const read = this.read(current);
      const next = read?.ok && read.customer.deleted ? mergeTarget(read.raw) : null;
      // Two tills merging a pair in opposite directions at the very same stamp could point the two at each other.
      if (!next || seen.has(next)) return current;
      seen.add(next);
      current = next;
    }
  }

  /** Values a merge would take from the removed customer that a third live customer holds. */
  private mergeClashes(fields: CustomerFields, kept: StoredCustomer, removeId: string): FieldError[] {
    this.indexPending();
    const errors: FieldError[] = [];
    for (const field of uniqueFields) {
      const value = fields[field];
      if (!value || value === kept[field]) continue;
      const third = this.unique.holdersOf(field, value).find((id) => id !== kept.id && id !== removeId);
      if (!third) continue;
      const holder = this.get(third);
      errors.push({ field, message: DUPLICATE_MESSAGE[field](holder ? displayName(holder) : third), existingCustomerId: third });
    }
    return errors;
  }

  // ── addresses ──────────────────────────────────────────────────────────────

  /**
   * A new address starts from the outlet's address (ConnectPOS) with the customer's name on it: where the
   * outlet is, not who it is (the shop's company name is not the customer's).
   */
  newAddressDraft(customerId?: string): AddressFields {
    const customer = customerId ? this.get(customerId) : undefined;
    const outlet = this.settings().outletAddress;
    return { ...outlet, firstName: customer?.firstName ?? '', lastName: customer?.lastName ?? '', company: '', phone: customer?.phone ?? outlet.phone };
  }

  /** Adds an address; a customer's first address becomes its default billing and shipping address. */
  addAddress(customerId: string, input: AddressInput): Result<Address> {
    const current = this.editable(customerId);
    if (!current.ok) return current;
    const checked = this.checkAddress(input, 'address');
    if (!checked.ok) return checked;
    const { raw } = current.value;
    const addressId = newId();
    const patch: Record<string, unknown> = { addresses: { [addressId]: leanAddress(checked.value) } };
    if (!raw.billingAddressId) patch.billingAddressId = addressId;
    if (!raw.shippingAddressId) patch.shippingAddressId = addressId;
    this.change('customers', customerId, raw, patch);
    return { ok: true, value: { id: addressId, ...checked.value } };
  }

  updateAddress(customerId: string, addressId: string, patch: AddressInput): Result<Address> {
    const current = this.editable(customerId);
    if (!current.ok) return current;
    const { raw } = current.value;
    const existing = raw.addresses[addressId];
    if (!existing) return fail('addressId', messages.unknownAddress);
    // A country another app stored, outside those a cashier may choose, stays while an edit leaves it as it
    // is: only a country written here must name one.
    const keepsCountry = patch.country === undefined || patch.country.trim().toUpperCase() === existing.country;
    const checked = this.checkAddress({ ...existing, ...patch }, 'address', keepsCountry ? AddressFieldsSchema : AddressInputSchema);
    if (!checked.ok) return checked;
    this.change('customers', customerId, raw, { addresses: { [addressId]: leanAddress(checked.value) } });
    return { ok: true, value: { id: addressId, ...checked.value } };
  }

  removeAddress(customerId: string, addressId: string): Result<void> {
    const current = this.editable(customerId);
    if (!current.ok) return current;
    const { raw } = current.value;
    if (!raw.addresses[addressId]) return fail('addressId', messages.unknownAddress);
    const patch: Record<string, unknown> = { addresses: { [addressId]: null } };
    if (raw.billingAddressId === addressId) patch.billingAddressId = null;
    if (raw.shippingAddressId === addressId) patch.shippingAddressId = null;
    this.change('customers', customerId, raw, patch);
    return { ok: true, value: undefined };
  }

  setDefaultAddress(customerId: string, kind: 'billing' | 'shipping', addressId: string | null): Result<void> {
    const current = this.editable(customerId);
    if (!current.ok) return current;
    const { raw } = current.value;
    if (addressId !== null && !raw.addresses[addressId]) return fail('addressId', messages.unknownAddress);
    this.change('customers', customerId, raw, { [kind === 'billing' ? 'billingAddressId' : 'shippingAddressId']: addressId });
    return { ok: true, value: undefined };
  }

  // ── groups ─────────────────────────────────────────────────────────────────

  /** Live groups by name. */
  groups(): Group[] {
    const out: Group[] = [];
    this.maps.groups.forEach((raw, id) => {
      const read = readGroup(id, raw);
      if (read.ok && !read.group.deleted) out.push(read.group);
    });
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  group(id: string): Group | undefined {
    const read = readGroup(id, this.maps.groups.get(id));
    return read.ok && !read.group.deleted ? read.group : undefined;
  }

  createGroup(input: GroupInput): Result<Group> {
    const parsed = GroupInputSchema.safeParse(input);
    if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
    if (this.groupNamed(parsed.data.name)) return fail('name', messages.duplicateGroup);
    const id = newId();
    const record: StoredGroup = {
      v: 1,
      id,
      ...parsed.data,
      ...this.freshStamps(),
    };
    this.write(() => this.maps.groups.set(id, record));
    this.history.record([this.creation('groups', record)]);
    return { ok: true, value: this.group(id) as Group };
  }

  updateGroup(id: string, patch: Partial<GroupInput>): Result<Group> {
    const read = readGroup(id, this.maps.groups.get(id));
    if (!read.ok || read.group.deleted) return fail('id', messages.unknownGroup);
    const parsed = GroupInputSchema.safeParse({ ...read.raw, ...patch });
    if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
    const clash = this.groupNamed(parsed.data.name);
    if (clash && clash.id !== id) return fail('name', messages.duplicateGroup);
    const changed: Record<string, unknown> = {};
    for (const key of Object.keys(patch) as (keyof GroupInput)[]) {
      if (!sameRecord(parsed.data[key], read.raw[key])) changed[key] = parsed.data[key];
    }
    this.change('groups', id, read.raw, changed);
    return { ok: true, value: this.group(id) as Group };
  }

  /** How many live customers are in a group, to say what deleting it will do. */
  groupMemberIds(groupId: string): string[] {
    this.indexPending();
    return this.liveIds().filter((id) => this.listing.get(id)?.groupId === groupId);
  }

  /** Deletes a group; its members move to `moveMembersTo` (another group, or none). */
  deleteGroup(id: string, moveMembersTo: string | null = null): Result<{ moved: number }> {
    const read = readGroup(id, this.maps.groups.get(id));
    if (!read.ok || read.group.deleted) return fail('id', messages.unknownGroup);
    if (moveMembersTo !== null && (moveMembersTo === id || !this.group(moveMembersTo))) return fail('moveMembersTo', messages.unknownGroup);
    const members = this.groupMemberIds(id);
    const stamp = this.clock.tick();
    const steps: RecordTransition[] = [];
    this.write(() => {
      steps.push(this.stampedWrite('groups', id, read.raw, { deletedAt: Date.now(), deletedBy: this.tillId }, stamp));
      for (const memberId of members) {
        const raw = this.customers.get(memberId);
        if (isClockedRecord(raw)) steps.push(this.stampedWrite('customers', memberId, raw, { groupId: moveMembersTo }, stamp));
      }
    });
    this.history.record(steps);
    return { ok: true, value: { moved: members.length } };
  }

  /** Puts many customers into a group (or none) in one transaction. */
  assignGroup(customerIds: Iterable<string>, groupId: string | null): Result<{ changed: number }> {
    if (groupId !== null && !this.group(groupId)) return fail('groupId', messages.unknownGroup);
    const stamp = this.clock.tick();
    const steps: RecordTransition[] = [];
    this.write(() => {
      for (const id of customerIds) {
        const current = this.editable(id);
        if (current.ok && current.value.raw.groupId !== groupId) steps.push(this.stampedWrite('customers', id, current.value.raw, { groupId }, stamp));
      }
    });
    this.history.record(steps);
    return { ok: true, value: { changed: steps.length } };
  }

  // ── settings ───────────────────────────────────────────────────────────────

  /** The store's settings; a setting another app stored in a wrong shape reads as its default. */
  settings(): Settings {
    const out: Record<string, unknown> = { ...defaultSettings };
    for (const key of settingKeys) {
      const value = this.maps.settings.get(key);
      if (value === undefined) continue;
      const parsed = SettingsSchema.shape[key].safeParse(value);
      if (parsed.success) out[key] = parsed.data;
    }
    return out as Settings;
  }

  updateSettings(patch: SettingsInput): Result<Settings> {
    // Each given setting is parsed on its own: a partial object schema would fill in the defaults of
    // the settings not given and overwrite them.
    const values: Array<[keyof Settings, unknown]> = [];
    const errors: FieldError[] = [];
    for (const key of settingKeys) {
      if (patch[key] === undefined) continue;
      const parsed = SettingsSchema.shape[key].safeParse(patch[key]);
      if (parsed.success) values.push([key, parsed.data]);
      else errors.push(...fieldErrorsOf(parsed.error).map((e) => ({ ...e, field: e.field === '_' ? key : `${key}.${e.field}` })));
    }
    if (errors.length) return { ok: false, errors };
    const defaultCustomerId = patch.defaultCustomerId;
    if (defaultCustomerId) {
      const customer = this.get(defaultCustomerId);
      if (!customer || customer.deleted) return fail('defaultCustomerId', messages.unknownCustomer);
    }
    this.write(() => {
      for (const [key, value] of values) this.maps.settings.set(key, value);
    });
    return { ok: true, value: this.settings() };
  }

  /** The default walk-in customer, if it is set and still live (or merged into a live one). */
  defaultCustomer(): Customer | undefined {
    const id = this.settings().defaultCustomerId;
    // A till that set the default offline while another merged that customer away leaves the old id here.
    const customer = id ? this.get(this.resolveCustomerId(id)) : undefined;
    return customer && !customer.deleted ? customer : undefined;
  }

  /** Makes a "Walk-in customer" the default when the store has none (NexoPOS requires one to sell). */
  ensureDefaultCustomer(name = 'Walk-in customer'): Result<Customer> {
    const existing = this.defaultCustomer();
    if (existing) return { ok: true, value: existing };
    const [firstName, ...rest] = name.split(' ');
    const created = this.create({ firstName: firstName ?? name, lastName: rest.join(' ') });
    if (!created.ok) return created;
    this.updateSettings({ defaultCustomerId: created.value.id });
    return created;
  }

  // ── undo ───────────────────────────────────────────────────────────────────

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  /** Reverts this till's last change, field by field, leaving other tills' later edits alone. */
  undo(): boolean {
    const step = this.history.takeUndo();
    if (step) this.replay(step, 'undo');
    return Boolean(step);
  }

  redo(): boolean {
    const step = this.history.takeRedo();
    if (step) this.replay(step, 'redo');
    return Boolean(step);
  }

  // ── internals ──────────────────────────────────────────────────────────────

  private write(fn: () => void): void {
    this.doc.transact(() => {
      if (this.maps.meta.get('layoutVersion') !== LAYOUT_VERSION) this.maps.meta.set('layoutVersion', LAYOUT_VERSION);
      try {
        fn();
      } finally {
        this.changeLog.flush();
      }
    }, this);
  }

  private recordOf(map: RecordTransition['map'], id: string): unknown {
    return map === 'customers' ? this.customers.get(id) : this.maps.groups.get(id);
  }

  private putRecord(map: RecordTransition['map'], id: string, record: ClockedRecord): void {
    if (map === 'customers') this.customers.set(id, record);
    else this.maps.groups.set(id, record);
  }

  /** Writes a field patch with bookkeeping and one stamp newer than anything in the record. */
  private stampedWrite(map: RecordTransition['map'], id: string, read: ClockedRecord, patch: Record<string, unknown>, stamp?: number): RecordTransition {
    // Written onto the record as stored, not as the schema reads it (defaults filled in): another till
    // holding the stored form would otherwise see the same values in another form, and its join would
    // write every edited record back once more.
    const stored = this.recordOf(map, id);
    const before = isClockedRecord(stored) ? stored : read;
    const stamps = [before.clock, ...Object.values(before.clocks)];
    for (const s of stamps) this.clock.observe(s);
    let at = stamp ?? this.clock.tick();
    if (stamps.some((s) => s >= at)) at = this.clock.tick();
    // A stamp the clock would not follow (a till whose clock ran more than a day ahead) is still passed by
    // this record's write: an edit made after seeing a value must win over it, as it does by the clock.
    const newest = Math.max(...stamps);
    if (newest >= at) at = newest + 1;
    const full = { ...patch, updatedAt: Date.now(), updatedBy: this.tillId };
    // An edit on a record that reads as live must not leave an older tombstone able to win again.
    if (!('deletedAt' in patch) && hasOutlivedTombstone(before)) Object.assign(full, { deletedAt: null, deletedBy: null });
    const after = stampPatch(before, full, at);
    this.putRecord(map, id, after);
    if (map === 'customers') this.changeLog.note(id, before, after, at);
    return { map, id, before, after };
  }

  private change(map: RecordTransition['map'], id: string, before: ClockedRecord, patch: Record<string, unknown>, options = { undoable: true }): void {
    if (!Object.keys(patch).length) return;
    let step: RecordTransition | undefined;
    this.write(() => {
      step = this.stampedWrite(map, id, before, patch);
    });
    if (step && options.undoable) this.history.record([step]);
  }

  private replay(step: UndoTransition[], direction: 'undo' | 'redo'): void {
    const stamp = this.clock.tick();
    this.write(() => {
      for (const t of direction === 'undo' ? [...step].reverse() : step) {
        if (t.map === 'settings') {
          this.replaySetting(t.key, ...(direction === 'undo' ? ([t.after, t.before] as const) : ([t.before, t.after] as const)));
          continue;
        }
        const current = this.recordOf(t.map, t.id);
        if (!isClockedRecord(current)) continue;
        // A field a creation left out reads as its empty value: compared written in, or '' and a missing key would differ.
        const full = t.map === 'customers' ? withOmittedFields : <T extends ClockedRecord>(record: T) => record;
        const [from, to] = direction === 'undo' ? [t.after, t.before] : [t.before, t.after];
        const patch = revertPatch(full(current), full(from), full(to));
        if (Object.keys(patch).length) this.stampedWrite(t.map, t.id, current, patch, stamp);
      }
    });
  }

  /** A setting goes back (or forward) only while it still holds what this till wrote. */
  private replaySetting(key: string, from: unknown, to: unknown): void {
    if (sameRecord(this.maps.settings.get(key) ?? null, from)) this.maps.settings.set(key, to);
  }

  /** Validates a new customer and builds its record (not yet written). */
  private prepareNew(input: NewCustomerInput): Result<StoredCustomer> {
    const checked = this.checkNew(input);
    return checked.ok ? { ok: true, value: this.newRecord(checked.value) } : checked;
  }

  /** The record of a checked new customer: its ids, addresses and stamps. */
  private newRecord({ fields, billingAddress, shippingAddress }: CheckedNewCustomer): StoredCustomer {
    const addresses: Record<string, AddressFields> = {};
    const billingAddressId = billingAddress ? newId() : null;
    if (billingAddressId && billingAddress) addresses[billingAddressId] = billingAddress;
    let shippingAddressId = shippingAddress === 'same-as-billing' ? billingAddressId : null;
    if (shippingAddress && shippingAddress !== 'same-as-billing') {
      shippingAddressId = newId();
      addresses[shippingAddressId] = shippingAddress;
    }
    return {
      v: 1,
      id: newId(),
      ...fields,
      addresses,
      billingAddressId,
      shippingAddressId,
      ...this.freshStamps(),
      purgedAt: null,
      mergedInto: null,
    };
  }

  /** What every new record (customer or group) starts with: made and last changed here, now, not deleted. */
  private freshStamps() {
    const now = Date.now();
    return {
      createdAt: now,
      createdBy: this.tillId,
      updatedAt: now,
      updatedBy: this.tillId,
      deletedAt: null,
      deletedBy: null,
      clock: this.clock.tick(),
      clocks: {},
    };
  }

  /** The undo step of a creation: undoing it deletes the record. */
  private creation(map: RecordTransition['map'], record: ClockedRecord & { id: string }): RecordTransition {
    return { map, id: record.id, before: { ...record, deletedAt: Date.now(), deletedBy: this.tillId }, after: record };
  }

  private editable(id: string): Result<{ raw: StoredCustomer }> {
    const read = this.read(id);
    if (!read) return fail('id', messages.unknownCustomer);
    if (!read.ok) return fail('id', messages.invalidRecord);
    if (read.customer.deleted) return fail('id', messages.customerDeleted);
    return { ok: true, value: { raw: read.raw } };
  }

  private checkFields(input: CustomerInput, selfId?: string, alsoHeld: readonly string[] = []): Result<CustomerFields> {
    const settings = this.settings();
    // A value the customer already held is not this edit's duplicate: two tills that created one person
    // apart can still edit either record (the pair stays listed by duplicates() until merged).
    const held = selfId ? this.read(selfId) : undefined;
    // Numbers already stored, taken as they are while the phone module is not there (see readPhone).
    const heldPhones = held?.ok ? [held.raw.phone, ...alsoHeld] : alsoHeld;
    const validated = validateCustomerFields(input, settings, heldPhones);
    const errors = validated.ok ? [] : [...validated.errors];
    const failed = new Set(errors.map((e) => e.field));
    // Duplicates are reported alongside other problems, so a cashier fixes everything in one pass.
    const phone = validated.ok ? { ok: true, e164: validated.value.phone } : readPhone(String(input.phone ?? '').trim(), settings.defaultCountry, heldPhones);
    const candidate = {
      email: String(input.email ?? '')
        .trim()
        .toLowerCase(),
      phone: phone.ok ? phone.e164 : '',
      cardBarcode: String(input.cardBarcode ?? '').trim(),
    };
    const alreadyHeld = (field: UniqueField | 'groupId', value: string) => held?.ok === true && held.raw[field] === value;
    errors.push(
      ...this.uniqueConflicts(candidate, selfId).filter((e) => !failed.has(e.field) && !alreadyHeld(e.field as UniqueField, candidate[e.field as UniqueField])),
    );
    // Nor is a group the customer was already in that another till deleted meanwhile (the two changes
    // crossed): the customer reads as in no group, and an edit of another field must not fail on it.
    const groupId = input.groupId ?? null;
    if (groupId !== null && !this.group(groupId) && !alreadyHeld('groupId', groupId)) errors.push({ field: 'groupId', message: messages.unknownGroup });
    if (!validated.ok || errors.length) return { ok: false, errors };
    return validated;
  }

  private uniqueConflicts(value: Record<UniqueField, string>, selfId?: string): FieldError[] {
    this.indexPending();
    const errors: FieldError[] = [];
    for (const field of ['email', 'phone', 'cardBarcode'] as const) {
      const holderId = value[field] ? this.unique.holder(field, value[field], selfId) : undefined;
      if (!holderId) continue;
      const holder = this.get(holderId);
      errors.push({ field, message: DUPLICATE_MESSAGE[field](holder ? displayName(holder) : holderId), existingCustomerId: holderId });
    }
    return errors;
  }

  private checkAddress(input: AddressInput, field: string, schema: typeof AddressFieldsSchema = AddressInputSchema): Result<AddressFields> {
    const parsed = schema.safeParse(input);
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, errors: fieldErrorsOf(parsed.error).map((e) => ({ ...e, field: `${field}.${e.field}` })) };
  }

  private groupNamed(name: string): Group | undefined {
    const key = fold(name.trim());
    return this.groups().find((g) => fold(g.name) === key);
  }

  private reindex(id: string, raw: unknown, remote = false, validate = true): void {
    this.noticeRevival(id, raw, remote);
    if (raw === undefined || !isLiveRecord(raw)) {
      this.index.remove(id);
      this.unique.remove(id);
      this.listing.delete(id);
    } else {
      const fields = searchableFields(id, raw);
      this.index.put(fields);
      this.unique.put(id, fields);
      this.listing.set(id, listingFields(raw));
    }
    if (validate) this.validateRecord(id, raw);
  }

  /** Notes whether a record is invalid; returns true when that changed what invalidRecords() lists. */
  private validateRecord(id: string, raw: unknown): boolean {
    // The structural check passes only records the schema accepts, so zod runs (for its problems) only on the rest.
    const read = raw === undefined || passesStoredSchema(id, raw) ? undefined : readCustomer(id, raw);
    if (read && !read.ok) {
      this.invalid.set(id, { id, problems: read.problems });
      return true;
    }
    return this.invalid.delete(id);
  }

  /**
   * Validation of the records a store opens with, or receives many at once (a device load, a first sync),
   * runs in slices afterwards, so the picker answers before 100k records have been checked; listeners hear of any invalid one it finds, and
   * invalidRecords() finishes the pass first, so it never answers from a partial one.
   */
  private readonly validateOpened = (): void => {
    this.validate(2_000);
    // The uniqueness index is filled in the same slices, so the first edit after an open does not wait for it.
    const uniqueLeft = this.unique.indexSome(5_000);
    this.validationTimer = this.unvalidated.length || uniqueLeft ? setTimeout(this.validateOpened, 0) : undefined;
    this.flush();
  };

  private deferValidation(ids: Iterable<string>): void {
    for (const id of ids) this.unvalidated.push(id);
    this.validationTimer ??= setTimeout(this.validateOpened, 0);
  }

  /** A record of a bulk change, indexed and validated in a slice soon (see indexSlice). */
  private indexLater(id: string, remote: boolean): void {
    this.unindexed.set(id, remote);
    this.indexTimer ??= setTimeout(this.indexSlice, 0);
  }

  /**
   * Indexing a 100k import or first sync at once blocks the page for over a second, so it runs in
   * slices after the transaction; listeners hear of each slice's customers, as of any change.
   */
  private readonly indexSlice = (): void => {
    this.indexTimer = undefined;
    this.indexPending(INDEX_SLICE_MS);
    if (this.unindexed.size) this.indexTimer = setTimeout(this.indexSlice, 0);
    this.flush();
  };

  /** Indexes waiting records for up to `budgetMs` (all of them by default: an answer needs the whole index). */
  private indexPending(budgetMs = Infinity): void {
    if (!this.unindexed.size) return;
    const started = performance.now();
    let count = 0;
    for (const [id, remote] of this.unindexed) {
      this.unindexed.delete(id);
      this.reindex(id, this.customers.peek(id), remote);
      this.changes().customers.add(id);
      if (++count % 100 === 0 && performance.now() - started > budgetMs) break;
    }
    if (this.unindexed.size) return;
    for (const resolve of this.indexWaiters.splice(0)) resolve();
  }

  private validate(count: number): void {
    for (const id of this.unvalidated.splice(Math.max(0, this.unvalidated.length - count))) {
      if (this.validateRecord(id, this.customers.peek(id))) this.changes().customers.add(id);
    }
  }

  /**
   * A customer this till deleted that another till's change makes live again — an edit made later than
   * the delete on a till that had not seen it (see isDeletedRecord), or a restore — is told to the
   * cashier who deleted it.
   */
  private noticeRevival(id: string, raw: unknown, remote: boolean): void {
    if (raw === undefined) return;
    const deletedByUs = isClockedRecord(raw) && raw.deletedBy === this.tillId && isDeletedRecord(raw);
    const mergedInto = this.deletedHere.get(id);
    if (deletedByUs) this.deletedHere.set(id, mergeTarget(raw));
    else if (this.deletedHere.delete(id) && remote && isLiveRecord(raw)) {
      const byTill = String((raw as ClockedRecord).updatedBy);
      this.changes().notices.push(
        mergedInto ? { kind: 'merge-overridden', customerId: id, byTill, mergedInto } : { kind: 'delete-overridden', customerId: id, byTill },
      );
    }
  }

  private changes() {
    this.pending ??= { customers: new Set(), groups: false, settings: false, local: false, notices: [] };
    return this.pending;
  }

  private readonly onCustomers = (event: Y.YMapEvent<unknown>, tx: Y.Transaction): void => {
    this.changeTransactions++;
    const pending = this.changes();
    const load = this.load && tx.origin === this.load.origin ? this.load : undefined;
    if (load) {
      this.load = undefined;
      // The keys alone: `event.changes` would build a change record for each of 100k keys.
      const keys = [...event.keysChanged].filter((key): key is string => typeof key === 'string');
      // Into an empty store (the device load of every open) nothing can need a join: its customers are
      // restored or indexed as they are, once the snapshot is read.
      if (this.holdsNothing()) {
        if (load.arriving) load.keys = keys;
        else this.finishLoad(load.snapshot, keys);
        return;
      }
    }
    // A whole store arriving at once (a first sync, an import, another till's bulk change) is indexed and
    // validated in slices afterwards, records decoded without filling the read cache; a device load into
    // a store that held customers is indexed at once below, since whenReady promises a searchable store.
    const bulk = event.changes.keys.size > BULK_CHANGE;
    const remote = tx.origin !== this;
    pending.local ||= !remote;
    for (const [id, change] of event.changes.keys) {
      // The same record in another till's write (every till that sees a collision writes the same join,
      // and Yjs keeps one of the copies): nothing to index, validate or join.
      if (change.action === 'update' && change.oldValue === this.maps.customers.get(id)) continue;
      let raw: unknown;
      if (bulk) this.indexLater(id, remote);
      else {
        this.unindexed.delete(id);
        raw = this.customers.reread(id);
        this.reindex(id, raw, remote);
        pending.customers.add(id);
      }
      if (!remote) continue;
      if (change.action === 'update') {
        // Only a value written without seeing the one it replaced can need a join (a reconnecting till's
        // edits of customers no one else touched cannot), and only one that is a record at all: the
        // replaced value is decoded only then.
        if (this.customers.writtenOver(id, change.oldValue)) continue;
        const incoming = bulk ? this.customers.peek(id) : raw;
        if (isClockedRecord(incoming)) this.rejoin('customers', id, decodeCustomer(change.oldValue), incoming);
      }
      // A value can vanish for a moment when an update arrives before one it depends on (Yjs keeps it
      // pending); when the record reappears it is joined with what was there before it vanished.
      else if (change.action === 'delete') this.vanished.set(id, decodeCustomer(change.oldValue));
      else if (this.vanished.has(id)) {
        this.rejoin('customers', id, this.vanished.get(id), this.current(id, bulk));
        this.vanished.delete(id);
      }
    }
    // This till's own bulk writes (a bulk delete, an undo, createMany) are indexed at once: their callers
    // read the outcome right away. An import's caller waits for whenIndexed instead.
    if (bulk && ((!remote && !this.committingImport) || load)) this.indexPending();
    this.writeRejoined();
  };

  /** A record as stored now; one of a bulk change is decoded without filling the read cache. */
  private current(id: string, bulk: boolean): unknown {
    return bulk ? this.customers.peek(id) : this.customers.get(id);
  }

  private readonly onGroups = (event: Y.YMapEvent<unknown>, tx: Y.Transaction): void => {
    this.changeTransactions++;
    const pending = this.changes();
    pending.groups = true;
    pending.local ||= tx.origin === this;
    if (tx.origin === this) return;
    for (const [id, change] of event.changes.keys) {
      if (change.action === 'update') this.rejoin('groups', id, change.oldValue, this.maps.groups.get(id));
    }
    this.writeRejoined();
  };

  private readonly onSettings = (_event: Y.YMapEvent<unknown>, tx: Y.Transaction): void => {
    const pending = this.changes();
    pending.settings = true;
    pending.local ||= tx.origin === this;
  };

  /**
   * Another till's write replaced a record this till held. If the replaced value had field versions
   * the new one lacks (a concurrent edit lost in Yjs's whole-value conflict), write the field-wise join.
   */
  private rejoin(map: RecordTransition['map'], id: string, previous: unknown, incoming: unknown): void {
    if (!isClockedRecord(previous) || !isClockedRecord(incoming)) return;
    const joined = joinRecords(previous, incoming);
    if (sameRecord(joined, incoming)) return;
    // Every till that held `previous` finds this join, and copies written by all of them would cost every
    // till one copy from each. The till whose edit it saves holds `previous` and writes it at once; the
    // others write it later only if its copy has not come (that till offline, closed, or moved on).
    this.rejoined.push({ map, id, record: joined, awaited: previous.updatedBy !== this.tillId });
  }

  /**
   * The joins an observer found, written in one transaction: one each would make Yjs encode every later
   * one into each earlier one's update (nested transactions run after the observer), traffic growing as
   * the square of the records a reconnecting till brings.
   */
  private writeRejoined(): void {
    const found = this.rejoined.splice(0);
    const joins = found.filter((join) => !join.awaited);
    if (joins.length) this.doc.transact(() => joins.forEach(({ map, id, record }) => this.putRecord(map, id, record)), this);
    const awaited = found.filter((join) => join.awaited);
    if (!awaited.length) return;
    const timer = setTimeout(
      () => {
        this.awaitedJoins.delete(timer);
        this.writeMissingJoins(awaited);
      },
      JOIN_WAIT_MS + Math.random() * JOIN_JITTER_MS,
    );
    this.awaitedJoins.set(timer, awaited);
  }

  /** Joins waited for, written where what is stored now lacks something they hold, joined with it. */
  private writeMissingJoins(awaited: readonly PendingJoin[]): void {
    const byRecord = new Map<string, PendingJoin>();
    for (const join of awaited) {
      const key = `${join.map}/${join.id}`;
      const same = byRecord.get(key);
      byRecord.set(key, same ? { ...join, record: joinRecords(same.record, join.record) } : join);
    }
    const joins: PendingJoin[] = [];
    for (const join of byRecord.values()) {
      const stored = this.recordOf(join.map, join.id);
      // Nothing readable is stored (a value gone for a moment, see onCustomers): written as found, as at once it would have been.
      if (!isClockedRecord(stored)) joins.push(join);
      else {
        const record = joinRecords(stored, join.record);
        if (!sameRecord(record, stored)) joins.push({ ...join, record });
      }
    }
    if (joins.length) this.doc.transact(() => joins.forEach(({ map, id, record }) => this.putRecord(map, id, record)), this);
  }

  /**
   * The load transaction of a store that had no customers: everything the snapshot knows is restored
   * as it was, and only keys whose value is not the one it saw are decoded and indexed, as a load would.
   */
  private restoreSnapshot(snapshot: OpenSnapshot, loaded: readonly string[]): boolean {
    let restored: ReturnType<SearchIndex['restore']>;
    try {
      const adopted = this.adoptable?.from === snapshot.index && this.index.size === 0 ? this.adoptable : undefined;
      this.adoptable = undefined;
      if (adopted) {
        this.index = adopted.index;
        restored = adopted.customers;
      } else {
        restored = this.index.restore(snapshot.index);
      }
    } catch (error) {
      console.warn('pos-customers: the saved search snapshot is unusable; indexing the customers instead', error);
      return false;
    }
    restored.forEach((customer, slot) => {
      if (!customer) return;
      this.listing.set(customer.id, {
        groupId: snapshot.groupIds[slot] ?? null,
        createdAt: snapshot.createdAt[slot] ?? 0,
        updatedAt: snapshot.updatedAt[slot] ?? 0,
      });
      this.unique.put(customer.id, customer);
    });
    for (const record of snapshot.invalid) this.invalid.set(record.id, record);
    for (const [id, mergedInto] of snapshot.deletedHere) this.deletedHere.set(id, mergedInto);
    const stale = new Set<string>();
    const check = (key: string, client: number | undefined, clock: number | undefined) => {
      const item = valueItemId(this.maps.customers, key);
      if (!item || item.client !== client || item.clock !== clock) stale.add(key);
    };
    snapshot.index.ids.forEach((id, slot) => id && check(id, snapshot.clients[slot], snapshot.clocks[slot]));
    snapshot.otherKeys.forEach((key, i) => check(key, snapshot.otherClients[i], snapshot.otherClocks[i]));
    const pending = this.changes();
    for (const id of loaded) pending.customers.add(id);
    // Every loaded key the snapshot saw with its value is one of its unchanged keys; if there are more, find the new ones.
    if (loaded.length > this.index.size + snapshot.otherKeys.length - stale.size) {
      const known = new Set([...snapshot.index.ids, ...snapshot.otherKeys]);
      for (const id of loaded) if (!known.has(id)) stale.add(id);
    }
    for (const id of stale) {
      // Indexed as a load without a snapshot would: nothing this till knew of the old value carries over.
      this.deletedHere.delete(id);
      this.invalid.delete(id);
      this.reindex(id, this.customers.peek(id), true, false);
      pending.customers.add(id);
    }
    this.deferValidation(stale);
    this.snapshotUse = { staleKeys: stale.size };
    return true;
  }

  private readonly flush = (tx?: Y.Transaction): void => {
    if (tx && tx.origin === this.load?.origin) this.load = undefined;
    const change = this.pending;
    if (!change) return;
    this.pending = undefined;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A broken listener (an element's render bug) must not stop the others or the document.
        console.error('pos-customers: a store listener failed', error);
      }
    }
  };
}
