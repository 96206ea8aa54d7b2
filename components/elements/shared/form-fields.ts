import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { strings } from '../../i18n/strings.js';
import type { FieldError } from '../../model/field-errors.js';

/**
 * Labelled controls with their error beside them, shared by <pos-customer-form> and <pos-address-editor>
 * (the form embeds the editor, so the shared templates live with the editor). Every control gets
 * `<label for>`, `aria-invalid` and `aria-describedby` pointing at its error inside the same shadow root.
 */
export interface FieldProps {
  /** The control's id in the element's shadow root; its error gets `errorIdOf(id)`. */
  id: string;
  label: string;
  value: string;
  error: FieldError | undefined;
  /** Shows a visible "required" mark and sets aria-required. */
  required?: boolean;
  /** Spans the whole row of the field grid. */
  wide?: boolean;
  onInput: (value: string) => void;
  /** The cashier left the control (blur): the moment a field is checked. */
  onLeave: () => void;
}

export interface TextFieldProps extends FieldProps {
  type?: 'text' | 'email' | 'tel';
  autocapitalize?: 'off' | 'words' | 'characters';
  /** Offered beside a duplicate error that names an existing customer. */
  onOpenExisting?: (customerId: string) => void;
}

export interface SelectFieldProps extends FieldProps {
  options: ReadonlyArray<{ value: string; label: string }>;
}

export function errorIdOf(id: string): string {
  return `${id}-error`;
}

function label(p: FieldProps): TemplateResult {
  return html`<label part="label" for=${p.id}
    >${p.label}${p.required ? html` <span class="required" aria-hidden="true">(${strings().requiredMark})</span>` : nothing}</label
  >`;
}

function error(p: FieldProps & { onOpenExisting?: (customerId: string) => void }): TemplateResult | typeof nothing {
  if (!p.error) return nothing;
  const existing = p.error.existingCustomerId;
  const open = p.onOpenExisting;
  return html`<p class="error" part="error" id=${errorIdOf(p.id)}>${p.error.message}</p>
    ${
      existing && open
        ? html`<button type="button" part="open-existing" class="open-existing" @click=${() => open(existing)}>${strings().openExisting}</button>`
        : nothing
    }`;
}

const valueOf = (e: Event) => (e.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;

function invalid(p: FieldProps) {
  return { invalid: p.error ? 'true' : undefined, describedBy: p.error ? errorIdOf(p.id) : undefined };
}

// Autofill is off everywhere: on a till the browser would offer the cashier's own details for a customer.
export function textField(p: TextFieldProps): TemplateResult {
  const a = invalid(p);
  return html`<div class="field ${p.wide ? 'wide' : ''}" part="field">
    ${label(p)}
    <input
      id=${p.id}
      part="input"
      type=${p.type ?? 'text'}
      autocapitalize=${ifDefined(p.autocapitalize)}
      autocomplete="off"
      spellcheck="false"
      .value=${live(p.value)}
      aria-required=${ifDefined(p.required ? 'true' : undefined)}
      aria-invalid=${ifDefined(a.invalid)}
      aria-describedby=${ifDefined(a.describedBy)}
      @input=${(e: Event) => p.onInput(valueOf(e))}
      @blur=${p.onLeave}
    />
    ${error(p)}
  </div>`;
}

export function textAreaField(p: FieldProps): TemplateResult {
  const a = invalid(p);
  return html`<div class="field ${p.wide ? 'wide' : ''}" part="field">
    ${label(p)}
    <textarea
      id=${p.id}
      part="input"
      rows="3"
      autocomplete="off"
      .value=${live(p.value)}
      aria-invalid=${ifDefined(a.invalid)}
      aria-describedby=${ifDefined(a.describedBy)}
      @input=${(e: Event) => p.onInput(valueOf(e))}
      @blur=${p.onLeave}
    ></textarea>
    ${error(p)}
  </div>`;
}

export function selectField(p: SelectFieldProps): TemplateResult {
  const a = invalid(p);
  // `selected` on the options rather than `.value` on the select: Lit sets the select's properties
  // before its options exist on the first render, which would leave the wrong option chosen.
  return html`<div class="field ${p.wide ? 'wide' : ''}" part="field">
    ${label(p)}
    <select
      id=${p.id}
      part="input"
      aria-invalid=${ifDefined(a.invalid)}
      aria-describedby=${ifDefined(a.describedBy)}
      @change=${(e: Event) => p.onInput(valueOf(e))}
      @blur=${p.onLeave}
    >
      ${p.options.map((o) => html`<option value=${o.value} ?selected=${o.value === p.value}>${o.label}</option>`)}
    </select>
    ${error(p)}
  </div>`;
}
