import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInclusion, fromHex, leafHash, utf8 } from '@cunwu/contract';
import type { TClock } from '../../kernel/clock';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createDepartment, createOfficial, createWorld, loginAs, loginVillager } from '../../../test/factories';
import { processDeadlines } from './appeals.service';

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
let xia: Awaited<ReturnType<typeof loginVillager>>;
let neighbour: Awaited<ReturnType<typeof loginVillager>>;
let cadre: { authorization: string };
let cadreB: { authorization: string };
let town: { authorization: string };
let county: { authorization: string };
let transport: { authorization: string };
let discipline: { authorization: string };
let transportId: string;
const clock: TClock & { at: Date | null } = { at: null, now() { return this.at ?? new Date(); } };

beforeAll(async () => {
  t = await createTestContext();
  t.services.clock = clock;
  world = await createWorld(t.services);
  xia = await loginVillager(t, world.villageA.phones[0]!);
  neighbour = await loginVillager(t, world.villageA.phones[1]!);
  cadre = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }], '王村干')).login);
  cadreB = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageB.code }])).login);
  town = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }], '吴镇干')).login);
  county = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.county }], '郑区长')).login);
  discipline = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'discipline_officer', regionCode: world.county }])).login);
  transportId = await createDepartment(t.services, world.county, '测试县交通运输局', ['traffic']);
  const handler = await createOfficial(t.services, [{ role: 'department_handler', regionCode: world.county }], '傅交通');
  await t.services.db.updateTable('users').set({ departmentId: transportId }).where('id', '=', handler.id).execute();
  transport = await loginAs(t.app, handler.login);
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST', url: string, auth: Record<string, string>, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: auth.authorization ?? '', ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
const act = (id: string, auth: Record<string, string>, body: object) => call('POST', `/appeals/${id}/actions`, auth, body);

describe('scenario 1: bus 306 from a villager to the transport bureau and back', () => {
  it('plays out across every level, each step on the timeline and in the ledger, and counts as closed within 5 days', async () => {
    const submitted = await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'traffic', content: '306路公交车停运一年了，老人去镇上看病很不方便' }, { 'idempotency-key': 'xia-306-first-try' });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const { id, trackingNo } = submitted.json();
    expect(trackingNo).toMatch(new RegExp(`^${world.villageA.code}-\\d{8}-0001$`));
    const retried = await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'traffic', content: '306路公交车停运一年了，老人去镇上看病很不方便' }, { 'idempotency-key': 'xia-306-first-try' });
    expect(retried.json().id).toBe(id);

    expect((await act(id, cadre, { action: 'accept', publicText: '已受理' })).json().status).toBe('accepted');
    expect((await act(id, cadre, { action: 'escalate', reason: '公交线路不归村里管' })).json()).toMatchObject({ holderLevel: 'town', status: 'in_progress' });
    expect((await act(id, town, { action: 'escalate', reason: '线路由区里统一调整' })).json()).toMatchObject({ holderLevel: 'county' });
    const diverted = (await act(id, county, { action: 'divert', departmentId: transportId, reason: '公交线路属交通运输局职责' })).json();
    expect(diverted).toMatchObject({ holderLevel: 'department', holderUnit: '测试县交通运输局' });
    expect((await act(id, cadre, { action: 'resolve', publicText: '村里不能办结' })).statusCode).toBe(409);
    const resolved = (await act(id, transport, { action: 'resolve', publicText: '306路已恢复运行，每日6班' })).json();
    expect(resolved.status).toBe('resolved');
    expect(resolved.canRate).toBe(false); // the handler does not rate

    const mine = (await call('GET', `/appeals/${id}`, xia)).json();
    expect(mine.canRate).toBe(true);
    const rated = (await call('POST', `/appeals/${id}/feedback`, xia, { rating: 'satisfied', comment: '公交车又通了，谢谢' })).json();
    expect(rated.status).toBe('closed');
    expect(rated.timeline.map((e: { type: string }) => e.type)).toEqual(['submitted', 'accepted', 'escalated', 'escalated', 'diverted', 'resolved', 'rated', 'closed']);
    const escalations = rated.timeline.filter((e: { type: string }) => e.type === 'escalated');
    expect(escalations.map((e: { fromLevel: string; toLevel: string }) => `${e.fromLevel}→${e.toLevel}`)).toEqual(['village→town', 'town→county']);
    expect(rated.timeline.every((e: { ledgerIndex: number | null }) => typeof e.ledgerIndex === 'number')).toBe(true);

    // Each step is provable from the public ledger.
    const step = rated.timeline[4];
    const size = Number((await t.app.inject({ method: 'GET', url: '/api/v1/ledger/status' })).json().size);
    const entry = (await t.app.inject({ method: 'GET', url: `/api/v1/ledger/entries?start=${step.ledgerIndex}&end=${step.ledgerIndex + 1}` })).json().entries[0];
    expect(JSON.parse(entry.entry)).toMatchObject({ type: 'appeal.diverted', ref: `appeal:${trackingNo}` });
    expect(entry.entry).not.toContain('夏');
    const proof = (await t.app.inject({ method: 'GET', url: `/api/v1/ledger/proof/inclusion?index=${step.ledgerIndex}&size=${size}` })).json();
    expect(verifyInclusion({ leafHash: leafHash(utf8(entry.entry)), index: step.ledgerIndex, size, proof: proof.proof.map(fromHex), root: fromHex(proof.rootHash) })).toBe(true);

    const stats = (await call('GET', `/appeals/stats?region=${world.county}`, county)).json();
    expect(stats.totals).toMatchObject({ received: 1, accepted: 1, resolved: 1, resolvedWithinDays: 1, closed: 1, escalatedTown: 1, escalatedCounty: 1, diverted: 1, satisfied: 1 });
    expect(stats.byDepartment).toEqual([{ id: transportId, name: '测试县交通运输局', diverted: 1 }]);
    const exported = await call('GET', `/appeals/stats/export?region=${world.county}`, county);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    expect(exported.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['总体', '按分类', '按月份', '按地区', '按职能部门']);
    expect(book.getWorksheet('按职能部门')!.getRow(2).getCell(1).value).toBe('测试县交通运输局');
    const feed = await t.services.db.selectFrom('groupMessages').select('title').where('regionCode', '=', world.villageA.code).execute();
    expect(feed.length).toBe(0); // no group in this village: nothing posted, nothing failed
  });
});

describe('the state machine refuses what is not allowed, with a clear reason', () => {
  let id: string;
  beforeAll(async () => {
    id = (await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'sanitation', content: '村口垃圾堆放多日无人清运' })).json().id;
  });

  it('refuses another village\'s cadre (404), a department it was not diverted to, escalating above the city, and resolving a closed appeal', async () => {
    expect((await act(id, cadreB, { action: 'accept' })).statusCode).toBe(404);
    expect((await act(id, transport, { action: 'resolve', publicText: 'x' })).statusCode).toBe(404);
    expect((await act(id, town, { action: 'accept' })).json()).toMatchObject({ code: 'CONFLICT' });
    expect((await act(id, cadre, { action: 'resolve', publicText: '先办结' })).json().code).toBe('CONFLICT');
    expect((await act(id, cadre, { action: 'escalate' })).json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'reason' }] });
    await act(id, cadre, { action: 'accept' });
    await act(id, cadre, { action: 'escalate', reason: '需镇里协调' });
    await act(id, town, { action: 'escalate', reason: '需区里协调' });
    await act(id, county, { action: 'escalate', reason: '需市里协调' });
    const city = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'city_officer', regionCode: '350500000000' }])).login);
    const top = await act(id, city, { action: 'escalate', reason: '再上报' });
    expect(top.json()).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('市级') });
    await act(id, city, { action: 'resolve', publicText: '已安排清运' });
    expect((await call('POST', `/appeals/${id}/feedback`, xia, { rating: 'basically' })).json().status).toBe('closed');
    expect((await act(id, city, { action: 'resolve', publicText: '再次办结' })).json().code).toBe('CONFLICT');
  });

  it('"not solved" reopens at the last holder; urges by a discipline officer are counted; a villager cannot act', async () => {
    const other = (await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'village_look', content: '河道两边杂草丛生需要清理' })).json().id;
    await act(other, cadre, { action: 'accept' });
    expect((await act(other, discipline, { action: 'urge', reason: '请加快办理' })).json().urgeCount).toBe(1);
    expect((await act(other, xia, { action: 'accept' })).json().code).toBe('CONFLICT');
    await act(other, cadre, { action: 'resolve', publicText: '已清理' });
    const reopened = (await call('POST', `/appeals/${other}/feedback`, xia, { rating: 'unsatisfied', comment: '只清了一半' })).json();
    expect(reopened).toMatchObject({ status: 'reopened', holderLevel: 'village' });
    expect((await act(other, cadre, { action: 'resolve', publicText: '全部清理完毕' })).json().status).toBe('resolved');
  });
});

describe('visibility and duplicates', () => {
  it('public appeals are readable by the village (name masked), private ones only by submitter and officials; other counties see nothing', async () => {
    const pub = (await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'disputes', content: '邻居建房占用公共通道' })).json().id;
    const priv = (await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'cadre_conduct', content: '反映村干部作风问题', isPublic: false })).json().id;
    await act(pub, xia, { action: 'comment', publicText: '补充：通道宽约两米' });
    const seen = (await call('GET', `/appeals/${pub}`, neighbour)).json();
    expect(seen.submitterName).toMatch(/\*/);
    expect(JSON.stringify(seen.timeline)).not.toContain(xia.name);
    expect(seen.submitterPhone).toBeNull();
    expect((await call('GET', `/appeals/${priv}`, neighbour)).statusCode).toBe(404);
    expect((await call('GET', `/appeals/${priv}`, cadre)).json().submitterPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const otherCounty = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.otherCounty }])).login);
    expect((await call('GET', `/appeals/${pub}`, otherCounty)).statusCode).toBe(404);
    expect((await call('GET', `/appeals?region=${world.villageA.code}`, otherCounty)).statusCode).toBe(404);
    const lookalike = (await call('POST', '/appeals', neighbour, { villageCode: world.villageA.code, category: 'cadre_conduct', content: '反映村干部作风问题，请核查' })).json();
    expect(lookalike.similar.map((s: { id: string }) => s.id)).not.toContain(priv);
    const list = (await call('GET', '/appeals?view=public', neighbour)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(pub);
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(priv);
  });

  it('suggests similar open appeals of the village, and merging moves followers', async () => {
    const first = (await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'traffic', content: '村里的路灯坏了好几个月晚上出行很危险' })).json();
    const second = (await call('POST', '/appeals', neighbour, { villageCode: world.villageA.code, category: 'traffic', content: '路灯坏了几个月，晚上出行危险' })).json();
    expect(second.similar.map((s: { id: string }) => s.id)).toContain(first.id);
    const triage = (await call('GET', `/appeals/${second.id}/similar`, cadre)).json();
    expect(triage.map((s: { id: string }) => s.id)).toContain(first.id);
    expect((await call('GET', `/appeals/${second.id}/similar`, neighbour)).statusCode).toBe(403);
    const merged = (await act(second.id, cadre, { action: 'merge', intoId: first.id, reason: '同一问题' })).json();
    expect(merged).toMatchObject({ status: 'merged', mergedInto: { id: first.id } });
    const followed = await call('POST', `/appeals/${first.id}/follow`, neighbour);
    expect(followed.json().isFollowing).toBe(true);
    const following = (await call('GET', '/appeals?view=following', neighbour)).json();
    expect(following.items.map((i: { id: string }) => i.id)).toContain(first.id);
  });
});

describe('deadlines on the working-day clock', () => {
  it('warns before the breach, counts breaches with an automatic urge, and escalates after two', async () => {
    clock.at = new Date('2023-09-28T09:00:00+08:00'); // Thursday before 国庆: 09-29 … 10-06 off, 10-07 and 10-08 make-up workdays
    const { id } = (await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'social_security', content: '低保金三个月没有到账，请帮忙查询' })).json();
    const appeal = (await call('GET', `/appeals/${id}`, cadre)).json();
    expect(appeal.dueAt).toBe(new Date('2023-10-07T09:00:00+08:00').toISOString());

    clock.at = new Date('2023-10-07T07:00:00+08:00');
    expect((await processDeadlines(t.services)).warned).toBeGreaterThanOrEqual(1);
    clock.at = new Date('2023-10-07T09:30:00+08:00');
    await processDeadlines(t.services);
    let now = (await call('GET', `/appeals/${id}`, cadre)).json();
    expect(now).toMatchObject({ isOverdue: true, urgeCount: 1, holderLevel: 'village' });
    expect(now.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['warned', 'breached', 'urged']));
    expect(now.dueAt).toBe(new Date('2023-10-08T09:30:00+08:00').toISOString()); // Sunday, a make-up workday

    clock.at = new Date('2023-10-08T10:00:00+08:00');
    await processDeadlines(t.services);
    now = (await call('GET', `/appeals/${id}`, cadre)).json();
    expect(now).toMatchObject({ holderLevel: 'town', status: 'in_progress' });
    const villagerView = (await call('GET', `/appeals/${id}`, xia)).json();
    expect(villagerView.timeline.some((e: { type: string }) => e.type === 'warned')).toBe(false);
    clock.at = null;
  });

  it('pauses while waiting for the submitter and moves the deadline by the paused working time', async () => {
    clock.at = new Date('2023-05-15T10:00:00+08:00'); // Monday
    const { id } = (await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'housing_land', content: '申请宅基地审批进度查询' })).json();
    await act(id, cadre, { action: 'accept' });
    const due = (await call('GET', `/appeals/${id}`, cadre)).json().dueAt;
    expect(due).toBe(new Date('2023-05-22T10:00:00+08:00').toISOString());
    clock.at = new Date('2023-05-16T10:00:00+08:00');
    await act(id, cadre, { action: 'wait', publicText: '请补充宅基地申请表照片' });
    clock.at = new Date('2023-05-18T10:00:00+08:00'); // two working days later
    const resumed = (await act(id, xia, { action: 'resume', publicText: '已补充' })).json();
    expect(resumed.dueAt).toBe(new Date('2023-05-24T10:00:00+08:00').toISOString());
    clock.at = null;
  });
});

describe('files', () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e1bd3c0000000049454e44ae426082', 'hex');
  const form = (field: string, name: string, data: Buffer) => {
    const boundary = '----appealfiles';
    return {
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    };
  };

  it('the submitter attaches a photo checked by content; others cannot; it is served to readers', async () => {
    const { id } = (await call('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'village_look', content: '村道旁的广告牌倒塌了' })).json();
    const photo = form('photo', '广告牌.png', PNG);
    const attached = await t.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/files`, headers: { authorization: xia.authorization, ...photo.headers }, payload: photo.payload });
    expect(attached.statusCode, attached.body).toBe(200);
    expect(attached.json().files).toEqual([expect.objectContaining({ kind: 'photo' })]);
    const served = await t.app.inject({ method: 'GET', url: attached.json().files[0].url, headers: { authorization: cadre.authorization } });
    expect(served.headers['content-type']).toBe('image/png');
    const fake = form('photo', 'x.png', Buffer.from('plain text pretending'));
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/files`, headers: { authorization: xia.authorization, ...fake.headers }, payload: fake.payload })).statusCode).toBe(415);
    const again = form('photo', 'y.png', PNG);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/files`, headers: { authorization: cadreB.authorization, ...again.headers }, payload: again.payload })).statusCode).toBe(404);
  });
});
