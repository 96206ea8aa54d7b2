import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StoreHandle } from '../../controllers/store-context.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import type { Address } from '../../model/address.js';
import type { Customer } from '../../model/customer.js';
import type { FieldError } from '../../model/field-errors.js';
import { messages } from '../../model/messages.js';
import { PosElement } from '../pos-element.js';
import { addressFieldNames, addressFields, addressIssues, addressOf, addressSummary, type AddressFieldName } from '../shared/address-fields.js';
import { formFieldStyles } from '../shared/form-fields.styles.js';
import { addressEditorStyles } from './pos-address-editor.styles.js';

/** The inline form: a new address, or an existing one as it was when the cashier opened it. */
type OpenForm = { kind: 'new' } | { kind: 'edit'; address: Address };

/**
 * @summary A customer's addresses: the list with default billing / shipping badges, and per address
 * Edit, Remove (confirmed), "Use for billing" and "Use for shipping". "New address" opens an inline form
 * that starts from the outlet's address with the customer's name. Every change is saved at once.
 *
 * @event pos-address-change - After every saved change: `{ customerId, addresses }`.
 *
 * @csspart base - The section around everything.
 * @csspart title - The "Addresses" heading.
 * @csspart list - The list of addresses.
 * @csspart address - One address in the list.
 * @csspart badge - A "Default billing" / "Default shipping" badge.
 * @csspart address-actions - The buttons of one address.
 * @csspart confirm - The inline "Remove this address?" confirmation.
 * @csspart new-button - The "New address" button.
 * @csspart form - The inline address form.
 * @csspart field - A label, its control and its error.
 * @csspart label - A field's label.
 * @csspart input - A control: a text field, or the country list.
 * @csspart error - The error shown beside a field.
 * @csspart status - The polite announcement of the last change ("Address saved").
 *
 * @cssprop --pos-badge-background - Badge background (default: --pos-surface-2).
 * @cssprop --pos-badge-text - Badge text colour (default: --pos-text).
 * @cssprop --pos-field-min-width - Narrowest column of the field grid (default 14em).
 */
@customElement('pos-address-editor')
export class PosAddressEditor extends PosElement {
  static override styles = [PosElement.baseStyles, formFieldStyles, addressEditorStyles];

  /** The customer whose addresses are shown and edited. */
  @property({ attribute: 'customer-id' }) customerId = '';

  @state() private open: OpenForm | undefined;
  /** What the cashier typed in the open form; fields not typed in follow the store live. */
  @state() private edits: Partial<Record<AddressFieldName, string>> = {};
  @state() private errors: ReadonlyMap<AddressFieldName, FieldError> = new Map();
  /** Problems that belong to no field (the address was removed on another till meanwhile). */
  @state() private formErrors: readonly string[] = [];
  /** The address whose removal is waiting for the cashier's confirmation. */
  @state() private confirming: string | undefined;
  @state() private status = '';
  @state() private readyHandle: StoreHandle | undefined;
  /** Fields typed into since they were last checked: leaving one of them checks it. */
  private readonly unchecked = new Set<AddressFieldName>();

  private readonly store: StoreController = new StoreController(this, {
    relevant: (change) => change.settings || change.customers.has(this.customerId),
    onAttach: (handle) => {
      void handle.whenReady.then(() => {
        if (this.store.handle === handle) this.readyHandle = handle;
      });
    },
  });

  constructor() {
    super();
    this.addEventListener('keydown', this.onKeydown);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId')) {
      this.closeForm();
      this.confirming = undefined;
      this.status = '';
    }
  }

  protected override render() {
    const t = strings();
    const store = this.store.store;
    const heading = html`<h3 id="title" part="title">${t.addresses}</h3>`;
    if (!store)
      return html`<section part="base" aria-labelledby="title">
        ${heading}
        <p>${t.noStore}</p>
      </section>`;
    const read = this.customerId ? store.read(this.customerId) : undefined;
    let body: TemplateResult | typeof nothing;
    if (!this.customerId) body = nothing;
    else if (!read) body = this.readyHandle === this.store.handle ? html`<p class="alert">${messages.unknownCustomer}</p>` : html`<p>${t.loadingCustomer}</p>`;
    else if (!read.ok) body = html`<p class="alert">${messages.invalidRecord}</p>`;
    else if (read.customer.deleted)
      body = html`<p class="alert">${messages.customerDeleted}</p>
        ${this.renderList(read.customer, false)}`;
    else body = this.renderEditable(read.customer);
    return html`<section part="base" aria-labelledby="title">
      ${heading}${body}
      <p class="status" part="status" role="status">${this.status}</p>
    </section>`;
  }

  private renderEditable(customer: Customer): TemplateResult {
    const t = strings();
    return html`${this.renderList(customer, true)}
    ${
      this.open?.kind === 'new'
        ? this.renderForm(customer)
        : html`<button type="button" id="new-address" part="new-button" @click=${this.startNew}>${t.newAddress}</button>`
    }`;
  }

  private renderList(customer: Customer, editable: boolean): TemplateResult {
    const t = strings();
    if (!customer.addresses.length) return html`<p>${t.noAddresses}</p>`;
    return html`<ul part="list" aria-labelledby="title">
      ${customer.addresses.map((a) => {
        if (editable && this.open?.kind === 'edit' && this.open.address.id === a.id) return html`<li part="address">${this.renderForm(customer)}</li>`;
        const billing = customer.billingAddressId === a.id;
        const shipping = customer.shippingAddressId === a.id;
        const name = [`${a.firstName} ${a.lastName}`.trim(), a.company].filter(Boolean).join(', ');
        return html`<li part="address">
          <p class="summary" id="summary-${a.id}">
            <span>${addressSummary(a)}</span>
            ${name ? html`<span class="name">${name}</span>` : nothing} ${billing ? html`<span part="badge">${t.defaultBilling}</span>` : nothing}
            ${shipping ? html`<span part="badge">${t.defaultShipping}</span>` : nothing}
          </p>
          ${editable ? (this.confirming === a.id ? this.renderConfirm(customer, a) : this.renderActions(customer, a, billing, shipping)) : nothing}
        </li>`;
      })}
    </ul>`;
  }

  private renderActions(customer: Customer, a: Address, billing: boolean, shipping: boolean): TemplateResult {
    const t = strings();
    const about = `summary-${a.id}`;
    // A default's button stays in place (aria-disabled, not removed or disabled) so keyboard focus is
    // not lost when the cashier has just pressed it.
    return html`<div part="address-actions">
      <button type="button" id="edit-${a.id}" aria-describedby=${about} @click=${() => this.startEdit(a)}>${t.editAddress}</button>
      <button type="button" id="remove-${a.id}" aria-describedby=${about} @click=${() => this.askRemove(a.id)}>${t.removeAddress}</button>
      <button
        type="button"
        aria-describedby=${about}
        aria-disabled=${billing ? 'true' : 'false'}
        @click=${() => !billing && this.setDefault(customer, 'billing', a.id)}
      >
        ${t.useForBilling}
      </button>
      <button
        type="button"
        aria-describedby=${about}
        aria-disabled=${shipping ? 'true' : 'false'}
        @click=${() => !shipping && this.setDefault(customer, 'shipping', a.id)}
      >
        ${t.useForShipping}
      </button>
    </div>`;
  }

  private renderConfirm(customer: Customer, a: Address): TemplateResult {
    const t = strings();
    return html`<div part="confirm" role="group" aria-labelledby="confirm-text-${a.id} summary-${a.id}">
      <p id="confirm-text-${a.id}">${t.confirmRemoveAddress}</p>
      <button type="button" class="danger" @click=${() => this.removeAddress(customer, a.id)}>${t.removeAddress}</button>
      <button type="button" id="keep-${a.id}" @click=${() => this.cancelRemove(a.id)}>${t.cancel}</button>
    </div>`;
  }

  private renderForm(customer: Customer): TemplateResult {
    const t = strings();
    return html`<form part="form" novalidate @submit=${this.onSubmit}>
      <fieldset>
        <legend>${this.open?.kind === 'edit' ? t.editAddress : t.newAddress}</legend>
        ${this.formErrors.length ? html`<div class="alert" id="form-errors" role="alert" tabindex="-1">${this.formErrors.map((m) => html`<p>${m}</p>`)}</div>` : nothing}
        <div class="fields">
          ${addressFields({
            idPrefix: 'address',
            value: (f) => this.value(customer, f),
            error: (f) => this.errors.get(f),
            onInput: (f, v) => this.onInput(customer, f, v),
            onLeave: (f) => this.onLeave(customer, f),
          })}
        </div>
        <div class="actions">
          <button type="button" @click=${this.cancelForm}>${t.cancel}</button>
          <button type="submit" class="primary">${t.save}</button>
        </div>
      </fieldset>
    </form>`;
  }

  // ── the inline form ────────────────────────────────────────────────────────

  private value(customer: Customer, field: AddressFieldName): string {
    const typed = this.edits[field];
    if (typed !== undefined) return typed;
    const editing = this.editing(customer);
    if (editing) return editing[field];
    return this.store.store?.newAddressDraft(customer.id)[field] ?? '';
  }

  /** The address the open form edits, as the store holds it now. */
  private editing(customer: Customer): Address | undefined {
    const open = this.open;
    return open?.kind === 'edit' ? (customer.addresses.find((a) => a.id === open.address.id) ?? open.address) : undefined;
  }

  private values(customer: Customer): Record<AddressFieldName, string> {
    return addressOf((f) => this.value(customer, f));
  }

  /**
   * The model's rules for what Save would write. A country another app stored, outside those a cashier may
   * choose, is kept while the cashier leaves it, as the store keeps it: only a country chosen here is checked.
   */
  private issues(customer: Customer): Map<AddressFieldName, FieldError> {
    const issues = addressIssues(this.values(customer));
    if (this.value(customer, 'country') === this.editing(customer)?.country) issues.delete('country');
    return issues;
  }

  private onInput(customer: Customer, field: AddressFieldName, value: string): void {
    this.edits = { ...this.edits, [field]: value };
    this.unchecked.add(field);
    this.status = '';
    // An error already shown is re-checked while typing, so it goes away as soon as it is fixed.
    if (this.errors.has(field)) this.check(customer, field);
  }

  private onLeave(customer: Customer, field: AddressFieldName): void {
    if (this.unchecked.has(field)) this.check(customer, field);
  }

  private check(customer: Customer, field: AddressFieldName): void {
    const issue = this.issues(customer).get(field);
    const next = new Map(this.errors);
    if (issue) next.set(field, issue);
    else next.delete(field);
    this.errors = next;
    this.unchecked.delete(field);
  }

  private readonly startNew = (): void => this.openForm({ kind: 'new' });

  private startEdit(address: Address): void {
    this.openForm({ kind: 'edit', address });
  }

  private openForm(open: OpenForm): void {
    this.closeForm();
    this.confirming = undefined;
    this.status = '';
    this.open = open;
    this.focusAfterRender('address-firstName');
  }

  private closeForm(): void {
    this.open = undefined;
    this.edits = {};
    this.errors = new Map();
    this.formErrors = [];
    this.unchecked.clear();
  }

  private readonly cancelForm = (): void => {
    const returnTo = this.open?.kind === 'edit' ? `edit-${this.open.address.id}` : 'new-address';
    this.closeForm();
    this.focusAfterRender(returnTo);
  };

  private readonly onSubmit = (e: Event): void => {
    e.preventDefault();
    const store = this.store.store;
    const customer = store?.get(this.customerId);
    const open = this.open;
    if (!store || !customer || !open) return;
    const issues = this.issues(customer);
    if (issues.size) return this.fail([...issues.values()]);
    // An edit sends only what the cashier typed, so another till's change to other fields is kept.
    const result = open.kind === 'new' ? store.addAddress(customer.id, this.values(customer)) : store.updateAddress(customer.id, open.address.id, this.edits);
    if (!result.ok) return this.fail(result.errors);
    this.closeForm();
    this.status = strings().addressSaved;
    this.focusAfterRender(open.kind === 'new' ? 'new-address' : `edit-${open.address.id}`);
    this.announceChange();
  };

  private fail(errors: FieldError[]): void {
    const next = new Map<AddressFieldName, FieldError>();
    const other: string[] = [];
    for (const e of errors) {
      // The store names address fields `address.<field>`; the model's own check names them bare.
      const field = addressFieldNames.find((f) => f === e.field.replace(/^address\./, ''));
      if (field) {
        if (!next.has(field)) next.set(field, { ...e, field });
      } else other.push(e.message);
    }
    this.errors = next;
    this.formErrors = other;
    this.unchecked.clear();
    void this.updateComplete.then(() => {
      const target = this.shadowRoot?.querySelector<HTMLElement>('form [aria-invalid="true"]') ?? this.shadowRoot?.getElementById('form-errors');
      target?.focus();
    });
  }

  // ── list actions ───────────────────────────────────────────────────────────

  private askRemove(addressId: string): void {
    this.closeForm();
    this.status = '';
    this.confirming = addressId;
    this.focusAfterRender(`keep-${addressId}`);
  }

  private cancelRemove(addressId: string): void {
    this.confirming = undefined;
    this.focusAfterRender(`remove-${addressId}`);
  }

  private removeAddress(customer: Customer, addressId: string): void {
    const result = this.store.store?.removeAddress(customer.id, addressId);
    this.confirming = undefined;
    if (!result) return;
    this.status = result.ok ? strings().addressRemoved : result.errors.map((e) => e.message).join(' ');
    this.focusAfterRender('new-address');
    if (result.ok) this.announceChange();
  }

  private setDefault(customer: Customer, kind: 'billing' | 'shipping', addressId: string): void {
    const result = this.store.store?.setDefaultAddress(customer.id, kind, addressId);
    if (!result) return;
    const t = strings();
    this.status = result.ok ? (kind === 'billing' ? t.defaultBilling : t.defaultShipping) : result.errors.map((e) => e.message).join(' ');
    if (result.ok) this.announceChange();
  }

  private announceChange(): void {
    this.emit('pos-address-change', { customerId: this.customerId, addresses: this.store.store?.get(this.customerId)?.addresses ?? [] });
  }

  private focusAfterRender(id: string): void {
    void this.updateComplete.then(() => this.shadowRoot?.getElementById(id)?.focus());
  }

  /**
   * Escape closes the inline form or the remove confirmation. It is marked handled (preventDefault) so
   * a surrounding <pos-customer-form> does not also treat it as "cancel the whole form".
   */
  private readonly onKeydown = (e: KeyboardEvent): void => {
    // During IME composition Escape cancels the composition, not the form.
    if (e.key !== 'Escape' || e.isComposing || e.defaultPrevented) return;
    if (this.open) {
      e.preventDefault();
      this.cancelForm();
    } else if (this.confirming) {
      e.preventDefault();
      this.cancelRemove(this.confirming);
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-address-editor': PosAddressEditor;
  }
}
