/**
 * Every sentence the model says to a cashier, in one place so a host can translate them.
 * Keys are stable codes; elements and tests match on codes, people read the messages.
 */
export const messages = {
  nameRequired: 'Enter a first or last name.',
  tooLong: (max: number) => `Keep this under ${max} characters.`,
  emailInvalid: 'This email address does not look right (example: name@shop.com).',
  emailRequired: 'An email address is required in this store.',
  phoneInvalid:
    'This phone number does not look right. Type it as the customer says it; a number from another country with its country code, for example +84 912 345 678.',
  phoneRequired: 'A phone number is required in this store.',
  phoneNotReady: 'Phone numbers cannot be checked yet: this till is still loading its phone rules. Try again in a moment.',
  countryInvalid: 'Choose a country (two-letter code such as VN or US).',
  barcodeInvalid: 'A card barcode holds letters, digits and - . / only.',
  duplicateEmail: (name: string) => `This email is already in use by ${name}.`,
  duplicatePhone: (name: string) => `This phone number is already in use by ${name}.`,
  duplicateBarcode: (name: string) => `This card is already assigned to ${name}.`,
  duplicateInBatch: (row: number) => `The same value is already used in row ${row} of this import.`,
  duplicateGroup: 'A group with this name already exists.',
  groupNameRequired: 'Enter a group name.',
  discountRange: 'A discount is a percentage from 0 to 100.',
  unknownGroup: 'This group no longer exists. Choose another group.',
  unknownCustomer: 'This customer no longer exists.',
  unknownAddress: 'This address no longer exists.',
  customerDeleted: 'This customer was deleted. Restore it before editing.',
  defaultCustomerUndeletable: 'This is the store’s default walk-in customer. Choose another default customer before deleting it.',
  invalidRecord: 'This record was saved with invalid data by another till or app.',
  unnamedCustomer: 'Unnamed customer',
  historyEntryUnknown: 'This change is no longer in the customer’s history.',
  historyEntryInvalid: 'This history entry was saved with invalid data by another till or app.',
  historyNotRestorable: 'This change cannot be restored from the history.',
  mergeSameCustomer: 'A customer cannot be merged with itself. Choose two different customers.',
} as const;
