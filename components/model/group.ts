import * as z from 'zod';
import { messages } from './messages.js';
import { text } from './text-fields.js';

/** What a manager types for a customer group (NexoPOS "customer groups", ConnectPOS "customer group"). */
export const GroupInputSchema = z.object({
  name: text(60).min(1, { error: messages.groupNameRequired }),
  description: text(500).default(''),
  /** Discount granted to members at the till, in percent. */
  discountPercent: z.number({ error: messages.discountRange }).min(0, { error: messages.discountRange }).max(100, { error: messages.discountRange }).default(0),
  /** A colour tag for badges in lists, as #rrggbb. */
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .or(z.literal(''))
    .default(''),
});
export type GroupInput = z.input<typeof GroupInputSchema>;
export type GroupFields = z.infer<typeof GroupInputSchema>;

/** A group as stored in the document's `groups` map; clocks merge concurrent edits field by field. */
export const StoredGroupSchema = z
  .object({
    v: z.literal(1),
    id: z.string().min(1),
    name: z.string().min(1).max(60),
    description: z.string().max(500),
    discountPercent: z.number().min(0).max(100),
    color: z.string(),
    createdAt: z.number(),
    createdBy: z.string(),
    updatedAt: z.number(),
    updatedBy: z.string(),
    deletedAt: z.number().nullable(),
    deletedBy: z.string().nullable(),
    clock: z.number(),
    clocks: z.record(z.string(), z.number()),
  })
  .strict();
export type StoredGroup = z.infer<typeof StoredGroupSchema>;
export type Group = Omit<StoredGroup, 'v' | 'clock' | 'clocks'> & { deleted: boolean };
