import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import type { AddressFields } from '../../model/address.js';
import type { Customer } from '../../model/customer.js';
import type { FieldChange, FieldHistoryEntry } from '../../store/field-history.js';
import { addressSummary } from '../shared/address-fields.js';
import { formFieldStyles } from '../shared/form-fields.styles.js';
import { PosElement } from '../pos-element.js';
import { customerHistoryStyles } from './pos-customer-history.styles.js';

/** How often relative times ("5 minutes ago") are brought up to date while the history is on screen. */
const CLOCK_TICK_MS = 30_000;

/**
 * @summary A customer's history: who changed which field, on which till (and by which cashier), and
 * when, newest first — including changes other tills made — with "Restore" on every change whose
 * earlier value differs from the customer's now. Restoring writes that value back as a normal edit
 * (checked like any edit, undoable, itself in the history); a refusal (the email now belongs to someone
 * else, the customer was deleted) is shown beside the change. Values render as text, never HTML.
 *
 * @event pos-field-restore - An earlier value was written back: `{ customer, field }`.
 *
 * @csspart list - The changes, an ordered list, newest first.
 * @csspart entry - One change (also `invalid-entry` for one another app wrote wrongly, `created-entry` for the creation).
 * @csspart field - What changed: the field's name, "Address added", "Customer deleted".
 * @csspart change - The values: before → after.
 * @csspart before - The value before.
 * @csspart after - The value after.
 * @csspart meta - Till, cashier and time.
 * @csspart restore-button - Writes the value before back.
 * @csspart error - Why a restore was refused, beside its change.
 * @csspart more-button - Shows older changes.
 * @csspart status - The polite announcement of a restore.
 *
 * @cssprop --pos-history-max-height - Height after which the list scrolls (default: none).
 */
@customElement('pos-customer-history')
export class PosCustomerHistory extends PosElement {
  static override styles = [PosElement.baseStyles, formFieldStyles, customerHistoryStyles];

  /** The customer whose history to show. */
  @property({ attribute: 'customer-id' }) customerId = '';
  /** How many changes show at first, and how many more each "Show older changes" adds. */
  @property({ type: Number }) limit = 20;

  @state() private shown = 0;
  /** The last refused restore: which change, and why. */
  @state() private refused: { ref: string; messages: string[] } | undefined;
  @state() private status = '';
  @state() private now = Date.now();
  private clock: ReturnType<typeof setInterval> | undefined;

  private readonly store = new StoreController(this, {
    relevant: (change) => change.groups || change.customers.has(this.customerId),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.clock = setInterval(() => (this.now = Date.now()), CLOCK_TICK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') || changed.has('limit')) {
      this.shown = this.limit;
      this.refused = undefined;
      this.status = '';
    }
    this.now = Date.now();
  }

  protected override render() {
    const t = strings();
    const store = this.store.store;
    if (!store) return html`<p>${t.noStore}</p>`;
    if (!this.customerId) return nothing;
    const entries = store.fieldHistory(this.customerId);
    const customer = store.get(this.customerId);
    const visible = entries.slice(0, this.shown);
    const older = entries.length - visible.length;
    return html`<p class="visually-hidden" part="status" role="status">${this.status}</p>
      <ol part="list" aria-label=${t.historyLabel} tabindex="-1">
        ${visible.map((entry) => (entry.ok ? this.renderChange(entry, customer) : this.renderInvalid(entry)))}
        ${older === 0 && customer ? this.renderCreated(customer) : nothing}
      </ol>
      ${entries.length === 0 ? html`<p class="empty">${t.historyNoChanges}</p>` : nothing}
      ${older > 0 ? html`<button type="button" part="more-button" @click=${() => (this.shown += this.limit)}>${t.historyShowOlder(older)}</button>` : nothing}`;
  }

  private renderChange(entry: FieldChange, customer: Customer | undefined): TemplateResult {
    const t = strings();
    const [before, after] = this.values(entry, customer);
    const refusal = this.refused?.ref === entry.ref ? this.refused.messages : undefined;
    // One refusal shows at a time, so one id serves.
    const errorId = 'restore-error';
    return html`<li part="entry">
      <div class="what">
        <span part="field">${this.label(entry)}</span>
        ${before === undefined && after === undefined ? nothing : this.renderValues(before, after)}
        ${entry.customers > 1 ? html`<span class="bulk">${t.historyBulk(entry.customers)}</span>` : nothing}
        ${this.renderMeta(entry.tillName ?? this.tillName(entry.tillId), entry.cashier, entry.at)}
      </div>
      ${
        entry.restorable
          ? html`<button
              type="button"
              part="restore-button"
              aria-label=${this.restoreLabel(entry, before ?? '')}
              aria-describedby=${refusal ? errorId : nothing}
              @click=${() => this.restore(entry, before ?? '')}
            >
              ${t.historyRestore}
            </button>`
          : nothing
      }
      ${refusal ? html`<p part="error" id=${errorId} role="alert">${refusal.join(' ')}</p>` : nothing}
    </li>`;
  }

  private renderValues(before: string | undefined, after: string | undefined): TemplateResult {
    const t = strings();
    const value = (text: string | undefined, part: string) => (text === undefined ? nothing : html`<span part=${part}>${text}</span>`);
    // No whitespace in the template but round the arrow: the values keep their own line breaks (pre-wrap).
    const arrow =
      before !== undefined && after !== undefined ? html` <span aria-hidden="true">→</span><span class="visually-hidden">${t.historyTo}</span> ` : nothing;
    return html`<span part="change">${value(before, 'before')}${arrow}${value(after, 'after')}</span>`;
  }

  private renderMeta(till: string, cashier: string | undefined, at: number): TemplateResult {
    const t = strings();
    return html`<span part="meta">
      ${t.historyBy(till, cashier)} · <time datetime=${new Date(at).toISOString()} title=${t.historyAt(at)}>${t.historyWhen(at, this.now)}</time>
    </span>`;
  }

  private renderInvalid(entry: Extract<FieldHistoryEntry, { ok: false }>): TemplateResult {
    return html`<li part="entry invalid-entry">
      <div class="what">
        <span part="field">${strings().historyInvalid}</span>
        <ul class="problems">
          ${entry.problems.map((p) => html`<li>${p}</li>`)}
        </ul>
      </div>
    </li>`;
  }

  private renderCreated(customer: Customer): TemplateResult {
    return html`<li part="entry created-entry">
      <div class="what">
        <span part="field">${strings().historyCreated}</span>
        ${this.renderMeta(this.tillName(customer.createdBy), undefined, customer.createdAt)}
      </div>
    </li>`;
  }

  /** What changed, in the cashier's words. */
  private label(entry: FieldChange): string {
    const t = strings();
    switch (entry.kind) {
      case 'text':
        return t[entry.field];
      case 'id':
        return entry.field === 'groupId' ? t.group : entry.field === 'billingAddressId' ? t.historyBillingAddress : t.historyShippingAddress;
      case 'address':
        return entry.before === null ? t.historyAddressAdded : entry.after === null ? t.historyAddressRemoved : t.historyAddressChanged;
      case 'deleted':
        return entry.after ? t.historyDeleted : t.historyUndeleted;
      case 'purged':
        return t.historyPurged;
    }
  }

  private restoreLabel(entry: FieldChange, before: string): string {
    const t = strings();
    if (entry.kind === 'deleted') return t.historyRestoreCustomer;
    return entry.kind === 'address' ? t.historyRestoreAddress(before) : t.historyRestoreNamed(this.label(entry), before);
  }

  /** The values before and after as text; undefined where there is nothing to show (an address added has no before). */
  private values(entry: FieldChange, customer: Customer | undefined): [string | undefined, string | undefined] {
    const t = strings();
    switch (entry.kind) {
      case 'text':
        return [entry.before || t.historyEmptyValue, entry.after || t.historyEmptyValue];
      case 'id': {
        const text = (id: string | null) => (entry.field === 'groupId' ? this.groupName(id) : this.addressName(id, customer));
        return [text(entry.before), text(entry.after)];
      }
      case 'address': {
        const text = (a: AddressFields | null) => (a ? addressSummary(a) : undefined);
        return [text(entry.before), text(entry.after)];
      }
      default:
        return [undefined, undefined];
    }
  }

  /** A till's name: this till's own, or as another till announces itself (its id when it is not online). */
  private tillName(tillId: string): string {
    const store = this.store.store;
    return (tillId === store?.tillId ? store.tillName : undefined) ?? this.store.tillName(tillId);
  }

  private groupName(id: string | null): string {
    const t = strings();
    if (id === null) return t.noGroup;
    return this.store.store?.group(id)?.name ?? t.historyDeletedGroup;
  }

  private addressName(id: string | null, customer: Customer | undefined): string {
    const t = strings();
    if (id === null) return t.historyNoAddress;
    const address = customer?.addresses.find((a) => a.id === id);
    return address ? addressSummary(address) : t.historyRemovedAddress;
  }

  private restore(entry: FieldChange, before: string): void {
    const store = this.store.store;
    if (!store) return;
    const t = strings();
    const result = store.restoreFieldValue(this.customerId, entry.ref);
    if (!result.ok) {
      this.refused = { ref: entry.ref, messages: result.errors.map((e) => e.message) };
      this.status = '';
      return;
    }
    this.refused = undefined;
    if (entry.kind === 'deleted') this.status = t.historyCustomerRestored;
    else this.status = entry.kind === 'address' ? t.historyAddressRestored(before) : t.historyRestored(this.label(entry), before);
    this.emit('pos-field-restore', { customer: result.value, field: entry.field });
    // The button is gone once its value is back; focus stays in the history rather than falling to the page.
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>('[part="list"]')?.focus());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customer-history': PosCustomerHistory;
  }
}
