import { sql, type SqlBool, type RawBuilder } from 'kysely';
import type { TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';
import { inScope, scopeSql } from '../../kernel/scope';

/** A member row with his groups. */
export interface TMemberRow {
  id: string;
  householdId: string;
  regionCode: string;
  name: string;
  relation: string | null;
  phone: string | null;
  idLast4: string | null;
  isActive: boolean;
  userId: string | null;
  groups: { id: string; name: string }[];
}

/** A household row with village name and members. */
export interface THouseholdRow {
  id: string;
  regionCode: string;
  villageName: string;
  householdNo: string;
  headName: string;
  isActive: boolean;
  updatedAt: Date;
  members: TMemberRow[];
}

const memberGroupsJson = (memberRef: string): RawBuilder<{ id: string; name: string }[]> => sql`coalesce((
  SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name)
  FROM group_members gm JOIN supervision_groups g ON g.id = gm.group_id AND g.is_active
  WHERE gm.member_id = ${sql.ref(memberRef)}), '[]'::json)`;

const membersJson = (includeInactive: boolean) => sql<TMemberRow[]>`coalesce((
  SELECT json_agg(json_build_object(
    'id', m.id, 'householdId', m.household_id, 'regionCode', m.region_code, 'name', m.name, 'relation', m.relation,
    'phone', m.phone, 'idLast4', m.id_last4, 'isActive', m.is_active, 'userId', m.user_id,
    'groups', ${memberGroupsJson('m.id')}) ORDER BY (m.relation = '户主') DESC NULLS LAST, m.created_at, m.id)
  FROM members m WHERE m.household_id = h.id ${includeInactive ? sql`` : sql`AND m.is_active`}), '[]'::json)`;

const isCoveredSql = sql<SqlBool>`EXISTS (SELECT 1 FROM members cm JOIN group_members cgm ON cgm.member_id = cm.id WHERE cm.household_id = h.id AND cm.is_active)`;

/** Households under a region prefix inside the scope, keyset-paged on (region_code, household_no, id). */
export async function findHouseholds(
  tx: TTx,
  scope: TScope,
  filter: { prefix: string; q?: string; uncovered?: boolean; includeInactive?: boolean; after?: { regionCode: string; householdNo: string; id: string }; limit: number },
): Promise<THouseholdRow[]> {
  let query = tx
    .selectFrom('households as h')
    .innerJoin('regions as r', 'r.code', 'h.regionCode')
    .select(['h.id', 'h.regionCode', 'r.name as villageName', 'h.householdNo', 'h.headName', 'h.isActive', 'h.updatedAt', membersJson(filter.includeInactive ?? false).as('members')])
    .where('h.regionCode', 'like', `${filter.prefix}%`)
    .where((eb) => inScope(eb, 'h.region_code', scope));
  if (!filter.includeInactive) query = query.where('h.isActive', '=', true);
  if (filter.uncovered) query = query.where(sql<SqlBool>`NOT ${isCoveredSql}`);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('h.headName', 'like', like),
        eb('h.householdNo', 'like', like),
        eb.exists(eb.selectFrom('members as qm').select(sql`1`.as('one')).whereRef('qm.householdId', '=', 'h.id').where((e2) => e2.or([e2('qm.name', 'like', like), e2('qm.phone', 'like', like)]))),
      ]),
    );
  }
  if (filter.after) {
    const a = filter.after;
    query = query.where(sql<SqlBool>`(h.region_code, h.household_no, h.id) > (${a.regionCode}, ${a.householdNo}, ${a.id}::uuid)`);
  }
  return (await query.orderBy('h.regionCode').orderBy('h.householdNo').orderBy('h.id').limit(filter.limit).execute()) as THouseholdRow[];
}

/** One household in scope (with inactive members too). */
export async function findHousehold(tx: TTx, scope: TScope, id: string): Promise<THouseholdRow | undefined> {
  return (await tx
    .selectFrom('households as h')
    .innerJoin('regions as r', 'r.code', 'h.regionCode')
    .select(['h.id', 'h.regionCode', 'r.name as villageName', 'h.householdNo', 'h.headName', 'h.isActive', 'h.updatedAt', membersJson(true).as('members')])
    .where('h.id', '=', id)
    .where((eb) => inScope(eb, 'h.region_code', scope))
    .executeTakeFirst()) as THouseholdRow | undefined;
}

/** Insert a household. */
export async function insertHousehold(tx: TTx, values: { regionCode: string; householdNo: string; headName: string }): Promise<string> {
  return (await tx.insertInto('households').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Update a household's number or head name. */
export async function updateHousehold(tx: TTx, id: string, changes: { householdNo?: string; headName?: string; isActive?: boolean }): Promise<void> {
  await tx.updateTable('households').set({ ...changes, updatedAt: sql`now()` }).where('id', '=', id).execute();
}

/** Deactivate every member of a household. */
export async function deactivateMembersOfHousehold(tx: TTx, householdId: string): Promise<void> {
  await tx.updateTable('members').set({ isActive: false, updatedAt: sql`now()` }).where('householdId', '=', householdId).where('isActive', '=', true).execute();
}

/** One member in scope with his groups. */
export async function findMember(tx: TTx, scope: TScope, id: string): Promise<TMemberRow | undefined> {
  return (await tx
    .selectFrom('members as m')
    .select(['m.id', 'm.householdId', 'm.regionCode', 'm.name', 'm.relation', 'm.phone', 'm.idLast4', 'm.isActive', 'm.userId', memberGroupsJson('m.id').as('groups')])
    .where('m.id', '=', id)
    .where((eb) => inScope(eb, 'm.region_code', scope))
    .executeTakeFirst()) as TMemberRow | undefined;
}

/** Insert a member. */
export async function insertMember(tx: TTx, values: { regionCode: string; householdId: string; name: string; relation: string | null; phone: string | null; idHash: Buffer | null; idLast4: string | null }): Promise<string> {
  return (await tx.insertInto('members').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Update a member's fields. */
export async function updateMember(tx: TTx, id: string, changes: { name?: string; relation?: string | null; phone?: string | null; idHash?: Buffer; idLast4?: string; householdId?: string; isActive?: boolean }): Promise<void> {
  await tx.updateTable('members').set({ ...changes, updatedAt: sql`now()` }).where('id', '=', id).execute();
}

/** Remove a member from all groups (when deactivated). */
export async function removeMemberFromGroups(tx: TTx, memberId: string): Promise<void> {
  await tx.deleteFrom('groupMembers').where('memberId', '=', memberId).execute();
}

/** Add a member to groups of his village (ignores groups elsewhere). */
export async function addMemberToGroups(tx: TTx, memberId: string, regionCode: string, groupIds: string[]): Promise<number> {
  if (groupIds.length === 0) return 0;
  const result = await sql`
    INSERT INTO group_members (group_id, member_id, region_code)
    SELECT g.id, ${memberId}::uuid, g.region_code FROM supervision_groups g
    WHERE g.id = ANY(${groupIds}::uuid[]) AND g.region_code = ${regionCode} AND g.is_active
    ON CONFLICT DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/** Ids of active groups of a village among the given ones. */
export async function findGroupIdsInVillage(tx: TTx, regionCode: string, groupIds: string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await tx.selectFrom('supervisionGroups').select('id').where('id', 'in', groupIds).where('regionCode', '=', regionCode).where('isActive', '=', true).execute();
  return rows.map((r) => r.id);
}

/** Whether a region code is a village. */
export async function isVillage(tx: TTx, code: string): Promise<boolean> {
  return (await tx.selectFrom('regions').select('code').where('code', '=', code).where('level', '=', 'village').executeTakeFirst()) !== undefined;
}

/** Coverage of everything under a prefix, from the per-village counters (≤ one row per village). */
export async function findCoverage(tx: TTx, prefix: string): Promise<{ households: number; householdsInGroups: number; members: number; membersInGroups: number; groups: number }> {
  const row = await sql<{ households: number; householdsInGroups: number; members: number; membersInGroups: number; groups: number }>`
    SELECT coalesce(sum(households), 0)::int AS households, coalesce(sum(households_in_groups), 0)::int AS "householdsInGroups",
           coalesce(sum(members), 0)::int AS members, coalesce(sum(members_in_groups), 0)::int AS "membersInGroups",
           coalesce(sum(groups), 0)::int AS groups
    FROM village_stats WHERE region_code LIKE ${`${prefix}%`}`.execute(tx);
  return row.rows[0]!;
}

/** Coverage of each child of a region (grouped by the child prefix length). */
export async function findChildCoverage(tx: TTx, parentCode: string, parentPrefix: string, childPrefixLength: number, scope: TScope) {
  const n = childPrefixLength;
  const result = await sql<{ code: string; name: string; level: string; households: number; householdsInGroups: number; members: number; membersInGroups: number; groups: number }>`
    WITH stats AS (
      SELECT left(region_code, ${n}) AS p, sum(households)::int AS households, sum(households_in_groups)::int AS hig,
             sum(members)::int AS members, sum(members_in_groups)::int AS mig, sum(groups)::int AS groups
      FROM village_stats WHERE region_code LIKE ${`${parentPrefix}%`} GROUP BY 1)
    SELECT k.code, k.name, k.level, coalesce(s.households, 0) AS households, coalesce(s.hig, 0) AS "householdsInGroups",
           coalesce(s.members, 0) AS members, coalesce(s.mig, 0) AS "membersInGroups", coalesce(s.groups, 0) AS groups
    FROM regions k LEFT JOIN stats s ON s.p = left(k.code, ${n})
    WHERE k.parent_code = ${parentCode} AND ${scopeSql('k.code', scope)}
    ORDER BY k.code`.execute(tx);
  return result.rows;
}

/** The stored phone of a member in scope (for an audited reveal). */
export async function findMemberPhone(tx: TTx, scope: TScope, id: string): Promise<{ phone: string | null; regionCode: string } | undefined> {
  return tx.selectFrom('members as m').select(['m.phone', 'm.regionCode']).where('m.id', '=', id).where((eb) => inScope(eb, 'm.region_code', scope)).executeTakeFirst();
}

/** A household by village + number (for the CLI and imports). */
export async function findHouseholdByNo(tx: TTx, regionCode: string, householdNo: string): Promise<{ id: string } | undefined> {
  return tx.selectFrom('households').select('id').where('regionCode', '=', regionCode).where('householdNo', '=', householdNo).executeTakeFirst();
}

/** The next free numeric household number of a village. */
export async function findNextHouseholdNo(tx: TTx, regionCode: string): Promise<string> {
  const row = await sql<{ n: number }>`SELECT coalesce(max(household_no::bigint) FILTER (WHERE household_no ~ '^[0-9]{1,15}$'), 0) + 1 AS n FROM households WHERE region_code = ${regionCode}`.execute(tx);
  return String(row.rows[0]!.n).padStart(4, '0');
}

/** Insert households in bulk (demo data); returns their ids in input order. */
export async function insertHouseholds(tx: TTx, rows: { regionCode: string; householdNo: string; headName: string }[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await tx.insertInto('households').values(rows.slice(i, i + 1000)).returning('id').execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/** Insert members in bulk (demo data); returns their ids in input order. */
export async function insertMembers(tx: TTx, rows: { regionCode: string; householdId: string; name: string; relation: string | null; phone: string | null; idHash: Buffer | null; idLast4: string | null }[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) ids.push(...(await tx.insertInto('members').values(rows.slice(i, i + 1000)).returning('id').execute()).map((r) => r.id));
  return ids;
}
