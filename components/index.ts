// Registers every element. A host page imports this once (or single elements from their folders).
export { PosCustomers } from './elements/pos-customers/pos-customers.js';
export { PosCustomerForm } from './elements/pos-customer-form/pos-customer-form.js';
export { PosAddressEditor } from './elements/pos-address-editor/pos-address-editor.js';
export { PosCustomerHistory } from './elements/pos-customer-history/pos-customer-history.js';
export { PosCustomerPicker } from './elements/pos-customer-picker/pos-customer-picker.js';
export { PosStoreNotices } from './elements/pos-store-notices/pos-store-notices.js';
export { PosCustomerGroups } from './elements/pos-customer-groups/pos-customer-groups.js';
export { PosStoreSettings } from './elements/pos-store-settings/pos-store-settings.js';
export { PosCustomerImport } from './elements/pos-customer-import/pos-customer-import.js';
export { CSV_COLUMNS, exportCustomersCsv, parseCustomersCsv, previewImport, importCustomers } from './store/customer-csv.js';
export { PosCustomerList } from './elements/pos-customer-list/pos-customer-list.js';
export { PosCustomerMerge } from './elements/pos-customer-merge/pos-customer-merge.js';
export { PosCustomerDuplicates } from './elements/pos-customer-duplicates/pos-customer-duplicates.js';
export { PosSyncStatus } from './elements/pos-sync-status/pos-sync-status.js';
export { setStrings, strings, type Strings } from './i18n/strings.js';
export type { PosEventDetails, PosEventName } from './events/pos-events.js';
