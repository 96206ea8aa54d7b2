import type * as z from 'zod/mini';

/** Units zod's English messages give a length, by what was measured. */
const units: Partial<Record<string, string>> = { string: 'characters', array: 'items' };

const quoted = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));

/** A value's type as zod's English messages name it. */
function typeName(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype) return value.constructor?.name ?? 'object';
  return typeof value;
}

function sizeMessage(size: 'big' | 'small', origin: string, relation: string, bound: number | bigint): string {
  const unit = units[origin];
  return `Too ${size}: expected ${origin} to ${unit ? `have ${relation}${bound} ${unit}` : `be ${relation}${bound}`}`;
}

/**
 * zod's English message for each issue our schemas can raise without a message of their own: the problems
 * listed for a record another till wrote are made of them. zod/mini loads no messages (any other issue
 * reads "Invalid input"); zod's English locale, which covers every issue zod has, is about three times the
 * download.
 */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${issue.expected}, received ${typeName(issue.input)}`;
    case 'invalid_value':
      return `Invalid input: expected ${issue.values.map(quoted).join('|')}`;
    case 'too_big':
      return sizeMessage('big', issue.origin, issue.inclusive ? '<=' : '<', issue.maximum);
    case 'too_small':
      return sizeMessage('small', issue.origin, issue.inclusive ? '>=' : '>', issue.minimum);
    case 'invalid_format':
      return issue.pattern ? `Invalid string: must match pattern ${issue.pattern}` : `Invalid ${issue.format}`;
    case 'unrecognized_keys':
      return `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map(quoted).join(', ')}`;
    default:
      return undefined;
  }
}
