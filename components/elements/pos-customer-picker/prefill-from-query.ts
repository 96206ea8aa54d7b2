import type { CustomerInput } from '../../model/customer.js';
import { isPhoneQuery } from '../../store/search-text.js';

const EMAIL_LIKE = /^[^\s@]+@[^\s@]*$/;

/**
 * What the cashier typed into the search, put where it belongs in a new customer: a phone number in
 * `phone` (as typed; the store normalises it), an email in `email`, otherwise a name — first word the
 * first name, the rest the last name.
 */
export function prefillFromQuery(query: string): Partial<CustomerInput> {
  const text = query.trim();
  if (!text) return {};
  if (isPhoneQuery(text)) return { phone: text };
  if (EMAIL_LIKE.test(text)) return { email: text };
  const [firstName = '', ...rest] = text.split(/\s+/);
  return { firstName, lastName: rest.join(' ') };
}
