import { sql } from 'kysely';
import type { TImportError, TRegionLevel } from '@cunwu/contract';
import type { TDb, TTx } from '../../kernel/db';

/** An import job as stored. */
export interface TImportJobRow {
  id: string;
  kind: string;
  scopePrefixes: string[];
  requestedBy: string | null;
  fileSha256: string;
  fileName: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number | null;
  processed: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: TImportError[];
  failure: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The running counters of a job, written after every batch. */
export interface TImportCounters {
  total: number | null;
  processed: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errorCount: number;
}

const JOB_COLUMNS = [
  'id', 'kind', 'scopePrefixes', 'requestedBy', 'fileSha256', 'fileName', 'status', 'total', 'processed', 'inserted', 'updated',
  'unchanged', 'errorCount', 'errors', 'failure', 'createdAt', 'startedAt', 'finishedAt',
] as const;

/** Record stored bytes (the same bytes uploaded twice are one row). */
export async function insertFile(tx: TTx, file: { sha256: string; sizeBytes: number; mimeType: string }): Promise<void> {
  await tx.insertInto('files').values(file).onConflict((oc) => oc.column('sha256').doNothing()).execute();
}

/** Create a queued job; returns its id. */
export async function insertImportJob(tx: TTx, job: { scopePrefixes: string[]; requestedBy: string | null; fileSha256: string; fileName: string }): Promise<string> {
  const row = await tx.insertInto('importJobs').values({ kind: 'households', ...job }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** One job by id (no scope: for the job runner). */
export async function findImportJob(tx: TTx, id: string): Promise<TImportJobRow | undefined> {
  return (await tx.selectFrom('importJobs').select(JOB_COLUMNS).where('id', '=', id).executeTakeFirst()) as TImportJobRow | undefined;
}

/**
 * One job the viewer may read: his own, or any whose scope lies wholly inside one of his admin
 * prefixes (an empty list of admin prefixes matches only his own).
 */
export async function findReadableImportJob(tx: TTx, id: string, viewer: { userId: string; adminPrefixes: string[] }): Promise<TImportJobRow | undefined> {
  return (await tx
    .selectFrom('importJobs as j')
    .select(JOB_COLUMNS.map((c) => `j.${c}` as const))
    .where('j.id', '=', id)
    .where((eb) =>
      eb.or([
        eb('j.requestedBy', '=', viewer.userId),
        sql<boolean>`(cardinality(${viewer.adminPrefixes}::text[]) > 0 AND NOT EXISTS (
          SELECT 1 FROM unnest(j.scope_prefixes) AS p(prefix)
          WHERE NOT EXISTS (SELECT 1 FROM unnest(${viewer.adminPrefixes}::text[]) AS a(prefix) WHERE p.prefix LIKE a.prefix || '%')))`,
      ]),
    )
    .executeTakeFirst()) as TImportJobRow | undefined;
}

/** The requester's jobs, newest first (keyset on created_at, id). */
export async function findRecentImportJobs(tx: TTx, userId: string, page: { after?: { createdAt: string; id: string }; limit: number }): Promise<TImportJobRow[]> {
  let query = tx.selectFrom('importJobs').select(JOB_COLUMNS).where('requestedBy', '=', userId);
  if (page.after) {
    const after = page.after;
    query = query.where((eb) => eb.or([eb('createdAt', '<', new Date(after.createdAt)), eb.and([eb('createdAt', '=', new Date(after.createdAt)), eb('id', '<', after.id)])]));
  }
  return (await query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(page.limit).execute()) as TImportJobRow[];
}

/**
 * Run `work` while holding a session advisory lock on the job (on a connection of its own), or
 * return undefined at once when another process holds it: a job that pg-boss re-delivers after its
 * expiry, while the first run is still going, must not run twice. A dead process releases the lock.
 */
export async function withImportJobLock<T>(db: TDb, jobId: string, work: () => Promise<T>): Promise<T | undefined> {
  const key = `imports:${jobId}`;
  return db.connection().execute(async (connection) => {
    const locked = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(hashtext(${key})) AS ok`.execute(connection);
    if (!locked.rows[0]?.ok) return undefined;
    try {
      return await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${key}))`.execute(connection);
    }
  });
}

/** Mark a queued (or interrupted running) job as running; undefined when it is finished or unknown. */
export async function claimImportJob(tx: TTx, id: string): Promise<TImportJobRow | undefined> {
  return (await tx
    .updateTable('importJobs')
    .set({ status: 'running', startedAt: sql`coalesce(started_at, now())` })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returning(JOB_COLUMNS)
    .executeTakeFirst()) as TImportJobRow | undefined;
}

/** Write the counters and append row errors (the caller caps how many are kept). */
export async function saveImportProgress(tx: TTx, id: string, counters: TImportCounters, newErrors: TImportError[], finish?: { status: 'done' | 'failed'; failure: string | null }): Promise<void> {
  await tx
    .updateTable('importJobs')
    .set({
      ...counters,
      ...(newErrors.length ? { errors: sql`errors || ${JSON.stringify(newErrors)}::jsonb` } : {}),
      ...(finish ? { status: finish.status, failure: finish.failure, finishedAt: sql`now()` } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Level of each existing code among `codes` (absent codes are missing from the map). */
export async function findRegionLevels(tx: TTx, codes: string[]): Promise<Map<string, TRegionLevel>> {
  if (codes.length === 0) return new Map();
  const rows = await tx.selectFrom('regions').select(['code', 'level']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.level as TRegionLevel]));
}

/** A member already in the database that a row may describe. */
export interface TMemberCandidate {
  id: string;
  regionCode: string;
  householdId: string;
  householdNo: string;
  name: string;
  relation: string | null;
  phone: string | null;
  idHash: Buffer | null;
  idLast4: string | null;
  isActive: boolean;
}

// The household number comes from a correlated lookup by primary key: a join would let the planner
// hash the whole households table (600,000 rows at city scale) for a batch of a few thousand rows.
const candidateColumns = sql`m.id, m.region_code AS "regionCode", m.household_id AS "householdId",
  (SELECT h.household_no FROM households h WHERE h.id = m.household_id) AS "householdNo", m.name, m.relation,
  m.phone, m.id_hash AS "idHash", m.id_last4 AS "idLast4", m.is_active AS "isActive"`;

// Lookups of a batch's keys are LATERAL subqueries with LIMIT/OFFSET, which the planner cannot flatten:
// each key is one index probe, never a hash join over the whole table, whatever the statistics say.

/** Members with these (village, ID hash) pairs (index members_id_hash_key). */
export async function findMembersByIdHash(tx: TTx, keys: { regionCode: string; idHash: Buffer }[]): Promise<TMemberCandidate[]> {
  if (keys.length === 0) return [];
  const result = await sql<TMemberCandidate>`
    SELECT m.* FROM unnest(${keys.map((k) => k.regionCode)}::text[], ${keys.map((k) => k.idHash)}::bytea[]) AS k(region_code, id_hash)
    CROSS JOIN LATERAL (
      SELECT ${candidateColumns} FROM members m
      WHERE m.region_code = k.region_code COLLATE "C" AND m.id_hash = k.id_hash AND m.id_hash IS NOT NULL LIMIT 1
    ) m`.execute(tx);
  return result.rows;
}

/** Members of these households (index members_region_idx), active ones first. */
export async function findMembersOfHouseholds(tx: TTx, keys: { regionCode: string; householdId: string }[]): Promise<TMemberCandidate[]> {
  if (keys.length === 0) return [];
  const result = await sql<TMemberCandidate & { createdAt: Date }>`
    SELECT m.* FROM unnest(${keys.map((k) => k.regionCode)}::text[], ${keys.map((k) => k.householdId)}::uuid[]) AS k(region_code, household_id)
    CROSS JOIN LATERAL (
      SELECT ${candidateColumns}, m.created_at AS "createdAt" FROM members m
      WHERE m.region_code = k.region_code COLLATE "C" AND m.household_id = k.household_id OFFSET 0
    ) m
    ORDER BY m."isActive" DESC, m."createdAt"`.execute(tx);
  return result.rows;
}

/** Active members holding these phones (index members_active_phone_key). */
export async function findActivePhoneOwners(tx: TTx, phones: string[]): Promise<TMemberCandidate[]> {
  if (phones.length === 0) return [];
  const result = await sql<TMemberCandidate>`
    SELECT m.* FROM unnest(${phones}::text[]) AS k(phone)
    CROSS JOIN LATERAL (
      SELECT ${candidateColumns} FROM members m WHERE m.phone = k.phone AND m.is_active AND m.phone IS NOT NULL LIMIT 1
    ) m`.execute(tx);
  return result.rows;
}

/** How a household upsert went for one (village, number). */
export interface THouseholdUpsert {
  regionCode: string;
  householdNo: string;
  id: string;
  outcome: 'inserted' | 'updated' | 'unchanged';
}

/**
 * Insert households (with the caller's ids, used only for new ones) or rename their head; households
 * already right are left alone (no new row version, no trigger work) and are then looked up by key.
 * Keys must be distinct.
 */
export async function upsertHouseholds(tx: TTx, rows: { id: string; regionCode: string; householdNo: string; headName: string }[]): Promise<THouseholdUpsert[]> {
  if (rows.length === 0) return [];
  const written = await sql<THouseholdUpsert>`
    INSERT INTO households (id, region_code, household_no, head_name)
    SELECT * FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.regionCode)}::text[], ${rows.map((r) => r.householdNo)}::text[], ${rows.map((r) => r.headName)}::text[])
    ON CONFLICT (region_code, household_no) DO UPDATE SET head_name = excluded.head_name, updated_at = now()
      WHERE households.head_name <> excluded.head_name
    RETURNING region_code AS "regionCode", household_no AS "householdNo", id, CASE WHEN xmax = 0 THEN 'inserted' ELSE 'updated' END AS outcome`.execute(tx);
  const key = (r: { regionCode: string; householdNo: string }) => `${r.regionCode}|${r.householdNo}`;
  const done = new Set(written.rows.map(key));
  const rest = rows.filter((r) => !done.has(key(r)));
  if (rest.length === 0) return written.rows;
  const unchanged = await sql<THouseholdUpsert>`
    SELECT k.region_code AS "regionCode", k.household_no AS "householdNo", h.id, 'unchanged' AS outcome
    FROM unnest(${rest.map((r) => r.regionCode)}::text[], ${rest.map((r) => r.householdNo)}::text[]) AS k(region_code, household_no)
    CROSS JOIN LATERAL (
      SELECT h.id FROM households h WHERE h.region_code = k.region_code COLLATE "C" AND h.household_no = k.household_no LIMIT 1
    ) h`.execute(tx);
  return [...written.rows, ...unchanged.rows];
}

/** A member to insert (id chosen by the caller so rows and ids line up without relying on RETURNING order). */
export interface TMemberWrite {
  id: string;
  regionCode: string;
  householdId: string;
  name: string;
  relation: string | null;
  phone: string | null;
  idHash: Buffer | null;
  idLast4: string | null;
}

/** Insert members in one statement. */
export async function insertMembers(tx: TTx, rows: TMemberWrite[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO members (id, region_code, household_id, name, relation, phone, id_hash, id_last4)
    SELECT * FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.regionCode)}::text[], ${rows.map((r) => r.householdId)}::uuid[],
      ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.relation)}::text[], ${rows.map((r) => r.phone)}::text[],
      ${rows.map((r) => r.idHash)}::bytea[], ${rows.map((r) => r.idLast4)}::text[])`.execute(tx);
}

/** Overwrite name, relation, phone and ID of members in one statement (values already merged by the caller). */
export async function updateMembers(tx: TTx, rows: Omit<TMemberWrite, 'regionCode' | 'householdId'>[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE members m SET name = u.name, relation = u.relation, phone = u.phone, id_hash = u.id_hash, id_last4 = u.id_last4, updated_at = now()
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.relation)}::text[],
      ${rows.map((r) => r.phone)}::text[], ${rows.map((r) => r.idHash)}::bytea[], ${rows.map((r) => r.idLast4)}::text[])
      AS u(id, name, relation, phone, id_hash, id_last4)
    WHERE m.id = u.id`.execute(tx);
}

/** Find or create (platform wechat) the groups named in these villages; returns `code|name` → id and how many were created. */
export async function ensureGroups(tx: TTx, keys: { regionCode: string; name: string }[]): Promise<{ ids: Map<string, string>; created: number }> {
  if (keys.length === 0) return { ids: new Map(), created: 0 };
  const result = await sql<{ id: string; regionCode: string; name: string; isNew: boolean }>`
    WITH k AS (
      SELECT region_code COLLATE "C" AS region_code, name
      FROM unnest(${keys.map((k) => k.regionCode)}::text[], ${keys.map((k) => k.name)}::text[]) AS t(region_code, name)
    ), made AS (
      INSERT INTO supervision_groups (region_code, name, platform)
      SELECT region_code, name, 'wechat' FROM k
      ON CONFLICT (region_code, name) DO NOTHING
      RETURNING id, region_code, name
    )
    SELECT id, region_code AS "regionCode", name, true AS "isNew" FROM made
    UNION ALL
    SELECT g.id, g.region_code, g.name, false FROM supervision_groups g JOIN k ON g.region_code = k.region_code AND g.name = k.name`.execute(tx);
  return { ids: new Map(result.rows.map((r) => [`${r.regionCode}|${r.name}`, r.id])), created: result.rows.filter((r) => r.isNew).length };
}

/** Put members into groups; returns the members that were not in them yet. */
export async function insertGroupMembers(tx: TTx, rows: { groupId: string; memberId: string; regionCode: string }[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await sql<{ memberId: string }>`
    INSERT INTO group_members (group_id, member_id, region_code)
    SELECT * FROM unnest(${rows.map((r) => r.groupId)}::uuid[], ${rows.map((r) => r.memberId)}::uuid[], ${rows.map((r) => r.regionCode)}::text[])
    ON CONFLICT DO NOTHING
    RETURNING member_id AS "memberId"`.execute(tx);
  return new Set(result.rows.map((r) => r.memberId));
}

/**
 * Refresh the planner's statistics of the registry tables. A bulk import grows them much faster than
 * autovacuum notices, and with stale statistics the coverage triggers' queries pick plans that scan
 * every group member for each village (measured: a city import slowed to a crawl by 400,000 rows).
 */
export async function analyzeRegistryTables(db: TTx): Promise<void> {
  await sql`ANALYZE households, members, group_members, supervision_groups`.execute(db);
}

/**
 * Make the rest of this transaction reach rows by key only. The statement triggers that keep the
 * per-village coverage counters (groups module) recount one village at a time, but with ordinary
 * costing PostgreSQL plans those recounts as hash joins over all households and group members, so
 * each batch costs O(city) instead of O(village); forbidding sequential scans and hash/merge joins
 * for the batch keeps every trigger query on its indexes. Every query of this module is a keyed
 * lookup already, so nothing here gets slower.
 */
export async function preferKeyedPlans(tx: TTx): Promise<void> {
  await sql`SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off`.execute(tx);
}

