import type { Customer } from '../model/customer.js';
import type { Address } from '../model/address.js';

/**
 * Every event our elements send, with its detail type. All bubble and cross shadow roots (composed),
 * so a host page can listen on any ancestor: `document.addEventListener('pos-customer-select', …)`.
 */
export interface PosEventDetails {
  /**
   * A customer was chosen in the picker (`customer` is null when the selection was cleared). When the choice
   * moved without the cashier (the chosen customer was deleted or merged, on any till), `reason` says why and
   * `previous` is the customer it moved from, so a host can tell the cashier.
   */
  'pos-customer-select': { customer: Customer | null; reason?: 'deleted' | 'merged'; previous?: Customer };
  /** The form saved a customer; `created` is true for a new one. */
  'pos-customer-save': { customer: Customer; created: boolean };
  /** The cashier closed a form or dialog without saving. */
  'pos-cancel': Record<string, never>;
  /** The picker asks the host to create a customer from what was typed (the picker opens its own form unless this is cancelled). */
  'pos-customer-create-request': { query: string };
  /** A customer should be opened: a duplicate the form named, or Edit in the list. */
  'pos-customer-open': { customerId: string };
  /** Addresses of a customer changed in the address editor. */
  'pos-address-change': { customerId: string; addresses: Address[] };
  /** The connection element opened (or switched to) a store. */
  'pos-store-ready': { storeId: string; tillId: string };
  /** <pos-customers> connected the open store to the sync server, once the device's customers were loaded. */
  'pos-store-connected': { storeId: string; tillId: string };
  /**
   * The list is about to delete these customers (the manager confirmed). Push `{ customerId, reason }` into
   * `refusals` to keep some (e.g. "has orders"); `preventDefault()` keeps them all. Every kept customer is
   * shown to the manager with its reason.
   */
  'pos-customer-delete-request': { customerIds: string[]; refusals: Array<{ customerId: string; reason: string }> };
  /** A group was created or edited in <pos-customer-groups>. */
  'pos-group-save': { group: import('../model/group.js').Group; created: boolean };
  /** A group was deleted; its `moved` members went to the group `movedTo` (null: no group). */
  'pos-group-delete': { group: import('../model/group.js').Group; moved: number; movedTo: string | null };
  /** <pos-store-settings> saved settings (the form, or a new walk-in customer). */
  'pos-settings-save': { settings: import('../model/settings.js').Settings };
  /** <pos-customer-import> created customers from a file; `notImported` rows were skipped with reasons shown. */
  'pos-import-complete': { created: string[]; notImported: number };
  /** <pos-customer-import> made an export; `preventDefault()` to handle `csv` yourself instead of the download. */
  'pos-customers-export': { csv: string; count: number; filename: string };
  /** <pos-customer-history> wrote a field's earlier value back (`field` as the history names it: `email`, `addresses.<id>`, `deleted`). */
  'pos-field-restore': { customer: Customer; field: string };
  /** <pos-customer-duplicates> asks to review a pair; `preventDefault()` to open your own <pos-customer-merge> instead of its dialog. */
  'pos-merge-request': { keepId: string; removeId: string };
  /** <pos-customer-merge> merged `removedId` into `customer` (the kept one, as it now is). */
  'pos-customers-merged': import('../store/customer-store.js').MergeOutcome;
}

export type PosEventName = keyof PosEventDetails;
export type PosEvent<N extends PosEventName> = CustomEvent<PosEventDetails[N]>;

declare global {
  interface GlobalEventHandlersEventMap {
    'pos-customer-select': PosEvent<'pos-customer-select'>;
    'pos-customer-save': PosEvent<'pos-customer-save'>;
    'pos-cancel': PosEvent<'pos-cancel'>;
    'pos-customer-create-request': PosEvent<'pos-customer-create-request'>;
    'pos-customer-open': PosEvent<'pos-customer-open'>;
    'pos-address-change': PosEvent<'pos-address-change'>;
    'pos-store-ready': PosEvent<'pos-store-ready'>;
    'pos-store-connected': PosEvent<'pos-store-connected'>;
    'pos-customer-delete-request': PosEvent<'pos-customer-delete-request'>;
    'pos-group-save': PosEvent<'pos-group-save'>;
    'pos-group-delete': PosEvent<'pos-group-delete'>;
    'pos-settings-save': PosEvent<'pos-settings-save'>;
    'pos-import-complete': PosEvent<'pos-import-complete'>;
    'pos-customers-export': PosEvent<'pos-customers-export'>;
    'pos-field-restore': PosEvent<'pos-field-restore'>;
    'pos-merge-request': PosEvent<'pos-merge-request'>;
    'pos-customers-merged': PosEvent<'pos-customers-merged'>;
  }
}

/** Sends a typed, bubbling, composed event; returns false if a listener cancelled it. */
export function emit<N extends PosEventName>(target: EventTarget, name: N, detail: PosEventDetails[N], options: { cancelable?: boolean } = {}): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false }));
}
