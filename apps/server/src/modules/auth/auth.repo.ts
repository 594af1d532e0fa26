import { sql } from 'kysely';
import type { TRole } from '@cunwu/contract';
import type { TTx } from '../../kernel/db';
import type { TActor } from '../../kernel/policy';

/** An account row as login needs it. */
export interface TLoginAccount {
  id: string;
  kind: 'official' | 'villager';
  passwordHash: string | null;
  isActive: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
}

/** Find an official by login name or phone. */
export async function findOfficialByLogin(tx: TTx, login: string): Promise<TLoginAccount | undefined> {
  const row = await tx
    .selectFrom('users')
    .select(['id', 'kind', 'passwordHash', 'isActive', 'failedLogins', 'lockedUntil'])
    .where('kind', '=', 'official')
    .where((eb) => eb.or([eb('login', '=', login.toLowerCase()), eb('phone', '=', login)]))
    .orderBy('login')
    .limit(1)
    .executeTakeFirst();
  return row as TLoginAccount | undefined;
}

/** Count a failed login; lock the account when the limit is reached. Runs outside the failing request's rollback. */
export async function recordFailedLogin(tx: TTx, userId: string, maxFailures: number, lockMinutes: number): Promise<void> {
  await tx
    .updateTable('users')
    .set({
      failedLogins: sql`CASE WHEN failed_logins + 1 >= ${maxFailures} THEN 0 ELSE failed_logins + 1 END`,
      lockedUntil: sql`CASE WHEN failed_logins + 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END`,
      updatedAt: sql`now()`,
    })
    .where('id', '=', userId)
    .execute();
}

/** Reset the failure counter after a good login. */
export async function clearFailedLogins(tx: TTx, userId: string): Promise<void> {
  await tx.updateTable('users').set({ failedLogins: 0, lockedUntil: null }).where('id', '=', userId).where('failedLogins', '>', 0).execute();
}

/** Create a session row for a token hash. */
export async function insertSession(tx: TTx, values: { userId: string; tokenHash: Buffer; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<string> {
  const row = await tx.insertInto('sessions').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Revoke a session. */
export async function revokeSession(tx: TTx, sessionId: string): Promise<void> {
  await tx.updateTable('sessions').set({ revokedAt: sql`now()` }).where('id', '=', sessionId).execute();
}

/**
 * The actor behind a live session, in one round trip (user + role assignments aggregated).
 * Inactive users and revoked or expired sessions resolve to nothing.
 */
export async function findActorBySessionHash(tx: TTx, hash: Buffer): Promise<{ actor: TActor; sessionId: string } | null> {
  const row = await tx
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.userId')
    .select([
      's.id as sessionId',
      'u.id as userId',
      'u.kind',
      'u.name',
      sql<{ id: string; role: TRole; regionCode: string }[]>`coalesce((
        SELECT json_agg(json_build_object('id', ra.id, 'role', ra.role, 'regionCode', ra.region_code) ORDER BY ra.region_code, ra.role)
        FROM role_assignments ra WHERE ra.user_id = u.id), '[]'::json)`.as('roles'),
    ])
    .where('s.tokenHash', '=', hash)
    .where('s.revokedAt', 'is', null)
    .where('s.expiresAt', '>', sql<Date>`now()`)
    .where('u.isActive', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  return {
    sessionId: row.sessionId,
    actor: { userId: row.userId, kind: row.kind as TActor['kind'], name: row.name, roles: row.roles },
  };
}

/** An active member with this phone, with his village and account if any. */
export async function findMemberByPhone(tx: TTx, phone: string): Promise<{ id: string; name: string; regionCode: string; userId: string | null } | undefined> {
  return tx
    .selectFrom('members')
    .select(['id', 'name', 'regionCode', 'userId'])
    .where('phone', '=', phone)
    .where('isActive', '=', true)
    .executeTakeFirst();
}

/** When the last code for this phone was issued. */
export async function findLastOtpAt(tx: TTx, phone: string): Promise<Date | null> {
  const row = await tx.selectFrom('otpCodes').select('createdAt').where('phone', '=', phone).orderBy('createdAt', 'desc').limit(1).executeTakeFirst();
  return row?.createdAt ?? null;
}

/** Store a new one-time code (as a keyed hash), voiding earlier unused ones. */
export async function insertOtp(tx: TTx, phone: string, codeHash: Buffer, ttlSeconds: number): Promise<void> {
  await tx.updateTable('otpCodes').set({ usedAt: sql`now()` }).where('phone', '=', phone).where('usedAt', 'is', null).execute();
  await tx
    .insertInto('otpCodes')
    .values({ phone, codeHash, expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
    .execute();
}

/** The live code of a phone, locked for update. */
export async function findLiveOtp(tx: TTx, phone: string): Promise<{ id: string; codeHash: Buffer; attempts: number } | undefined> {
  return tx
    .selectFrom('otpCodes')
    .select(['id', 'codeHash', 'attempts'])
    .where('phone', '=', phone)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', sql<Date>`now()`)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Count a wrong code. */
export async function incrementOtpAttempts(tx: TTx, id: string): Promise<void> {
  await tx.updateTable('otpCodes').set({ attempts: sql`attempts + 1` }).where('id', '=', id).execute();
}

/** Mark a code used (it can never be used again). */
export async function markOtpUsed(tx: TTx, id: string): Promise<void> {
  await tx.updateTable('otpCodes').set({ usedAt: sql`now()` }).where('id', '=', id).execute();
}

/** Create the villager account of a member on his first login, with the villager role in his village. */
export async function createVillagerAccount(tx: TTx, member: { id: string; name: string; regionCode: string }, phone: string): Promise<string> {
  const user = await tx.insertInto('users').values({ kind: 'villager', name: member.name, phone }).returning('id').executeTakeFirstOrThrow();
  await tx.insertInto('roleAssignments').values({ userId: user.id, role: 'villager', regionCode: member.regionCode }).execute();
  await tx.updateTable('members').set({ userId: user.id, updatedAt: sql`now()` }).where('id', '=', member.id).execute();
  return user.id;
}

/** Profile fields for `GET /me`. */
export async function findProfile(tx: TTx, userId: string): Promise<{ id: string; kind: string; name: string; login: string | null; phone: string | null } | undefined> {
  return tx.selectFrom('users').select(['id', 'kind', 'name', 'login', 'phone']).where('id', '=', userId).executeTakeFirst();
}

/** Names of regions by code. */
export async function findRegionNames(tx: TTx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await tx.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
