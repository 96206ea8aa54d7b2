import * as Y from 'yjs';
import { AddressFieldsSchema, type Address, type AddressFields, type AddressInput } from '../model/address.js';
import {
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
import { normalizePhone } from '../model/phone.js';
import { messages } from '../model/messages.js';
import { SettingsSchema, defaultSettings, settingKeys, type Settings, type SettingsInput } from '../model/settings.js';
import { LAYOUT_VERSION, storeMaps, type StoreMaps } from './document-layout.js';
import { HybridClock } from './hybrid-clock.js';
import { isClockedRecord, isDeletedRecord, joinRecords, sameRecord, stampPatch, type ClockedRecord } from './record-merge.js';
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
import { SearchIndex, type SearchResult } from './search-index.js';
import { fold } from './search-text.js';
import { UniqueIndex, uniqueFields, type UniqueField } from './unique-index.js';
import { UndoHistory, revertPatch, type RecordTransition } from './undo-history.js';

/** Something the cashier of this till should be told about another till's change. */
export interface StoreNotice {
  kind: 'delete-overridden';
  customerId: string;
  /** The till whose concurrent edit kept the customer this till had deleted. */
  byTill: string;
}

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
  /** Wall clock in microseconds (tests pin it to make ties). */
  wallMicros?: () => number;
}

export interface DeleteOutcome {
  deleted: string[];
  refused: FieldError[];
}

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

/** Writes checked customers over several transactions (see `importWriter`). */
export interface CustomerImportWriter {
  /**
   * Creates these customers in one transaction. Each is checked again only for what another till may
   * have changed since it was checked: its email, phone and card against the store's customers, and its
   * group; `rejected` indexes those refused. The caller keeps the customers of one import distinct.
   * `error` is set when the transaction threw (a document observer failed): `created` is then what the
   * document holds all the same.
   */
  write(customers: readonly CheckedNewCustomer[]): CreateManyOutcome & { error?: unknown };
  /** Makes everything written one undo step. */
  end(): void;
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
export class CustomerStore {
  readonly doc: Y.Doc;
  readonly tillId: string;
  private readonly maps: StoreMaps;
  private readonly clock: HybridClock;
  private readonly index = new SearchIndex();
  private readonly unique = new UniqueIndex();
  private readonly invalid = new Map<string, InvalidRecord>();
  /** Customers whose current state is a deletion made on this till. */
  private readonly deletedHere = new Set<string>();
  /** Records another till's update removed from the map, kept until they come back (see onCustomers). */
  private readonly vanished = new Map<string, unknown>();
  private readonly history = new UndoHistory();
  private readonly listeners = new Set<StoreListener>();
  private pending: { customers: Set<string>; groups: boolean; settings: boolean; local: boolean; notices: StoreNotice[] } | undefined;

  constructor(doc: Y.Doc, options: StoreOptions) {
    this.doc = doc;
    this.tillId = options.tillId;
    this.clock = new HybridClock(options.wallMicros);
    this.maps = storeMaps(doc);
    this.maps.customers.forEach((raw, id) => this.reindex(id, raw));
    this.maps.customers.observe(this.onCustomers);
    this.maps.groups.observe(this.onGroups);
    this.maps.settings.observe(this.onSettings);
    doc.on('afterTransaction', this.flush);
  }

  destroy(): void {
    this.maps.customers.unobserve(this.onCustomers);
    this.maps.groups.unobserve(this.onGroups);
    this.maps.settings.unobserve(this.onSettings);
    this.doc.off('afterTransaction', this.flush);
    this.listeners.clear();
  }

  /** Calls `listener` once after every transaction that changed customers, groups or settings. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ── reading ────────────────────────────────────────────────────────────────

  /** The customer with this id, validated; deleted customers are returned with `deleted: true`. */
  read(id: string): CustomerRead | undefined {
    const raw = this.maps.customers.get(id);
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

  /** Records written by another till or app that do not pass validation, with what is wrong. */
  invalidRecords(): InvalidRecord[] {
    return [...this.invalid.values()];
  }

  /** The live customer holding a card barcode, for a scan. */
  findByBarcode(barcode: string): Customer | undefined {
    const id = this.unique.holder('cardBarcode', barcode);
    return id ? this.get(id) : undefined;
  }

  /** Values several live customers share (two offline tills created the same person). */
  duplicates(): Array<{ field: UniqueField; value: string; customerIds: string[] }> {
    return [...this.unique.conflicts()].map(([field, value, customerIds]) => ({ field, value, customerIds }));
  }

  // ── customers ──────────────────────────────────────────────────────────────

  create(input: NewCustomerInput): Result<Customer> {
    const prepared = this.prepareNew(input);
    if (!prepared.ok) return prepared;
    const record = leanCustomerRecord(prepared.value);
    this.write(() => this.maps.customers.set(record.id, record));
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
    const acceptedIndex: number[] = [];
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
      else {
        accepted.push(checked.value);
        acceptedIndex.push(index);
      }
    });
    if (options.dryRun || !accepted.length) return { created: [], rejected };
    const writer = this.importWriter();
    const written = writer.write(accepted);
    writer.end();
    if (written.error !== undefined) throw written.error;
    // Nothing changed since the checks above, so the writer refuses none; mapped back all the same.
    for (const r of written.rejected) rejected.push({ index: acceptedIndex[r.index] as number, errors: r.errors });
    return { created: written.created, rejected: rejected.sort((a, b) => a.index - b.index) };
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
   * Writes customers `checkNew` accepted, one transaction per `write`, undone as one step once `end` is
   * called. An import of 100,000 customers writes them a few thousand at a time: one transaction of all
   * of them blocks the page for seconds (Yjs's cleanup of a transaction grows faster than its size).
   */
  importWriter(): CustomerImportWriter {
    const steps: RecordTransition[] = [];
    return {
      write: (customers) => {
        const records: StoredCustomerRecord[] = [];
        const rejected: CreateManyOutcome['rejected'] = [];
        const groupExists = new Map<string, boolean>();
        customers.forEach((customer, index) => {
          const { fields } = customer;
          const errors = this.uniqueConflicts({ email: fields.email, phone: fields.phone, cardBarcode: fields.cardBarcode });
          const groupId = fields.groupId ?? null;
          if (groupId !== null) {
            if (!groupExists.has(groupId)) groupExists.set(groupId, this.group(groupId) !== undefined);
            if (!groupExists.get(groupId)) errors.push({ field: 'groupId', message: messages.unknownGroup });
          }
          if (errors.length) rejected.push({ index, errors });
          else records.push(leanCustomerRecord(this.newRecord(customer)));
        });
        let error: unknown;
        try {
          if (records.length)
            this.write(() => {
              for (const record of records) this.maps.customers.set(record.id, record);
            });
        } catch (thrown) {
          error = thrown;
        }
        // Yjs applies a transaction before calling its observers, so one that threw still wrote.
        const written = error === undefined ? records : records.filter((record) => this.read(record.id) !== undefined);
        for (const record of written) steps.push(this.creation('customers', record));
        const created = written.map((r) => r.id);
        return error === undefined ? { created, rejected } : { created, rejected, error };
      },
      end: () => this.history.record(steps.splice(0)),
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
    const raw = (id: string) => this.maps.customers.get(id) as Record<string, unknown> | undefined;
    if (options.groupId !== undefined) ids = ids.filter((id) => (raw(id)?.groupId ?? null) === options.groupId);
    if (options.sort === 'created' || options.sort === 'updated') {
      const field = options.sort === 'created' ? 'createdAt' : 'updatedAt';
      // Each stamp read once: reading the document inside the comparator costs seconds at 100k.
      const stamped = ids.map((id) => {
        const at = raw(id)?.[field];
        return { id, at: typeof at === 'number' ? at : 0 };
      });
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
    const raw = this.maps.customers.get(id);
    if (!isClockedRecord(raw)) return fail('id', messages.unknownCustomer);
    if (!isDeletedRecord(raw)) return { ok: true, value: this.get(id) as Customer };
    const conflicts = this.uniqueConflicts(searchableFields(id, raw), id);
    if (conflicts.length) return { ok: false, errors: conflicts };
    this.change('customers', id, raw, { deletedAt: null, deletedBy: null });
    return { ok: true, value: this.get(id) as Customer };
  }

  /**
   * Erases a customer's personal data on request (right to erasure): names, contact data, notes and
   * addresses are cleared, the record stays as a deleted tombstone so other tills converge on the erasure.
   */
  purge(id: string): Result<void> {
    const raw = this.maps.customers.get(id);
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

  // ── addresses ──────────────────────────────────────────────────────────────

  /** A new address starts from the outlet's address (ConnectPOS), with the customer's name on it. */
  newAddressDraft(customerId?: string): AddressFields {
    const customer = customerId ? this.get(customerId) : undefined;
    const outlet = this.settings().outletAddress;
    return { ...outlet, firstName: customer?.firstName ?? '', lastName: customer?.lastName ?? '', phone: customer?.phone ?? outlet.phone };
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
    const checked = this.checkAddress({ ...existing, ...patch }, 'address');
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
    const now = Date.now();
    const id = newId();
    const record: StoredGroup = {
      v: 1,
      id,
      ...parsed.data,
      createdAt: now,
      createdBy: this.tillId,
      updatedAt: now,
      updatedBy: this.tillId,
      deletedAt: null,
      deletedBy: null,
      clock: this.clock.tick(),
      clocks: {},
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
    return this.liveIds().filter((id) => this.get(id)?.groupId === groupId);
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
        const raw = this.maps.customers.get(memberId);
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

  /** The default walk-in customer, if it is set and still live. */
  defaultCustomer(): Customer | undefined {
    const id = this.settings().defaultCustomerId;
    const customer = id ? this.get(id) : undefined;
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
      fn();
    }, this);
  }

  private mapOf(name: RecordTransition['map']): Y.Map<unknown> {
    return name === 'customers' ? this.maps.customers : this.maps.groups;
  }

  /** Writes a field patch with bookkeeping and one stamp newer than anything in the record. */
  private stampedWrite(map: RecordTransition['map'], id: string, before: ClockedRecord, patch: Record<string, unknown>, stamp?: number): RecordTransition {
    for (const s of Object.values(before.clocks)) this.clock.observe(s);
    this.clock.observe(before.clock);
    let at = stamp ?? this.clock.tick();
    if (at <= before.clock || Object.values(before.clocks).some((s) => s >= at)) at = this.clock.tick();
    const full = { ...patch, updatedAt: Date.now(), updatedBy: this.tillId };
    // An edit on a record that reads as live must not leave an older tombstone able to win again.
    if (!('deletedAt' in patch) && (before.deletedAt ?? null) !== null && !isDeletedRecord(before)) Object.assign(full, { deletedAt: null, deletedBy: null });
    const after = stampPatch(before, full, at);
    this.mapOf(map).set(id, after);
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

  private replay(step: RecordTransition[], direction: 'undo' | 'redo'): void {
    const stamp = this.clock.tick();
    this.write(() => {
      for (const t of direction === 'undo' ? [...step].reverse() : step) {
        const current = this.mapOf(t.map).get(t.id);
        if (!isClockedRecord(current)) continue;
        // A field a creation left out reads as its empty value: compared written in, or '' and a missing key would differ.
        const full = t.map === 'customers' ? withOmittedFields : <T extends ClockedRecord>(record: T) => record;
        const [from, to] = direction === 'undo' ? [t.after, t.before] : [t.before, t.after];
        const patch = revertPatch(full(current), full(from), full(to));
        if (Object.keys(patch).length) this.stampedWrite(t.map, t.id, current, patch, stamp);
      }
    });
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
    const now = Date.now();
    return {
      v: 1,
      id: newId(),
      ...fields,
      addresses,
      billingAddressId,
      shippingAddressId,
      createdAt: now,
      createdBy: this.tillId,
      updatedAt: now,
      updatedBy: this.tillId,
      deletedAt: null,
      deletedBy: null,
      purgedAt: null,
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

  private checkFields(input: CustomerInput, selfId?: string): Result<CustomerFields> {
    const settings = this.settings();
    const validated = validateCustomerFields(input, settings);
    const errors = validated.ok ? [] : [...validated.errors];
    const failed = new Set(errors.map((e) => e.field));
    // Duplicates are reported alongside other problems, so a cashier fixes everything in one pass.
    const phone = normalizePhone(String(input.phone ?? ''), settings.defaultCountry);
    const candidate = {
      email: String(input.email ?? '')
        .trim()
        .toLowerCase(),
      phone: phone.ok ? phone.e164 : '',
      cardBarcode: String(input.cardBarcode ?? '').trim(),
    };
    errors.push(...this.uniqueConflicts(candidate, selfId).filter((e) => !failed.has(e.field)));
    const groupId = input.groupId ?? null;
    if (groupId !== null && !this.group(groupId)) errors.push({ field: 'groupId', message: messages.unknownGroup });
    if (!validated.ok || errors.length) return { ok: false, errors };
    return validated;
  }

  private uniqueConflicts(value: Record<UniqueField, string>, selfId?: string): FieldError[] {
    const errors: FieldError[] = [];
    for (const field of ['email', 'phone', 'cardBarcode'] as const) {
      const holderId = value[field] ? this.unique.holder(field, value[field], selfId) : undefined;
      if (!holderId) continue;
      const holder = this.get(holderId);
      errors.push({ field, message: DUPLICATE_MESSAGE[field](holder ? displayName(holder) : holderId), existingCustomerId: holderId });
    }
    return errors;
  }

  private checkAddress(input: AddressInput, field: string): Result<AddressFields> {
    const parsed = AddressFieldsSchema.safeParse(input);
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, errors: fieldErrorsOf(parsed.error).map((e) => ({ ...e, field: `${field}.${e.field}` })) };
  }

  private groupNamed(name: string): Group | undefined {
    const key = fold(name.trim());
    return this.groups().find((g) => fold(g.name) === key);
  }

  private reindex(id: string, raw: unknown, remote = false): void {
    this.noticeRevival(id, raw, remote);
    if (raw === undefined || !isLiveRecord(raw)) {
      this.index.remove(id);
      this.unique.remove(id);
    } else {
      const fields = searchableFields(id, raw);
      this.index.put(fields);
      this.unique.put(id, fields);
    }
    // The structural check passes only records the schema accepts, so zod runs (for its problems) only on the rest.
    const read = raw === undefined || passesStoredSchema(id, raw) ? undefined : readCustomer(id, raw);
    if (read && !read.ok) this.invalid.set(id, { id, problems: read.problems });
    else this.invalid.delete(id);
  }

  /**
   * A customer this till deleted that another till's change makes live again — an edit made later than
   * the delete on a till that had not seen it (see isDeletedRecord), or a restore — is told to the
   * cashier who deleted it.
   */
  private noticeRevival(id: string, raw: unknown, remote: boolean): void {
    if (raw === undefined) return;
    const deletedByUs = isClockedRecord(raw) && raw.deletedBy === this.tillId && isDeletedRecord(raw);
    if (deletedByUs) this.deletedHere.add(id);
    else if (this.deletedHere.delete(id) && remote && isLiveRecord(raw)) {
      this.changes().notices.push({ kind: 'delete-overridden', customerId: id, byTill: String((raw as ClockedRecord).updatedBy) });
    }
  }

  private changes() {
    this.pending ??= { customers: new Set(), groups: false, settings: false, local: false, notices: [] };
    return this.pending;
  }

  private readonly onCustomers = (event: Y.YMapEvent<unknown>, tx: Y.Transaction): void => {
    const pending = this.changes();
    pending.local ||= tx.origin === this;
    for (const [id, change] of event.changes.keys) {
      const raw = this.maps.customers.get(id);
      this.reindex(id, raw, tx.origin !== this);
      pending.customers.add(id);
      if (tx.origin === this) continue;
      if (change.action === 'update') this.rejoin('customers', id, change.oldValue, raw);
      // A value can vanish for a moment when an update arrives before one it depends on (Yjs keeps it
      // pending); when the record reappears it is joined with what was there before it vanished.
      else if (change.action === 'delete') this.vanished.set(id, change.oldValue);
      else if (this.vanished.has(id)) {
        this.rejoin('customers', id, this.vanished.get(id), raw);
        this.vanished.delete(id);
      }
    }
  };

  private readonly onGroups = (event: Y.YMapEvent<unknown>, tx: Y.Transaction): void => {
    const pending = this.changes();
    pending.groups = true;
    pending.local ||= tx.origin === this;
    if (tx.origin === this) return;
    for (const [id, change] of event.changes.keys) {
      if (change.action === 'update') this.rejoin('groups', id, change.oldValue, this.maps.groups.get(id));
    }
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
    this.doc.transact(() => this.mapOf(map).set(id, joined), this);
  }

  private readonly flush = (): void => {
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
