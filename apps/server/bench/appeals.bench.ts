import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/app';
import type { TServices } from '../src/kernel/services';
import { loginWithPassword } from '../src/modules/auth/auth.service';
import { DEMO_PASSWORD, seedDemoIfEmpty } from '../src/modules/demo';
import { appealStats } from '../src/modules/appeals/appeals.service';
import { fmt, printTable } from './report';

const COMPLAINTS = [
  '306路公交车停运一年了，老人去镇上看病很不方便，请帮忙协调恢复运行', '村口垃圾堆放多日无人清运，气味很大', '路灯坏了好几个月，晚上出行很危险',
  '邻居建房占用公共通道，多次协商无果', '低保金三个月没有到账，请帮忙查询', '河道两边杂草丛生，需要清理', '村里的水泥路破损严重，下雨天积水',
  '宅基地审批一直没有结果，想了解进度', '村财务公开的账目看不懂，希望说明', '自来水经常停水，影响生活',
];

/** A request body per call: a random village of the city and one of ten everyday complaints. */
function intakeBody(villages: string[]): string {
  const village = villages[Math.floor(Math.random() * villages.length)]!;
  const content = COMPLAINTS[Math.floor(Math.random() * COMPLAINTS.length)]!;
  return JSON.stringify({ villageCode: village, category: 'other', content, channel: 'hotline', submitterName: '张某' });
}

async function load(url: string, seconds: number, headers: Record<string, string>, makeBody: () => string) {
  const result = await autocannon({
    url, method: 'POST', connections: Number(process.env.BENCH_CONNECTIONS ?? 10), duration: seconds, headers: { 'content-type': 'application/json', ...headers }, idReplacement: true,
    requests: [{ setupRequest: (request) => ({ ...request, body: makeBody() }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

/**
 * Intake through the whole pipeline (auth, validation, tracking number, jieba tokens, deadline, ledger
 * append, event, rollups, duplicate suggestions, audit) vs a bare Fastify route inserting one row.
 */
async function benchIntake(services: TServices, seconds: number): Promise<void> {
  // The city's hotline registers calls from every village (an official intake: same pipeline as a villager's).
  const session = await loginWithPassword(services, { login: 'quanzhou_gov', password: DEMO_PASSWORD }, { actorId: null, requestId: 'bench', ip: null, userAgent: 'bench' });
  const villages = (await sql<{ code: string }>`SELECT code FROM regions WHERE level = 'village'`.execute(services.db)).rows.map((r) => r.code);

  await sql`CREATE TABLE IF NOT EXISTS bench_intake (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), region_code text NOT NULL, category text NOT NULL, content text NOT NULL, idempotency_key text, created_at timestamptz NOT NULL DEFAULT now())`.execute(services.db);
  const bare = Fastify();
  bare.post('/bare', async (request) => {
    const body = request.body as { villageCode: string; category: string; content: string };
    const row = await sql<{ id: string }>`INSERT INTO bench_intake (region_code, category, content, idempotency_key) VALUES (${body.villageCode}, ${body.category}, ${body.content}, ${String(request.headers['idempotency-key'])}) RETURNING id`.execute(services.db);
    return { id: row.rows[0]!.id };
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const app = await buildApp(services, { serveApps: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const baseline = await load(`http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare`, seconds, { 'idempotency-key': 'bare-[<id>]' }, () => intakeBody(villages));
    const ours = await load(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/appeals`, seconds, { authorization: `Bearer ${session.token}`, 'idempotency-key': 'bench-[<id>]' }, () => intakeBody(villages));
    printTable(`Appeal intake (10 connections, ${seconds}s each)`, ['route', 'req/s', 'p99', 'ratio'], [
      ['bare Fastify route, one INSERT (baseline)', fmt(baseline.rps), `${baseline.p99} ms`, '1.00'],
      ['POST /api/v1/appeals (tracking no., ledger, rollups, suggestions, audit)', fmt(ours.rps), `${ours.p99} ms`, (ours.rps / baseline.rps).toFixed(3)],
    ]);
  } finally {
    await app.close();
    await bare.close();
  }
}

/** Rollups for a year of 1 million appeals spread over the demo city's villages, then stats per level. */
async function benchStats(services: TServices, appeals: number): Promise<void> {
  const villages = (await sql<{ code: string }>`SELECT code FROM regions WHERE level = 'village' ORDER BY code`.execute(services.db)).rows.map((r) => r.code);
  const perVillageDay = appeals / villages.length / 365;
  const started = performance.now();
  // Village rows: each village-day-category gets its share; the same numbers are summed into the town, county and city rows.
  await sql`
    WITH v AS (SELECT unnest(${villages}::text[]) AS code),
         d AS (SELECT generate_series('2025-01-01'::date, '2025-12-31'::date, '1 day')::date AS day),
         c AS (SELECT code AS category FROM appeal_categories),
         base AS (
           SELECT v.code, d.day, c.category,
                  floor(random() * ${perVillageDay * 2 / 9} + 0.5)::int AS received
           FROM v, d, c),
         nonzero AS (SELECT * FROM base WHERE received > 0),
         expanded AS (
           SELECT code AS region_code, day, category, received FROM nonzero
           UNION ALL SELECT rpad(left(code, 9), 12, '0'), day, category, received FROM nonzero
           UNION ALL SELECT rpad(left(code, 6), 12, '0'), day, category, received FROM nonzero
           UNION ALL SELECT rpad(left(code, 4), 12, '0'), day, category, received FROM nonzero)
    INSERT INTO appeal_daily_stats (region_code, day, category, received, accepted, resolved, resolved_within_days, closed, urges, satisfied)
    SELECT region_code, day, category, sum(received), sum(received), sum(received), sum(received * 9 / 10), sum(received), sum(received / 5), sum(received * 8 / 10)
    FROM expanded GROUP BY 1, 2, 3
    ON CONFLICT (region_code, day, category) DO NOTHING`.execute(services.db);
  await sql`VACUUM (ANALYZE) appeal_daily_stats`.execute(services.db); // what autovacuum does in production
  const total = (await sql<{ n: number; rows: number }>`SELECT sum(received)::int AS n, count(*)::int AS rows FROM appeal_daily_stats WHERE region_code = '350500000000' AND day >= '2025-01-01' AND day <= '2025-12-31'`.execute(services.db)).rows[0]!;
  const allRows = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeal_daily_stats`.execute(services.db)).rows[0]!.n;
  console.log(`\n  rollups for ${fmt(total.n)} appeals in 2025 written in ${((performance.now() - started) / 1000).toFixed(1)} s (${fmt(allRows)} rollup rows)`);
  const actor = { userId: '00000000-0000-0000-0000-000000000000', kind: 'official' as const, name: 'bench', roles: [{ id: 'r', role: 'discipline_officer' as const, regionCode: '350500000000' }] };
  const time = async (region: string) => {
    await appealStats(services, actor, { region, from: '2025-01-01', to: '2025-12-31' });
    const runs = 20;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await appealStats(services, actor, { region, from: '2025-01-01', to: '2025-12-31' });
    return (performance.now() - t0) / runs;
  };
  const naive = async () => {
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await sql`SELECT sum(received) FROM appeal_daily_stats WHERE region_code LIKE '3505%' AND region_code ~ '[1-9]..$' AND day BETWEEN '2025-01-01' AND '2025-12-31'`.execute(services.db);
    return (performance.now() - t0) / 5;
  };
  const village = villages[0]!;
  const rows: (string | number)[][] = [];
  const villageMs = await time(village);
  rows.push(['one village', villageMs.toFixed(2), '1.00']);
  for (const [label, code] of [['one town', `${village.slice(0, 9)}000`], ['one county', `${village.slice(0, 6)}000000`], ['the city (1 M appeals)', '350500000000']] as const) {
    const ms = await time(code);
    rows.push([label, ms.toFixed(2), (ms / villageMs).toFixed(2)]);
  }
  rows.push(['(naive: sum every village row of the city, totals only)', (await naive()).toFixed(2), '—']);
  printTable('Appeal statistics from per-level rollups (totals + by category, month, child region, department)', ['region', 'ms per request', 'ratio to a village'], rows);
}

/** All appeal benchmarks. */
export async function benchAppeals(services: TServices, options: { seconds: number; appeals: number }): Promise<void> {
  await seedDemoIfEmpty(services);
  await benchIntake(services, options.seconds);
  await benchStats(services, options.appeals);
}
