import * as z from 'zod/mini';
import { messages } from './messages.js';
import { text } from './text-fields.js';

/** What a manager types for a customer group (NexoPOS "customer groups", ConnectPOS "customer group"). */
export const GroupInputSchema = z.object({
  name: text(60).check(z.minLength(1, { error: messages.groupNameRequired })),
  description: z._default(text(500), ''),
  /** Discount granted to members at the till, in percent. */
  discountPercent: z._default(
    z.number({ error: messages.discountRange }).check(z.gte(0, { error: messages.discountRange }), z.lte(100, { error: messages.discountRange })),
    0,
  ),
  /** A colour tag for badges in lists, as #rrggbb. */
  color: z._default(z.union([z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/)), z.literal('')]), ''),
});
export type GroupInput = z.input<typeof GroupInputSchema>;
export type GroupFields = z.infer<typeof GroupInputSchema>;

/** A group as stored in the document's `groups` map; clocks merge concurrent edits field by field. */
export const StoredGroupSchema = z.strictObject({
  v: z.literal(1),
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1), z.maxLength(60)),
  description: z.string().check(z.maxLength(500)),
  discountPercent: z.number().check(z.gte(0), z.lte(100)),
  color: z.string(),
  createdAt: z.number(),
  createdBy: z.string(),
  updatedAt: z.number(),
  updatedBy: z.string(),
  deletedAt: z.nullable(z.number()),
  deletedBy: z.nullable(z.string()),
  clock: z.number(),
  clocks: z.record(z.string(), z.number()),
});
export type StoredGroup = z.infer<typeof StoredGroupSchema>;
export type Group = Omit<StoredGroup, 'v' | 'clock' | 'clocks'> & { deleted: boolean };
