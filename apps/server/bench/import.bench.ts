// Registry import at city scale (§1: 1.79 million members, ~600,000 households, 2,546 villages):
// the real pipeline (store the file, stream, validate, upsert in batches) against a plain COPY of
// the same rows in the same run, and city-wide coverage against one village's.
import { createWriteStream, mkdtempSync, rmSync, statSync, createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { HOUSEHOLD_IMPORT_COLUMNS, idNumberCheckChar } from '@cunwu/contract';
import { keyedHash } from '../src/kernel/auth';
import type { TDb } from '../src/kernel/db';
import type { TServices } from '../src/kernel/services';
import { createRandom } from '../src/modules/demo';
import { importHouseholdFile } from '../src/modules/imports';
import { fmt, printTable } from './report';

/** Sizes of the run (`--rows N` scales the CSV; the xlsx keeps its 200,000 unless N is smaller). */
export interface TImportBenchOptions {
  rows: number;
  xlsxRows: number;
  seed?: number;
}

const CITY = '350500000000';
const MEMBERS_PER_VILLAGE = Math.round(1_790_000 / 2_546);
/** Members per household are drawn uniformly from 1–5: 3 on average, so 1.79 M members make ~600,000 households. */
const MEMBERS_PER_HOUSEHOLD = 3;
const SURNAMES = '陈林黄王李张吴刘郑蔡许杨苏洪庄谢曾周徐施傅叶颜詹戴卢肖连廖'.split('');
const GIVEN = '志明建华丽芳秀英国强美玲文德伟清海燕金水春梅淑珍火炎荣桂兰宗泉添福宝财来顺'.split('');
const RELATIONS = ['配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳'];
const HEADER = HOUSEHOLD_IMPORT_COLUMNS.map((c) => c.zh);

/** A county of generated villages directly under 泉州市 (direct SQL: regions are another module's, this is bench data). */
export async function createBenchVillages(db: TDb, county: string, name: string, count: number): Promise<{ code: string; name: string }[]> {
  await sql`INSERT INTO regions (code, name, level, parent_code) VALUES (${CITY}, '泉州市', 'city', NULL) ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO regions (code, name, level, parent_code, is_illustrative) VALUES (${county}, ${name}, 'county', ${CITY}, true) ON CONFLICT DO NOTHING`.execute(db);
  const towns = Math.ceil(count / 100);
  const regions: { code: string; name: string; level: string; parent: string }[] = [];
  const villages: { code: string; name: string }[] = [];
  for (let t = 1; t <= towns; t++) {
    const town = `${county.slice(0, 6)}${String(t).padStart(3, '0')}000`;
    regions.push({ code: town, name: `${name}${t}镇`, level: 'town', parent: county });
    for (let v = 1; v <= 100 && villages.length < count; v++) {
      const village = { code: `${town.slice(0, 9)}${String(v).padStart(3, '0')}`, name: `${name}${t}镇${v}村` };
      villages.push(village);
      regions.push({ code: village.code, name: village.name, level: 'village', parent: town });
    }
  }
  await sql`INSERT INTO regions (code, name, level, parent_code, is_illustrative)
    SELECT code, name, level, parent, true FROM unnest(${regions.map((r) => r.code)}::text[], ${regions.map((r) => r.name)}::text[],
      ${regions.map((r) => r.level)}::text[], ${regions.map((r) => r.parent)}::text[]) AS t(code, name, level, parent)
    ON CONFLICT DO NOTHING`.execute(db);
  return villages;
}

/**
 * Deterministic registry rows: 1–5 members per household, 90% with an ID number (valid check
 * digit, unique), 70% with a phone (unique), 85% of households in one of three groups per village.
 */
export function* generateRows(villages: { code: string; name: string }[], rows: number, seed: number, counters: { id: number; phone: number }): Generator<string[]> {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const households = Math.ceil(rows / MEMBERS_PER_HOUSEHOLD);
  let emitted = 0;
  for (let h = 0; emitted < rows; h++) {
    const village = villages[Math.min(villages.length - 1, Math.floor((h * villages.length) / households))]!;
    const householdNo = String(h + 1).padStart(6, '0');
    const surname = pick(SURNAMES);
    const size = 1 + Math.floor(random() * 5);
    const group = random() < 0.85 ? `${village.name}第${1 + (h % 3)}监督群` : '';
    const names = new Set<string>();
    let headName = '';
    for (let m = 0; m < size && emitted < rows; m++) {
      let name: string;
      do name = (m === 1 ? pick(SURNAMES) : surname) + pick(GIVEN) + (random() < 0.7 ? pick(GIVEN) : '');
      while (names.has(name));
      names.add(name);
      if (m === 0) headName = name;
      let idNumber = '';
      if (random() < 0.9) {
        const k = counters.id++;
        const birth = new Date(Date.UTC(1940, 0, 1) + Math.floor(k / 999) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
        const first17 = `350599${birth}${String((k % 999) + 1).padStart(3, '0')}`;
        idNumber = first17 + idNumberCheckChar(first17);
      }
      let phone = '';
      if (random() < 0.7) {
        const k = counters.phone++;
        phone = `1${3 + (k % 7)}${String(k).padStart(9, '0')}`;
      }
      emitted++;
      yield [village.code, householdNo, headName, name, m === 0 ? '户主' : pick(RELATIONS), phone, idNumber, group];
    }
  }
}

export async function writeCsv(file: string, rows: Iterable<string[]>): Promise<number> {
  const out = createWriteStream(file);
  let lines: string[] = [HEADER.join(',')];
  let count = 0;
  const flush = async () => {
    if (!out.write(lines.join('\n') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    lines = [];
  };
  for (const row of rows) {
    lines.push(row.join(','));
    count++;
    if (lines.length >= 10_000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return count;
}

async function writeXlsx(file: string, rows: Iterable<string[]>): Promise<number> {
  // Shared strings and text cells, as Excel writes a sheet whose columns are formatted as text.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('户籍导入');
  sheet.addRow(HEADER).commit();
  let count = 0;
  for (const row of rows) {
    sheet.addRow(row.map((v) => v || null)).commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** A minimal `COPY … FROM STDIN` for node-postgres (what pg-copy-streams does, without the dependency). */
class CopyFrom {
  private done!: { resolve: () => void; reject: (error: Error) => void };
  readonly finished = new Promise<void>((resolve, reject) => (this.done = { resolve, reject }));
  private error: Error | null = null;

  constructor(
    readonly text: string,
    private readonly source: AsyncIterable<string>,
  ) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void; sendCopyFail(message: string): void; stream: NodeJS.WritableStream & { writableNeedDrain?: boolean } }): void {
    void (async () => {
      for await (const chunk of this.source) {
        connection.sendCopyFromChunk(Buffer.from(chunk));
        if (connection.stream.writableNeedDrain) await new Promise((resolve) => connection.stream.once('drain', resolve));
      }
      connection.endCopyFrom();
    })().catch((error: Error) => connection.sendCopyFail(error.message));
  }

  handleCommandComplete(): void {}
  handleReadyForQuery(): void {
    if (this.error) this.done.reject(this.error);
    else this.done.resolve();
  }
  handleError(error: Error): void {
    this.error = error;
  }
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/**
 * The baseline: the same CSV read line by line, ID numbers hashed the same way, and COPY'd into a
 * staging table shaped like `members` (no validation, no households, no groups, no upsert).
 */
async function copyBaseline(services: TServices, url: string, file: string): Promise<number> {
  await sql`DROP TABLE IF EXISTS bench_members_staging`.execute(services.db);
  await sql`CREATE TABLE bench_members_staging (LIKE members INCLUDING DEFAULTS)`.execute(services.db);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  try {
    const secret = services.secrets.secretKey;
    async function* copyText(): AsyncGenerator<string> {
      let household = '';
      let householdId = '';
      let batch: string[] = [];
      let isHeader = true;
      for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
        if (isHeader || !line) {
          isHeader = false;
          continue;
        }
        const [village, householdNo, , name, relation, phone, idNumber] = line.split(',');
        if (`${village}|${householdNo}` !== household) {
          household = `${village}|${householdNo}`;
          householdId = randomUUID();
        }
        const idHash = idNumber ? `\\\\x${keyedHash(secret, 'id-number', idNumber).toString('hex')}` : '\\N';
        batch.push(`${village}\t${householdId}\t${name}\t${relation || '\\N'}\t${phone || '\\N'}\t${idHash}\t${idNumber ? idNumber.slice(-4) : '\\N'}`);
        rows++;
        if (batch.length >= 5000) {
          yield batch.join('\n') + '\n';
          batch = [];
        }
      }
      if (batch.length) yield batch.join('\n') + '\n';
    }
    const copy = new CopyFrom('COPY bench_members_staging (region_code, household_id, name, relation, phone, id_hash, id_last4) FROM STDIN', copyText());
    void client.query(copy as unknown as pg.QueryConfig);
    await copy.finished;
  } finally {
    await client.end();
  }
  return rows;
}

/** Median and 95th percentile of `runs` timings of a query, in ms. */
async function timeQuery(runs: number, query: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(query)).ms);
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, p95: times[Math.floor(runs * 0.95)]! };
}

/** Coverage of a region from the trigger-kept per-village counters (what a coverage page reads). */
async function coverageOf(db: TDb, where: 'prefix' | 'village', code: string) {
  const filter = where === 'prefix' ? sql`region_code LIKE ${code + '%'}` : sql`region_code = ${code}`;
  return (await sql<{ households: number }>`SELECT sum(households)::int AS households, sum(households_in_groups)::int AS "householdsInGroups",
    sum(members)::int AS members, sum(members_in_groups)::int AS "membersInGroups", sum(groups)::int AS groups FROM village_stats WHERE ${filter}`.execute(db)).rows[0]!;
}

function progress(label: string) {
  let last = 0;
  return (c: { processed: number; total: number | null }) => {
    const now = performance.now();
    if (now - last < 2000) return;
    last = now;
    process.stderr.write(`\r  ${label}: ${fmt(c.processed)}${c.total !== null ? ` / ${fmt(c.total)}` : ''} rows   `);
  };
}

/** Generate a city-sized CSV and a 200,000-row xlsx, import both, compare with COPY, time coverage. */
export async function benchImport(services: TServices, url: string, options: TImportBenchOptions): Promise<void> {
  const seed = options.seed ?? 20230516;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cunwu-import-bench-'));
  const operator = { actorId: null, requestId: 'bench', ip: null };
  const counters = { id: 0, phone: 0 };
  try {
    const csvVillages = await createBenchVillages(services.db, '350599000000', '基准县', Math.max(1, Math.round(options.rows / MEMBERS_PER_VILLAGE)));
    const xlsxVillages = await createBenchVillages(services.db, '350598000000', '表格县', Math.max(1, Math.round(options.xlsxRows / MEMBERS_PER_VILLAGE)));

    const csvFile = path.join(dir, 'city.csv');
    const generatedCsv = await timed(() => writeCsv(csvFile, generateRows(csvVillages, options.rows, seed, counters)));
    const xlsxFile = path.join(dir, 'county.xlsx');
    const generatedXlsx = await timed(() => writeXlsx(xlsxFile, generateRows(xlsxVillages, options.xlsxRows, seed + 1, counters)));
    printTable('Generated files (deterministic, seeded)', ['file', 'rows', 'villages', 'size', 'generated in'], [
      ['city.csv (UTF-8)', fmt(generatedCsv.value), fmt(csvVillages.length), `${fmt(statSync(csvFile).size / 1024 / 1024, 1)} MB`, `${fmt(generatedCsv.ms / 1000, 1)} s`],
      ['county.xlsx', fmt(generatedXlsx.value), fmt(xlsxVillages.length), `${fmt(statSync(xlsxFile).size / 1024 / 1024, 1)} MB`, `${fmt(generatedXlsx.ms / 1000, 1)} s`],
    ]);

    const run = async (label: string, file: string) => {
      const result = await timed(() => importHouseholdFile(services, operator, file, { onProgress: progress(label) }));
      process.stderr.write('\n');
      const job = result.value;
      if (job.status !== 'done' || job.errorCount > 0) throw new Error(`${label}: ${job.status} ${job.failure ?? ''} ${JSON.stringify(job.errors.slice(0, 3))}`);
      return { ms: result.ms, job };
    };
    const csvImport = await run('import city.csv', csvFile);
    const copy = await timed(() => copyBaseline(services, url, csvFile));
    const xlsxImport = await run('import county.xlsx', xlsxFile);
    const xlsxAgain = await run('re-import county.xlsx', xlsxFile);
    const csvAgain = await run('re-import city.csv', csvFile);

    const rate = (rows: number, ms: number) => (rows / ms) * 1000;
    const copyRate = rate(copy.value, copy.ms);
    const line = (label: string, r: { ms: number; job: { processed: number; inserted: number; updated: number; unchanged: number } }) => [
      label, fmt(r.job.processed), `${fmt(r.ms / 1000, 1)} s`, fmt(rate(r.job.processed, r.ms)), `${r.job.inserted}/${r.job.updated}/${r.job.unchanged}`, (rate(r.job.processed, r.ms) / copyRate).toFixed(3),
    ];
    printTable('Household registry import (whole pipeline: store, stream, validate, upsert, groups, progress)', ['run', 'rows', 'time', 'rows/s', 'ins/upd/same', 'ratio to COPY'], [
      ['plain COPY of the same CSV into a staging table (baseline)', fmt(copy.value), `${fmt(copy.ms / 1000, 1)} s`, fmt(copyRate), '—', '1.000'],
      line('CSV, new city (1.79 M members at full size)', csvImport),
      line('xlsx, new county', xlsxImport),
      line('xlsx again (idempotent: nothing changes)', xlsxAgain),
      line('CSV again (idempotent: nothing changes)', csvAgain),
    ]);

    const village = csvVillages[0]!.code;
    const city = await timeQuery(200, () => coverageOf(services.db, 'prefix', '3505'));
    const one = await timeQuery(200, () => coverageOf(services.db, 'village', village));
    const cityCoverage = await coverageOf(services.db, 'prefix', '3505');
    const villageCount = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM village_stats WHERE region_code LIKE '3505%'`.execute(services.db)).rows[0]!.n);
    printTable(`Coverage from village_stats (${fmt(villageCount)} villages, ${fmt(cityCoverage.households)} households in the city)`, ['scope', 'median', 'p95', 'ratio to one village'], [
      [`one village ${village} (baseline)`, `${one.median.toFixed(3)} ms`, `${one.p95.toFixed(3)} ms`, '1.00'],
      ['whole city 3505', `${city.median.toFixed(3)} ms`, `${city.p95.toFixed(3)} ms`, (city.median / one.median).toFixed(2)],
    ]);
  } finally {
    await sql`DROP TABLE IF EXISTS bench_members_staging`.execute(services.db).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
