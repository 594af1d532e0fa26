import { sql } from 'kysely';
import type { TRole } from '@cunwu/contract';
import type { TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';

/** A user with roles (region names joined) as the admin pages show it. */
export interface TUserRow {
  id: string;
  login: string | null;
  name: string;
  kind: string;
  phone: string | null;
  isActive: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
  roles: { id: string; role: TRole; regionCode: string; regionName: string }[];
}

const rolesJson = sql<TUserRow['roles']>`coalesce((
  SELECT json_agg(json_build_object('id', ra.id, 'role', ra.role, 'regionCode', ra.region_code, 'regionName', r.name) ORDER BY ra.region_code, ra.role)
  FROM role_assignments ra JOIN regions r ON r.code = ra.region_code WHERE ra.user_id = u.id), '[]'::json)`;

/**
 * Officials the admin may see: those holding at least one role inside his scope (or none yet).
 * Keyset pagination on (created_at, id).
 */
export async function findUsers(tx: TTx, scope: TScope, filter: { q?: string; region?: string; role?: TRole; after?: { createdAt: string; id: string }; limit: number }): Promise<TUserRow[]> {
  let query = tx
    .selectFrom('users as u')
    .select(['u.id', 'u.login', 'u.name', 'u.kind', 'u.phone', 'u.isActive', 'u.lockedUntil', 'u.createdAt', rolesJson.as('roles')])
    .where('u.kind', '=', 'official')
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('roleAssignments as s').whereRef('s.userId', '=', 'u.id').where((e2) => e2.or(scope.prefixes.map((p) => e2('s.regionCode', 'like', `${p}%`))))),
        eb.not(eb.exists(eb.selectFrom('roleAssignments as n').whereRef('n.userId', '=', 'u.id'))),
      ]),
    );
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('u.name', 'like', like), eb('u.login', 'like', like.toLowerCase())]));
  }
  if (filter.region) query = query.where((eb) => eb.exists(eb.selectFrom('roleAssignments as f').whereRef('f.userId', '=', 'u.id').where('f.regionCode', '=', filter.region!)));
  if (filter.role) query = query.where((eb) => eb.exists(eb.selectFrom('roleAssignments as g').whereRef('g.userId', '=', 'u.id').where('g.role', '=', filter.role!)));
  if (filter.after) {
    const after = filter.after;
    query = query.where((eb) => eb.or([eb('u.createdAt', '<', new Date(after.createdAt)), eb.and([eb('u.createdAt', '=', new Date(after.createdAt)), eb('u.id', '<', after.id)])]));
  }
  return (await query.orderBy('u.createdAt', 'desc').orderBy('u.id', 'desc').limit(filter.limit).execute()) as TUserRow[];
}

/** One user by id with roles. */
export async function findUser(tx: TTx, id: string): Promise<TUserRow | undefined> {
  return (await tx
    .selectFrom('users as u')
    .select(['u.id', 'u.login', 'u.name', 'u.kind', 'u.phone', 'u.isActive', 'u.lockedUntil', 'u.createdAt', rolesJson.as('roles')])
    .where('u.id', '=', id)
    .executeTakeFirst()) as TUserRow | undefined;
}

/** Insert an official. */
export async function insertOfficial(tx: TTx, values: { login: string; name: string; phone: string | null; passwordHash: string; departmentId?: string | null }): Promise<string> {
  const row = await tx.insertInto('users').values({ kind: 'official', ...values }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Add a role assignment (idempotent). */
export async function insertRole(tx: TTx, userId: string, role: TRole, regionCode: string): Promise<void> {
  await tx.insertInto('roleAssignments').values({ userId, role, regionCode }).onConflict((oc) => oc.columns(['userId', 'role', 'regionCode']).doNothing()).execute();
}

/** Remove a role assignment; returns its region (for scope checks) or undefined. */
export async function deleteRole(tx: TTx, userId: string, assignmentId: string): Promise<{ role: string; regionCode: string } | undefined> {
  return tx.deleteFrom('roleAssignments').where('id', '=', assignmentId).where('userId', '=', userId).returning(['role', 'regionCode']).executeTakeFirst();
}

/** Change active flag and/or clear a lockout. */
export async function updateUserStatus(tx: TTx, id: string, changes: { isActive?: boolean; unlock?: boolean }): Promise<void> {
  await tx
    .updateTable('users')
    .set({
      ...(changes.isActive !== undefined ? { isActive: changes.isActive } : {}),
      ...(changes.unlock ? { lockedUntil: null, failedLogins: 0 } : {}),
      updatedAt: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
  if (changes.isActive === false) await tx.updateTable('sessions').set({ revokedAt: sql`now()` }).where('userId', '=', id).where('revokedAt', 'is', null).execute();
}

/** Whether the region codes exist. */
export async function findMissingRegions(tx: TTx, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await tx.selectFrom('regions').select('code').where('code', 'in', codes).execute();
  const found = new Set(rows.map((r) => r.code));
  return codes.filter((c) => !found.has(c));
}
