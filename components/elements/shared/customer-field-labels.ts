import { strings } from '../../i18n/strings.js';
import type { CustomerFieldName } from '../../model/customer.js';

/** A customer field's name as the cashier reads it: beside its control, in a conflict note, in a merge row. */
export function customerFieldLabel(field: CustomerFieldName): string {
  const t = strings();
  const labels: Record<CustomerFieldName, string> = {
    firstName: t.firstName,
    lastName: t.lastName,
    email: t.email,
    phone: t.phone,
    groupId: t.group,
    cardBarcode: t.cardBarcode,
    notes: t.notes,
  };
  return labels[field];
}
