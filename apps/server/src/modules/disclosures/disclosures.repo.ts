import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { TDb, TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';
import { inScope, scopeSql } from '../../kernel/scope';
import type { TNewReview } from '../finance';

// ---------- catalogue ----------

/** A catalogue item row. */
export interface TItemRow {
  code: string;
  category: string;
  nameZh: string;
  nameEn: string;
  frequency: string;
  dueDays: number;
  isActive: boolean;
  sort: number;
}

/** Serialise catalogue syncs and edits (two servers starting together publish one snapshot). */
export async function lockCatalog(tx: TTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('disclosure.catalog'))`.execute(tx);
}

/** Insert or refresh categories from the seed file. */
export async function upsertCategories(tx: TTx, rows: { code: string; nameZh: string; nameEn: string; sort: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('disclosureCategories')
    .values(rows)
    .onConflict((oc) => oc.column('code').doUpdateSet({ nameZh: (eb) => eb.ref('excluded.nameZh'), nameEn: (eb) => eb.ref('excluded.nameEn'), sort: (eb) => eb.ref('excluded.sort') }))
    .execute();
}

/**
 * Insert or refresh items from the seed file. Names, category and order always follow the file;
 * frequency, due days and activity only while no admin has edited the item.
 */
export async function upsertItems(tx: TTx, rows: TItemRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO disclosure_items (code, category, name_zh, name_en, frequency, due_days, is_active, sort)
    SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS x(code text, category text, "nameZh" text, "nameEn" text, frequency text, "dueDays" integer, "isActive" boolean, sort integer)
    ON CONFLICT (code) DO UPDATE SET
      category = excluded.category, name_zh = excluded.name_zh, name_en = excluded.name_en, sort = excluded.sort,
      frequency = CASE WHEN disclosure_items.is_customized THEN disclosure_items.frequency ELSE excluded.frequency END,
      due_days = CASE WHEN disclosure_items.is_customized THEN disclosure_items.due_days ELSE excluded.due_days END,
      is_active = CASE WHEN disclosure_items.is_customized THEN disclosure_items.is_active ELSE excluded.is_active END,
      updated_at = CASE
        WHEN (disclosure_items.category, disclosure_items.name_zh, disclosure_items.name_en, disclosure_items.sort)
             IS DISTINCT FROM (excluded.category, excluded.name_zh, excluded.name_en, excluded.sort) THEN now()
        ELSE disclosure_items.updated_at END`.execute(tx);
}

/** Every category and item, in display order. */
export async function findCatalog(tx: TTx): Promise<{ categories: { code: string; nameZh: string; nameEn: string }[]; items: TItemRow[] }> {
  const [categories, items] = await Promise.all([
    tx.selectFrom('disclosureCategories').select(['code', 'nameZh', 'nameEn']).orderBy('sort').orderBy('code').execute(),
    tx.selectFrom('disclosureItems').select(['code', 'category', 'nameZh', 'nameEn', 'frequency', 'dueDays', 'isActive', 'sort']).orderBy('sort').orderBy('code').execute(),
  ]);
  return { categories, items };
}

/** One item, optionally locked for an edit. */
export async function findItem(tx: TTx, code: string, options: { forUpdate?: boolean } = {}): Promise<TItemRow | undefined> {
  let query = tx.selectFrom('disclosureItems').select(['code', 'category', 'nameZh', 'nameEn', 'frequency', 'dueDays', 'isActive', 'sort']).where('code', '=', code);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** An admin's edit of an item; the seed sync leaves its edited fields alone from now on. */
export async function updateItem(tx: TTx, code: string, patch: { frequency?: string; dueDays?: number; isActive?: boolean }, now: Date): Promise<void> {
  await tx.updateTable('disclosureItems').set({ ...patch, isCustomized: true, updatedAt: now }).where('code', '=', code).execute();
}

/** The latest published catalogue snapshot. */
export async function findLatestCatalogVersion(tx: TTx): Promise<{ ledgerIdx: number; digest: string; createdAt: Date } | undefined> {
  return tx.selectFrom('disclosureCatalogVersions').select(['ledgerIdx', 'digest', 'createdAt']).orderBy('ledgerIdx', 'desc').limit(1).executeTakeFirst();
}

/** Record a published catalogue snapshot. */
export async function insertCatalogVersion(tx: TTx, row: { ledgerIdx: number; digest: string; reason: string; createdAt: Date }): Promise<void> {
  await tx.insertInto('disclosureCatalogVersions').values(row).execute();
}

// ---------- villages and people ----------

/** A village (level village) with its name and the China day it was created. */
export async function findVillage(tx: TTx, code: string): Promise<{ code: string; name: string } | undefined> {
  return tx.selectFrom('regions').select(['code', 'name']).where('code', '=', code).where('level', '=', 'village').executeTakeFirst();
}

/** A region's name and level. */
export async function findRegion(tx: TTx, code: string): Promise<{ code: string; name: string; level: string } | undefined> {
  return tx.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

/** Names of regions, with the parent's name (a village's town). */
export async function findRegionNames(tx: TTx, codes: string[]): Promise<Map<string, { name: string; parentName: string | null }>> {
  if (codes.length === 0) return new Map();
  const rows = await tx
    .selectFrom('regions as r')
    .leftJoin('regions as p', 'p.code', 'r.parentCode')
    .select(['r.code', 'r.name', 'p.name as parentName'])
    .where('r.code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, { name: r.name, parentName: r.parentName }]));
}

/**
 * Phones of the resident cadres (驻村干部) of a village: assigned to the village itself, or to its town
 * when nobody is assigned to the village.
 */
export async function findResidentCadrePhones(tx: TTx, villageCode: string): Promise<string[]> {
  const town = `${villageCode.slice(0, 9)}000`;
  const rows = await tx
    .selectFrom('roleAssignments as ra')
    .innerJoin('users as u', 'u.id', 'ra.userId')
    .select(['u.phone', 'ra.regionCode'])
    .where('ra.role', '=', 'resident_cadre')
    .where('ra.regionCode', 'in', [villageCode, town])
    .where('u.isActive', '=', true)
    .where('u.phone', 'is not', null)
    .execute();
  const own = rows.filter((r) => r.regionCode === villageCode);
  return [...new Set((own.length ? own : rows).map((r) => r.phone!))];
}

// ---------- disclosures ----------

/** The disclosure row as the service works with it. */
export interface TDisclosureRow {
  id: string;
  regionCode: string;
  itemCode: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  eventDate: string | null;
  eventRef: string | null;
  status: string;
  title: string;
  body: string;
  currentVersion: number;
  createdBy: string;
  submittedBy: string | null;
  submittedAt: Date | null;
  firstPublishedAt: Date | null;
  lastPublishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const DISCLOSURE_COLUMNS = [
  'd.id', 'd.regionCode', 'd.itemCode', 'd.period', 'd.periodStart', 'd.periodEnd', 'd.eventDate', 'd.eventRef', 'd.status', 'd.title', 'd.body',
  'd.currentVersion', 'd.createdBy', 'd.submittedBy', 'd.submittedAt', 'd.firstPublishedAt', 'd.lastPublishedAt', 'd.createdAt', 'd.updatedAt',
] as const;

/** Insert a draft. */
export async function insertDisclosure(tx: TTx, values: { regionCode: string; itemCode: string; period: string; periodStart: string; periodEnd: string; eventDate: string | null; eventRef: string | null; title: string; body: string; createdBy: string; createdAt: Date }): Promise<string> {
  return (await tx.insertInto('disclosures').values({ ...values, status: 'draft', updatedAt: values.createdAt }).returning('id').executeTakeFirstOrThrow()).id;
}

/** A disclosure in scope, locked for a transition (null when unknown or outside the scope). */
export async function lockDisclosure(tx: TTx, id: string, scope: TScope): Promise<TDisclosureRow | undefined> {
  return tx.selectFrom('disclosures as d').select(DISCLOSURE_COLUMNS).where('d.id', '=', id).where((eb) => inScope(eb, 'd.regionCode', scope)).forUpdate().executeTakeFirst();
}

/** A disclosure with its village's and item's names (no scope: the service decides who may see it). */
export async function findDisclosure(tx: TTx, id: string) {
  return tx
    .selectFrom('disclosures as d')
    .innerJoin('regions as r', 'r.code', 'd.regionCode')
    .innerJoin('disclosureItems as i', 'i.code', 'd.itemCode')
    .select([...DISCLOSURE_COLUMNS, 'r.name as villageName', 'i.nameZh as itemName', 'i.category', 'i.frequency', 'i.dueDays'])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/** Change the working row (draft edits, state changes, the current version after publication). */
export async function updateDisclosure(tx: TTx, id: string, patch: Partial<Pick<TDisclosureRow, 'period' | 'periodStart' | 'periodEnd' | 'eventDate' | 'eventRef' | 'status' | 'title' | 'body' | 'currentVersion' | 'submittedAt' | 'firstPublishedAt' | 'lastPublishedAt'>> & { submittedBy?: string | null }, now: Date): Promise<void> {
  await tx.updateTable('disclosures').set({ ...patch, updatedAt: now }).where('id', '=', id).execute();
}

/** Append a published version (the table refuses updates and deletes). */
export async function insertVersion(tx: TTx, row: { disclosureId: string; version: number; regionCode: string; title: string; body: string; structured: Record<string, unknown>; reason: string | null; publishedAt: Date; publishedBy: string; publisherName: string; digest: string; ledgerIdx: number }): Promise<void> {
  await tx.insertInto('disclosureVersions').values({ ...row, structured: JSON.stringify(row.structured) }).execute();
}

/** Every published version of a disclosure, newest first. */
export async function findVersions(tx: TTx, id: string) {
  return tx
    .selectFrom('disclosureVersions')
    // jsonb as text: the camel-case plugin would rename nested keys and change what was published.
    .select(['version', 'title', 'body', sql<string>`structured::text`.as('structuredJson'), 'reason', 'publishedAt', 'publisherName', 'digest', 'ledgerIdx'])
    .where('disclosureId', '=', id)
    .orderBy('version', 'desc')
    .execute();
}

/** A joint-review decision on a disclosure as recorded (append-only): the same record as a line's. */
export type TNewDisclosureReview = TNewReview & { disclosureId: string };

/** Append a joint-review decision. */
export async function insertReview(tx: TTx, row: TNewDisclosureReview): Promise<void> {
  await tx.insertInto('disclosureReviews').values(row).execute();
}

/** A disclosure's joint-review decisions, newest first. */
export async function findReviews(tx: TTx, id: string) {
  return tx
    .selectFrom('disclosureReviews')
    .select(['id', 'disclosureId as subjectId', 'decision', 'reason', 'reviewerId', 'reviewerName', 'reviewerUnit', 'stampSha256', 'reviewedAt'])
    .where('disclosureId', '=', id)
    .orderBy('reviewedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Filter of a village's disclosure list. */
export interface TVillageListFilter {
  villageCode: string;
  statuses: string[];
  itemCode?: string;
  period?: string;
  after?: { at: string; id: string };
  limit: number;
}

/** A village's disclosures, most recently published (or edited) first. */
export async function findVillageDisclosures(tx: TTx, filter: TVillageListFilter) {
  const sortAt = sql<Date>`coalesce(d.last_published_at, d.updated_at)`;
  let query = tx
    .selectFrom('disclosures as d')
    .innerJoin('disclosureItems as i', 'i.code', 'd.itemCode')
    .select([...DISCLOSURE_COLUMNS, 'i.nameZh as itemName', 'i.category', sortAt.as('sortAt')])
    .where('d.regionCode', '=', filter.villageCode)
    .where('d.status', 'in', filter.statuses);
  if (filter.itemCode) query = query.where('d.itemCode', '=', filter.itemCode);
  if (filter.period) query = query.where((eb) => eb.or([eb('d.period', '=', filter.period!), eb('d.period', 'like', `${filter.period}-%`)]));
  if (filter.after) query = query.where(sql<SqlBool>`(coalesce(d.last_published_at, d.updated_at), d.id) < (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`);
  return query.orderBy(sortAt, 'desc').orderBy('d.id', 'desc').limit(filter.limit).execute();
}

// ---------- compliance (全覆盖) ----------

/**
 * The obligations of the villages matching `villageFilter` whose period ends in [from, to] (periodic
 * items), or whose event is dated in it (event items: one obligation per registered disclosure), each
 * with its due day and status as of `today` (China days throughout). Set-based: villages × the window's
 * (item, period) pairs, one hash join with the published disclosures; no per-row time-zone work.
 */
function obligationsCte(villageFilter: RawBuilder<SqlBool>, window: { from: string; to: string; today: string }) {
  const { from, to, today } = window;
  return sql`
    v AS MATERIALIZED (
      SELECT r.code, (r.created_at AT TIME ZONE 'Asia/Shanghai')::date AS since
      FROM regions r
      WHERE r.level = 'village' AND ${villageFilter}
    ),
    i AS (SELECT code, frequency, due_days FROM disclosure_items WHERE is_active),
    p AS (
      SELECT 'monthly'::text AS frequency, to_char(s, 'YYYY-MM') AS period, (s + interval '1 month' - interval '1 day')::date AS period_end
        FROM generate_series(date_trunc('month', ${from}::timestamp), ${to}::timestamp, interval '1 month') s
      UNION ALL
      SELECT 'quarterly', to_char(s, 'YYYY-"Q"Q'), (s + interval '3 months' - interval '1 day')::date
        FROM generate_series(date_trunc('quarter', ${from}::timestamp), ${to}::timestamp, interval '3 months') s
      UNION ALL
      SELECT 'semiannual', to_char(s, 'YYYY') || CASE WHEN extract(month FROM s) = 1 THEN '-H1' ELSE '-H2' END, (s + interval '6 months' - interval '1 day')::date
        FROM generate_series(date_trunc('year', ${from}::timestamp), ${to}::timestamp, interval '6 months') s
      UNION ALL
      SELECT 'annual', to_char(s, 'YYYY'), (s + interval '1 year' - interval '1 day')::date
        FROM generate_series(date_trunc('year', ${from}::timestamp), ${to}::timestamp, interval '1 year') s
    ),
    -- each (item, period) of the window once, with its due day and the instant publishing turns late
    ip AS MATERIALIZED (
      SELECT i.code AS item, p.period, p.period_end, p.period_end + i.due_days AS due_on,
             ((p.period_end + i.due_days + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS late_from
      FROM i JOIN p ON p.frequency = i.frequency
      WHERE p.period_end BETWEEN ${from}::date AND ${to}::date
    ),
    o AS (
      SELECT v.code AS village, ip.item, ip.period, ''::text AS event_ref, ip.due_on,
             d.first_published_at IS NOT NULL AS is_published, d.first_published_at < ip.late_from AS is_on_time
      FROM v
      JOIN ip ON ip.period_end >= v.since
      LEFT JOIN disclosures d ON d.region_code = v.code AND d.item_code = ip.item AND d.period = ip.period
        AND d.first_published_at IS NOT NULL AND d.period_end BETWEEN ${from}::date AND ${to}::date
      UNION ALL
      SELECT d.region_code, d.item_code, d.period, coalesce(d.event_ref, ''), d.event_date + i.due_days,
             d.first_published_at IS NOT NULL, d.first_published_at < ((d.event_date + i.due_days + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
      FROM disclosures d
      JOIN i ON i.code = d.item_code AND i.frequency IN ('immediate', 'on_change', 'per_stage')
      JOIN v ON v.code = d.region_code
      WHERE d.event_date BETWEEN ${from}::date AND ${to}::date
    ),
    s AS (
      -- published before the end (China time) of the due day: on time; corrections do not move it
      SELECT o.*,
        CASE WHEN is_on_time THEN 'on_time'
             WHEN is_published THEN 'late'
             WHEN due_on < ${today}::date THEN 'missing'
             ELSE 'pending' END AS status
      FROM o
    )`;
}

const COUNTS = sql`
  count(*) FILTER (WHERE status = 'on_time')::int AS on_time,
  count(*) FILTER (WHERE status = 'late')::int AS late,
  count(*) FILTER (WHERE status = 'missing')::int AS missing,
  count(*) FILTER (WHERE status = 'pending')::int AS pending`;

/** One row of the compliance aggregate: totals, an item, a child region, or a village. */
export interface TComplianceRow {
  kind: 'total' | 'item' | 'child' | 'village' | 'villages';
  key: string | null;
  /** `villages` rows: how many villages the child region (key null: the whole region) has in scope. */
  villages: number | null;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
}

/**
 * Compliance of the villages under `prefix` (and in `scope`) for a window, in one statement and one
 * pass over the obligations (grouping sets): totals, per item, per child region (codes cut to
 * `childLength`), per village; plus `villages` rows counting the villages of each child region
 * (key null: all). The hash join and aggregates get enough memory not to spill at city scale.
 */
export async function findCompliance(db: TDb, input: { prefix: string; scope: TScope; from: string; to: string; today: string; childLength: number }): Promise<TComplianceRow[]> {
  const filter = sql<SqlBool>`r.code LIKE ${`${input.prefix}%`} AND ${scopeSql('r.code', input.scope)}`;
  const n = input.childLength;
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
    const result = await sql<TComplianceRow>`
      WITH ${obligationsCte(filter, input)}
      SELECT CASE WHEN grouping(item) = 0 THEN 'item' WHEN grouping(child) = 0 THEN 'child' WHEN grouping(village) = 0 THEN 'village' ELSE 'total' END AS kind,
             coalesce(item, child, village) AS key, NULL::int AS villages, ${COUNTS}
      FROM (SELECT item, left(village, ${n}) AS child, village, status FROM s) x
      GROUP BY GROUPING SETS ((), (item), (child), (village))
      UNION ALL
      SELECT 'villages', child, count(*)::int, 0, 0, 0, 0
      FROM (SELECT left(code, ${n}) AS child FROM v) c GROUP BY GROUPING SETS ((), (child))`.execute(tx);
    return result.rows;
  });
}

/** The missing obligations of a few villages (the ones to chase), oldest due first. */
export async function findMissingOf(tx: TTx, villages: string[], window: { from: string; to: string; today: string }): Promise<{ village: string; item: string; period: string; dueOn: string }[]> {
  if (villages.length === 0) return [];
  const result = await sql<{ village: string; item: string; period: string; dueOn: string }>`
    WITH ${obligationsCte(sql<SqlBool>`r.code = ANY(${villages}::text[])`, window)}
    SELECT village, item, period, due_on::text AS due_on FROM s WHERE status = 'missing' ORDER BY village, due_on, item, period`.execute(tx);
  return result.rows;
}

/** An obligation the daily job announces: late (published after its due day) or missing. */
export interface TOverdueRow {
  village: string;
  item: string;
  period: string;
  eventRef: string;
  dueOn: string;
  status: 'late' | 'missing';
}

/**
 * Every village's obligations of a window that became missing, or were published late, with a due
 * day on or after `dueSince` and not announced before (one statement for the whole platform).
 */
export async function findUnannouncedOverdue(tx: TTx, window: { from: string; to: string; today: string; dueSince: string }): Promise<TOverdueRow[]> {
  const result = await sql<TOverdueRow>`
    WITH ${obligationsCte(sql<SqlBool>`true`, window)}
    SELECT s.village, s.item, s.period, s.event_ref, s.due_on::text AS due_on, s.status
    FROM s
    WHERE s.status IN ('late', 'missing') AND s.due_on >= ${window.dueSince}::date
      AND NOT EXISTS (
        SELECT 1 FROM disclosure_compliance_notices n
        WHERE n.region_code = s.village AND n.item_code = s.item AND n.period = s.period AND n.event_ref = s.event_ref AND n.status = s.status)
    ORDER BY s.village, s.item, s.period`.execute(tx);
  return result.rows;
}

/** Mark obligations announced; returns those this call marked (a concurrent run gets the rest). */
export async function insertComplianceNotices(tx: TTx, rows: TOverdueRow[], now: Date): Promise<TOverdueRow[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insertInto('disclosureComplianceNotices')
    .values(rows.map((r) => ({ regionCode: r.village, itemCode: r.item, period: r.period, eventRef: r.eventRef, status: r.status, dueOn: r.dueOn, notifiedAt: now })))
    .onConflict((oc) => oc.doNothing())
    .returning(['itemCode', 'period', 'eventRef', 'status'])
    .execute();
  const fresh = new Set(inserted.map((r) => `${r.itemCode}|${r.period}|${r.eventRef}|${r.status}`));
  return rows.filter((r) => fresh.has(`${r.item}|${r.period}|${r.eventRef}|${r.status}`));
}
