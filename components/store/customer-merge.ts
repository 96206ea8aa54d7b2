import type { AddressFields } from '../model/address.js';
import { customerFieldNames, type CustomerFieldName, type CustomerFields, type StoredCustomer } from '../model/customer.js';
import { sameRecord, stampOf, type ClockedRecord } from './record-merge.js';

/**
 * What merging two records of one person does, worked out before anything is written (README.md in this
 * folder, "Duplicates and merging"). The store validates the plan and writes it in one transaction.
 */

/** Which record's value the kept customer ends with: its own (`keep`) or the removed one's (`remove`). */
export type MergeSide = 'keep' | 'remove';
/** Fields a merge lets the cashier choose; the default billing and shipping addresses among them. */
export type MergeFieldName = CustomerFieldName | 'billingAddressId' | 'shippingAddressId';
/** Per field, the side whose value is kept (`keep` when not named); notes may also keep `both`, one after the other. */
export type MergePicks = { [F in MergeFieldName]?: F extends 'notes' ? MergeSide | 'both' : MergeSide };
/** Every field a merge picks, in the order a cashier reads them (a Record, so a field cannot be left out). */
const mergeFields: Record<MergeFieldName, true> = {
  firstName: true,
  lastName: true,
  email: true,
  phone: true,
  cardBarcode: true,
  groupId: true,
  notes: true,
  billingAddressId: true,
  shippingAddressId: true,
};
export const mergeFieldNames = Object.keys(mergeFields) as readonly MergeFieldName[];

export interface MergePlan {
  /** The kept customer's fields after the merge, to be checked as an edit would be. */
  fields: CustomerFields;
  /** Addresses of the removed customer to add to the kept one, by their id there. */
  addresses: Record<string, AddressFields>;
  billingAddressId: string | null;
  shippingAddressId: string | null;
}

/**
 * The kept customer after the merge. Every live address of the removed customer moves under its own id
 * (ids are UUIDs), except one the kept customer already has: the same content is not copied twice (a
 * default pointing at it points at the kept copy), different content under a taken id gets a new id, and
 * an id the kept customer removed stays removed (that address lives on in the removed record).
 */
export function planMerge(keep: StoredCustomer, remove: StoredCustomer, picks: MergePicks, newAddressId: () => string): MergePlan {
  const fields = {} as Record<CustomerFieldName, unknown>;
  for (const field of customerFieldNames) {
    const pick = picks[field] ?? 'keep';
    fields[field] = pick === 'both' ? bothNotes(keep.notes, remove.notes) : (pick === 'remove' ? remove : keep)[field];
  }
  const addresses: Record<string, AddressFields> = {};
  /** Each of the removed customer's addresses → its id on the kept customer (null: not there). */
  const movedTo = new Map<string, string | null>();
  const keptAddresses = Object.entries(keep.addresses);
  for (const [id, address] of Object.entries(remove.addresses)) {
    if (!address) continue;
    const same = keptAddresses.find(([, kept]) => kept !== null && sameRecord(kept, address));
    if (same) movedTo.set(id, same[0]);
    else if (!(id in keep.addresses)) {
      addresses[id] = address;
      movedTo.set(id, id);
    } else if (keep.addresses[id] === null) movedTo.set(id, null);
    else {
      const fresh = newAddressId();
      addresses[fresh] = address;
      movedTo.set(id, fresh);
    }
  }
  const defaultAddress = (field: 'billingAddressId' | 'shippingAddressId') => {
    if (picks[field] !== 'remove') return keep[field];
    const id = remove[field];
    return id === null ? null : (movedTo.get(id) ?? null);
  };
  return {
    fields: fields as CustomerFields,
    addresses,
    billingAddressId: defaultAddress('billingAddressId'),
    shippingAddressId: defaultAddress('shippingAddressId'),
  };
}

function bothNotes(kept: string, removed: string): string {
  return [...new Set([kept, removed].filter(Boolean))].join('\n');
}

/**
 * The customer a record was merged into, when its deletion is that merge: `mergedInto` is written with
 * the deletion, so a later plain delete of a record a concurrent edit revived (which leaves the old
 * pointer in place) is not mistaken for a merge.
 */
export function mergeTarget(record: ClockedRecord): string | null {
  const target = record.mergedInto;
  return typeof target === 'string' && target && stampOf(record, 'mergedInto') === stampOf(record, 'deletedAt') ? target : null;
}
