import { z } from 'zod';
import { ZRegionCode } from './regions';

/** Outbound channels (DESIGN §4). */
export const CHANNELS = ['web', 'wecom', 'sms'] as const;
/** Zod enum of channels. */
export const ZChannel = z.enum(CHANNELS);
/** Delivery states of an outbox message. */
export const OUTBOX_STATUSES = ['pending', 'sending', 'delivered', 'failed', 'dead'] as const;

/** An outbound message as the console shows it (no credentials, no phone numbers). */
export const ZOutboxMessage = z.object({
  id: z.string(),
  regionCode: ZRegionCode,
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  channel: ZChannel,
  status: z.enum(OUTBOX_STATUSES),
  summary: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
/** Outbox message DTO. */
export type TOutboxMessage = z.infer<typeof ZOutboxMessage>;

/** `GET /outbox?region=&status=&channel=&cursor=&limit=`. */
export const ZListOutboxQuery = z.object({
  region: ZRegionCode,
  status: z.enum(OUTBOX_STATUSES).optional(),
  channel: ZChannel.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** List outbox query. */
export type TListOutboxQuery = z.input<typeof ZListOutboxQuery>;

/** Page of outbox messages, with counts per status for the region. */
export const ZOutboxPage = z.object({
  items: z.array(ZOutboxMessage),
  nextCursor: z.string().nullable(),
  counts: z.record(z.enum(OUTBOX_STATUSES), z.number().int()),
});
/** Outbox page DTO. */
export type TOutboxPage = z.infer<typeof ZOutboxPage>;

/** Retries before a message is given up ('dead'); an official can still retry it by hand. */
export const OUTBOX_MAX_ATTEMPTS = 8;
