import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { StoreHandle } from '../../controllers/store-context.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import { emptyAddress, type AddressFields } from '../../model/address.js';
import type { Customer, CustomerInput, NewCustomerInput } from '../../model/customer.js';
import { displayName } from '../../model/display-name.js';
import type { FieldError } from '../../model/field-errors.js';
import { messages } from '../../model/messages.js';
import { loadedPhone, loadPhone } from '../../model/lazy-phone.js';
import { defaultSettings, type Settings } from '../../model/settings.js';
import type { CustomerStore, StoreChange } from '../../store/customer-store.js';
import type { SyncConnection } from '../../store/sync-connection.js';
import { addressFieldNames, addressFields, addressIssues, addressOf, type AddressFieldName } from '../shared/address-fields.js';
import { selectField, textAreaField, textField, type TextFieldProps } from '../shared/form-fields.js';
import { formFieldStyles } from '../shared/form-fields.styles.js';
import '../pos-address-editor/pos-address-editor.js';
import '../pos-customer-history/pos-customer-history.js';
import { PosElement } from '../pos-element.js';
import { customerFieldLabel } from '../shared/customer-field-labels.js';
import { basicFields, customerInput, customerIssues, isBasicField, type BasicField, type CustomerValues } from './customer-checks.js';
import { customerFormStyles } from './pos-customer-form.styles.js';

type Section = 'billingAddress' | 'shippingAddress';
type AddressEdits = Partial<Record<AddressFieldName, string>>;

/** Another till changed a field the cashier is typing in: what it holds now, and which till wrote it. */
interface Conflict {
  theirs: string;
  byTill: string;
}

const sections: readonly Section[] = ['billingAddress', 'shippingAddress'];
const nameFields: readonly BasicField[] = ['firstName', 'lastName'];

/** A field as the form shows it: the group select's "no group" is ''. */
function storedValue(customer: Customer, field: BasicField): string {
  return customer[field] ?? '';
}

/** True for `billingAddress.postcode` and the like: an error the form shows beside an address field. */
function isAddressKey(key: string): boolean {
  return sections.some((s) => addressFieldNames.some((f) => key === `${s}.${f}`));
}

/**
 * @summary Creates or edits a customer: the point-of-sale popup (`quick`: a name is enough, "More details"
 * for the rest) or the back-office form with Basic, Billing and Shipping information. Checks each field
 * against the store's rules when the cashier leaves it and again on save; a duplicate email, phone or
 * card names the customer who holds it and offers to open that customer.
 *
 * Editing alongside other tills: while the form is on the page with a `customer-id`, other tills see that
 * this till has the customer open, and the form says which other tills have it open. A field the cashier
 * has not typed in follows the store live. When another till changes a field the cashier has typed in,
 * to something other than what they typed, the form says so beside the field ("Changed on Till 2 to …")
 * with "Keep mine" and "Take theirs"; taking theirs puts their value in the field (which then follows the
 * store again), keeping mine dismisses the note. Saving with such a note still open writes what the
 * cashier typed: the note was on screen (the quick form opens its details to show it) and announced, so
 * the later write is the cashier's decision, as it would be after "Keep mine".
 *
 * @event pos-customer-save - Saved: `{ customer, created }` (`created` is true for a new customer).
 * @event pos-cancel - The cashier pressed Cancel or Escape.
 * @event pos-customer-open - The cashier chose to open the existing customer a duplicate error named: `{ customerId }`.
 * @event pos-address-change - From the embedded address editor while editing: `{ customerId, addresses }`.
 * @event pos-field-restore - From the embedded history: an earlier value was written back, `{ customer, field }`.
 *
 * @csspart base - The form.
 * @csspart title - The "New customer" / "Edit customer" heading (hide it when the host has its own).
 * @csspart presence - "Also open on Till 2": the other tills that have this customer open.
 * @csspart notice - The "This customer was deleted" notice.
 * @csspart restore-button - Restores the deleted customer shown, keeping what was typed.
 * @csspart summary - How many fields need attention after a refused save, and problems of no one field.
 * @csspart section - A fieldset: Basic, Billing or Shipping information.
 * @csspart toggle - The "More details" button of the quick form.
 * @csspart field - A label, its control and its error.
 * @csspart label - A field's label.
 * @csspart input - A text control, select or text area.
 * @csspart error - The error shown beside a field.
 * @csspart open-existing - The "Open that customer" button beside a duplicate error.
 * @csspart conflict - Beside a field: another till changed it while the cashier was typing in it.
 * @csspart keep-mine - The conflict's "Keep mine" button.
 * @csspart take-theirs - The conflict's "Take theirs" button.
 * @csspart address-editor - The embedded <pos-address-editor> of an existing customer.
 * @csspart history - The "History" disclosure of an existing customer, holding a <pos-customer-history>.
 * @csspart actions - The row of Cancel and Save.
 * @csspart cancel-button - Cancel.
 * @csspart save-button - Save.
 * @csspart status - The polite "Saved" announcement.
 * @csspart problems - The problems of a record saved with invalid data.
 *
 * @cssprop --pos-form-gap - Space between the form's sections (default 1em).
 * @cssprop --pos-field-min-width - Narrowest column of the field grid (default 14em).
 */
@customElement('pos-customer-form')
export class PosCustomerForm extends PosElement {
  static override styles = [PosElement.baseStyles, formFieldStyles, customerFormStyles];

  /** The customer to edit; empty to create a new customer. */
  @property({ attribute: 'customer-id' }) customerId = '';
  /** Initial values of a new customer, e.g. what the cashier typed in the picker. */
  @property({ attribute: false }) prefill: Partial<CustomerInput> = {};
  /** The point-of-sale popup: only the name fields, plus a "More details" toggle for the full form. */
  @property({ type: Boolean, reflect: true }) quick = false;

  /** What the cashier typed; fields not typed in follow the store (edit) or the prefill (create). */
  @state() private edits: Partial<CustomerValues> = {};
  @state() private addressEdits: Record<Section, AddressEdits> = { billingAddress: {}, shippingAddress: {} };
  /** Errors shown beside fields, by field path (`email`, `billingAddress.postcode`). */
  @state() private errors: ReadonlyMap<string, FieldError> = new Map();
  /** Problems of no one field (the customer was deleted meanwhile). */
  @state() private formErrors: readonly string[] = [];
  /** Set by a refused save: the summary counts the fields that still need attention. */
  @state() private showSummary = false;
  @state() private expanded = false;
  @state() private sameAsBilling = false;
  @state() private status = '';
  /** A create used the prefill: the next customer starts blank until the host sets a new prefill. */
  @state() private prefillUsed = false;
  /**
   * A save waiting for the phone module (see onSubmit), by number: a second press meanwhile does nothing,
   * and Cancel, another customer or prefill, or leaving the page drops it.
   */
  private awaitedSave: number | undefined;
  private saves = 0;
  @state() private readyHandle: StoreHandle | undefined;
  /** Other tills' changes to fields the cashier is typing in, until the cashier decides (see the class summary). */
  @state() private conflicts: ReadonlyMap<BasicField, Conflict> = new Map();
  /** The History disclosure is open: only then is the history read (the first read indexes the store's). */
  @state() private historyOpen = false;
  /** Said once to screen readers when a conflict appears; the note itself sits beside its field. */
  @state() private announcement = '';
  /**
   * What the store held in each field the cashier typed in, when they began (or when another till's value
   * last arrived): the store holding something else now means another till changed the field meanwhile.
   */
  private bases: Partial<CustomerValues> = {};
  /** This form's claim on the connection's "editing" awareness, while it is open on a customer. */
  private presence: { connection: SyncConnection; customerId: string; release: () => void } | undefined;
  /** Fields typed into since they were last checked: leaving one of them checks it. */
  private readonly unchecked = new Set<string>();
  private focusRequest: FocusOptions | undefined;

  private readonly store: StoreController = new StoreController(this, {
    relevant: (change) => change.groups || change.settings || (this.customerId !== '' && change.customers.has(this.customerId)),
    onChange: (change) => this.noteConcurrentEdits(change),
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

  /** Focuses the first field (once the customer is loaded, when called before). */
  override focus(options?: FocusOptions): void {
    this.focusRequest = options ?? {};
    if (this.hasUpdated) this.applyFocusRequest();
    else this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') || changed.has('prefill')) {
      this.dropAwaitedSave();
      this.prefillUsed = false;
      this.reset();
      this.expanded = this.prefillHasDetails();
      this.status = '';
    }
    // Only an edit compares phones (another till's number with the one typed): the metadata comes then, not with the form.
    if (this.editing && !loadedPhone())
      loadPhone().then(
        () => this.requestUpdate(),
        () => {},
      );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.syncPresence();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.dropAwaitedSave();
    this.syncPresence();
  }

  protected override updated(): void {
    if (this.focusRequest) this.applyFocusRequest();
    this.syncPresence();
  }

  /**
   * Tells other tills which customer this form has open: from the moment it is on the page with a
   * customer-id (and its store has a connection) until it leaves, switches customer or store.
   */
  private syncPresence(): void {
    const connection = this.isConnected && this.editing ? this.store.handle?.connection : undefined;
    const held = this.presence;
    if (held?.connection === connection && held?.customerId === this.customerId) return;
    held?.release();
    this.presence = connection ? { connection, customerId: this.customerId, release: connection.openEditing(this.customerId) } : undefined;
  }

  private applyFocusRequest(): void {
    const loading = this.editing && !this.current() && this.readyHandle !== this.store.handle;
    const target = this.shadowRoot?.querySelector<HTMLElement>('input, select, textarea, button');
    if (loading || !target) return;
    target.focus(this.focusRequest);
    this.focusRequest = undefined;
  }

  // ── rendering ──────────────────────────────────────────────────────────────

  protected override render() {
    const t = strings();
    const store = this.store.store;
    if (!store) return html`<p part="base">${t.noStore}</p>`;
    if (!this.editing) return this.renderForm(store, undefined);
    const read = this.current();
    if (!read) {
      if (this.readyHandle !== this.store.handle) return html`<p part="base" role="status">${t.loadingCustomer}</p>`;
      return this.renderUnusable(html`<p>${messages.unknownCustomer}</p>`);
    }
    if (!read.ok) {
      return this.renderUnusable(
        html`<p>${messages.invalidRecord}</p>
          <ul part="problems">
            ${read.problems.map((p) => html`<li>${p}</li>`)}
          </ul>`,
      );
    }
    return this.renderForm(store, read.customer);
  }

  /** A customer that cannot be edited: what is wrong, and a way out. */
  private renderUnusable(problem: TemplateResult): TemplateResult {
    const t = strings();
    return html`<div part="base">
      <h2 part="title">${t.editCustomer}</h2>
      <div class="alert" part="notice" role="alert">${problem}</div>
      <div class="actions" part="actions">
        <button type="button" part="cancel-button" @click=${this.cancel}>${t.cancel}</button>
      </div>
    </div>`;
  }

  /**
   * A customer merged away (here or on another till) points the cashier to the one it was merged into; one
   * deleted (on another till, say, while this form was open) can be restored here, keeping what was typed.
   */
  private renderDeleted(store: CustomerStore, customer: Customer): TemplateResult {
    const survivorId = store.resolveCustomerId(customer.id);
    const survivor = survivorId !== customer.id ? store.get(survivorId) : undefined;
    if (!survivor || survivor.deleted)
      return html`<div class="alert" part="notice" role="alert">
        <p>${messages.customerDeleted}</p>
        <button type="button" part="restore-button" @click=${() => this.restoreCustomer(customer.id)}>${strings().restoreCustomer}</button>
      </div>`;
    const name = displayName(survivor);
    return html`<div class="alert" part="notice" role="alert">
      <p>${strings().mergedAway(name)}</p>
      <button type="button" @click=${() => this.openExisting(survivorId)}>${strings().openCustomer(name)}</button>
    </div>`;
  }

  private renderForm(store: CustomerStore, customer: Customer | undefined): TemplateResult {
    const t = strings();
    const settings = store.settings();
    const deleted = customer?.deleted ?? false;
    const showMore = !this.quick || this.expanded;
    const count = this.errors.size;
    const groups = [{ value: '', label: t.noGroup }, ...store.groups().map((g) => ({ value: g.id, label: g.name }))];
    return html`<form part="base" novalidate aria-labelledby="title" @submit=${this.onSubmit}>
      <h2 id="title" part="title">${customer ? t.editCustomer : t.newCustomer}</h2>
      ${customer ? this.renderPresence(customer) : nothing} ${deleted && customer ? this.renderDeleted(store, customer) : nothing}
      ${
        this.showSummary && (count || this.formErrors.length)
          ? html`<div id="summary" class="alert" part="summary" role="alert" tabindex="-1">
              ${count ? html`<p>${t.fixErrors(count)}</p>` : nothing} ${this.formErrors.map((m) => html`<p>${m}</p>`)}
            </div>`
          : nothing
      }
      <fieldset part="section">
        <legend>${t.basicInformation}</legend>
        <div class="fields">${this.basicText('firstName', t.firstName)} ${this.basicText('lastName', t.lastName)}</div>
        ${
          this.quick
            ? html`<button
                type="button"
                part="toggle"
                aria-expanded=${this.expanded ? 'true' : 'false'}
                aria-controls="more addresses"
                @click=${this.toggleMore}
              >
                ${t.moreDetails}
              </button>`
            : nothing
        }
        <div id="more" class="fields" ?hidden=${!showMore}>
          ${this.basicText('email', t.email, { type: 'email', required: settings.requireEmail })}
          ${this.basicText('phone', t.phone, { type: 'tel', required: settings.requirePhone })}
          ${this.cell('groupId', selectField({ ...this.basicProps('groupId', t.group), options: groups }))} ${this.basicText('cardBarcode', t.cardBarcode)}
          ${this.cell('notes', textAreaField(this.basicProps('notes', t.notes)), true)}
        </div>
      </fieldset>
      <div id="addresses" class="sections" ?hidden=${!showMore}>
        ${
          customer
            ? deleted
              ? nothing
              : html`<pos-address-editor
                  part="address-editor"
                  customer-id=${customer.id}
                  store-ref=${ifDefined(this.storeRef || undefined)}
                ></pos-address-editor>`
            : this.renderAddressSections()
        }
        ${customer ? this.renderHistory(customer) : nothing}
      </div>
      <div class="actions" part="actions">
        <button type="button" part="cancel-button" @click=${this.cancel}>${t.cancel}</button>
        <button type="submit" part="save-button" class="primary" ?disabled=${deleted}>${t.save}</button>
      </div>
      <p class="status" part="status" role="status">${this.status}</p>
      <p class="visually-hidden" role="status">${this.announcement}</p>
    </form>`;
  }

  /**
   * A polite live region that is always there, so a till opening the customer later is announced. Its
   * text is its only child (no whitespace), so CSS `:empty` can fold it away when no other till has it.
   */
  private renderPresence(customer: Customer): TemplateResult {
    const t = strings();
    const others = this.store.tillsEditing(customer.id).map((peer) => peer.tillName);
    const text = others.length ? t.alsoOpenOn(t.tillNames(others)) : nothing;
    return html`<p class="presence" part="presence" role="status">${text}</p>`;
  }

  /**
   * One cell of the field grid: the field and, under it, another till's change to it. The cell is there
   * with or without a note, so a note appearing while the cashier types never re-creates their input.
   */
  private cell(field: BasicField, control: TemplateResult, wide = false): TemplateResult {
    return html`<div class="cell ${wide ? 'wide' : ''}">${control}${this.renderConflict(field)}</div>`;
  }

  private renderConflict(field: BasicField): TemplateResult | typeof nothing {
    const conflict = this.conflicts.get(field);
    // Typing their value makes the question moot; typing on past it brings the note back.
    if (!conflict || this.sameValue(field, this.value(field), conflict.theirs)) return nothing;
    const t = strings();
    const till = this.tillLabel(conflict.byTill);
    const noteId = `${field}-conflict`;
    const theirs = field === 'groupId' ? (this.store.store?.group(conflict.theirs)?.name ?? (conflict.theirs || t.noGroup)) : conflict.theirs;
    return html`<div class="conflict" part="conflict" role="group" aria-label=${t.conflictGroupLabel(customerFieldLabel(field))}>
      <p id=${noteId}>${theirs ? t.conflictChangedOn(till, theirs) : t.conflictClearedOn(till)}</p>
      <div class="conflict-actions">
        <button type="button" part="keep-mine" aria-describedby=${noteId} @click=${() => this.keepMine(field)}>${t.keepMine}</button>
        <button type="button" part="take-theirs" aria-describedby=${noteId} @click=${() => this.takeTheirs(field)}>${t.takeTheirs}</button>
      </div>
    </div>`;
  }

  private renderHistory(customer: Customer): TemplateResult {
    return html`<details part="history" @toggle=${this.onHistoryToggle}>
      <summary>${strings().history}</summary>
      ${
        this.historyOpen
          ? html`<pos-customer-history customer-id=${customer.id} store-ref=${ifDefined(this.storeRef || undefined)}></pos-customer-history>`
          : nothing
      }
    </details>`;
  }

  private readonly onHistoryToggle = (e: Event): void => {
    this.historyOpen = (e.target as HTMLDetailsElement).open;
  };

  private renderAddressSections(): TemplateResult {
    const t = strings();
    return html`<fieldset part="section">
        <legend>${t.billingInformation}</legend>
        <div class="fields">${addressFields(this.addressView('billingAddress'))}</div>
      </fieldset>
      <fieldset part="section">
        <legend>${t.shippingInformation}</legend>
        <label class="check" for="same-as-billing">
          <input id="same-as-billing" type="checkbox" .checked=${live(this.sameAsBilling)} @change=${this.toggleSameAsBilling} />
          ${t.sameAsBilling}
        </label>
        <div class="fields" ?hidden=${this.sameAsBilling}>${addressFields(this.addressView('shippingAddress'))}</div>
      </fieldset>`;
  }

  private basicProps(field: BasicField, label: string) {
    return {
      id: field,
      label,
      value: this.value(field),
      error: this.errors.get(field),
      onInput: (value: string) => this.onBasicInput(field, value),
      onLeave: () => this.onBasicLeave(field),
    };
  }

  private basicText(field: BasicField, label: string, extra: Partial<TextFieldProps> = {}): TemplateResult {
    return this.cell(field, textField({ ...this.basicProps(field, label), onOpenExisting: this.openExisting, ...extra }));
  }

  /** Records keep the writing till's id; the cashier knows tills by the names they announce. */
  private tillLabel(tillId: string): string {
    return tillId === this.store.handle?.tillId ? strings().thisTill : this.store.tillName(tillId);
  }

  private addressView(section: Section) {
    const draft = this.outletDraft();
    return {
      idPrefix: section,
      value: (field: AddressFieldName) => this.addressValue(section, field, draft),
      error: (field: AddressFieldName) => this.errors.get(`${section}.${field}`),
      onInput: (field: AddressFieldName, value: string) => this.onAddressInput(section, field, value),
      onLeave: (field: AddressFieldName) => this.onAddressLeave(section, field),
    };
  }

  // ── values ─────────────────────────────────────────────────────────────────

  private get editing(): boolean {
    return this.customerId !== '';
  }

  private current() {
    return this.editing ? this.store.store?.read(this.customerId) : undefined;
  }

  private value(field: BasicField): string {
    const typed = this.edits[field];
    if (typed !== undefined) return typed;
    if (this.editing) return this.stored(field);
    return this.prefillUsed ? '' : (this.prefill[field] ?? '');
  }

  /** What the store holds in a field of the customer being edited. */
  private stored(field: BasicField): string {
    const read = this.current();
    return read?.ok ? storedValue(read.customer, field) : '';
  }

  /** Whether what the cashier typed is what the store holds once saved (email lower case, phone E.164, trimmed). */
  private sameValue(field: BasicField, typed: string, stored: string): boolean {
    const value = typed.trim();
    if (field === 'email') return value.toLowerCase() === stored;
    if (field === 'phone' && value && value !== stored) {
      // Before the phone module is in, a number written differently counts as different: the note shows and the cashier decides.
      const phone = loadedPhone()?.normalizePhone(value, this.settings().defaultCountry);
      return phone?.ok === true && phone.e164 === stored;
    }
    return value === stored.trim();
  }

  private values(): CustomerValues {
    return {
      firstName: this.value('firstName'),
      lastName: this.value('lastName'),
      email: this.value('email'),
      phone: this.value('phone'),
      groupId: this.value('groupId'),
      cardBarcode: this.value('cardBarcode'),
      notes: this.value('notes'),
    };
  }

  /** A new customer's address sections start from the outlet's address (ConnectPOS). */
  private outletDraft(): AddressFields {
    return this.store.store?.newAddressDraft() ?? emptyAddress;
  }

  private addressValue(section: Section, field: AddressFieldName, draft: AddressFields): string {
    const typed = this.addressEdits[section][field];
    if (typed !== undefined) return typed;
    // Untouched name and phone follow the customer's as typed, so a filled-in address carries them.
    if ((field === 'firstName' || field === 'lastName' || field === 'phone') && this.value(field)) return this.value(field);
    return draft[field];
  }

  private addressValues(section: Section): Record<AddressFieldName, string> {
    const draft = this.outletDraft();
    return addressOf((field) => this.addressValue(section, field, draft));
  }

  /**
   * The address sections a create sends: one the cashier changed. An untouched section is the outlet's
   * address, which is not the customer's, so it is left out; shipping "same as billing" is sent only
   * with a billing address to be the same as.
   */
  private includedSections(): Section[] {
    const touched = (s: Section) => Object.keys(this.addressEdits[s]).length > 0;
    const out: Section[] = [];
    if (touched('billingAddress')) out.push('billingAddress');
    if (!this.sameAsBilling && touched('shippingAddress')) out.push('shippingAddress');
    return out;
  }

  private settings(): Settings {
    return this.store.store?.settings() ?? defaultSettings;
  }

  // ── checking fields ────────────────────────────────────────────────────────

  private onBasicInput(field: BasicField, value: string): void {
    if (this.editing && this.edits[field] === undefined) this.bases[field] = this.stored(field);
    this.edits = { ...this.edits, [field]: value };
    this.unchecked.add(field);
    this.status = '';
    // An error already shown is re-checked while typing, so it goes away as soon as it is fixed; a
    // name typed in either name field answers the "enter a name" error shown beside the first name.
    const recheck = (field === 'lastName' ? [field, 'firstName' as const] : [field]).filter((f) => this.errors.has(f));
    if (recheck.length) this.checkBasic(recheck);
  }

  /**
   * Leaving a field checks it if the cashier typed in it, or if it is required and empty. The two name
   * fields are one requirement ("a first or last name"), checked on leaving the last name, so tabbing
   * from an empty first name to type only a last name raises nothing.
   */
  private onBasicLeave(field: BasicField): void {
    const v = this.values();
    const settings = this.settings();
    const requiredEmpty =
      (field === 'email' && settings.requireEmail && !v.email.trim()) ||
      (field === 'phone' && settings.requirePhone && !v.phone.trim()) ||
      (field === 'lastName' && !v.firstName.trim() && !v.lastName.trim());
    if (!this.unchecked.has(field) && !requiredEmpty) return;
    this.checkBasic(field === 'lastName' ? ['lastName', 'firstName'] : [field]);
  }

  private checkBasic(fields: readonly BasicField[]): void {
    const store = this.store.store;
    if (!store) return;
    const issues = customerIssues(store, this.values(), this.customerId);
    const next = new Map(this.errors);
    for (const f of fields) {
      const issue = issues.get(f);
      if (issue) next.set(f, issue);
      else next.delete(f);
      this.unchecked.delete(f);
    }
    this.errors = next;
  }

  private onAddressInput(section: Section, field: AddressFieldName, value: string): void {
    this.addressEdits = { ...this.addressEdits, [section]: { ...this.addressEdits[section], [field]: value } };
    this.unchecked.add(`${section}.${field}`);
    this.status = '';
    if (this.errors.has(`${section}.${field}`)) this.checkAddress(section, field);
  }

  private onAddressLeave(section: Section, field: AddressFieldName): void {
    if (this.unchecked.has(`${section}.${field}`)) this.checkAddress(section, field);
  }

  private checkAddress(section: Section, field: AddressFieldName): void {
    const key = `${section}.${field}`;
    const issue = addressIssues(this.addressValues(section)).get(field);
    const next = new Map(this.errors);
    if (issue) next.set(key, { ...issue, field: key });
    else next.delete(key);
    this.errors = next;
    this.unchecked.delete(key);
  }

  /** Every problem the store's rules find without saving, by field path. */
  private allIssues(): FieldError[] {
    const store = this.store.store;
    const out: FieldError[] = store ? [...customerIssues(store, this.values(), this.customerId).values()] : [];
    if (!this.editing) {
      for (const section of this.includedSections()) {
        for (const [field, issue] of addressIssues(this.addressValues(section))) out.push({ ...issue, field: `${section}.${field}` });
      }
    }
    return out;
  }

  // ── other tills' edits ─────────────────────────────────────────────────────

  /**
   * A change to the customer being edited: a field the cashier has typed in that now holds something new
   * in the store was changed by another till (or another element of this one) since they began. Unless it
   * now holds what they typed, the cashier decides; untouched fields simply follow the store on render.
   */
  private noteConcurrentEdits(change: StoreChange): void {
    if (!this.editing || !change.customers.has(this.customerId)) return;
    const read = this.current();
    if (!read?.ok) return;
    const customer = read.customer;
    let conflicts: Map<BasicField, Conflict> | undefined;
    const arrived: BasicField[] = [];
    for (const field of basicFields) {
      const typed = this.edits[field];
      const base = this.bases[field];
      if (typed === undefined || base === undefined) continue;
      const theirs = storedValue(customer, field);
      if (theirs === base) continue;
      this.bases[field] = theirs;
      conflicts ??= new Map(this.conflicts);
      if (this.sameValue(field, typed, theirs)) {
        conflicts.delete(field);
      } else {
        // The record says who wrote it last; a field's own writer is not kept, and the latest is the one that matters.
        conflicts.set(field, { theirs, byTill: customer.updatedBy });
        arrived.push(field);
      }
    }
    if (!conflicts) return;
    this.conflicts = conflicts;
    const [first] = arrived;
    if (first === undefined) return;
    // The note must be seen before a save writes over their value: the quick form opens its details for it.
    if (arrived.some((field) => !nameFields.includes(field))) this.expanded = true;
    this.announcement = strings().conflictAnnounced(customerFieldLabel(first), this.tillLabel(customer.updatedBy));
  }

  /** Their value goes into the field, which follows the store again like any field not typed in. */
  private takeTheirs(field: BasicField): void {
    const edits = { ...this.edits };
    delete edits[field];
    this.edits = edits;
    delete this.bases[field];
    this.unchecked.delete(field);
    if (this.errors.has(field)) {
      const errors = new Map(this.errors);
      errors.delete(field);
      this.errors = errors;
    }
    this.decided(field);
  }

  /** The note goes; a save writes what the cashier typed. A later change on another till asks again. */
  private keepMine(field: BasicField): void {
    this.decided(field);
  }

  private decided(field: BasicField): void {
    const conflicts = new Map(this.conflicts);
    conflicts.delete(field);
    this.conflicts = conflicts;
    this.announcement = '';
    // The buttons are gone: focus goes back to the field rather than falling to the page.
    void this.updateComplete.then(() => this.shadowRoot?.getElementById(field)?.focus());
  }

  // ── actions ────────────────────────────────────────────────────────────────

  private readonly onSubmit = (e: Event): void => {
    e.preventDefault();
    // The store reads phones with the phone module, fetched once the store is open: a save in the moments
    // before it arrives waits for it rather than being refused (if it cannot come, the store says so).
    if (this.awaitedSave !== undefined) return;
    if (!loadedPhone() && this.values().phone.trim()) {
      const save = (this.awaitedSave = ++this.saves);
      this.status = strings().saving;
      void loadPhone()
        .catch(() => undefined)
        .then(() => {
          if (this.awaitedSave !== save) return;
          this.dropAwaitedSave();
          this.submit();
        });
      return;
    }
    this.submit();
  };

  private dropAwaitedSave(): void {
    if (this.awaitedSave === undefined) return;
    this.awaitedSave = undefined;
    this.status = '';
  }

  private submit(): void {
    const store = this.store.store;
    if (!store) return;
    const issues = this.allIssues();
    if (issues.length) return this.refuse(issues);
    if (this.editing) this.saveEdit(store);
    else this.saveNew(store);
  }

  private saveNew(store: CustomerStore): void {
    const input: NewCustomerInput = customerInput(this.values());
    const included = this.includedSections();
    if (included.includes('billingAddress')) input.billingAddress = this.addressValues('billingAddress');
    if (included.includes('shippingAddress')) input.shippingAddress = this.addressValues('shippingAddress');
    else if (this.sameAsBilling && input.billingAddress) input.shippingAddress = 'same-as-billing';
    const result = store.create(input);
    if (!result.ok) return this.refuse(result.errors);
    const hadFocus = Boolean(this.shadowRoot?.activeElement);
    // The form starts over blank, so a second press of Save cannot create the customer twice.
    this.prefillUsed = true;
    this.reset();
    this.expanded = false;
    this.status = strings().saved;
    this.emit('pos-customer-save', { customer: result.value, created: true });
    // Back to the first field for the next customer, unless the host moved focus in its handler.
    if (hadFocus) {
      void this.updateComplete.then(() => {
        if (this.shadowRoot?.activeElement) this.focus();
      });
    }
  }

  private saveEdit(store: CustomerStore): void {
    const current = store.get(this.customerId);
    if (!current || current.deleted) return this.refuse([{ field: 'id', message: current ? messages.customerDeleted : messages.unknownCustomer }]);
    // Only what the cashier changed: another till's edits to the other fields stay as they are.
    const changed = basicFields.filter((f) => this.edits[f] !== undefined);
    const result = store.update(this.customerId, customerInput(this.values(), changed));
    if (!result.ok) return this.refuse(result.errors);
    this.reset();
    this.status = strings().saved;
    this.emit('pos-customer-save', { customer: result.value, created: false });
  }

  /** Shows a refused save: errors beside their fields, the summary, focus on the first invalid field. */
  private refuse(errors: FieldError[]): void {
    const next = new Map<string, FieldError>();
    const other: string[] = [];
    for (const e of errors) {
      if (isBasicField(e.field) || (!this.editing && isAddressKey(e.field))) {
        if (!next.has(e.field)) next.set(e.field, e);
      } else other.push(e.message);
    }
    this.errors = next;
    this.formErrors = other;
    this.showSummary = true;
    this.status = '';
    this.unchecked.clear();
    if ([...next.keys()].some((k) => k !== 'firstName' && k !== 'lastName')) this.expanded = true;
    void this.updateComplete.then(() => {
      const target = this.shadowRoot?.querySelector<HTMLElement>('form [aria-invalid="true"]') ?? this.shadowRoot?.getElementById('summary');
      target?.focus();
    });
  }

  private reset(): void {
    this.edits = {};
    this.bases = {};
    this.conflicts = new Map();
    this.announcement = '';
    this.addressEdits = { billingAddress: {}, shippingAddress: {} };
    this.errors = new Map();
    this.formErrors = [];
    this.showSummary = false;
    this.sameAsBilling = false;
    this.unchecked.clear();
  }

  /**
   * A prefill with more than a name (the cashier typed a phone in the picker) opens the quick form's
   * details, so nothing is saved that the cashier cannot see.
   */
  private prefillHasDetails(): boolean {
    return !this.editing && basicFields.some((f) => !nameFields.includes(f) && Boolean(this.prefill[f]));
  }

  private readonly toggleMore = (): void => {
    this.expanded = !this.expanded;
  };

  private readonly toggleSameAsBilling = (e: Event): void => {
    this.sameAsBilling = (e.target as HTMLInputElement).checked;
    if (this.sameAsBilling) this.errors = new Map([...this.errors].filter(([key]) => !key.startsWith('shippingAddress.')));
  };

  private readonly cancel = (): void => {
    this.dropAwaitedSave();
    this.emit('pos-cancel', {});
  };

  private restoreCustomer(customerId: string): void {
    const restored = this.store.store?.restore(customerId);
    if (restored && !restored.ok) this.refuse(restored.errors);
  }

  private readonly openExisting = (customerId: string): void => {
    this.emit('pos-customer-open', { customerId });
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    // An Escape the embedded address editor handled (closing its own form) is not a cancel of this one;
    // during IME composition Escape cancels the composition.
    if (e.key === 'Escape' && !e.defaultPrevented && !e.isComposing) this.cancel();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customer-form': PosCustomerForm;
  }
}
