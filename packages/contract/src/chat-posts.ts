import { z } from 'zod';

/** Kinds of files a registered chat post may carry. */
export const CHAT_FILE_KINDS = ['voice', 'photo', 'screenshot'] as const;

/** Limits of chat-post registration. */
export const CHAT_POST_LIMITS = { textMax: 4000, filesMax: 9, fileBytesMax: 20 * 1024 * 1024 } as const;

/** Voice formats accepted (checked by content, not by name). */
export const VOICE_MIME_TYPES = ['audio/webm', 'audio/ogg', 'audio/mpeg', 'audio/mp4', 'audio/amr'] as const;
/** Image formats accepted (checked by content). */
export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;

/** Fields of `POST /chat-posts` (multipart: these fields plus files named voice, photo, screenshot). */
export const ZChatPostFields = z.object({
  groupId: z.uuid(),
  authorName: z.string().trim().min(1).max(32),
  authorMemberId: z.uuid().optional(),
  postedAt: z.iso.datetime({ offset: true }),
  originalText: z.string().max(CHAT_POST_LIMITS.textMax).optional(),
});
/** Chat post fields. */
export type TChatPostFields = z.infer<typeof ZChatPostFields>;

/** A registered chat post; the original is verbatim, the edited text is the admin's cleaned-up version. */
export const ZChatPost = z.object({
  id: z.string(),
  regionCode: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  authorName: z.string(),
  authorMemberId: z.string().nullable(),
  postedAt: z.string(),
  originalText: z.string().nullable(),
  editedText: z.string().nullable(),
  status: z.enum(['registered', 'converted', 'dismissed']),
  convertedRef: z.string().nullable(),
  registeredBy: z.object({ id: z.string(), name: z.string() }),
  files: z.array(z.object({ sha256: z.string(), kind: z.enum(CHAT_FILE_KINDS), mimeType: z.string(), sizeBytes: z.number().int(), url: z.string() })),
  createdAt: z.string(),
});
/** Chat post DTO. */
export type TChatPost = z.infer<typeof ZChatPost>;

/** `PATCH /chat-posts/{id}`: edit the cleaned-up text (the original never changes). */
export const ZUpdateChatPostRequest = z.object({ editedText: z.string().trim().max(CHAT_POST_LIMITS.textMax).nullable() });

/** `GET /chat-posts?region=&cursor=&limit=`. */
export const ZListChatPostsQuery = z.object({
  region: z.string().regex(/^\d{12}$/),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

/** Page of chat posts. */
export const ZChatPostPage = z.object({ items: z.array(ZChatPost), nextCursor: z.string().nullable() });
