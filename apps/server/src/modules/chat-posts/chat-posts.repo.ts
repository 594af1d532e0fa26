import { sql, type SqlBool } from 'kysely';
import type { TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';
import { inScope } from '../../kernel/scope';

/** A registered chat post with its group, registrar and files. */
export interface TChatPostRow {
  id: string;
  regionCode: string;
  groupId: string;
  groupName: string;
  authorName: string;
  authorMemberId: string | null;
  postedAt: Date;
  originalText: string | null;
  editedText: string | null;
  status: 'registered' | 'converted' | 'dismissed';
  convertedRef: string | null;
  registeredById: string;
  registeredByName: string;
  createdAt: Date;
  files: { sha256: string; kind: 'voice' | 'photo' | 'screenshot'; mimeType: string; sizeBytes: number }[];
}

const filesJson = sql<TChatPostRow['files']>`coalesce((
  SELECT json_agg(json_build_object('sha256', f.sha256, 'kind', cf.kind, 'mimeType', f.mime_type, 'sizeBytes', f.size_bytes) ORDER BY cf.position)
  FROM chat_post_files cf JOIN files f ON f.sha256 = cf.sha256 WHERE cf.chat_post_id = p.id), '[]'::json)`;

function selectPosts(tx: TTx) {
  return tx
    .selectFrom('chatPosts as p')
    .innerJoin('supervisionGroups as g', 'g.id', 'p.groupId')
    .innerJoin('users as u', 'u.id', 'p.registeredBy')
    .select([
      'p.id', 'p.regionCode', 'p.groupId', 'g.name as groupName', 'p.authorName', 'p.authorMemberId', 'p.postedAt', 'p.originalText', 'p.editedText',
      'p.status', 'p.convertedRef', 'u.id as registeredById', 'u.name as registeredByName', 'p.createdAt', filesJson.as('files'),
    ]);
}

/** The group's village when the group is active and inside the scope. */
export async function findGroupInScope(tx: TTx, scope: TScope, groupId: string): Promise<{ id: string; regionCode: string } | undefined> {
  return tx.selectFrom('supervisionGroups as g').select(['g.id', 'g.regionCode']).where('g.id', '=', groupId).where('g.isActive', '=', true).where((eb) => inScope(eb, 'g.region_code', scope)).executeTakeFirst();
}

/** Whether a member is an active villager of the village. */
export async function isMemberOfVillage(tx: TTx, memberId: string, regionCode: string): Promise<boolean> {
  return (await tx.selectFrom('members').select('id').where('id', '=', memberId).where('regionCode', '=', regionCode).executeTakeFirst()) !== undefined;
}

/** Insert a chat post and its files. */
export async function insertChatPost(
  tx: TTx,
  post: { regionCode: string; groupId: string; registeredBy: string; authorMemberId: string | null; authorName: string; postedAt: Date; originalText: string | null },
  files: { sha256: string; kind: string; fileName: string | null }[],
): Promise<string> {
  const { id } = await tx.insertInto('chatPosts').values(post).returning('id').executeTakeFirstOrThrow();
  if (files.length) {
    await tx
      .insertInto('chatPostFiles')
      .values(files.map((f, position) => ({ chatPostId: id, sha256: f.sha256, kind: f.kind, fileName: f.fileName, position })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return id;
}

/** One chat post in scope. */
export async function findChatPost(tx: TTx, scope: TScope, id: string): Promise<TChatPostRow | undefined> {
  return (await selectPosts(tx).where('p.id', '=', id).where((eb) => inScope(eb, 'p.region_code', scope)).executeTakeFirst()) as TChatPostRow | undefined;
}

/** Chat posts under a region prefix in scope, newest first, keyset on (created_at, id). */
export async function findChatPosts(tx: TTx, scope: TScope, prefix: string, after: { createdAt: string; id: string } | null, limit: number): Promise<TChatPostRow[]> {
  let query = selectPosts(tx).where('p.regionCode', 'like', `${prefix}%`).where((eb) => inScope(eb, 'p.region_code', scope));
  if (after) query = query.where(sql<SqlBool>`(p.created_at, p.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
  return (await query.orderBy('p.createdAt', 'desc').orderBy('p.id', 'desc').limit(limit).execute()) as TChatPostRow[];
}

/** Set the cleaned-up text (the original is protected by a trigger). */
export async function updateEditedText(tx: TTx, id: string, editedText: string | null): Promise<void> {
  await tx.updateTable('chatPosts').set({ editedText, updatedAt: sql`now()` }).where('id', '=', id).execute();
}

/** Whether a file belongs to a chat post. */
export async function isFileOfPost(tx: TTx, postId: string, sha256: string): Promise<boolean> {
  return (await tx.selectFrom('chatPostFiles').select('sha256').where('chatPostId', '=', postId).where('sha256', '=', sha256).executeTakeFirst()) !== undefined;
}

/** Mark a registered chat post as turned into something else (an appeal); false when it was not open. */
export async function markConverted(tx: TTx, id: string, regionCode: string, ref: string): Promise<boolean> {
  const result = await tx
    .updateTable('chatPosts')
    .set({ status: 'converted', convertedRef: ref, updatedAt: sql`now()` })
    .where('id', '=', id)
    .where('regionCode', '=', regionCode)
    .where('status', '=', 'registered')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
