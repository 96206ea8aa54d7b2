import type * as z from 'zod/mini';

/** One problem with one field, as a cashier reads it beside that field. */
export interface FieldError {
  /** Dotted path of the field: `email`, `billingAddress.postcode`. */
  field: string;
  message: string;
  /** For a duplicate: the customer who already holds the value, so the form can offer to open it. */
  existingCustomerId?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function fieldErrorsOf(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '_', message: issue.message }));
}

export function fail<T>(field: string, message: string, existingCustomerId?: string): Result<T> {
  return { ok: false, errors: [existingCustomerId ? { field, message, existingCustomerId } : { field, message }] };
}
