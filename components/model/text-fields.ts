import * as z from 'zod';
import { messages } from './messages.js';

/** A trimmed free-text field, empty allowed, with a cashier-readable length limit. */
export function text(max: number) {
  return z
    .string()
    .trim()
    .max(max, { error: messages.tooLong(max) });
}

/** ISO 3166-1 alpha-2, upper-cased on the way in. */
export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, { error: messages.countryInvalid });
