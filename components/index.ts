// Registers every element. A host page imports this once (or single elements from their folders).
export { PosCustomers } from './elements/pos-customers/pos-customers.js';
export { PosSyncStatus } from './elements/pos-sync-status/pos-sync-status.js';
export { setStrings, strings, type Strings } from './i18n/strings.js';
export type { PosEventDetails, PosEventName } from './events/pos-events.js';
