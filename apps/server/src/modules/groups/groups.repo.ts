import { sql } from 'kysely';
import type { TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';
import { inScope } from '../../kernel/scope';

/** A group row with its village name, member count and admins. */
export interface TGroupRow {
  id: string;
  regionCode: string;
  villageName: string;
  name: string;
  platform: 'wechat' | 'wecom' | 'web';
  externalName: string | null;
  wecomWebhookUrl: string | null;
  isActive: boolean;
  memberCount: number;
  admins: { id: string; name: string }[];
  createdAt: Date;
}

const groupColumns = [
  'g.id', 'g.regionCode', 'r.name as villageName', 'g.name', 'g.platform', 'g.externalName', 'g.wecomWebhookUrl', 'g.isActive', 'g.createdAt',
  sql<number>`(SELECT count(*)::int FROM group_members gm JOIN members m ON m.id = gm.member_id AND m.is_active WHERE gm.group_id = g.id)`.as('memberCount'),
  sql<{ id: string; name: string }[]>`coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.name) FROM group_admins ga JOIN users u ON u.id = ga.user_id WHERE ga.group_id = g.id), '[]'::json)`.as('admins'),
] as const;

/** Groups of every village under a prefix, inside the scope. */
export async function findGroups(tx: TTx, scope: TScope, prefix: string): Promise<TGroupRow[]> {
  return (await tx
    .selectFrom('supervisionGroups as g')
    .innerJoin('regions as r', 'r.code', 'g.regionCode')
    .select([...groupColumns])
    .where('g.regionCode', 'like', `${prefix}%`)
    .where((eb) => inScope(eb, 'g.region_code', scope))
    .orderBy('g.regionCode')
    .orderBy('g.name')
    .limit(2000)
    .execute()) as TGroupRow[];
}

/** One group in scope. */
export async function findGroup(tx: TTx, scope: TScope, id: string): Promise<TGroupRow | undefined> {
  return (await tx
    .selectFrom('supervisionGroups as g')
    .innerJoin('regions as r', 'r.code', 'g.regionCode')
    .select([...groupColumns])
    .where('g.id', '=', id)
    .where((eb) => inScope(eb, 'g.region_code', scope))
    .executeTakeFirst()) as TGroupRow | undefined;
}

/** Insert a group. */
export async function insertGroup(tx: TTx, values: { regionCode: string; name: string; platform: string; externalName: string | null; wecomWebhookUrl: string | null }): Promise<string> {
  return (await tx.insertInto('supervisionGroups').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Update a group. */
export async function updateGroup(tx: TTx, id: string, changes: { name?: string; platform?: string; externalName?: string | null; wecomWebhookUrl?: string | null; isActive?: boolean }): Promise<void> {
  await tx.updateTable('supervisionGroups').set({ ...changes, updatedAt: sql`now()` }).where('id', '=', id).execute();
}

/** Replace the admins of a group. */
export async function replaceAdmins(tx: TTx, groupId: string, userIds: string[]): Promise<void> {
  await tx.deleteFrom('groupAdmins').where('groupId', '=', groupId).execute();
  if (userIds.length) await tx.insertInto('groupAdmins').values(userIds.map((userId) => ({ groupId, userId }))).execute();
}

/** Active officials among `userIds` with their role assignments (the service checks they cover the village). */
export async function findOfficialRoles(tx: TTx, userIds: string[]): Promise<{ userId: string; role: string; regionCode: string }[]> {
  if (userIds.length === 0) return [];
  return tx
    .selectFrom('users as u')
    .innerJoin('roleAssignments as ra', 'ra.userId', 'u.id')
    .select(['u.id as userId', 'ra.role', 'ra.regionCode'])
    .where('u.id', 'in', userIds)
    .where('u.kind', '=', 'official')
    .where('u.isActive', '=', true)
    .execute();
}

/** Add active members of the group's village; returns how many were new. */
export async function addMembers(tx: TTx, groupId: string, regionCode: string, memberIds: string[]): Promise<{ added: number; foreign: string[] }> {
  const valid = await tx.selectFrom('members').select('id').where('id', 'in', memberIds).where('regionCode', '=', regionCode).where('isActive', '=', true).execute();
  const validIds = new Set(valid.map((v) => v.id));
  const foreign = memberIds.filter((id) => !validIds.has(id));
  if (validIds.size === 0) return { added: 0, foreign };
  const result = await tx
    .insertInto('groupMembers')
    .values([...validIds].map((memberId) => ({ groupId, memberId, regionCode })))
    .onConflict((oc) => oc.columns(['groupId', 'memberId']).doNothing())
    .executeTakeFirst();
  return { added: Number(result.numInsertedOrUpdatedRows ?? 0), foreign };
}

/** Remove a member from a group. */
export async function removeMember(tx: TTx, groupId: string, memberId: string): Promise<boolean> {
  const result = await tx.deleteFrom('groupMembers').where('groupId', '=', groupId).where('memberId', '=', memberId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Members of a group (active), paged by name. */
export async function findGroupMembers(tx: TTx, groupId: string, after: string | null, limit: number) {
  let query = tx
    .selectFrom('groupMembers as gm')
    .innerJoin('members as m', 'm.id', 'gm.memberId')
    .innerJoin('households as h', 'h.id', 'm.householdId')
    .select(['m.id', 'm.name', 'm.phone', 'm.relation', 'h.householdNo', 'gm.joinedAt'])
    .where('gm.groupId', '=', groupId)
    .where('m.isActive', '=', true);
  if (after) query = query.where('m.id', '>', after);
  return query.orderBy('m.id').limit(limit).execute();
}

/** A group of a village by name. */
export async function findGroupByName(tx: TTx, regionCode: string, name: string): Promise<{ id: string } | undefined> {
  return tx.selectFrom('supervisionGroups').select('id').where('regionCode', '=', regionCode).where('name', '=', name).executeTakeFirst();
}

/** Whether a region code is a village. */
export async function isVillage(tx: TTx, code: string): Promise<boolean> {
  return (await tx.selectFrom('regions').select('code').where('code', '=', code).where('level', '=', 'village').executeTakeFirst()) !== undefined;
}

/** Bulk memberships (demo data and imports): rows of (group, member, village). */
export async function insertGroupMembersBulk(tx: TTx, rows: { groupId: string; memberId: string; regionCode: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await tx.insertInto('groupMembers').values(rows.slice(i, i + 2000)).onConflict((oc) => oc.columns(['groupId', 'memberId']).doNothing()).execute();
  }
}

/** A group for the demo data (platform wechat). */
export async function insertDemoGroup(tx: TTx, regionCode: string, name: string): Promise<string> {
  return insertGroup(tx, { regionCode, name, platform: 'wechat', externalName: name, wecomWebhookUrl: null });
}
