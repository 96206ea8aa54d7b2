import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import { displayName } from '../../model/customer.js';
import type { StoreNotice } from '../../store/customer-store.js';
import { PosElement } from '../pos-element.js';
import { storeNoticesStyles } from './pos-store-notices.styles.js';

/**
 * @summary What another till's change means for this cashier, said once: for example that a customer
 * they deleted was kept because another till edited it later (components/store/README.md, "Delete against edit"), or
 * that a customer they merged into another is back, a duplicate again, for the same reason.
 *
 * @csspart list - The list of notices.
 * @csspart notice - One notice.
 * @csspart message - Its text.
 * @csspart dismiss - Its dismiss button.
 * @cssprop --pos-notice-background - Notice background.
 * @cssprop --pos-notice-text - Notice text colour.
 * @cssprop --pos-notice-border - Notice border colour.
 */
@customElement('pos-store-notices')
export class PosStoreNotices extends PosElement {
  static override styles = [PosElement.baseStyles, storeNoticesStyles];

  @state() private notices: Array<StoreNotice & { key: number }> = [];
  private nextKey = 0;

  private readonly store = new StoreController(this, {
    relevant: (change) => change.notices.length > 0,
    onChange: (change) => {
      if (change.notices.length) this.notices = [...this.notices, ...change.notices.map((n) => ({ ...n, key: this.nextKey++ }))];
    },
    onAttach: () => (this.notices = []),
  });

  private message(notice: StoreNotice): string {
    const name = (id: string) => {
      const customer = this.store.store?.get(id);
      return customer ? displayName(customer) : id;
    };
    const till = this.store.tillName(notice.byTill);
    if (notice.kind === 'merge-overridden') return strings().mergeOverridden(name(notice.customerId), till, name(notice.mergedInto));
    return strings().deleteOverridden(name(notice.customerId), till);
  }

  protected override render() {
    return html`<div role="status" aria-live="polite">
      <ul part="list">
        ${this.notices.map(
          (notice) =>
            html`<li part="notice">
              <span part="message">${this.message(notice)}</span>
              <button
                part="dismiss"
                type="button"
                aria-label=${strings().dismiss}
                @click=${() => (this.notices = this.notices.filter((n) => n.key !== notice.key))}
              >
                ×
              </button>
            </li>`,
        )}
      </ul>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-store-notices': PosStoreNotices;
  }
}
