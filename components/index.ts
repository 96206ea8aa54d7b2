// Registers every element. A host page imports this once (or single elements from their folders).
export { PosCustomers } from './elements/pos-customers/pos-customers.js';
export { PosCustomerForm } from './elements/pos-customer-form/pos-customer-form.js';
export { PosAddressEditor } from './elements/pos-address-editor/pos-address-editor.js';
export { PosCustomerPicker } from './elements/pos-customer-picker/pos-customer-picker.js';
export { PosSyncStatus } from './elements/pos-sync-status/pos-sync-status.js';
export { setStrings, strings, type Strings } from './i18n/strings.js';
export type { PosEventDetails, PosEventName } from './events/pos-events.js';
