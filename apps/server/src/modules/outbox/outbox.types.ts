import type { TChannel } from './adapters/types';

/** What the outbox stores in `payload` (jsonb). Never a credential: webhook URLs are read at delivery. */
export interface TOutboundPayload {
  /** What the message is about: 'platform.notice', 'ledger.checkpoint', … */
  topic?: string | null;
  title?: string | null;
  body: string;
  /** An http(s) URL or a path of the villager app (made absolute with PUBLIC_URL when sent). */
  link?: string | null;
  /** How a 企业微信 robot shows it; markdown unless said otherwise (`text` keeps a signed note verbatim). */
  format?: 'markdown' | 'text' | 'news';
  /** web: the feed row written in the business transaction. */
  feedMessageId?: string;
  /** sms: the addressee. Personal data: never presented, never logged unmasked. */
  phone?: string;
}

/** One outbound message to queue. */
export interface TEnqueueInput {
  regionCode: string;
  groupId?: string | null;
  channel: TChannel;
  /** The business change this message stands for; the same key is queued once per channel. */
  dedupeKey: string;
  payload: TOutboundPayload;
}

/** A group as the outbox needs it: where it lives and whether it has outside channels. */
export interface TOutboundGroup {
  id: string;
  regionCode: string;
  hasWebhook: boolean;
  /** The notice's row in this group's web feed, when one was written. */
  feedMessageId?: string;
}

/** A notice to fan out to groups' outside channels. */
export interface TGroupNotice {
  dedupeKey: string;
  topic?: string | null;
  title?: string | null;
  body: string;
  link?: string | null;
  format?: TOutboundPayload['format'];
  /** Optional addressees by SMS (e.g. the people a notice concerns); a group notice is not an SMS blast. */
  phones?: string[];
}
