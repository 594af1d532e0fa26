import { z } from 'zod';

/** One item of a group's web feed. Authors of members' messages are shown masked (夏**). */
export const ZFeedItem = z.object({
  id: z.string(),
  groupId: z.string(),
  kind: z.enum(['notice', 'message']),
  /** For notices: 'disclosure.published', 'meeting.started', 'survey.opened', 'ledger.checkpoint', 'platform.notice', … */
  topic: z.string().nullable(),
  title: z.string().nullable(),
  body: z.string(),
  link: z.string().nullable(),
  authorName: z.string().nullable(),
  isMine: z.boolean(),
  createdAt: z.string(),
});
/** Feed item DTO. */
export type TFeedItem = z.infer<typeof ZFeedItem>;

/** `GET /groups/{id}/feed?before=CURSOR&limit=` — newest first. */
export const ZFeedQuery = z.object({
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

/** Page of feed items. */
export const ZFeedPage = z.object({ items: z.array(ZFeedItem), nextCursor: z.string().nullable() });
/** Feed page DTO. */
export type TFeedPage = z.infer<typeof ZFeedPage>;

/** Longest message a member may post. */
export const FEED_MESSAGE_MAX = 1000;

/** `POST /groups/{id}/messages` — a member (or official of the village) posts to the web feed. */
export const ZPostMessageRequest = z.object({ body: z.string().trim().min(1).max(FEED_MESSAGE_MAX) });
/** Post message request. */
export type TPostMessageRequest = z.infer<typeof ZPostMessageRequest>;

/** `POST /groups/{id}/notices` — an official posts a notice (also sent to the group's outside channels). */
export const ZPostNoticeRequest = z.object({
  title: z.string().trim().min(1).max(100),
  body: z.string().trim().min(1).max(4000),
  link: z.string().trim().max(500).optional(),
});
/** Post notice request. */
export type TPostNoticeRequest = z.infer<typeof ZPostNoticeRequest>;

/** The groups a villager (or official) can open the feed of. */
export const ZMyGroups = z.array(z.object({ id: z.string(), name: z.string(), regionCode: z.string(), villageName: z.string(), platform: z.string() }));
