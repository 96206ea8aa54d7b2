import { messages } from '../model/messages.js';

/**
 * Every sentence our elements show, English shipped. A host translates by calling `setStrings` with its
 * own table before the elements render; keys it leaves out stay English.
 */
const english = {
  ...messages,
  walkInCustomer: 'Walk-in customer',
  chooseCustomer: 'Choose customer',
  changeCustomer: 'Change customer',
  searchCustomers: 'Search customers by name, phone or email',
  searchLabel: 'Search customers',
  noMatches: 'No customer matches',
  recentCustomers: 'Recent customers',
  createNew: 'Create new customer',
  createNamed: (query: string) => `Create “${query}”`,
  resultsCount: (shown: number, total: number) => (total > shown ? `${shown} of ${total} customers` : `${total} customers`),
  invalidRecordLabel: 'Invalid record',
  close: 'Close',
  cancel: 'Cancel',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved',
  addCustomer: 'Add customer',
  editCustomer: 'Edit customer',
  newCustomer: 'New customer',
  basicInformation: 'Basic information',
  billingInformation: 'Billing information',
  shippingInformation: 'Shipping information',
  sameAsBilling: 'Same as billing',
  moreDetails: 'More details',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  group: 'Group',
  noGroup: 'No group',
  notes: 'Notes',
  cardBarcode: 'Loyalty card',
  company: 'Company',
  street1: 'Street',
  street2: 'Street (line 2)',
  city: 'City',
  region: 'Region / state',
  postcode: 'Postcode',
  country: 'Country (2 letters)',
  addresses: 'Addresses',
  newAddress: 'New address',
  editAddress: 'Edit address',
  removeAddress: 'Remove address',
  confirmRemoveAddress: 'Remove this address?',
  noAddresses: 'No address yet. A new address starts from the outlet’s address.',
  defaultBilling: 'Default billing',
  defaultShipping: 'Default shipping',
  useForBilling: 'Use for billing',
  useForShipping: 'Use for shipping',
  openExisting: 'Open that customer',
  fixErrors: (count: number) => (count === 1 ? 'One field needs attention.' : `${count} fields need attention.`),
  online: 'Online',
  offline: 'Offline',
  connecting: 'Connecting…',
  syncing: 'Syncing…',
  pendingChanges: (count: number) => (count === 1 ? '1 change waiting to sync' : `${count} changes waiting to sync`),
  allSynced: 'All changes synced',
  tillsOnline: (count: number) => (count === 1 ? '1 other till online' : `${count} other tills online`),
  notSavedOnDevice: 'Not saved on this device',
  accessRefused: 'The sync server refused this till’s access token',
  noStore: 'Not connected to a customer store',
  deleteOverridden: (name: string, till: string) => `${name} was edited on ${till} after you deleted it, so the customer was kept.`,
};

export type Strings = typeof english;
let current: Strings = english;

export function strings(): Strings {
  return current;
}

export function setStrings(overrides: Partial<Strings>): void {
  current = { ...english, ...overrides };
}
