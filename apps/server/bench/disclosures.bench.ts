import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { TActor } from '../src/kernel/policy';
import type { TServices } from '../src/kernel/services';
import { complianceReport } from '../src/modules/disclosures';
import { fmt, printTable } from './report';

/** A city of its own for the benchmark (not a real code), at Quanzhou's scale. */
const CITY = '359900000000';
const COUNTIES = 10;
const TOWNS_PER_COUNTY = 10;
const VILLAGES = 2_546;
const YEAR = 2025;

/**
 * 2,546 villages under CITY (10 counties × 10 towns × 25–26 villages), and a year of disclosures for
 * them: every periodic obligation of the 27-item catalogue published on time (85%), late (7%) or not
 * at all (8%), and about three events per village (immediate items), most published. Deterministic.
 */
async function generateCity(services: TServices): Promise<{ disclosures: number; town: string; county: string }> {
  const db = services.db;
  await sql`INSERT INTO regions (code, name, level, parent_code, is_illustrative, created_at) VALUES (${CITY}, '基准市', 'city', NULL, true, '2020-01-01') ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    INSERT INTO regions (code, name, level, parent_code, is_illustrative, created_at)
    SELECT '3599' || lpad(c::text, 2, '0') || '000000', '基准县' || c, 'county', ${CITY}, true, '2020-01-01'
    FROM generate_series(1, ${COUNTIES}) c
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    INSERT INTO regions (code, name, level, parent_code, is_illustrative, created_at)
    SELECT '3599' || lpad(c::text, 2, '0') || lpad(t::text, 3, '0') || '000', '基准镇' || c || '-' || t, 'town', '3599' || lpad(c::text, 2, '0') || '000000', true, '2020-01-01'
    FROM generate_series(1, ${COUNTIES}) c, generate_series(1, ${TOWNS_PER_COUNTY}) t
    ON CONFLICT DO NOTHING`.execute(db);
  // Villages dealt round-robin over the 100 towns: 46 towns get 26, the rest 25.
  await sql`
    INSERT INTO regions (code, name, level, parent_code, is_illustrative, created_at)
    SELECT town || lpad((n / ${COUNTIES * TOWNS_PER_COUNTY} + 1)::text, 3, '0'), '基准村' || n, 'village', town || '000', true, '2020-01-01'
    FROM (SELECT n, '3599' || lpad((n % ${COUNTIES} + 1)::text, 2, '0') || lpad(((n / ${COUNTIES}) % ${TOWNS_PER_COUNTY} + 1)::text, 3, '0') AS town
          FROM generate_series(0, ${VILLAGES - 1}) n) x
    ON CONFLICT DO NOTHING`.execute(db);
  const author = await sql<{ id: string }>`
    INSERT INTO users (kind, login, name, password_hash) VALUES ('official', 'bench_disclosures', '基准报账员', 'x')
    ON CONFLICT (login) DO UPDATE SET name = excluded.name RETURNING id`.execute(db);
  const authorId = author.rows[0]!.id;
  // Periodic obligations: a pseudo-random draw per (village, item, period) decides on time / late / missing.
  await sql`
    WITH v AS (SELECT code FROM regions WHERE level = 'village' AND code LIKE '3599%'),
         i AS (SELECT code, frequency, due_days FROM disclosure_items WHERE is_active AND frequency IN ('monthly', 'quarterly', 'semiannual', 'annual')),
         p AS (
           SELECT 'monthly' AS frequency, to_char(s, 'YYYY-MM') AS period, s::date AS period_start, (s + interval '1 month' - interval '1 day')::date AS period_end
             FROM generate_series(${`${YEAR}-01-01`}::timestamp, ${`${YEAR}-12-01`}::timestamp, interval '1 month') s
           UNION ALL SELECT 'quarterly', to_char(s, 'YYYY-"Q"Q'), s::date, (s + interval '3 months' - interval '1 day')::date
             FROM generate_series(${`${YEAR}-01-01`}::timestamp, ${`${YEAR}-10-01`}::timestamp, interval '3 months') s
           UNION ALL SELECT 'semiannual', to_char(s, 'YYYY') || CASE WHEN extract(month FROM s) = 1 THEN '-H1' ELSE '-H2' END, s::date, (s + interval '6 months' - interval '1 day')::date
             FROM generate_series(${`${YEAR}-01-01`}::timestamp, ${`${YEAR}-07-01`}::timestamp, interval '6 months') s
           UNION ALL SELECT 'annual', ${String(YEAR)}, ${`${YEAR}-01-01`}::date, ${`${YEAR}-12-31`}::date),
         draw AS (
           SELECT v.code AS village, i.code AS item, i.due_days, p.*, abs(hashtext(v.code || i.code || p.period)) % 100 AS roll
           FROM v CROSS JOIN i JOIN p ON p.frequency = i.frequency)
    INSERT INTO disclosures (region_code, item_code, period, period_start, period_end, status, title, body, current_version, created_by,
                             submitted_at, first_published_at, last_published_at, created_at, updated_at)
    SELECT village, item, period, period_start, period_end, 'published', item || ' ' || period, '基准公开内容', 1, ${authorId},
           at, at, at, at, at
    FROM (SELECT *, (period_end + CASE WHEN roll < 85 THEN roll % (due_days + 1) ELSE due_days + 1 + roll % 20 END)::timestamp + interval '10 hours' AS at
          FROM draw WHERE roll < 92) x
    ON CONFLICT DO NOTHING`.execute(db);
  // Events: about three per village in the year, 80% published within the grace days.
  await sql`
    WITH v AS (SELECT code, row_number() OVER (ORDER BY code) AS n FROM regions WHERE level = 'village' AND code LIKE '3599%'),
         i AS (SELECT code, due_days, row_number() OVER (ORDER BY code) AS k, count(*) OVER () AS items FROM disclosure_items WHERE is_active AND frequency IN ('immediate', 'on_change', 'per_stage')),
         e AS (SELECT v.code AS village, e, (${`${YEAR}-01-01`}::date + ((v.n * 37 + e * 113) % 365)::int) AS day, (v.n + e) % 10 AS roll, 1 + (v.n * 7 + e) % (SELECT max(items) FROM i) AS k
               FROM v, generate_series(1, 3) e)
    INSERT INTO disclosures (region_code, item_code, period, period_start, period_end, event_date, event_ref, status, title, body, current_version, created_by,
                             first_published_at, last_published_at, created_at, updated_at)
    SELECT e.village, i.code, to_char(e.day, 'YYYY-MM-DD'), e.day, e.day, e.day, '事件' || e.e,
           CASE WHEN e.roll < 8 THEN 'published' ELSE 'draft' END, i.code || ' 事件', '基准事件公开', CASE WHEN e.roll < 8 THEN 1 ELSE 0 END, ${authorId},
           CASE WHEN e.roll < 8 THEN e.day + interval '1 day' END, CASE WHEN e.roll < 8 THEN e.day + interval '1 day' END, e.day, e.day
    FROM e JOIN i ON i.k = e.k
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`ANALYZE regions`.execute(db);
  await sql`ANALYZE disclosures`.execute(db);
  const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM disclosures WHERE region_code LIKE '3599%'`.execute(db);
  return { disclosures: count.rows[0]!.n, town: '359901001000', county: '359901000000' };
}

async function timeReport(services: TServices, actor: TActor, region: string, period: string, runs = 5) {
  await complianceReport(services, actor, { region, period }); // warm the plan and the cache
  const times: number[] = [];
  let report: Awaited<ReturnType<typeof complianceReport>> | null = null;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    report = await complianceReport(services, actor, { region, period });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(runs / 2)]!, report: report! };
}

/**
 * Compliance (全覆盖) for a whole city of 2,546 villages × 27 items × 12 months vs one town, through the
 * service (one set-based statement each), median of five runs after a warm-up.
 */
export async function benchDisclosures(services: TServices): Promise<void> {
  const started = performance.now();
  const city = await generateCity(services);
  const generatedMs = performance.now() - started;
  const actor: TActor = { userId: '00000000-0000-4000-8000-000000000000', kind: 'official', name: 'bench', roles: [{ id: 'bench', role: 'city_officer', regionCode: CITY }] };
  const rows: (string | number)[][] = [];
  const measured: { label: string; ms: number }[] = [];
  for (const [label, region, period] of [
    ['one town, a year', city.town, String(YEAR)],
    ['one county, a year', city.county, String(YEAR)],
    ['whole city, a year', CITY, String(YEAR)],
    ['one town, a month', city.town, `${YEAR}-06`],
    ['whole city, a month', CITY, `${YEAR}-06`],
  ] as const) {
    const { ms, report } = await timeReport(services, actor, region, period);
    measured.push({ label, ms });
    const obligations = report.totals.due + report.totals.pending;
    const base = measured.find((m) => m.label === (period.length === 4 ? 'one town, a year' : 'one town, a month'))!.ms;
    rows.push([label, fmt(report.villages), fmt(obligations), `${((report.totals.rate ?? 0) * 100).toFixed(1)}%`, fmt(ms, 1), (ms / base).toFixed(1)]);
  }
  printTable(`Disclosure compliance (${fmt(city.disclosures)} disclosures generated in ${fmt(generatedMs / 1000, 1)} s; median of 5)`, ['scope', 'villages', 'obligations', 'coverage', 'ms', '× town'], rows);
}
