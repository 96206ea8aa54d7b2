import { getCountries } from 'libphonenumber-js/min';
import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import type { AddressFields } from '../../model/address.js';
import { displayName, type Customer } from '../../model/customer.js';
import type { FieldError } from '../../model/field-errors.js';
import type { Settings, SettingsInput } from '../../model/settings.js';
import { addressCountryOptions, countryOptions, withValue } from '../shared/country-options.js';
import { formFieldStyles } from '../shared/form-fields.styles.js';
import { selectField, textField } from '../shared/form-fields.js';
import { PosElement } from '../pos-element.js';
import { storeSettingsStyles } from './pos-store-settings.styles.js';

/** Only what the manager changed: untouched fields keep following the store (another till's save shows). */
interface SettingsDraft {
  outlet: Partial<AddressFields>;
  defaultCountry?: string;
  requireEmail?: boolean;
  requirePhone?: boolean;
}

type OutletField = 'company' | 'street1' | 'street2' | 'city' | 'region' | 'postcode' | 'country' | 'phone';
/** The outlet's fields a manager fills; names on an address come from the customer, never the outlet. */
const outletFields: readonly OutletField[] = ['company', 'street1', 'street2', 'city', 'region', 'postcode', 'country', 'phone'];

/** Store fields whose errors show beside a control; any other error shows above the Save button. */
const fieldsWithErrorSpot = new Set(['defaultCountry', ...outletFields.map((f) => `outletAddress.${f}`)]);

/**
 * The default country is the one phone numbers typed without a + are read in, so only countries whose numbers
 * libphonenumber can read are offered; the outlet's own country is an address's, from the full list.
 */
const PHONE_COUNTRIES = getCountries();

/** Matches offered under the walk-in search: enough to find a customer, few enough to arrow through. */
const WALK_IN_MATCHES = 8;

/**
 * @summary The store's settings: the outlet address every new customer address starts from, the country
 * phone numbers are read in, which fields every customer needs, and the default walk-in customer (shown,
 * changed by searching, or created when the store has none). Changes from other tills appear live;
 * fields being edited keep what the manager typed.
 *
 * @event pos-settings-save - Settings were saved, from the form or by choosing or creating the walk-in customer. Detail: `{ settings }`.
 *
 * @csspart base - The wrapper of the form and the walk-in section.
 * @csspart form - The settings form.
 * @csspart field - A label, its control and its error. Also `label`, `input`, `error`.
 * @csspart status - The line announcing a save.
 * @csspart walk-in - The walk-in customer section.
 * @csspart current-walk-in - The sentence naming the current walk-in customer.
 * @csspart search - The customer search input (a combobox).
 * @csspart results - The list of matching customers.
 * @csspart option - One matching customer.
 *
 * @cssprop --pos-accent - Primary buttons and the active search result.
 * @cssprop --pos-danger - Field errors.
 * @cssprop --pos-border - Fields, sections and the result list.
 * @cssprop --pos-form-gap - Space between sections.
 * @cssprop --pos-field-min-width - Narrowest a field gets before the grid wraps.
 */
@customElement('pos-store-settings')
export class PosStoreSettings extends PosElement {
  static override styles = [PosElement.baseStyles, formFieldStyles, storeSettingsStyles];

  private readonly store = new StoreController(this, {
    relevant: (change) => change.settings || change.customers.size > 0,
    // A draft belongs to the store it was typed against.
    onAttach: () => {
      this.draft = { outlet: {} };
      this.errors = [];
    },
  });

  @state() private draft: SettingsDraft = { outlet: {} };
  @state() private errors: FieldError[] = [];
  @state() private status = '';
  @state() private query = '';
  @state() private resultsOpen = false;
  @state() private activeIndex = 0;
  @state() private walkInStatus = '';
  @state() private walkInError = '';

  protected override render() {
    const t = strings();
    const store = this.store.store;
    if (!store) return html`<p>${t.noStore}</p>`;
    const settings = store.settings();
    const error = (field: string) => this.errors.find((e) => e.field === field);
    const general = this.errors.filter((e) => !fieldsWithErrorSpot.has(e.field));
    return html`<div part="base">
      <form part="form" novalidate @submit=${this.save}>
        <fieldset>
          <legend>${t.settingsOutletAddress}</legend>
          <p class="hint">${t.settingsOutletAddressHint}</p>
          <div class="fields">${outletFields.map((field) => this.outletField(field, settings, error(`outletAddress.${field}`)))}</div>
        </fieldset>
        <fieldset>
          <legend>${t.settingsPhoneNumbers}</legend>
          <div class="fields">
            ${selectField({
              id: 'default-country',
              label: t.settingsDefaultCountry,
              value: this.draft.defaultCountry ?? settings.defaultCountry,
              error: error('defaultCountry'),
              options: withValue(countryOptions(PHONE_COUNTRIES), this.draft.defaultCountry ?? settings.defaultCountry),
              onInput: (defaultCountry) => this.edit({ defaultCountry }, 'defaultCountry'),
              onLeave: () => undefined,
            })}
          </div>
          <p class="hint">${t.settingsDefaultCountryHint}</p>
        </fieldset>
        <fieldset>
          <legend>${t.settingsRequiredFields}</legend>
          ${this.checkbox('require-email', t.settingsRequireEmail, this.draft.requireEmail ?? settings.requireEmail, (requireEmail) => this.edit({ requireEmail }, 'requireEmail'))}
          ${this.checkbox('require-phone', t.settingsRequirePhone, this.draft.requirePhone ?? settings.requirePhone, (requirePhone) => this.edit({ requirePhone }, 'requirePhone'))}
        </fieldset>
        ${general.length ? html`<p class="alert" role="alert">${general.map((e) => e.message).join(' ')}</p>` : nothing}
        <div class="actions"><button type="submit" class="primary">${t.settingsSave}</button></div>
        <p part="status" class="status" role="status">${this.status}</p>
      </form>
      ${this.renderWalkIn()}
    </div>`;
  }

  private outletField(field: OutletField, settings: Settings, error: FieldError | undefined): TemplateResult {
    const t = strings();
    const value = this.draft.outlet[field] ?? settings.outletAddress[field];
    const onInput = (v: string) => this.edit({ outlet: { ...this.draft.outlet, [field]: v } }, `outletAddress.${field}`);
    const id = `outlet-${field}`;
    if (field === 'country') {
      return selectField({ id, label: t.settingsCountry, value, error, options: addressCountryOptions(value), onInput, onLeave: () => undefined });
    }
    const labels: Record<Exclude<OutletField, 'country'>, string> = {
      company: t.company,
      street1: t.street1,
      street2: t.street2,
      city: t.city,
      region: t.region,
      postcode: t.postcode,
      phone: t.phone,
    };
    return textField({ id, label: labels[field], value, error, type: field === 'phone' ? 'tel' : 'text', onInput, onLeave: () => undefined });
  }

  private checkbox(id: string, label: string, checked: boolean, onChange: (checked: boolean) => void): TemplateResult {
    return html`<label class="check" part="field"
      ><input id=${id} type="checkbox" .checked=${live(checked)} @change=${(e: Event) => onChange((e.target as HTMLInputElement).checked)} />${label}</label
    >`;
  }

  private renderWalkIn(): TemplateResult {
    const t = strings();
    const store = this.store.store;
    const current = store?.defaultCustomer();
    const matches = this.walkInMatches();
    const open = this.resultsOpen && matches.length > 0;
    const active = open ? Math.min(this.activeIndex, matches.length - 1) : -1;
    const noMatch = this.resultsOpen && this.query.trim() !== '' && matches.length === 0;
    return html`<fieldset part="walk-in">
      <legend>${t.settingsWalkIn}</legend>
      <p class="hint">${t.settingsWalkInHint}</p>
      ${
        current
          ? html`<p part="current-walk-in">
              ${t.settingsWalkInCurrent} <strong class="walk-in-name">${displayName(current)}</strong>
              ${contactOf(current) ? html`<span class="detail">· ${contactOf(current)}</span>` : nothing}
            </p>`
          : html`<p part="current-walk-in">${t.settingsNoWalkIn}</p>
              <button type="button" class="create-walk-in walk-in-actions primary" @click=${this.createWalkIn}>${t.settingsCreateWalkIn}</button>`
      }
      <div class="field">
        <label part="label" for="walk-in-search">${t.settingsChooseWalkIn}</label>
        <div class="combobox">
          <input
            id="walk-in-search"
            part="search"
            type="search"
            role="combobox"
            autocomplete="off"
            spellcheck="false"
            placeholder=${t.searchCustomers}
            aria-autocomplete="list"
            aria-controls="walk-in-results"
            aria-expanded=${open ? 'true' : 'false'}
            aria-activedescendant=${ifDefined(active >= 0 ? `walk-in-option-${active}` : undefined)}
            aria-invalid=${ifDefined(this.walkInError ? 'true' : undefined)}
            aria-describedby=${ifDefined(this.walkInError ? 'walk-in-error' : undefined)}
            .value=${live(this.query)}
            @input=${this.onSearchInput}
            @keydown=${(e: KeyboardEvent) => this.onSearchKey(e, matches, active)}
            @blur=${() => (this.resultsOpen = false)}
          />
          <ul id="walk-in-results" part="results" role="listbox" aria-label=${t.searchResults} ?hidden=${!open} @mousedown=${(e: Event) => e.preventDefault()}>
            ${
              open
                ? matches.map(
                    (c, i) =>
                      html`<li
                        id="walk-in-option-${i}"
                        part="option"
                        role="option"
                        aria-selected=${i === active ? 'true' : 'false'}
                        @click=${() => this.choose(c)}
                      >
                        <span>${displayName(c)}</span>${contactOf(c) ? html`<span class="detail">${contactOf(c)}</span>` : nothing}
                      </li>`,
                  )
                : nothing
            }
          </ul>
        </div>
        ${this.walkInError ? html`<p class="error" part="error" id="walk-in-error">${this.walkInError}</p>` : nothing}
      </div>
      <p class="status" role="status">${noMatch ? t.noMatches : this.walkInStatus}</p>
    </fieldset>`;
  }

  private walkInMatches(): Customer[] {
    const store = this.store.store;
    const query = this.query.trim();
    if (!store || !this.resultsOpen || !query) return [];
    return store
      .search(query, WALK_IN_MATCHES)
      .ids.map((id) => store.get(id))
      .filter((c): c is Customer => Boolean(c && !c.deleted));
  }

  private edit(patch: Partial<SettingsDraft>, field: string): void {
    this.draft = { ...this.draft, ...patch };
    this.status = '';
    if (this.errors.some((e) => e.field === field)) this.errors = this.errors.filter((e) => e.field !== field);
  }

  private readonly save = (event: Event): void => {
    event.preventDefault();
    const store = this.store.store;
    if (!store) return;
    const { outlet, ...rest } = this.draft;
    const patch: SettingsInput = { ...rest };
    // The outlet address is one setting: merge the edited fields into the stored address.
    if (Object.keys(outlet).length) patch.outletAddress = { ...store.settings().outletAddress, ...outlet };
    const result = store.updateSettings(patch);
    if (!result.ok) {
      this.errors = result.errors;
      this.status = '';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    this.draft = { outlet: {} };
    this.errors = [];
    this.status = strings().settingsSaved;
    this.emit('pos-settings-save', { settings: result.value });
  };

  private readonly onSearchInput = (e: Event): void => {
    this.query = (e.target as HTMLInputElement).value;
    this.resultsOpen = this.query.trim() !== '';
    this.activeIndex = 0;
    this.walkInError = '';
    this.walkInStatus = '';
  };

  private onSearchKey(e: KeyboardEvent, matches: Customer[], active: number): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.resultsOpen) {
        this.resultsOpen = this.query.trim() !== '';
        this.activeIndex = 0;
        return;
      }
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this.activeIndex = Math.max(0, Math.min(matches.length - 1, active + step));
    } else if (e.key === 'Enter') {
      const chosen = matches[active];
      if (chosen) {
        e.preventDefault();
        this.choose(chosen);
      }
    } else if (e.key === 'Escape' && this.resultsOpen) {
      // Handled here so a dialog around the element does not close too.
      e.preventDefault();
      e.stopPropagation();
      this.resultsOpen = false;
    }
  }

  private choose(customer: Customer): void {
    const store = this.store.store;
    if (!store) return;
    const result = store.updateSettings({ defaultCustomerId: customer.id });
    if (!result.ok) {
      this.walkInError = result.errors.map((e) => e.message).join(' ');
      return;
    }
    this.query = '';
    this.resultsOpen = false;
    this.walkInError = '';
    this.walkInStatus = strings().settingsWalkInSet(displayName(customer));
    this.emit('pos-settings-save', { settings: result.value });
  }

  private readonly createWalkIn = (): void => {
    const store = this.store.store;
    if (!store) return;
    const result = store.ensureDefaultCustomer(strings().walkInCustomer);
    if (!result.ok) {
      this.walkInError = result.errors.map((e) => e.message).join(' ');
      return;
    }
    this.walkInError = '';
    this.walkInStatus = strings().settingsWalkInSet(displayName(result.value));
    this.emit('pos-settings-save', { settings: store.settings() });
  };
}

function contactOf(c: Customer): string {
  return c.phone || c.email;
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-store-settings': PosStoreSettings;
  }
}
