import { regionPrefix, type TChatPost, type TChatPostFields } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { decodeTimeCursor, encodeTimeCursor } from '../../kernel/cursor';
import { AppError, invalid } from '../../kernel/errors';
import { recordFile } from '../../kernel/files.repo';
import { authorize, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import type { TStoredUpload } from '../../kernel/uploads';
import { presentChatPost } from './chat-posts.present';
import * as repo from './chat-posts.repo';

/** An uploaded file of a chat post. */
export interface TChatFile extends TStoredUpload {
  kind: 'voice' | 'photo' | 'screenshot';
  fileName: string | null;
}

/**
 * Register what a villager posted in the chat group (text, voice, photos, screenshot): the group must
 * be in the registrar's village scope; the original is kept verbatim (a trigger refuses changes to it).
 */
export async function registerChatPost(services: TServices, actor: TActor, ctx: TAuditContext, fields: TChatPostFields, files: TChatFile[]): Promise<TChatPost> {
  const scope = authorize(actor, 'chat_posts.register');
  if (!fields.originalText?.trim() && files.length === 0) throw invalid('originalText', 'a post needs its text or at least one file / 请填写原文或上传文件');
  if (files.filter((f) => f.kind === 'voice').length > 1) throw invalid('voice', 'one voice recording per post / 每条只能有一段语音');
  return services.db.transaction().execute(async (tx) => {
    const group = await repo.findGroupInScope(tx, scope, fields.groupId);
    if (!group) throw new AppError('NOT_FOUND', `group ${fields.groupId}`);
    if (fields.authorMemberId && !(await repo.isMemberOfVillage(tx, fields.authorMemberId, group.regionCode))) throw invalid('authorMemberId', 'not a villager of this village / 不是本村村民');
    for (const file of files) await recordFile(tx, { sha256: file.sha256, sizeBytes: file.sizeBytes, mimeType: file.mimeType });
    const id = await repo.insertChatPost(
      tx,
      { regionCode: group.regionCode, groupId: group.id, registeredBy: actor.userId, authorMemberId: fields.authorMemberId ?? null, authorName: fields.authorName, postedAt: new Date(fields.postedAt), originalText: fields.originalText ?? null },
      files.map((f) => ({ sha256: f.sha256, kind: f.kind, fileName: f.fileName })),
    );
    await recordAudit(tx, ctx, { action: 'chat_posts.register', entityType: 'chat_post', entityId: id, regionCode: group.regionCode, details: { files: files.length } });
    return presentChatPost((await repo.findChatPost(tx, { prefixes: [''] }, id))!);
  });
}

/** One chat post in scope. */
export async function getChatPost(services: TServices, actor: TActor, id: string): Promise<TChatPost> {
  const row = await repo.findChatPost(services.db, authorize(actor, 'chat_posts.read'), id);
  if (!row) throw new AppError('NOT_FOUND', `chat post ${id}`);
  return presentChatPost(row);
}

/** Chat posts of a region, newest first. */
export async function listChatPosts(services: TServices, actor: TActor, region: string, cursor: string | undefined, limit: number): Promise<{ items: TChatPost[]; nextCursor: string | null }> {
  const scope = authorize(actor, 'chat_posts.read');
  const after = cursor ? (({ at, id }) => ({ createdAt: at, id }))(decodeTimeCursor(cursor)) : null;
  const rows = await repo.findChatPosts(services.db, scope, regionPrefix(region), after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(presentChatPost), nextCursor: rows.length > limit && last ? encodeTimeCursor({ at: new Date(last.createdAt), id: last.id }) : null };
}

/** Edit the cleaned-up text; the original never changes. */
export async function editChatPost(services: TServices, actor: TActor, ctx: TAuditContext, id: string, editedText: string | null): Promise<TChatPost> {
  const scope = authorize(actor, 'chat_posts.register');
  return services.db.transaction().execute(async (tx) => {
    const row = await repo.findChatPost(tx, scope, id);
    if (!row) throw new AppError('NOT_FOUND', `chat post ${id}`);
    await repo.updateEditedText(tx, id, editedText);
    await recordAudit(tx, ctx, { action: 'chat_posts.edit', entityType: 'chat_post', entityId: id, regionCode: row.regionCode });
    return presentChatPost((await repo.findChatPost(tx, scope, id))!);
  });
}

/** Open a file of a chat post the actor may read. */
export async function openChatPostFile(services: TServices, actor: TActor, id: string, sha256: string) {
  const row = await repo.findChatPost(services.db, authorize(actor, 'chat_posts.read'), id);
  const file = row?.files.find((f) => f.sha256 === sha256);
  if (!row || !file) throw new AppError('NOT_FOUND', 'file');
  return { stream: services.files.get(sha256), mimeType: file.mimeType, sizeBytes: file.sizeBytes };
}

/** Record that a chat post became an appeal (same village, still open), inside the caller's transaction. */
export async function convertChatPost(tx: Parameters<typeof repo.markConverted>[0], id: string, regionCode: string, ref: string): Promise<void> {
  if (!(await repo.markConverted(tx, id, regionCode, ref))) throw invalid('chatPostId', 'not an open chat post of this village / 不是本村待处理的群消息登记');
}
