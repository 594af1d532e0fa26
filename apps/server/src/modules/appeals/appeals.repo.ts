import { sql, type SqlBool } from 'kysely';
import type { TAppealStatus, THolderLevel } from '@cunwu/contract';
import type { TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';
import { inScope } from '../../kernel/scope';

// ---------- calendar, categories, departments, SLA ----------

/** Upsert calendar days (holidays off, make-up weekend days on). */
export async function upsertCalendarDays(tx: TTx, days: { day: string; isWorking: boolean; name: string | null }[]): Promise<void> {
  for (let i = 0; i < days.length; i += 500) {
    await tx
      .insertInto('workCalendar')
      .values(days.slice(i, i + 500))
      .onConflict((oc) => oc.column('day').doUpdateSet({ isWorking: (eb) => eb.ref('excluded.isWorking'), name: (eb) => eb.ref('excluded.name') }))
      .execute();
  }
}

/** Every calendar exception stored. */
export async function findCalendarDays(tx: TTx): Promise<{ day: string; isWorking: boolean; name: string | null }[]> {
  return tx.selectFrom('workCalendar').select(['day', 'isWorking', 'name']).orderBy('day').execute();
}

/** Active categories in display order. */
export async function findCategories(tx: TTx): Promise<{ code: string; nameZh: string; nameEn: string }[]> {
  return tx.selectFrom('appealCategories').select(['code', 'nameZh', 'nameEn']).where('isActive', '=', true).orderBy('sort').execute();
}

/** Departments whose region lies under the prefix (or, with `ancestors`, in those exact regions). */
export async function findDepartments(tx: TTx, prefix: string): Promise<{ id: string; name: string; regionCode: string; regionName: string; categories: string[] }[]> {
  return tx
    .selectFrom('departments as d')
    .innerJoin('regions as r', 'r.code', 'd.regionCode')
    .select(['d.id', 'd.name', 'd.regionCode', 'r.name as regionName', 'd.categories'])
    .where('d.regionCode', 'like', `${prefix}%`)
    .where('d.isActive', '=', true)
    .orderBy('d.regionCode')
    .orderBy('d.name')
    .execute();
}

/** One active department. */
export async function findDepartment(tx: TTx, id: string): Promise<{ id: string; name: string; regionCode: string } | undefined> {
  return tx.selectFrom('departments').select(['id', 'name', 'regionCode']).where('id', '=', id).where('isActive', '=', true).executeTakeFirst();
}

/** Insert departments (demo data, admin). */
export async function insertDepartments(tx: TTx, rows: { regionCode: string; name: string; categories: string[] }[]): Promise<void> {
  if (rows.length) await tx.insertInto('departments').values(rows).onConflict((oc) => oc.columns(['regionCode', 'name']).doNothing()).execute();
}

/** Deadlines of a level (category-specific row first). */
export async function findSla(tx: TTx, level: THolderLevel, category: string): Promise<{ acceptDays: number; resolveDays: number; autoEscalateAfterBreaches: number }> {
  const row = await tx
    .selectFrom('appealSla')
    .select(['acceptDays', 'resolveDays', 'autoEscalateAfterBreaches'])
    .where('level', '=', level)
    .where((eb) => eb.or([eb('category', '=', category), eb('category', 'is', null)]))
    .orderBy(sql`category IS NULL`)
    .limit(1)
    .executeTakeFirst();
  return row ?? { acceptDays: 1, resolveDays: 5, autoEscalateAfterBreaches: 2 };
}

/** Every deadline rule (a handful of rows). */
export async function findAllSla(tx: TTx): Promise<{ level: string; category: string | null; acceptDays: number; resolveDays: number; autoEscalateAfterBreaches: number }[]> {
  return tx.selectFrom('appealSla').select(['level', 'category', 'acceptDays', 'resolveDays', 'autoEscalateAfterBreaches']).execute();
}

/** Name of a region. */
export async function findRegionName(tx: TTx, code: string): Promise<string | undefined> {
  return (await tx.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirst())?.name;
}

/** Whether a code is a village, and its name. */
export async function findVillage(tx: TTx, code: string): Promise<{ code: string; name: string } | undefined> {
  return tx.selectFrom('regions').select(['code', 'name']).where('code', '=', code).where('level', '=', 'village').executeTakeFirst();
}

/** The member record of a villager account in a village. */
export async function findMemberOfUser(tx: TTx, userId: string): Promise<{ id: string; regionCode: string; name: string; phone: string | null } | undefined> {
  return tx.selectFrom('members').select(['id', 'regionCode', 'name', 'phone']).where('userId', '=', userId).where('isActive', '=', true).executeTakeFirst();
}

// ---------- appeals ----------

/** The next tracking number of a village for a China-time day: 350524107201-20230516-0042. */
export async function nextTrackingNo(tx: TTx, regionCode: string, day: string): Promise<string> {
  const row = await sql<{ last: number }>`
    INSERT INTO appeal_sequences (region_code, day, last) VALUES (${regionCode}, ${day}::date, 1)
    ON CONFLICT (region_code, day) DO UPDATE SET last = appeal_sequences.last + 1
    RETURNING last`.execute(tx);
  return `${regionCode}-${day.replace(/-/g, '')}-${String(row.rows[0]!.last).padStart(4, '0')}`;
}

/** An existing appeal for the same submitter and idempotency key. */
export async function findByIdempotencyKey(tx: TTx, owner: string, key: string): Promise<{ id: string } | undefined> {
  const row = await sql<{ id: string }>`SELECT id FROM appeals WHERE idempotency_owner = ${owner} AND idempotency_key = ${key}`.execute(tx);
  return row.rows[0];
}

/** Insert the appeal as received (raw request kept). */
export async function insertAppeal(tx: TTx, values: Record<string, unknown>): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the service builds the full row; column names are checked by the DB
  return (await tx.insertInto('appeals').values(values as any).returning('id').executeTakeFirstOrThrow()).id;
}

/** The appeal's current state for the machine, locked for the transition. */
export interface TAppealState {
  id: string;
  trackingNo: string;
  regionCode: string;
  category: string;
  content: string;
  isPublic: boolean;
  status: TAppealStatus;
  holderLevel: THolderLevel;
  holderRegionCode: string;
  holderDepartmentId: string | null;
  highestLevel: THolderLevel;
  stage: 'accept' | 'resolve' | null;
  dueAt: Date | null;
  isOverdue: boolean;
  wasEverOverdue: boolean;
  pausedAt: Date | null;
  breachCount: number;
  submitterUserId: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
  warnedAt: Date | null;
}

const stateColumns = [
  'id', 'trackingNo', 'regionCode', 'category', 'content', 'isPublic', 'status', 'holderLevel', 'holderRegionCode', 'holderDepartmentId', 'highestLevel',
  'stage', 'dueAt', 'isOverdue', 'wasEverOverdue', 'pausedAt', 'breachCount', 'submitterUserId', 'createdAt', 'acceptedAt', 'warnedAt',
] as const;

/** Lock an appeal for a transition. */
export async function lockAppeal(tx: TTx, id: string): Promise<TAppealState | undefined> {
  return (await tx.selectFrom('appeals').select([...stateColumns]).where('id', '=', id).forUpdate().executeTakeFirst()) as TAppealState | undefined;
}

/** Update the derived state columns; a value `{ increment: n }` becomes `column + n` (no lost updates). */
export async function updateAppeal(tx: TTx, id: string, changes: Record<string, unknown>): Promise<void> {
  const set: Record<string, unknown> = { updatedAt: sql`now()` };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const increment = value !== null && typeof value === 'object' && 'increment' in value ? (value as { increment: number }).increment : null;
    set[key] = increment === null ? value : sql`${sql.ref(key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))} + ${increment}`;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- derived columns set by the service in one place; names checked by the database
  await tx.updateTable('appeals').set(set as any).where('id', '=', id).execute();
}

/** Append an event. */
export async function insertEvent(tx: TTx, event: {
  appealId: string; regionCode: string; type: string; at: Date; actorUserId: string | null; actorLabel: string | null;
  fromLevel?: string | null; toLevel?: string | null; fromRegionCode?: string | null; toRegionCode?: string | null; departmentId?: string | null;
  reason?: string | null; publicText?: string | null; internalNote?: string | null; dueAt?: Date | null; wasOverdue?: boolean | null; ledgerIdx?: number | null;
}): Promise<number> {
  return (await tx.insertInto('appealEvents').values(event).returning('id').executeTakeFirstOrThrow()).id;
}

/** Add a follower. */
export async function addFollower(tx: TTx, appealId: string, userId: string): Promise<void> {
  await tx.insertInto('appealFollowers').values({ appealId, userId }).onConflict((oc) => oc.doNothing()).execute();
}

/** Move followers of one appeal to another (merge). */
export async function moveFollowers(tx: TTx, fromId: string, toId: string): Promise<string[]> {
  const rows = await sql<{ userId: string }>`
    INSERT INTO appeal_followers (appeal_id, user_id) SELECT ${toId}::uuid, user_id FROM appeal_followers WHERE appeal_id = ${fromId}::uuid
    ON CONFLICT DO NOTHING RETURNING user_id AS "userId"`.execute(tx);
  return rows.rows.map((r) => r.userId);
}

/** Attach files. */
export async function insertAppealFiles(tx: TTx, appealId: string, files: { sha256: string; kind: string }[]): Promise<void> {
  if (files.length) await tx.insertInto('appealFiles').values(files.map((f, position) => ({ appealId, sha256: f.sha256, kind: f.kind, position }))).onConflict((oc) => oc.doNothing()).execute();
}

/**
 * Increment daily rollup counters for a village and every region above it (town, county, city), so a
 * statistic of any region reads its own rows only: the cost does not grow with the number of villages.
 */
export async function bumpStats(tx: TTx, key: { regionCodes: string[]; day: string; category: string }, counters: Record<string, number>): Promise<void> {
  const entries = Object.entries(counters).filter(([, v]) => v !== 0);
  if (entries.length === 0 || key.regionCodes.length === 0) return;
  const columnNames = entries.map(([k]) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const rows = key.regionCodes.map((code) => sql`(${code}, ${key.day}::date, ${key.category}, ${sql.join(entries.map(([, v]) => sql`${v}::int`))})`);
  await sql`
    INSERT INTO appeal_daily_stats (region_code, day, category, ${sql.join(columnNames.map((c) => sql.ref(c)))})
    VALUES ${sql.join(rows)}
    ON CONFLICT (region_code, day, category) DO UPDATE SET ${sql.join(columnNames.map((col) => sql`${sql.ref(col)} = appeal_daily_stats.${sql.ref(col)} + excluded.${sql.ref(col)}`))}`.execute(tx);
}

/** The appeal with everything its page shows. */
export async function findAppeal(tx: TTx, id: string) {
  return tx
    .selectFrom('appeals as a')
    .innerJoin('regions as v', 'v.code', 'a.regionCode')
    .innerJoin('appealCategories as c', 'c.code', 'a.category')
    .leftJoin('regions as hr', 'hr.code', 'a.holderRegionCode')
    .leftJoin('departments as d', 'd.id', 'a.holderDepartmentId')
    .leftJoin('appeals as m', 'm.id', 'a.mergedInto')
    .select([
      'a.id', 'a.trackingNo', 'a.regionCode', 'v.name as villageName', 'a.category', 'c.nameZh as categoryName', 'a.channel', 'a.content', 'a.transcript',
      'a.isPublic', 'a.submitterName', 'a.submitterPhone', 'a.submitterUserId', 'a.status', 'a.holderLevel', 'a.holderRegionCode', 'hr.name as holderRegionName',
      'a.holderDepartmentId', 'd.name as departmentName', 'a.stage', 'a.dueAt', 'a.isOverdue', 'a.urgeCount', 'a.escalationCount', 'a.rating', 'a.ratingComment',
      'a.mergedInto', 'm.trackingNo as mergedTrackingNo', 'a.createdAt', 'a.resolvedAt', 'a.closedAt',
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

/** The timeline of an appeal. */
export async function findEvents(tx: TTx, appealId: string) {
  return tx
    .selectFrom('appealEvents as e')
    .leftJoin('departments as d', 'd.id', 'e.departmentId')
    .leftJoin('regions as tr', 'tr.code', 'e.toRegionCode')
    .select(['e.id', 'e.type', 'e.at', 'e.actorUserId', 'e.actorLabel', 'e.fromLevel', 'e.toLevel', 'e.toRegionCode', 'tr.name as toRegionName', 'd.name as departmentName', 'e.reason', 'e.publicText', 'e.internalNote', 'e.dueAt', 'e.ledgerIdx'])
    .where('e.appealId', '=', appealId)
    .orderBy('e.id')
    .execute();
}

/** Files of an appeal. */
export async function findAppealFiles(tx: TTx, appealId: string) {
  return tx.selectFrom('appealFiles').select(['sha256', 'kind']).where('appealId', '=', appealId).orderBy('position').execute();
}

/** Whether the user follows the appeal. */
export async function isFollower(tx: TTx, appealId: string, userId: string): Promise<boolean> {
  return (await tx.selectFrom('appealFollowers').select('userId').where('appealId', '=', appealId).where('userId', '=', userId).executeTakeFirst()) !== undefined;
}

/**
 * Similar open appeals of a village (trigram similarity over jieba tokens). A village has at most a few
 * hundred open appeals, so they are read by the region index and scored directly; the trigram GIN index
 * would search the whole city's appeals for shared trigrams first.
 */
export async function findSimilar(tx: TTx, regionCode: string, tokens: string, excludeId: string | null, options: { onlyPublic?: boolean; limit?: number } = {}) {
  if (!tokens) return [];
  const rows = await sql<{ id: string; trackingNo: string; content: string; status: TAppealStatus; similarity: number }>`
    SELECT * FROM (
      SELECT id, tracking_no AS "trackingNo", content, status, similarity(content_tokens, ${tokens})::float AS similarity
      FROM appeals
      WHERE region_code = ${regionCode} AND status IN ('submitted', 'accepted', 'in_progress', 'waiting', 'reopened')
        AND (${excludeId}::uuid IS NULL OR id <> ${excludeId}::uuid)
        AND (${options.onlyPublic ?? false} = false OR is_public)) scored
    WHERE similarity >= 0.2
    ORDER BY similarity DESC LIMIT ${options.limit ?? 5}`.execute(tx);
  return rows.rows;
}

/** Filters of an appeal list; the service turns the viewer and view into these. */
export interface TAppealFilter {
  scope?: TScope;
  prefix?: string;
  statuses?: TAppealStatus[];
  category?: string;
  submitterUserId?: string;
  followerUserId?: string;
  publicVillage?: string;
  holder?: { levels: { level: THolderLevel; prefix: string }[]; departmentIds: string[] };
  due?: 'overdue' | 'soon' | 'new';
  q?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

/** A page of appeals. */
export async function findAppeals(tx: TTx, f: TAppealFilter) {
  let query = tx
    .selectFrom('appeals as a')
    .innerJoin('regions as v', 'v.code', 'a.regionCode')
    .innerJoin('appealCategories as c', 'c.code', 'a.category')
    .leftJoin('regions as hr', 'hr.code', 'a.holderRegionCode')
    .leftJoin('departments as d', 'd.id', 'a.holderDepartmentId')
    .select(['a.id', 'a.trackingNo', 'a.regionCode', 'v.name as villageName', 'a.category', 'c.nameZh as categoryName', 'a.content', 'a.status', 'a.holderLevel', 'hr.name as holderRegionName', 'd.name as departmentName', 'a.dueAt', 'a.isOverdue', 'a.urgeCount', 'a.createdAt']);
  if (f.scope) query = query.where((eb) => inScope(eb, 'a.region_code', f.scope!));
  if (f.prefix) query = query.where('a.regionCode', 'like', `${f.prefix}%`);
  if (f.statuses?.length) query = query.where('a.status', 'in', f.statuses);
  if (f.category) query = query.where('a.category', '=', f.category);
  if (f.submitterUserId) query = query.where('a.submitterUserId', '=', f.submitterUserId);
  if (f.followerUserId) query = query.where((eb) => eb.exists(eb.selectFrom('appealFollowers as fo').select('fo.userId').whereRef('fo.appealId', '=', 'a.id').where('fo.userId', '=', f.followerUserId!)));
  if (f.publicVillage) query = query.where('a.regionCode', '=', f.publicVillage).where('a.isPublic', '=', true);
  if (f.holder) {
    const h = f.holder;
    query = query.where((eb) => eb.or([
      ...h.levels.map((l) => eb.and([eb('a.holderLevel', '=', l.level), eb('a.holderRegionCode', 'like', `${l.prefix}%`)])),
      ...(h.departmentIds.length ? [eb.and([eb('a.holderLevel', '=', 'department'), eb('a.holderDepartmentId', 'in', h.departmentIds)])] : []),
      sql<SqlBool>`false`,
    ]));
  }
  if (f.due === 'overdue') query = query.where('a.isOverdue', '=', true);
  if (f.due === 'soon') query = query.where('a.isOverdue', '=', false).where('a.dueAt', '<', sql<Date>`now() + interval '1 day'`);
  if (f.due === 'new') query = query.where('a.status', '=', 'submitted');
  if (f.q) query = query.where((eb) => eb.or([eb('a.content', 'like', `%${f.q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), eb('a.trackingNo', '=', f.q!)]));
  if (f.after) query = query.where(sql<SqlBool>`(a.created_at, a.id) < (${f.after.createdAt}::timestamptz, ${f.after.id}::uuid)`);
  return query.orderBy('a.createdAt', 'desc').orderBy('a.id', 'desc').limit(f.limit).execute();
}

/** Appeals whose stage deadline is near or past (for the deadline job). */
export async function findDueAppeals(tx: TTx, until: Date, limit: number) {
  return tx
    .selectFrom('appeals')
    .select(['id'])
    .where('status', 'in', ['submitted', 'accepted', 'in_progress', 'reopened'])
    .where('dueAt', '<=', until)
    .where((eb) => eb.or([eb('isOverdue', '=', false), eb('dueAt', '<=', new Date())]))
    .orderBy('dueAt')
    .limit(limit)
    .execute();
}

/** Statistics of one region from its own rollup rows (and its children's rows for the breakdown). */
export async function findStats(tx: TTx, regionCode: string, prefix: string, from: string, to: string) {
  const sums = sql`coalesce(sum(received), 0)::int AS received, coalesce(sum(accepted), 0)::int AS accepted, coalesce(sum(resolved), 0)::int AS resolved,
    coalesce(sum(resolved_within_days), 0)::int AS "resolvedWithinDays", coalesce(sum(closed), 0)::int AS closed, coalesce(sum(rejected), 0)::int AS rejected,
    coalesce(sum(overdue), 0)::int AS overdue, coalesce(sum(urges), 0)::int AS urges, coalesce(sum(escalated_town), 0)::int AS "escalatedTown",
    coalesce(sum(escalated_county), 0)::int AS "escalatedCounty", coalesce(sum(escalated_city), 0)::int AS "escalatedCity", coalesce(sum(diverted), 0)::int AS diverted,
    coalesce(sum(reopened), 0)::int AS reopened, coalesce(sum(satisfied), 0)::int AS satisfied, coalesce(sum(basically), 0)::int AS basically,
    coalesce(sum(unsatisfied), 0)::int AS unsatisfied`;
  const own = sql`s.region_code = ${regionCode} AND s.day BETWEEN ${from}::date AND ${to}::date`;
  const [totals, byCategory, byMonth, byRegion, byDepartment] = await Promise.all([
    sql<Record<string, number>>`SELECT ${sums} FROM appeal_daily_stats s WHERE ${own}`.execute(tx),
    sql<Record<string, number> & { category: string; name: string }>`SELECT s.category, c.name_zh AS name, ${sums} FROM appeal_daily_stats s JOIN appeal_categories c ON c.code = s.category WHERE ${own} GROUP BY s.category, c.name_zh, c.sort ORDER BY c.sort`.execute(tx),
    sql<Record<string, number> & { month: string }>`SELECT to_char(s.day, 'YYYY-MM') AS month, ${sums} FROM appeal_daily_stats s WHERE ${own} GROUP BY 1 ORDER BY 1`.execute(tx),
    sql<Record<string, number> & { code: string; name: string }>`SELECT r.code, r.name, ${sums} FROM regions r JOIN appeal_daily_stats s ON s.region_code = r.code AND s.day BETWEEN ${from}::date AND ${to}::date
      WHERE r.parent_code = ${regionCode} GROUP BY r.code, r.name ORDER BY r.code`.execute(tx),
    sql<{ id: string; name: string; diverted: number }>`SELECT d.id, d.name, count(*)::int AS diverted FROM appeal_events e JOIN departments d ON d.id = e.department_id
      WHERE e.type = 'diverted' AND e.region_code LIKE ${`${prefix}%`} AND e.at >= ${from}::date AND e.at < ${to}::date + 1 GROUP BY d.id, d.name ORDER BY diverted DESC LIMIT 50`.execute(tx),
  ]);
  return { totals: totals.rows[0]!, byCategory: byCategory.rows, byMonth: byMonth.rows, byRegion: byRegion.rows, byDepartment: byDepartment.rows };
}

/** Officials' phones at a unit (for deadline notices): role holders of a region, or handlers of a department. */
export async function findPhonesOfHolders(tx: TTx, target: { role: string; regionCode: string } | { departmentId: string }): Promise<string[]> {
  const rows = 'departmentId' in target
    ? await tx.selectFrom('users').select('phone').where('departmentId', '=', target.departmentId).where('isActive', '=', true).where('phone', 'is not', null).execute()
    : await tx.selectFrom('users as u').innerJoin('roleAssignments as ra', 'ra.userId', 'u.id').select('u.phone').where('ra.role', '=', target.role).where('ra.regionCode', '=', target.regionCode).where('u.isActive', '=', true).where('u.phone', 'is not', null).execute();
  return rows.map((r) => r.phone!).filter(Boolean);
}

/** Ids of departments a user handles. */
export async function findUserDepartment(tx: TTx, userId: string): Promise<string | null> {
  return (await tx.selectFrom('users').select('departmentId').where('id', '=', userId).executeTakeFirst())?.departmentId ?? null;
}

/** Who registered an appeal on a villager's behalf. */
export async function findRegistrar(tx: TTx, id: string): Promise<string | null> {
  return (await tx.selectFrom('appeals').select('registeredBy').where('id', '=', id).executeTakeFirst())?.registeredBy ?? null;
}

/** A department by its full name (demo data). */
export async function findDepartmentByName(tx: TTx, name: string): Promise<{ id: string; regionCode: string } | undefined> {
  return tx.selectFrom('departments').select(['id', 'regionCode']).where('name', '=', name).executeTakeFirst();
}

/** Filters of the public read for outside systems (Open311): public appeals only. */
export interface TPublicAppealFilter {
  trackingNos?: string[];
  categories?: string[];
  statuses?: TAppealStatus[];
  createdFrom?: Date;
  createdTo?: Date;
  limit: number;
  offset?: number;
}

/** Public appeals, newest first, without personal columns; with the latest public text and step time of their timeline. */
export async function findPublicAppeals(tx: TTx, f: TPublicAppealFilter) {
  let query = tx
    .selectFrom('appeals as a')
    .innerJoin('regions as v', 'v.code', 'a.regionCode')
    .innerJoin('appealCategories as c', 'c.code', 'a.category')
    .leftJoin('regions as hr', 'hr.code', 'a.holderRegionCode')
    .leftJoin('departments as d', 'd.id', 'a.holderDepartmentId')
    .select((eb) => [
      'a.id', 'a.trackingNo', 'a.regionCode', 'v.name as villageName', 'a.category', 'c.nameZh as categoryName', 'a.content', 'a.status', 'a.holderLevel',
      'hr.name as holderRegionName', 'd.name as departmentName', 'a.stage', 'a.dueAt', 'a.address', 'a.latitude', 'a.longitude', 'a.createdAt',
      eb.selectFrom('appealEvents as e').select('e.publicText').whereRef('e.appealId', '=', 'a.id').where('e.publicText', 'is not', null).orderBy('e.id', 'desc').limit(1).as('latestPublicText'),
      eb.selectFrom('appealEvents as e').select((e) => e.fn.max('e.at').as('at')).whereRef('e.appealId', '=', 'a.id').where('e.type', '<>', 'warned').as('latestStepAt'),
    ])
    .where('a.isPublic', '=', true);
  if (f.trackingNos) query = query.where('a.trackingNo', 'in', f.trackingNos.length ? f.trackingNos : ['']);
  if (f.categories?.length) query = query.where('a.category', 'in', f.categories);
  if (f.statuses?.length) query = query.where('a.status', 'in', f.statuses);
  if (f.createdFrom) query = query.where('a.createdAt', '>=', f.createdFrom);
  if (f.createdTo) query = query.where('a.createdAt', '<=', f.createdTo);
  return query.orderBy('a.createdAt', 'desc').orderBy('a.id', 'desc').limit(f.limit).offset(f.offset ?? 0).execute();
}

/** Stop following. */
export async function removeFollower(tx: TTx, appealId: string, userId: string): Promise<void> {
  await tx.deleteFrom('appealFollowers').where('appealId', '=', appealId).where('userId', '=', userId).execute();
}
