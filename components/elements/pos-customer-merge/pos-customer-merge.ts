import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { StoreController } from '../../controllers/store-controller.js';
import { strings } from '../../i18n/strings.js';
import { displayName, type Customer } from '../../model/customer.js';
import type { FieldError } from '../../model/field-errors.js';
import { mergeFieldNames, type MergeFieldName, type MergePicks } from '../../store/customer-merge.js';
import type { CustomerStore } from '../../store/customer-store.js';
import { addressSummary } from '../shared/address-fields.js';
import { customerFieldLabel } from '../shared/customer-field-labels.js';
import { formFieldStyles } from '../shared/form-fields.styles.js';
import { PosElement } from '../pos-element.js';
import { customerMergeStyles } from './pos-customer-merge.styles.js';

type Pick = NonNullable<MergePicks[MergeFieldName]>;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * @summary Two records of one person side by side: for every field where they differ the cashier picks
 * which value the kept customer keeps (radio buttons; notes can keep both), every address of both is kept,
 * and a summary says what Merge will do — which record goes, where its addresses move, whether the walk-in
 * customer changes. Merge calls the store's `mergeCustomers`; a refusal is shown with its reason. Changes
 * from other tills appear live (a record merged or deleted meanwhile disables Merge).
 *
 * @event pos-customers-merged - The two were merged. Detail: `{ customer, removedId, movedAddressIds, defaultCustomerMoved }`
 *   (`customer`: the kept customer as it now is).
 * @event pos-cancel - The cashier pressed Cancel or Escape.
 *
 * @csspart base - The wrapper of everything.
 * @csspart title - The heading.
 * @csspart records - The side-by-side comparison.
 * @csspart header - The row naming the kept and the removed record.
 * @csspart swap-button - Swaps which record is kept.
 * @csspart field - One field's row; also `choice` where the values differ, `same` where they do not.
 * @csspart option - One value to pick (a radio button and its label).
 * @csspart addresses - The list of addresses the kept customer will have.
 * @csspart summary - What Merge will do.
 * @csspart error - Why the store refused (or why nothing can be merged).
 * @csspart merge-button - The Merge button.
 * @csspart cancel-button - The Cancel button.
 *
 * @cssprop --pos-merge-label-width - Width of the field-name column (default 9em).
 * @cssprop --pos-accent - The Merge button and the chosen value.
 * @cssprop --pos-danger - The refusal message.
 */
@customElement('pos-customer-merge')
export class PosCustomerMerge extends PosElement {
  static override styles = [PosElement.baseStyles, formFieldStyles, customerMergeStyles];

  /** The customer that stays. */
  @property({ attribute: 'keep-id', reflect: true }) keepId = '';
  /** The customer merged into it and removed. */
  @property({ attribute: 'remove-id', reflect: true }) removeId = '';

  @state() private picks: MergePicks = {};
  /** The store's refusal of the last Merge press. */
  @state() private refusal: FieldError[] = [];
  /** What the last merge did, said in place of the (now gone) pair. */
  @state() private done = '';

  private readonly store = new StoreController(this, {
    relevant: (change) => change.groups || change.settings || change.customers.has(this.keepId) || change.customers.has(this.removeId),
    onAttach: () => (this.picksFor = ''),
  });
  /** The pair `picks` was set up for, so they start afresh for another pair (or once the store has loaded it). */
  private picksFor = '';

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('keepId') || changed.has('removeId')) {
      this.refusal = [];
      this.done = '';
    }
    const pair = this.pair();
    const key = pair ? `${this.keepId} ${this.removeId}` : '';
    if (pair && key !== this.picksFor) {
      this.picksFor = key;
      this.picks = initialPicks(pair.keep, pair.remove);
    }
  }

  /** Both customers, when both are live. */
  private pair(): { store: CustomerStore; keep: Customer; remove: Customer } | undefined {
    const store = this.store.store;
    const keep = store?.get(this.keepId);
    const remove = store?.get(this.removeId);
    if (!store || !keep || !remove || keep.deleted || remove.deleted || keep.id === remove.id) return undefined;
    return { store, keep, remove };
  }

  protected override render() {
    const t = strings();
    const pair = this.pair();
    const store = this.store.store;
    const loading = !store || (store.read(this.keepId) === undefined && store.read(this.removeId) === undefined);
    return html`<div part="base" class="base" @keydown=${this.onKeydown}>
      <h2 part="title" class="title">${t.mergeTitle}</h2>
      ${
        pair
          ? this.renderPair(pair)
          : this.done
            ? html`<p part="summary" class="summary" role="status">${this.done}</p>`
            : html`<p part="error" class="alert" role="alert">${loading ? t.mergeLoading : t.mergeUnavailable}</p>`
      }
      <div class="actions">
        <button part="cancel-button" type="button" @click=${this.cancel}>${t.cancel}</button>
        <button
          part="merge-button"
          class="primary"
          type="button"
          aria-describedby=${pair ? 'summary' : nothing}
          aria-disabled=${pair ? 'false' : 'true'}
          @click=${this.merge}
        >
          ${t.mergeButton}
        </button>
      </div>
    </div>`;
  }

  private renderPair({ store, keep, remove }: { store: CustomerStore; keep: Customer; remove: Customer }): TemplateResult {
    const t = strings();
    const preview = store.mergeCustomers(keep.id, remove.id, this.picks, { dryRun: true });
    const errors = this.refusal.length ? this.refusal : preview.ok ? [] : preview.errors;
    const sameName = displayName(keep) === displayName(remove);
    const label = (c: Customer) =>
      sameName ? `${displayName(c)} (${t.mergeCreated(dateFormat.format(c.createdAt), this.store.tillName(c.createdBy))})` : displayName(c);
    return html`<p class="intro">${t.mergeIntro}</p>
      <div part="records" class="records">
        <div part="header" class="row header">
          <span></span>
          <span class="side"><span class="tag">${t.mergeKeep}</span> ${label(keep)}</span>
          <span class="side"><span class="tag remove">${t.mergeRemove}</span> ${label(remove)}</span>
        </div>
        ${mergeFieldNames.map((field) => this.renderField(store, field, keep, remove))}
      </div>
      <button part="swap-button" class="swap" type="button" @click=${this.swap}>${t.mergeSwap}</button>
      ${this.renderAddresses(keep, remove)}
      <p part="summary" id="summary" class="summary">${preview.ok ? summary(label(keep), label(remove), preview.value) : nothing}</p>
      ${
        errors.length
          ? html`<div part="error" class="alert" role="alert">
              ${t.mergeRefused}
              <ul>
                ${errors.map((e) => html`<li>${this.errorText(e, keep, remove, label)}</li>`)}
              </ul>
            </div>`
          : nothing
      }`;
  }

  private renderField(store: CustomerStore, field: MergeFieldName, keep: Customer, remove: Customer): TemplateResult {
    const t = strings();
    const kept = shown(store, field, keep);
    const removed = shown(store, field, remove);
    const name = fieldLabel(field);
    if (kept === removed) {
      return html`<div part="field same" class="row same">
        <span class="name">${name}</span>
        <span class="value both ${kept ? '' : 'empty'}">${kept || t.mergeEmpty}</span>
      </div>`;
    }
    const current = this.picks[field] ?? 'keep';
    const option = (side: Pick, text: string, extra = '') =>
      html`<label part="option" class="option ${extra} ${text ? '' : 'empty'}">
        <input type="radio" name=${field} .checked=${current === side} @change=${() => this.pick(field, side)} />
        <span>${text || t.mergeEmpty}</span>
      </label>`;
    return html`<div part="field choice" class="row choice" role="radiogroup" aria-labelledby=${`label-${field}`}>
      <span class="name" id=${`label-${field}`}>${name}</span>
      ${option('keep', kept)} ${option('remove', removed)}
      ${field === 'notes' && keep.notes && remove.notes ? option('both', t.mergeBothNotes, 'both-notes') : nothing}
    </div>`;
  }

  private renderAddresses(keep: Customer, remove: Customer): TemplateResult {
    const t = strings();
    const all = [...keep.addresses.map((a) => ({ a, moved: false })), ...remove.addresses.map((a) => ({ a, moved: true }))];
    return html`<section part="addresses" class="addresses" aria-labelledby="addresses-title">
      <h3 id="addresses-title">${all.length ? t.mergeAddresses(all.length) : t.mergeNoAddresses}</h3>
      ${
        all.length
          ? html`<ul>
              ${all.map(({ a, moved }) => html`<li>${addressSummary(a)}${moved ? html` <span class="from">(${t.mergeFromRemoved})</span>` : nothing}</li>`)}
            </ul>`
          : nothing
      }
    </section>`;
  }

  private errorText(error: FieldError, keep: Customer, remove: Customer, label: (c: Customer) => string): string {
    if (error.field === 'keepId') return `${label(keep)}: ${error.message}`;
    if (error.field === 'removeId') return `${label(remove)}: ${error.message}`;
    return mergeFieldNames.includes(error.field as MergeFieldName) ? `${fieldLabel(error.field as MergeFieldName)}: ${error.message}` : error.message;
  }

  private pick(field: MergeFieldName, side: Pick): void {
    this.picks = { ...this.picks, [field]: side };
    this.refusal = [];
  }

  private readonly swap = (): void => {
    [this.keepId, this.removeId] = [this.removeId, this.keepId];
  };

  private readonly merge = (): void => {
    const pair = this.pair();
    if (!pair) return;
    const merged = pair.store.mergeCustomers(pair.keep.id, pair.remove.id, this.picks);
    if (!merged.ok) {
      this.refusal = merged.errors;
      return;
    }
    this.done = strings().duplicatesMerged(displayName(pair.remove), displayName(merged.value.customer));
    this.emit('pos-customers-merged', merged.value);
  };

  private readonly cancel = (): void => {
    this.emit('pos-cancel', {});
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && !e.defaultPrevented && !e.isComposing) this.cancel();
  };
}

/** The removed record's value where the kept one has none: a merge should not drop what was typed. */
function initialPicks(keep: Customer, remove: Customer): MergePicks {
  const picks: MergePicks = {};
  for (const field of mergeFieldNames) if (!keep[field] && remove[field]) picks[field] = 'remove';
  return picks;
}

function fieldLabel(field: MergeFieldName): string {
  if (field === 'billingAddressId') return strings().defaultBilling;
  if (field === 'shippingAddressId') return strings().defaultShipping;
  return customerFieldLabel(field);
}

/** A field's value as the cashier reads it ('' for none); two values that read the same are not a choice. */
function shown(store: CustomerStore, field: MergeFieldName, customer: Customer): string {
  if (field === 'groupId') return customer.groupId ? (store.group(customer.groupId)?.name ?? customer.groupId) : strings().noGroup;
  if (field === 'billingAddressId' || field === 'shippingAddressId') {
    const address = customer.addresses.find((a) => a.id === customer[field]);
    return address ? addressSummary(address) : strings().mergeNoAddress;
  }
  return customer[field];
}

function summary(kept: string, removed: string, outcome: { movedAddressIds: string[]; defaultCustomerMoved: boolean }): string {
  const t = strings();
  const moved = outcome.movedAddressIds.length;
  return [
    t.mergeSummaryRemoved(removed),
    moved ? t.mergeSummaryAddresses(moved, kept) : '',
    outcome.defaultCustomerMoved ? t.mergeSummaryDefault(kept) : '',
    t.mergeSummaryKept,
  ]
    .filter(Boolean)
    .join(' ');
}

declare global {
  interface HTMLElementTagNameMap {
    'pos-customer-merge': PosCustomerMerge;
  }
}
