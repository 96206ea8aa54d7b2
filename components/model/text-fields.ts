import * as z from 'zod/mini';
import { issueMessage } from './issue-messages.js';
import { messages } from './messages.js';

// Every schema builds on this module, so zod has the messages before anything parses. zod's settings are
// the page's: a host page that chose zod's messages (classic zod loads English; a locale of its own) keeps them.
if (!z.config().localeError) z.config({ localeError: issueMessage });

/** A trimmed free-text field, empty allowed, with a cashier-readable length limit. */
export function text(max: number) {
  return z.string().check(z.trim(), z.maxLength(max, { error: messages.tooLong(max) }));
}

/** ISO 3166-1 alpha-2, upper-cased on the way in. */
export const countryCode = z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z]{2}$/, { error: messages.countryInvalid }));
