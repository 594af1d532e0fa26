import { sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { TTx } from '../../kernel/db';
import type { DB } from '../../kernel/db.types';
import type { TScope } from '../../kernel/policy';
import { inScope } from '../../kernel/scope';

/** A supervision group as the feed needs it (the webhook itself stays in the database). */
export interface TFeedGroupRow {
  id: string;
  regionCode: string;
  name: string;
  platform: string;
  isActive: boolean;
  hasWebhook: boolean;
}

/** A group with its village's name, for "my groups". */
export interface TMyGroupRow extends TFeedGroupRow {
  villageName: string;
}

/** One feed row with its author's name. */
export interface TFeedRow {
  id: string;
  groupId: string;
  regionCode: string;
  kind: 'notice' | 'message';
  topic: string | null;
  title: string | null;
  body: string;
  link: string | null;
  authorUserId: string | null;
  authorName: string | null;
  /** Officials speak on the record under their name; villagers' names are masked for other villagers. */
  authorIsOfficial: boolean;
  createdAt: Date;
  /** created_at with microseconds (UTC, ISO), for exact keyset cursors. */
  cursorAt: string;
}

/** A position in a feed: (created_at, id). */
export interface TFeedPosition {
  at: string;
  id: string;
}

const groupColumns = ['g.id', 'g.regionCode', 'g.name', 'g.platform', 'g.isActive', sql<boolean>`g.wecom_webhook_url IS NOT NULL`.as('hasWebhook')] as const;

/** The member record of this user belongs to the group (an active member). */
function isMemberOf(eb: ExpressionBuilder<DB & { g: DB['supervisionGroups'] }, 'g'>, userId: string) {
  return eb.exists(
    eb.selectFrom('groupMembers as gm')
      .innerJoin('members as m', 'm.id', 'gm.memberId')
      .select(sql`1`.as('one'))
      .whereRef('gm.groupId', '=', 'g.id')
      .where('m.userId', '=', userId)
      .where('m.isActive', '=', true),
  );
}

/** The group, if this (villager) user is one of its members. */
export async function findGroupOfMember(tx: TTx, groupId: string, userId: string): Promise<TFeedGroupRow | undefined> {
  return tx.selectFrom('supervisionGroups as g').select(groupColumns).where('g.id', '=', groupId).where((eb) => isMemberOf(eb, userId)).executeTakeFirst();
}

/** The group, if it lies in the scope. */
export async function findGroupInScope(tx: TTx, groupId: string, scope: TScope): Promise<TFeedGroupRow | undefined> {
  return tx.selectFrom('supervisionGroups as g').select(groupColumns).where('g.id', '=', groupId).where((eb) => inScope(eb, 'g.region_code', scope)).executeTakeFirst();
}

/** Active groups the user's member records belong to. */
export async function findGroupsOfMember(tx: TTx, userId: string): Promise<TMyGroupRow[]> {
  return tx
    .selectFrom('supervisionGroups as g')
    .innerJoin('regions as r', 'r.code', 'g.regionCode')
    .select([...groupColumns, 'r.name as villageName'])
    .where('g.isActive', '=', true)
    .where((eb) => isMemberOf(eb, userId))
    .orderBy('g.regionCode')
    .orderBy('g.name')
    .execute();
}

/** Active groups in the scope, in region order. */
export async function findGroupsInScope(tx: TTx, scope: TScope, limit: number): Promise<TMyGroupRow[]> {
  return tx
    .selectFrom('supervisionGroups as g')
    .innerJoin('regions as r', 'r.code', 'g.regionCode')
    .select([...groupColumns, 'r.name as villageName'])
    .where('g.isActive', '=', true)
    .where((eb) => inScope(eb, 'g.region_code', scope))
    .orderBy('g.regionCode')
    .orderBy('g.name')
    .limit(limit)
    .execute();
}

/** Active groups of every village under a region prefix ('' = all). */
export async function findActiveGroupsUnder(tx: TTx, prefix: string): Promise<TFeedGroupRow[]> {
  return tx.selectFrom('supervisionGroups as g').select(groupColumns).where('g.isActive', '=', true).where('g.regionCode', 'like', `${prefix}%`).orderBy('g.regionCode').orderBy('g.id').execute();
}

function selectFeed(tx: TTx) {
  return tx
    .selectFrom('groupMessages as m')
    .leftJoin('users as u', 'u.id', 'm.authorUserId')
    .select([
      'm.id', 'm.groupId', 'm.regionCode', 'm.kind', 'm.topic', 'm.title', 'm.body', 'm.link', 'm.authorUserId', 'u.name as authorName', sql<boolean>`coalesce(u.kind = 'official', false)`.as('authorIsOfficial'), 'm.createdAt',
      sql<string>`to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursorAt'),
    ]);
}

/** A page of the feed, newest first, before a position. */
export async function findFeedPage(tx: TTx, groupId: string, options: { before?: TFeedPosition; limit: number }): Promise<TFeedRow[]> {
  let query = selectFeed(tx).where('m.groupId', '=', groupId);
  if (options.before) query = query.where(sql<SqlBool>`(m.created_at, m.id) < (${options.before.at}::timestamptz, ${options.before.id}::uuid)`);
  return (await query.orderBy('m.createdAt', 'desc').orderBy('m.id', 'desc').limit(options.limit).execute()) as TFeedRow[];
}

/** Items after a position, oldest first (a stream catching up). */
export async function findFeedAfter(tx: TTx, groupId: string, after: TFeedPosition, limit: number): Promise<TFeedRow[]> {
  return (await selectFeed(tx)
    .where('m.groupId', '=', groupId)
    .where(sql<SqlBool>`(m.created_at, m.id) > (${after.at}::timestamptz, ${after.id}::uuid)`)
    .orderBy('m.createdAt')
    .orderBy('m.id')
    .limit(limit)
    .execute()) as TFeedRow[];
}

/** Items of a group by id. */
export async function findFeedItems(tx: TTx, groupId: string, ids: string[]): Promise<TFeedRow[]> {
  if (ids.length === 0) return [];
  return (await selectFeed(tx).where('m.groupId', '=', groupId).where('m.id', 'in', ids).orderBy('m.createdAt').orderBy('m.id').execute()) as TFeedRow[];
}

/** Where an item sits in its group's feed. */
export async function findFeedPosition(tx: TTx, groupId: string, id: string): Promise<TFeedPosition | undefined> {
  const row = await selectFeed(tx).where('m.groupId', '=', groupId).where('m.id', '=', id).executeTakeFirst();
  return row ? { at: row.cursorAt, id: row.id } : undefined;
}

/** The newest item's position (where a fresh stream starts). */
export async function findLatestPosition(tx: TTx, groupId: string): Promise<TFeedPosition | undefined> {
  const [row] = await findFeedPage(tx, groupId, { limit: 1 });
  return row ? { at: row.cursorAt, id: row.id } : undefined;
}

/** Insert a member's message. */
export async function insertMessage(tx: TTx, values: { groupId: string; regionCode: string; body: string; authorUserId: string }): Promise<string> {
  const row = await tx.insertInto('groupMessages').values({ ...values, kind: 'message' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Insert notices (ids chosen by the caller, so the outbox can point at them). */
export async function insertNotices(tx: TTx, rows: { id: string; groupId: string; regionCode: string; topic: string; title: string | null; body: string; link: string | null; authorUserId: string | null }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await tx.insertInto('groupMessages').values(rows.slice(i, i + 500).map((r) => ({ ...r, kind: 'notice' }))).execute();
  }
}

/** How many messages the user posted to the group since a time (a flood guard). */
export async function countMessagesSince(tx: TTx, groupId: string, userId: string, since: Date): Promise<number> {
  const row = await tx
    .selectFrom('groupMessages')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('groupId', '=', groupId)
    .where('createdAt', '>=', since)
    .where('authorUserId', '=', userId)
    .where('kind', '=', 'message')
    .executeTakeFirstOrThrow();
  return row.n;
}
