import { html, type TemplateResult } from 'lit';
import { strings, type Strings } from '../../i18n/strings.js';
import { AddressInputSchema, type AddressFields } from '../../model/address.js';
import { fieldErrorsOf, type FieldError } from '../../model/field-errors.js';
import { addressCountryOptions } from './country-options.js';
import { selectField, textField } from './form-fields.js';

export type AddressFieldName = keyof AddressFields;

/** The fields of an address in the order a cashier fills them. */
export const addressFieldNames: readonly AddressFieldName[] = [
  'firstName',
  'lastName',
  'company',
  'street1',
  'street2',
  'city',
  'region',
  'postcode',
  'country',
  'phone',
];

type SentenceKey = { [K in keyof Strings]: Strings[K] extends string ? K : never }[keyof Strings];

const labels: Record<AddressFieldName, SentenceKey> = {
  firstName: 'firstName',
  lastName: 'lastName',
  company: 'company',
  street1: 'street1',
  street2: 'street2',
  city: 'city',
  region: 'region',
  postcode: 'postcode',
  country: 'country',
  phone: 'phone',
};

/** The store's address rules, run without saving; problems keyed by address field. */
export function addressIssues(values: Record<AddressFieldName, string>): Map<AddressFieldName, FieldError> {
  const out = new Map<AddressFieldName, FieldError>();
  const parsed = AddressInputSchema.safeParse(values);
  if (parsed.success) return out;
  for (const e of fieldErrorsOf(parsed.error)) {
    const field = addressFieldNames.find((f) => f === e.field);
    if (field && !out.has(field)) out.set(field, { ...e, field });
  }
  return out;
}

/** An address record built field by field (the form and the editor read each field from their own state). */
export function addressOf(value: (field: AddressFieldName) => string): Record<AddressFieldName, string> {
  return {
    firstName: value('firstName'),
    lastName: value('lastName'),
    company: value('company'),
    street1: value('street1'),
    street2: value('street2'),
    city: value('city'),
    region: value('region'),
    postcode: value('postcode'),
    country: value('country'),
    phone: value('phone'),
  };
}

export function addressSummary(a: AddressFields): string {
  return [a.street1, a.street2, a.city, a.region, a.postcode, a.country].filter(Boolean).join(', ') || strings().addressWithoutDetails;
}

export interface AddressFieldsView {
  /** Prefix of the control ids, `${idPrefix}-${field}`, unique within the shadow root. */
  idPrefix: string;
  value: (field: AddressFieldName) => string;
  error: (field: AddressFieldName) => FieldError | undefined;
  onInput: (field: AddressFieldName, value: string) => void;
  onLeave: (field: AddressFieldName) => void;
}

/** The ten address controls, laid out in the shared field grid; the country is chosen from a list. */
export function addressFields(view: AddressFieldsView): TemplateResult {
  const t = strings();
  return html`${addressFieldNames.map((field) => {
    const props = {
      id: `${view.idPrefix}-${field}`,
      label: t[labels[field]],
      value: view.value(field),
      error: view.error(field),
      onInput: (value: string) => view.onInput(field, value),
      onLeave: () => view.onLeave(field),
    };
    if (field === 'country') return selectField({ ...props, options: addressCountryOptions(props.value) });
    return textField({ ...props, type: field === 'phone' ? 'tel' : 'text' });
  })}`;
}
