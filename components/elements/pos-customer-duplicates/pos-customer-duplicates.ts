import { html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { StoreController } from '../../controllers/store-controller.js';
import type { PosEvent } from '../../events/pos-events.js';
import { strings } from '../../i18n/strings.js';
import { displayName, type Customer } from '../../model/customer.js';
import type { CustomerStore } from '../../store/customer-store.js';
import type { UniqueField } from '../../store/unique-index.js';
import '../pos-customer-merge/pos-customer-merge.js';
import { PosElement } from '../pos-element.js';
import { customerDuplicatesStyles } from './pos-customer-duplicates.styles.js';

/** Customers sharing one or more values, oldest first, with what they share. */
interface DuplicateSet {
  customers: Customer[];
  shared: Array<{ field: UniqueField; value: string }>;
}

/**
 * @summary Customers that look like one person — live customers with the same email, phone number or
 * loyalty card, typically created on two tills while they were apart — listed on every till as soon as
 * they meet, each set with what it shares and a "Review and merge" button. The review opens
 * <pos-customer-merge> in a dialog for the two oldest of the set (the older one kept by default); a set
 * of three is merged a pair at a time.
 *
 * @event pos-merge-request - Cancelable, sent by "Review and merge" with `{ keepId, removeId }`. Cancel it
 *   to show your own <pos-customer-merge>; otherwise the element opens its dialog.
 * @event pos-customers-merged - Sent by the <pos-customer-merge> in the dialog after a merge (it bubbles
 *   out of this element). Detail: `{ customer, removedId, movedAddressIds, defaultCustomerMoved }`.
 *
 * @csspart status - The count of duplicate sets, or what the last merge did.
 * @csspart list - The list of duplicate sets.
 * @csspart item - One set.
 * @csspart names - The customers of a set, with their phone and email.
 * @csspart shared - What they share.
 * @csspart review-button - "Review and merge".
 * @csspart dialog - The dialog holding the merge.
 * @csspart merge - The <pos-customer-merge> in the dialog.
 *
 * @cssprop --pos-notice-background - Background of a set.
 * @cssprop --pos-notice-border - Border of a set.
 * @cssprop --pos-merge-dialog-width - Width of the merge dialog (default min(48rem, 100vw - 2rem)).
 */
@customElement('pos-customer-duplicates')
export class PosCustomerDuplicates extends PosElement {
  static override styles = [PosElement.baseStyles, customerDuplicatesStyles];

  @state() private reviewing: { keepId: string; removeId: string; opener: HTMLElement | null } | undefined;
  @state() private status = '';

  @query('dialog') private dialog?: HTMLDialogElement;

  private readonly store = new StoreController(this, {
    relevant: (change) => change.customers.size > 0,
    // What the last merge did is said until the list changes again (the merge's own change comes before it).
    onChange: (change) => change.customers.size > 0 && (this.status = ''),
  });

  protected override render() {
    const t = strings();
    const store = this.store.store;
    const sets = store ? duplicateSets(store) : [];
    return html`
      <p part="status" class="status" role="status" tabindex="-1">${this.status || (sets.length ? t.duplicatesCount(sets.length) : t.duplicatesNone)}</p>
      ${
        sets.length
          ? html`<ul part="list" class="list" aria-label=${t.duplicatesLabel}>
              ${sets.map((set) => this.renderSet(set))}
            </ul>`
          : nothing
      }
      <dialog part="dialog" aria-label=${t.mergeTitle} @cancel=${this.onDialogCancel}>
        ${
          this.reviewing
            ? html`<pos-customer-merge
                part="merge"
                store-ref=${this.storeRef || nothing}
                keep-id=${this.reviewing.keepId}
                remove-id=${this.reviewing.removeId}
                @pos-customers-merged=${this.onMerged}
                @pos-cancel=${this.onMergeCancel}
              ></pos-customer-merge>`
            : nothing
        }
      </dialog>
    `;
  }

  private renderSet(set: DuplicateSet): TemplateResult {
    const t = strings();
    const names = t.tillNames(set.customers.map(displayName));
    return html`<li part="item" class="item">
      <ul part="names" class="names">
        ${set.customers.map(
          (c) =>
            html`<li>
              <span class="name">${displayName(c)}</span>
              <span class="details">${[c.phone, c.email].filter(Boolean).join(' · ')}</span>
            </li>`,
        )}
      </ul>
      <p part="shared" class="shared">${set.shared.map(({ field, value }) => `${t.duplicatesShare(t.duplicateFields[field])}: ${value}`).join(' · ')}</p>
      <button
        part="review-button"
        type="button"
        aria-label=${t.duplicatesReviewNamed(names)}
        @click=${(e: Event) => this.review(set, e.currentTarget as HTMLElement)}
      >
        ${t.duplicatesReview}
      </button>
    </li>`;
  }

  private async review(set: DuplicateSet, opener: HTMLElement): Promise<void> {
    const [keep, remove] = set.customers;
    if (!keep || !remove) return;
    const detail = { keepId: keep.id, removeId: remove.id };
    if (!this.emit('pos-merge-request', detail, { cancelable: true })) return;
    this.status = '';
    this.reviewing = { ...detail, opener };
    await this.updateComplete;
    if (this.dialog && !this.dialog.open) this.dialog.showModal();
    const merge = this.renderRoot.querySelector('pos-customer-merge');
    await merge?.updateComplete;
    merge?.renderRoot.querySelector<HTMLElement>('input:checked, button')?.focus();
  }

  /** Closes the dialog; focus goes back to the review button, or (once its set is gone) to the next one or the status. */
  private close(): void {
    const opener = this.reviewing?.opener;
    this.reviewing = undefined;
    this.dialog?.close();
    void this.updateComplete.then(() => {
      const next = opener?.isConnected
        ? opener
        : (this.renderRoot.querySelector<HTMLElement>('[part="review-button"]') ?? this.renderRoot.querySelector<HTMLElement>('[part="status"]'));
      next?.focus();
    });
  }

  private readonly onMerged = (event: PosEvent<'pos-customers-merged'>): void => {
    const store = this.store.store;
    const removed = store?.get(event.detail.removedId);
    this.status = strings().duplicatesMerged(removed ? displayName(removed) : event.detail.removedId, displayName(event.detail.customer));
    this.close();
  };

  private readonly onMergeCancel = (event: PosEvent<'pos-cancel'>): void => {
    // Closing the review is this element's business, not a cancel of whatever dialog the page holds it in.
    event.stopPropagation();
    this.close();
  };

  private readonly onDialogCancel = (event: Event): void => {
    event.preventDefault();
    this.close();
  };
}

/** The store's shared values grouped by the customers sharing them (two customers sharing email and phone are one set). */
function duplicateSets(store: CustomerStore): DuplicateSet[] {
  const sets = new Map<string, DuplicateSet>();
  for (const { field, value, customerIds } of store.duplicates()) {
    const customers = customerIds
      .map((id) => store.get(id))
      .filter((c): c is Customer => c !== undefined && !c.deleted)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    if (customers.length < 2) continue;
    const key = customers.map((c) => c.id).join(' ');
    const set = sets.get(key) ?? { customers, shared: [] };
    set.shared.push({ field, value });
    sets.set(key, set);
  }
  return [...sets.values()];
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customer-duplicates': PosCustomerDuplicates;
  }
}
