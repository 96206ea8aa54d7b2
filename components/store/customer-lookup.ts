import type { Customer } from '../model/customer.js';
import type { InvalidRecord } from './record-views.js';
import type { SearchResult } from './search-index.js';

/** What a row of search results shows of a customer. */
export type CustomerSummary = Pick<Customer, 'id' | 'firstName' | 'lastName' | 'email' | 'phone' | 'groupId' | 'deleted'>;

export type SummaryRead = { ok: true; customer: CustomerSummary } | ({ ok: false } & InvalidRecord);

/**
 * The reading side of a store that finding a customer needs. CustomerStore answers it from the document;
 * CustomerPreview answers it from the device's open snapshot while the store's code and the document are
 * still loading, so a till can search as soon as the snapshot is read. Only the store holds customers
 * whole: choosing one for a sale waits for it.
 */
export interface CustomerLookup {
  readonly liveCount: number;
  search(query: string, limit?: number): SearchResult;
  read(id: string): SummaryRead | undefined;
  group(id: string): { name: string } | undefined;
  settings(): { defaultCustomerId: string | null };
  defaultCustomer(): CustomerSummary | undefined;
  resolveCustomerId(id: string): string;
  findByBarcode(barcode: string): CustomerSummary | undefined;
  invalidRecords(options: { soFar?: boolean }): InvalidRecord[];
}
