import * as Y from 'yjs';

/**
 * The document contract (README.md in this folder, "Document layout"): one Y.Doc per store with these top-level
 * maps and one array. Other apps may read and write it; changing a name or a record's shape needs a new version.
 */
export const LAYOUT_VERSION = 2;

export interface StoreMaps {
  /** Customer id → customer record (StoredCustomerSchema) as a JSON string (layout 1: a plain object); see stored-customers.ts. */
  customers: Y.Map<unknown>;
  /** Group id → plain group record (StoredGroupSchema). */
  groups: Y.Map<unknown>;
  /** Setting name → plain value (SettingsSchema, one key each). */
  settings: Y.Map<unknown>;
  /** `layoutVersion`: the layout version the newest writer used. */
  meta: Y.Map<unknown>;
  /** The field history: one JSON string per change (FieldChangeEntrySchema), appended only; a purge removes a customer's. */
  history: Y.Array<unknown>;
}

export function storeMaps(doc: Y.Doc): StoreMaps {
  return {
    customers: doc.getMap('customers'),
    groups: doc.getMap('groups'),
    settings: doc.getMap('settings'),
    meta: doc.getMap('meta'),
    history: doc.getArray('history'),
  };
}
