import { messages } from './messages.js';

/**
 * The display name of a customer, or a placeholder for a record with no name at all. Apart from the
 * schemas in customer.ts so that an element showing names does not bundle zod and the phone module.
 */
export function displayName(c: { firstName: string; lastName: string }): string {
  return `${c.firstName} ${c.lastName}`.trim() || messages.unnamedCustomer;
}
