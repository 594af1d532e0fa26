import type { CHANNELS } from '@cunwu/contract';
import type { TServices } from '../../../kernel/services';
import type { TOutboundPayload } from '../outbox.types';

/** An outbound channel. */
export type TChannel = (typeof CHANNELS)[number];

/** A claimed message as an adapter sees it. */
export interface TClaimedMessage {
  id: string;
  regionCode: string;
  groupId: string | null;
  channel: TChannel;
  dedupeKey: string;
  payload: TOutboundPayload;
  /** Attempts including this one. */
  attempts: number;
  /** The group's 企业微信 robot webhook, read at delivery time (removed → null). */
  webhookUrl: string | null;
  /** Whether the group (if any) is still active. */
  isGroupActive: boolean;
}

/** What an adapter may use besides the message. */
export interface TDeliveryContext {
  services: TServices;
  now: Date;
  /** Absolute base for relative links (PUBLIC_URL or the local address). */
  publicUrl: string;
}

/**
 * The outcome of one delivery attempt: `retry` comes back after back-off, `dead` gives up (an
 * official can retry by hand), `deferred` means "not now" without counting an attempt (rate limit).
 */
export type TDeliveryResult =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  | { outcome: 'dead'; error: string }
  | { outcome: 'deferred'; retryAt: Date };

/** Sends one message on one channel. Must not throw for expected failures; a throw counts as `retry`. */
export interface TOutboxAdapter {
  channel: TChannel;
  deliver(message: TClaimedMessage, ctx: TDeliveryContext): Promise<TDeliveryResult>;
}
