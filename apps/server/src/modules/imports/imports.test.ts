import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar, type TImportJob } from '@cunwu/contract';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createVillage, createWorld, loginAs } from '../../../test/factories';
import { keyedHash } from '../../kernel/auth';
import { Readable } from 'node:stream';
import { createHouseholdImport, importHouseholdFile, importSettled, runHouseholdImport } from './index';
import * as repo from './imports.repo';

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
let dir: string;
let townAdmin: { authorization: string };

beforeAll(async () => {
  t = await createTestContext();
  world = await createWorld(t.services);
  dir = mkdtempSync(path.join(os.tmpdir(), 'cunwu-import-test-'));
  // A county-level admin may import anywhere in the county (households.import includes admin).
  townAdmin = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'admin', regionCode: world.county }])).login);
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const HEADER = ['村代码', '户号', '户主姓名', '姓名', '与户主关系', '手机号', '身份证号', '监督群'];
let sequence = 0;
/** A valid 18-digit ID (GB 11643 check digit) unique within this file. */
function idNumber(): string {
  sequence++;
  const first17 = `350524${1950 + (sequence % 50)}0${1 + (sequence % 9)}1${sequence % 10}${String(sequence).padStart(3, '0').slice(-3)}`;
  return first17 + idNumberCheckChar(first17);
}
let phoneSeq = 0;
/** A mobile number unique within this file (factory phones start with 137). */
function phone(): string {
  return `158${String(++phoneSeq).padStart(8, '0')}`;
}

function csv(rows: (string | number | null)[][]): string {
  return rows.map((r) => r.map((v) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\r\n') + '\r\n';
}

function writeFile(name: string, bytes: Buffer | string): string {
  const file = path.join(dir, `${randomBytes(4).toString('hex')}-${name}`);
  writeFileSync(file, bytes);
  return file;
}

async function xlsx(rows: ExcelJS.CellValue[][], edit?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('户籍');
  for (const r of rows) sheet.addRow(r);
  edit?.(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A hand-built zip (store the declared size you want: lying sizes are the point of some tests). */
function zip(entries: { name: string; data: Buffer; declaredSize?: number; isHidden?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    if (!entry.isHidden) centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const listed = entries.filter((e) => !e.isHidden).length;
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const WORKBOOK_PARTS = [
  { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
  { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>') },
];

function multipart(fileName: string, content: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----cunwu${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(auth: { authorization: string }, fileName: string, content: Buffer | string): Promise<string> {
  const body = multipart(fileName, Buffer.isBuffer(content) ? content : Buffer.from(content));
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/imports/households', headers: { ...auth, ...body.headers }, payload: body.payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ id: string }>().id;
}

async function getJob(auth: { authorization: string }, id: string) {
  return t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: auth });
}

/** Upload, wait for the background job, and return it as the API shows it. */
async function importFile(auth: { authorization: string }, fileName: string, content: Buffer | string): Promise<TImportJob> {
  const id = await upload(auth, fileName, content);
  await importSettled(id);
  const response = await getJob(auth, id);
  expect(response.statusCode).toBe(200);
  return response.json<TImportJob>();
}

async function newVillage(town = world.townA): Promise<string> {
  return (await createVillage(t.services, town, { households: 0 })).code;
}

async function villageRegistry(code: string) {
  const members = await t.services.db
    .selectFrom('members as m')
    .innerJoin('households as h', 'h.id', 'm.householdId')
    .select(['h.householdNo', 'h.headName', 'm.name', 'm.relation', 'm.phone', 'm.idLast4', 'm.idHash', 'm.id'])
    .where('m.regionCode', '=', code)
    .orderBy('h.householdNo')
    .orderBy('m.name')
    .execute();
  const stats = await t.services.db.selectFrom('villageStats').selectAll().where('regionCode', '=', code).executeTakeFirst();
  return { members, stats };
}

/** Six members in three households, two of them in a supervision group. */
function sampleRows(village: string) {
  const ids = [idNumber(), idNumber(), idNumber(), idNumber()];
  const phones = [phone(), phone(), phone()];
  return [
    HEADER,
    [village, '0001', '陈志明', '陈志明', '户主', phones[0]!, ids[0]!, '一组监督群'],
    [village, '0001', '陈志明', '林秀英', '配偶', null, ids[1]!, '一组监督群'],
    [village, '0001', '陈志明', '陈小宝', '子', null, null, null],
    [village, '0002', '黄建华', '黄建华', '户主', phones[1]!, ids[2]!, null],
    [village, '0002', '黄建华', '黄丽', '女', null, null, null],
    [village, '0003', '王美玲', '王美玲', '户主', phones[2]!, ids[3]!, '二组监督群'],
  ];
}

describe('happy paths', () => {
  it('imports a UTF-8 CSV with Chinese headers: households, members (ID as keyed hash + last 4), groups, coverage, audit', async () => {
    const village = await newVillage();
    const rows = sampleRows(village);
    const job = await importFile(townAdmin, '户籍.csv', '\uFEFF' + csv(rows));
    expect(job).toMatchObject({ status: 'done', fileName: '户籍.csv', total: 6, processed: 6, inserted: 6, updated: 0, unchanged: 0, errorCount: 0, errors: [], failure: null });
    expect(job.finishedAt).not.toBeNull();

    const { members, stats } = await villageRegistry(village);
    expect(members.map((m) => [m.householdNo, m.name])).toEqual([['0001', '林秀英'], ['0001', '陈小宝'], ['0001', '陈志明'], ['0002', '黄丽'], ['0002', '黄建华'], ['0003', '王美玲']]);
    const chen = members.find((m) => m.name === '陈志明')!;
    const chenId = rows[1]![6] as string;
    expect(chen).toMatchObject({ headName: '陈志明', relation: '户主', phone: rows[1]![5], idLast4: chenId.slice(-4) });
    expect(chen.idHash).toEqual(keyedHash(t.services.secrets.secretKey, 'id-number', chenId));
    expect(stats).toMatchObject({ households: 3, members: 6, groups: 2, householdsInGroups: 2, membersInGroups: 3 });
    const groups = await t.services.db.selectFrom('supervisionGroups').select(['name', 'platform']).where('regionCode', '=', village).orderBy('name').execute();
    expect(groups).toEqual([{ name: '一组监督群', platform: 'wechat' }, { name: '二组监督群', platform: 'wechat' }]);

    const audit = await t.services.db.selectFrom('auditEvents').select(['action', 'details', 'regionCode']).where('entityId', '=', job.id).execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'imports.households', details: expect.objectContaining({ status: 'done', inserted: 6, errorCount: 0, groupsCreated: 2 }) })]);
    const file = await t.services.db.selectFrom('files').innerJoin('importJobs', 'importJobs.fileSha256', 'files.sha256').select(['mimeType']).where('importJobs.id', '=', job.id).executeTakeFirstOrThrow();
    expect(file.mimeType).toBe('text/csv');

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/imports?limit=5', headers: townAdmin });
    expect(list.json().items[0]).toMatchObject({ id: job.id, status: 'done', inserted: 6 });
    expect(list.json().items[0]).not.toHaveProperty('errors');
  });

  it('imports an XLSX with English headers in another order, an extra column, and numeric cells', async () => {
    const village = await newVillage();
    const id = idNumber();
    const mobile = phone();
    const content = await xlsx([
      ['name', 'note', 'householdNo', 'headName', 'villageCode', 'phone', 'idNumber', 'relation'],
      ['吴国强', '任意备注', 7, '吴国强', Number(village), Number(mobile), id, '户主'],
      ['吴淑珍', null, 7, '吴国强', Number(village), null, null, '配偶'],
    ]);
    const job = await importFile(townAdmin, 'registry.xlsx', content);
    expect(job).toMatchObject({ status: 'done', total: 2, processed: 2, inserted: 2, errorCount: 0 });
    const { members } = await villageRegistry(village);
    expect(members).toEqual(expect.arrayContaining([expect.objectContaining({ householdNo: '7', name: '吴国强', phone: mobile, idLast4: id.slice(-4) }), expect.objectContaining({ name: '吴淑珍', phone: null })]));
  });

  it('imports a GBK CSV saved by Excel with the names intact', async () => {
    const village = await newVillage();
    const text = csv([HEADER, [village, '0001', '曾火炎', '曾火炎', '户主', phone(), idNumber(), '溪美监督群'], [village, '0001', '曾火炎', '詹桂兰', '配偶', null, null, null]]);
    const job = await importFile(townAdmin, 'gbk.csv', iconv.encode(text, 'gbk'));
    expect(job).toMatchObject({ status: 'done', inserted: 2, errorCount: 0 });
    const { members } = await villageRegistry(village);
    expect(members.map((m) => m.name).sort()).toEqual(['曾火炎', '詹桂兰'].sort());
    expect(await t.services.db.selectFrom('supervisionGroups').select('name').where('regionCode', '=', village).execute()).toEqual([{ name: '溪美监督群' }]);
  });

  it('the CLI path (operator, scope everywhere) imports a file from disk with the same rules', async () => {
    const village = await newVillage(world.otherTown);
    const file = writeFile('cli.csv', csv(sampleRows(village)));
    const seen: number[] = [];
    const job = await importHouseholdFile(t.services, { actorId: null, requestId: 'cli', ip: null }, file, { batchSize: 2, onProgress: (c) => seen.push(c.processed) });
    expect(job).toMatchObject({ status: 'done', inserted: 6, total: 6 });
    expect(seen).toEqual([2, 4, 6, 6]);
  });
});

describe('idempotency and updates', () => {
  it('importing the same file twice changes nothing the second time', async () => {
    const village = await newVillage();
    const content = csv(sampleRows(village));
    const first = await importFile(townAdmin, 'same.csv', content);
    const before = await villageRegistry(village);
    const second = await importFile(townAdmin, 'same.csv', content);
    expect(first).toMatchObject({ inserted: 6, updated: 0, unchanged: 0 });
    expect(second).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 6, errorCount: 0 });
    expect(await villageRegistry(village)).toEqual(before);
  });

  it('counts changed phones, relations, head names, IDs added and new group memberships as updates; empty cells erase nothing', async () => {
    const village = await newVillage();
    const rows = sampleRows(village);
    await importFile(townAdmin, 'v1.csv', csv(rows));
    const newPhone = phone();
    const addedId = idNumber();
    const changed = rows.map((r) => [...r]);
    changed[1]![5] = newPhone; // 陈志明: new phone
    changed[2]![4] = '妻子'; // 林秀英: relation
    changed[3]![6] = addedId; // 陈小宝: ID added (matched by household + name)
    changed[5]![7] = '二组监督群'; // 黄丽: joins a group
    for (const r of changed.slice(4, 6)) r[2] = '黄建华（户主）'; // household 0002: head renamed
    changed[4]![5] = null; // 黄建华: phone cell left empty, the registered phone stays
    const job = await importFile(townAdmin, 'v2.csv', csv(changed));
    expect(job).toMatchObject({ status: 'done', inserted: 0, updated: 5, unchanged: 1, errorCount: 0 });
    const { members } = await villageRegistry(village);
    expect(members.find((m) => m.name === '陈志明')!.phone).toBe(newPhone);
    expect(members.find((m) => m.name === '林秀英')!.relation).toBe('妻子');
    expect(members.find((m) => m.name === '陈小宝')!.idLast4).toBe(addedId.slice(-4));
    expect(members.find((m) => m.name === '黄建华')).toMatchObject({ phone: rows[4]![5], headName: '黄建华（户主）' });
    expect(members).toHaveLength(6);
  });

  it('a run interrupted after a committed batch leaves a consistent partial import that a re-run completes', async () => {
    const village = await newVillage();
    const content = csv(sampleRows(village));
    const file = writeFile('crash.csv', content);
    const operator = { actorId: null, requestId: 'test', ip: null };
    const crashed = await importHouseholdFile(t.services, operator, file, { batchSize: 2, afterBatch: (n) => { if (n === 1) throw new Error('power cut'); } });
    expect(crashed).toMatchObject({ status: 'failed', processed: 2, inserted: 2, failure: expect.stringContaining('internal error') });
    expect((await villageRegistry(village)).members).toHaveLength(2);

    // A process that died mid-run leaves its job 'running'; running it again resumes after the committed rows.
    await t.services.db.updateTable('importJobs').set({ status: 'running', failure: null, finishedAt: null }).where('id', '=', crashed.id).execute();
    const resumed = await runHouseholdImport(t.services, crashed.id, { batchSize: 2 });
    expect(resumed).toMatchObject({ status: 'done', processed: 6, inserted: 6, unchanged: 0, errorCount: 0, total: 6 });
    expect((await villageRegistry(village)).members).toHaveLength(6);

    // A finished job is not run again, and a fresh upload of the same file finds everything in place.
    expect(await runHouseholdImport(t.services, crashed.id)).toMatchObject({ status: 'done', inserted: 6 });
    expect(await importFile(townAdmin, 'crash.csv', content)).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 });
  });
});

describe('one run per job', () => {
  it('does not run a job another process is running (advisory lock), and runs it once that ends', async () => {
    const village = await newVillage();
    const stored = await t.services.files.put(Readable.from([Buffer.from(csv(sampleRows(village)))]));
    await repo.insertFile(t.services.db, { sha256: stored.sha256, sizeBytes: stored.sizeBytes, mimeType: 'text/csv' });
    const id = await repo.insertImportJob(t.services.db, { scopePrefixes: [''], requestedBy: null, fileSha256: stored.sha256, fileName: 'locked.csv' });
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext($1))`, [`imports:${id}`]);
      expect(await runHouseholdImport(t.services, id)).toMatchObject({ status: 'queued', processed: 0 });
      await other.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`imports:${id}`]);
    } finally {
      await other.end();
    }
    expect(await runHouseholdImport(t.services, id)).toMatchObject({ status: 'done', inserted: 6 });
  });
});

describe('row errors (good rows still imported)', () => {
  it('reports bad codes, phones and IDs with row and column', async () => {
    const village = await newVillage();
    const job = await importFile(townAdmin, 'bad.csv', csv([
      HEADER,
      [village, '0001', '陈志明', '陈志明', '户主', phone(), idNumber(), null],
      ['35052410720X', '0002', '甲', '甲', null, null, null, null],
      ['350524999999', '0003', '乙', '乙', null, null, null, null],
      [world.townA, '0004', '丙', '丙', null, null, null, null],
      [village, '0005', '丁', '丁', null, '1385900130', null, null],
      [village, '0006', '戊', '戊', null, '1.3859E+10', null, null],
      [village, '0007', '己', '己', null, null, '350524199001010025', null],
      [village, '0008', '庚', '庚', null, null, '3.50524199001011E+17', null],
      [village, '0009', '辛', '辛', null, '13800000000', null, null],
      ['350524999998', '0010', '壬', '壬', null, '123', null, null],
    ]));
    expect(job).toMatchObject({ status: 'done', processed: 10, inserted: 2, errorCount: 9 });
    expect(job.errors).toEqual([
      { row: 3, column: '村代码', reason: expect.stringContaining('12位') },
      { row: 4, column: '村代码', reason: expect.stringContaining('不存在') },
      { row: 5, column: '村代码', reason: expect.stringContaining('不是村级') },
      { row: 6, column: '手机号', reason: expect.stringContaining('11') },
      { row: 7, column: '手机号', reason: expect.stringContaining('科学计数法') },
      { row: 8, column: '身份证号', reason: expect.stringContaining('校验位') },
      { row: 9, column: '身份证号', reason: expect.stringContaining('科学计数法') },
      { row: 11, column: '村代码', reason: expect.stringContaining('不存在') },
      { row: 11, column: '手机号', reason: expect.stringContaining('11') },
    ]);
    expect((await villageRegistry(village)).members.map((m) => m.name).sort()).toEqual(['辛', '陈志明'].sort());
  });

  it('reports duplicate rows, one ID in two households, conflicting head names, and a phone used by someone else', async () => {
    const village = await newVillage();
    const id = idNumber();
    const mobile = phone();
    const job = await importFile(townAdmin, 'dups.csv', csv([
      HEADER,
      [village, '0001', '陈志明', '陈志明', '户主', mobile, id, null],
      [village, '0001', '陈志明', '林秀英', '配偶', null, null, null],
      [village, '0001', '陈志明', '林秀英', '配偶', null, null, null],
      [village, '0002', '黄建华', '陈志明', null, null, id, null],
      [village, '0001', '陈志明甲', '陈阿三', null, null, null, null],
      [village, '0003', '王美玲', '王美玲', null, mobile, null, null],
      [village, '0004', '许文德', '许文德', null, world.villageB.phones[0]!, null, null],
    ]));
    expect(job).toMatchObject({ status: 'done', processed: 7, inserted: 2, errorCount: 5 });
    expect(job.errors).toEqual([
      { row: 4, column: '姓名', reason: '与第 3 行重复（同一村民）/ duplicate of row 3 (same member)' },
      { row: 5, column: '身份证号', reason: expect.stringContaining('第 2 行') },
      { row: 6, column: '户主姓名', reason: expect.stringContaining('第 2 行') },
      { row: 7, column: '手机号', reason: expect.stringContaining('第 2 行') },
      { row: 8, column: '手机号', reason: '手机号已被其他村民使用 / this phone is already used by another member' },
    ]);
  });

  it('refuses an ID number already registered in another household of the village', async () => {
    const village = await newVillage();
    const id = idNumber();
    await importFile(townAdmin, 'a.csv', csv([HEADER, [village, '0001', '陈志明', '陈志明', null, null, id, null]]));
    const job = await importFile(townAdmin, 'b.csv', csv([HEADER, [village, '0002', '陈志明', '陈志明', null, null, id, null]]));
    expect(job).toMatchObject({ inserted: 0, errorCount: 1, errors: [{ row: 2, column: '身份证号', reason: expect.stringContaining('户号 0001') }] });
    expect(await t.services.db.selectFrom('households').select('householdNo').where('regionCode', '=', village).execute()).toEqual([{ householdNo: '0001' }]);
  });

  it('uses cached formula results and reports formulas without one', async () => {
    const village = await newVillage();
    const content = await xlsx([HEADER, [village, '0001', '陈志明', '陈志明'], [village, '0001', '陈志明', null], [village, '0001', '陈志明', null]], (sheet) => {
      sheet.getCell('D3').value = { formula: 'CONCATENATE("林","秀英")', result: '林秀英' } as ExcelJS.CellFormulaValue;
      sheet.getCell('D4').value = { formula: 'CONCATENATE("王","五")' } as ExcelJS.CellFormulaValue;
    });
    const job = await importFile(townAdmin, 'formulas.xlsx', content);
    expect(job).toMatchObject({ status: 'done', inserted: 2, errorCount: 1, errors: [{ row: 4, column: '姓名', reason: '公式单元格没有计算结果 / formula without a cached value' }] });
    expect((await villageRegistry(village)).members.map((m) => m.name).sort()).toEqual(['林秀英', '陈志明'].sort());
  });

  it("refuses rows outside the requester's scope", async () => {
    const cadre = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageA.code }])).login);
    const job = await importFile(cadre, 'scope.csv', csv([
      HEADER,
      [world.villageA.code, 'S01', '陈志明', '陈志明', null, null, null, null],
      [world.villageB.code, 'S01', '陈志明', '陈志明', null, null, null, null],
      [world.otherVillage.code, 'S01', '陈志明', '陈志明', null, null, null, null],
    ]));
    expect(job).toMatchObject({ status: 'done', inserted: 1, errorCount: 2 });
    expect(job.errors.map((e) => [e.row, e.column, e.reason])).toEqual([[3, '村代码', '超出您的管辖范围 / outside your scope'], [4, '村代码', '超出您的管辖范围 / outside your scope']]);
    expect(await t.services.db.selectFrom('households').select('regionCode').where('householdNo', '=', 'S01').execute()).toEqual([{ regionCode: world.villageA.code }]);
  });

  it('keeps the first errors but counts them all', async () => {
    const village = await newVillage();
    const rows = [HEADER, ...Array.from({ length: 1100 }, (_, i) => [village, `E${i}`, '某', '某', null, 'bad', null, null])];
    const job = await importFile(townAdmin, 'many.csv', csv(rows));
    expect(job).toMatchObject({ status: 'done', processed: 1100, errorCount: 1100 });
    expect(job.errors).toHaveLength(1000);
  });
});

describe('files that fail as a whole (nothing imported)', () => {
  async function expectFailed(fileName: string, content: Buffer | string, failure: RegExp): Promise<TImportJob> {
    const before = await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const job = await importFile(townAdmin, fileName, content);
    expect(job.status).toBe('failed');
    expect(job.failure).toMatch(failure);
    expect(job).toMatchObject({ processed: 0, inserted: 0 });
    const after = await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    return job;
  }

  it('refuses a wrong extension, a PNG renamed .xlsx, and a zip that is no workbook', async () => {
    const village = await newVillage();
    await expectFailed('registry.txt', csv(sampleRows(village)), /只能导入 \.xlsx 或 \.csv.*\.txt/);
    await expectFailed('registry.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Array(600).fill(0)]), /另存为.*\.xlsx/);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(64)]);
    await expectFailed('photo.xlsx', png, /PNG.*不是 Excel 工作簿/);
    await expectFailed('zipped.xlsx', zip([{ name: 'readme.txt', data: Buffer.from('hello') }]), /不是 Excel 工作簿/);
    await expectFailed('zipped.csv', await xlsx(sampleRows(village)), /\.csv.*不是 CSV 文本/);
  });

  it('refuses zip bombs before parsing: absurd ratio, declared size over the limit, and sizes that lie', async () => {
    const sheet = Buffer.concat([Buffer.from('<worksheet><sheetData>'), Buffer.alloc(30 * 1024 * 1024, 0x20), Buffer.from('</sheetData></worksheet>')]);
    const bomb = zip([...WORKBOOK_PARTS, { name: 'xl/worksheets/sheet1.xml', data: sheet }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    await expectFailed('bomb.xlsx', bomb, /压缩比异常.*zip bomb/);

    const huge = zip([...WORKBOOK_PARTS, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet/>'), declaredSize: 0xfffffff0 }]);
    await expectFailed('huge.xlsx', huge, /超过上限.*zip bomb/);

    const liar = zip([...WORKBOOK_PARTS, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(512 * 1024, 0x41), declaredSize: 1000 }]);
    await expectFailed('liar.xlsx', liar, /比声明的大小更大.*zip bomb/);

    // A part the directory does not list, which exceljs' sequential unzip would still inflate.
    const hidden = zip([WORKBOOK_PARTS[0]!, { name: 'xl/worksheets/sheet1.xml', data: sheet, isHidden: true }, WORKBOOK_PARTS[1]!]);
    await expectFailed('hidden.xlsx', hidden, /部件之间有多余数据/);

    // A lower limit refuses an honest but large sheet the same way.
    const village = await newVillage();
    const rows = [HEADER, ...Array.from({ length: 3000 }, (_, i) => [village, `L${i}`, '某某', '某某', null, null, null, null])];
    const file = writeFile('big.xlsx', await xlsx(rows));
    const limited = await importHouseholdFile(t.services, { actorId: null, requestId: 'test', ip: null }, file, { limits: { maxXlsxEntryBytes: 64 * 1024 } });
    expect(limited).toMatchObject({ status: 'failed', inserted: 0, failure: expect.stringMatching(/xl\/worksheets\/sheet1\.xml.*超过上限/) });
  });

  it('fails at once on missing required columns, with an error for the header row', async () => {
    const job = await expectFailed('columns.csv', csv([['村代码', '姓名', '手机号'], [world.villageA.code, '某', null]]), /缺少必填列：户号、户主姓名/);
    expect(job.errors).toEqual([
      { row: 1, column: '户号', reason: '缺少必填列 / required column missing' },
      { row: 1, column: '户主姓名', reason: '缺少必填列 / required column missing' },
    ]);
  });

  it('fails on a file without a header row', async () => {
    const job = await expectFailed('noheader.csv', csv([[world.villageA.code, '1', '某', '某']]), /找不到表头行/);
    expect(job.errors).toEqual([{ row: 1, column: '', reason: expect.stringContaining('no header row') }]);
  });
});

describe('HTTP', () => {
  it("lets the requester and an admin above read a job, and answers 404 to another village's group admin", async () => {
    const cadre = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageA.code }])).login);
    const other = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageB.code }])).login);
    const otherCountyAdmin = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'admin', regionCode: world.otherCounty }])).login);
    const id = await upload(cadre, 'mine.csv', csv([HEADER, [world.villageA.code, 'H01', '陈志明', '陈志明', null, null, null, null]]));
    await importSettled(id);
    expect((await getJob(cadre, id)).statusCode).toBe(200);
    expect((await getJob(townAdmin, id)).statusCode).toBe(200);
    expect((await getJob(other, id)).statusCode).toBe(404);
    expect((await getJob(otherCountyAdmin, id)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/imports', headers: other })).json().items).toEqual([]);
    expect((await getJob({ authorization: 'Bearer nope' }, id)).statusCode).toBe(401);
  });

  it("pages the requester's jobs newest first with a cursor", async () => {
    const me = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }])).login);
    const ids: string[] = [];
    for (const name of ['one.csv', 'two.csv', 'three.csv']) {
      ids.push(await upload(me, name, csv([HEADER, [world.villageA.code, 'P01', '陈志明', '陈志明', null, null, null, null]])));
      await importSettled(ids[ids.length - 1]!);
    }
    const list = (url: string) => t.app.inject({ method: 'GET', url: `/api/v1/imports${url}`, headers: me });
    const first = (await list('?limit=2')).json();
    expect(first.items.map((j: { fileName: string }) => j.fileName)).toEqual(['three.csv', 'two.csv']);
    const second = (await list(`?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0], fileName: 'one.csv', status: 'done' })], nextCursor: null });
    expect((await list('?cursor=garbage')).statusCode).toBe(400);
  });

  it('refuses uploads from roles without households.import and requests that are not multipart', async () => {
    const officer = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }])).login);
    const body = multipart('x.csv', Buffer.from('a,b\n'));
    const forbidden = await t.app.inject({ method: 'POST', url: '/api/v1/imports/households', headers: { ...officer, ...body.headers }, payload: body.payload });
    expect(forbidden.statusCode).toBe(403);
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/imports/households', headers: townAdmin, payload: { rows: [] } });
    expect(json.statusCode).toBe(415);
  });

  it('answers 413 for a file over the limit', async () => {
    const body = multipart('huge.csv', Buffer.from('村代码,户号\n'));
    const declared = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/households',
      headers: { ...townAdmin, ...body.headers, 'content-length': String(400 * 1024 * 1024) },
      payload: body.payload,
    });
    expect(declared.statusCode).toBe(413);
    expect(declared.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

    // Streamed past the limit without a declared length: the store's meter stops it.
    const admin = await createOfficial(t.services, [{ role: 'admin', regionCode: world.county }]);
    const actor = { userId: admin.id, kind: 'official' as const, name: 'x', roles: [{ id: 'r', role: 'admin' as const, regionCode: world.county }] };
    await expect(createHouseholdImport(t.services, actor, { actorId: admin.id, requestId: 't', ip: null }, { stream: Readable.from([Buffer.alloc(4096, 0x41)]), fileName: 'big.csv' }, { maxFileBytes: 1024 }))
      .rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
  });

  it('serves the template as xlsx and as CSV with a BOM, and the template imports', async () => {
    const xlsxResponse = await t.app.inject({ method: 'GET', url: '/api/v1/imports/households/template?format=xlsx', headers: townAdmin });
    expect(xlsxResponse.statusCode).toBe(200);
    expect(xlsxResponse.headers['content-type']).toContain('spreadsheetml');
    expect(xlsxResponse.headers['content-disposition']).toContain("filename*=UTF-8''");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxResponse.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(1).values).toEqual([undefined, ...HEADER]);
    expect(workbook.worksheets[0]!.getCell('G2').value).toBe('350524199001010024');

    const csvResponse = await t.app.inject({ method: 'GET', url: '/api/v1/imports/households/template?format=csv', headers: townAdmin });
    expect(csvResponse.statusCode).toBe(200);
    expect(csvResponse.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvResponse.rawPayload.toString('utf8').slice(1).split('\r\n')[0]).toBe(HEADER.join(','));

    // The example village does not exist here: the template parses and its one row is reported.
    const job = await importFile(townAdmin, 'template.xlsx', xlsxResponse.rawPayload);
    expect(job).toMatchObject({ status: 'done', processed: 1, errors: [{ row: 2, column: '村代码', reason: expect.stringContaining('不存在') }] });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/imports/households/template', headers: {} })).statusCode).toBe(401);
    const spec = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json().paths)).toEqual(expect.arrayContaining(['/api/v1/imports/households', '/api/v1/imports/{id}', '/api/v1/imports', '/api/v1/imports/households/template']));
  });
});
