import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDigest, disclosureVersionContent, fromHex, leafHash, utf8, verifyInclusion, type TComplianceReport, type TDisclosure } from '@cunwu/contract';
import type { TClock } from '../../kernel/clock';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createCounty, createOfficial, createTown, createVillage, createWorld, loginAs, loginVillager } from '../../../test/factories';
import { syncDisclosureCatalog } from './disclosures.catalog';
import { announceOverdueDisclosures } from './disclosures.compliance';

type TAuth = { authorization: string };
let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
let cadreA: TAuth;
let bookkeeperA: TAuth;
let cadreB: TAuth;
let townA: TAuth;
let otherCounty: TAuth;
let admin: TAuth;
let villagerA: TAuth;
let villagerB: TAuth;
let residentA: TAuth;
let groupA: string;
const clock: TClock & { at: Date | null } = { at: null, now() { return this.at ?? new Date(); } };
/** Set "now" to a China wall-clock time, e.g. '2025-05-12 10:00'. */
const at = (china: string) => { clock.at = new Date(`${china.replace(' ', 'T')}:00+08:00`); };

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, auth: TAuth | null, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: auth ? { authorization: auth.authorization } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });

async function createGroup(villageCode: string): Promise<string> {
  return (await t.services.db.insertInto('supervisionGroups').values({ regionCode: villageCode, name: `监督群${villageCode.slice(-3)}`, platform: 'wechat' }).returning('id').executeTakeFirstOrThrow()).id;
}

/** Villages existed long before the windows the tests look at, unless a test says otherwise. */
async function setCreated(code: string, iso: string): Promise<void> {
  await t.services.db.updateTable('regions').set({ createdAt: new Date(iso) }).where('code', '=', code).execute();
}

beforeAll(async () => {
  t = await createTestContext();
  t.services.clock = clock;
  world = await createWorld(t.services);
  cadreA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }], '王村干')).login);
  bookkeeperA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'bookkeeper', regionCode: world.villageA.code }], '陈报账')).login);
  cadreB = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageB.code }])).login);
  townA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }])).login);
  otherCounty = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.otherCounty }])).login);
  admin = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'admin', regionCode: '350500000000' }])).login);
  villagerA = await loginVillager(t, world.villageA.phones[0]!);
  villagerB = await loginVillager(t, world.villageB.phones[0]!);
  residentA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'resident_cadre', regionCode: world.townA }], '许驻村')).login);
  groupA = await createGroup(world.villageA.code);
});
afterAll(() => t.close());

describe('the catalogue', () => {
  it('is loaded from the seed file, published in the ledger, and a re-sync changes nothing', async () => {
    const catalog = (await call('GET', '/disclosure-catalog', null)).json();
    expect(catalog.categories.map((c: { code: string }) => c.code)).toEqual(['party', 'village', 'finance']);
    expect(catalog.items).toHaveLength(27);
    expect(catalog.items.find((i: { code: string }) => i.code === 'F01')).toMatchObject({ frequency: 'monthly', dueDays: 10, isActive: true, zh: '村级财务收支明细及原始票据' });
    expect(catalog.ledgerIndex).toEqual(expect.any(Number));
    expect(catalog.digest).toBe(contentDigest({ categories: catalog.categories, items: catalog.items }));
    const again = await t.services.db.transaction().execute((tx) => syncDisclosureCatalog(tx));
    expect(again).toEqual({ ledgerIndex: catalog.ledgerIndex, isNew: false });
  });

  it('is edited by the admin only; each edit is audited and published as a new ledger snapshot, kept across re-syncs', async () => {
    const before = (await call('GET', '/disclosure-catalog', null)).json();
    expect((await call('PATCH', '/disclosure-catalog/P06', cadreA, { dueDays: 45 })).statusCode).toBe(403);
    expect((await call('PATCH', '/disclosure-catalog/P06', admin, {})).statusCode).toBe(400);
    expect((await call('PATCH', '/disclosure-catalog/Z99', admin, { dueDays: 3 })).statusCode).toBe(404);
    const edited = await call('PATCH', '/disclosure-catalog/P06', admin, { dueDays: 45 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().item).toMatchObject({ code: 'P06', dueDays: 45, frequency: 'annual' });
    expect(edited.json().ledgerIndex).toBeGreaterThan(before.ledgerIndex);

    const entry = (await call('GET', `/ledger/entries?start=${edited.json().ledgerIndex}&end=${edited.json().ledgerIndex + 1}`, null)).json().entries[0];
    const after = (await call('GET', '/disclosure-catalog', null)).json();
    expect(JSON.parse(entry.entry)).toMatchObject({ type: 'disclosure.catalog', ref: 'disclosure-catalog', digest: after.digest });
    expect(after.digest).toBe(contentDigest({ categories: after.categories, items: after.items }));
    const audit = await t.services.db.selectFrom('auditEvents').select('details').where('action', '=', 'disclosures.catalog.update').where('entityId', '=', 'P06').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ before: { dueDays: 30 }, after: { dueDays: 45 } });

    // The same value again publishes nothing new; the seed sync keeps the admin's edit.
    expect((await call('PATCH', '/disclosure-catalog/P06', admin, { dueDays: 45 })).json().ledgerIndex).toBe(edited.json().ledgerIndex);
    expect(await t.services.db.transaction().execute((tx) => syncDisclosureCatalog(tx))).toEqual({ ledgerIndex: edited.json().ledgerIndex, isNew: false });
    expect((await call('GET', '/disclosure-catalog', null)).json().items.find((i: { code: string }) => i.code === 'P06').dueDays).toBe(45);
  });
});

/** Enter a ledger line (收支明细) as `who`; returns its id. */
async function enterLine(who: TAuth, villageCode: string, line: { direction: 'income' | 'expense'; date: string; amountFen: number; subject: string; counterparty: string; voucherNo: string }): Promise<string> {
  const response = await call('POST', '/ledger-lines', who, { villageCode, paymentMethod: 'bank', ...line });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ id: string }>().id;
}

describe('a disclosure from draft to corrections', () => {
  let id: string;
  let published: TDisclosure;
  let expenseLine: string;

  it('checks the period against the item\'s frequency and explains the expected form', async () => {
    at('2025-05-08 10:00');
    const bad = async (itemCode: string, period: string, extra: object = {}) => {
      const response = await call('POST', '/disclosures', bookkeeperA, { villageCode: world.villageA.code, itemCode, period, title: '测试', body: '内容', ...extra });
      expect(response.statusCode, `${itemCode} ${period}`).toBe(400);
      return response.json().errors[0] as { field: string; reason: string };
    };
    expect(await bad('F01', '2025-Q2')).toMatchObject({ field: 'period', reason: expect.stringContaining('YYYY-MM') });
    expect((await bad('P02', '2025-04')).reason).toContain('YYYY-Q1');
    expect((await bad('F03', '2025-H3')).reason).toContain('YYYY-H1');
    expect((await bad('F02', '2025-01')).reason).toContain('YYYY');
    expect((await bad('V01', '2025-02-30')).reason).toContain('YYYY-MM-DD');
    expect((await bad('V01', '2025-06-01')).reason).toContain('事件日期不能晚于今天');
    expect((await bad('F01', '2025-06')).reason).toContain('尚未开始');
    expect(await bad('F01', '2025-04', { eventRef: '第1号' })).toMatchObject({ field: 'eventRef' });
    expect(await bad('F01', '2025-04', { lineIds: ['00000000-0000-4000-8000-000000000000'] })).toMatchObject({ field: 'lineIds' });
    expect(await bad('X01', '2025-04')).toMatchObject({ field: 'itemCode' });
  });

  it('is drafted by the bookkeeper; other villages\' cadres and outsiders do not see it', async () => {
    // F01 lists the month's ledger lines: entered first, listed automatically when the draft omits them.
    await enterLine(bookkeeperA, world.villageA.code, { direction: 'income', date: '2025-04-02', amountFen: 5_000_000, subject: '上级转移支付', counterparty: '梅山镇财政所', voucherNo: '记-2025-04-001' });
    expenseLine = await enterLine(bookkeeperA, world.villageA.code, { direction: 'expense', date: '2025-04-18', amountFen: 1_280_000, subject: '道路维修', counterparty: '南安市某建筑公司', voucherNo: '记-2025-04-002' });
    const created = await call('POST', '/disclosures', bookkeeperA, { villageCode: world.villageA.code, itemCode: 'F01', period: '2025-04', title: '2025年4月财务收支公开', body: '收入：\n上级转移支付 50,000.00 元\n支出：\n道路维修 12,800.00 元' });
    expect(created.statusCode, created.body).toBe(200);
    const draft = created.json<TDisclosure>();
    id = draft.id;
    expect(draft).toMatchObject({ status: 'draft', periodLabel: '2025年4月', dueOn: '2025-05-10', versions: [], currentVersion: null, ledgerIndex: null, allowedActions: ['edit', 'submit'] });
    const dup = await call('POST', '/disclosures', cadreA, { villageCode: world.villageA.code, itemCode: 'F01', period: '2025-04', title: '重复', body: '重复' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('period');

    expect((await call('POST', '/disclosures', cadreB, { villageCode: world.villageA.code, itemCode: 'F09', period: '2025-04', title: '越权', body: '越权' })).statusCode).toBe(404);
    for (const who of [cadreB, townA, otherCounty, villagerA, villagerB]) expect((await call('GET', `/disclosures/${id}`, who)).statusCode).toBe(404);
    expect((await call('GET', `/disclosures/${id}`, null)).statusCode).toBe(404);
    expect((await call('POST', `/disclosures/${id}/publish`, cadreB)).statusCode).toBe(404);
    expect((await call('PATCH', `/disclosures/${id}`, cadreB, { title: '改' })).statusCode).toBe(404);
    expect((await call('POST', `/disclosures/${id}/submit`, cadreB)).statusCode).toBe(404);

    const own = (await call('GET', `/villages/${world.villageA.code}/disclosures`, cadreA)).json();
    expect(own.items.map((d: { id: string }) => d.id)).toContain(id);
    expect((await call('GET', `/villages/${world.villageA.code}/disclosures`, villagerA)).json().items).toEqual([]);
    expect((await call('GET', `/villages/${world.villageA.code}/disclosures?status=draft`, townA)).json().items).toEqual([]);
    expect((await call('GET', `/villages/${world.villageA.code}/disclosures`, otherCounty)).statusCode).toBe(404);
  });

  it('refuses publication before submission and a correction of a draft; the bookkeeper cannot publish', async () => {
    const early = await call('POST', `/disclosures/${id}/publish`, cadreA);
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toContain('请先提交');
    expect((await call('POST', `/disclosures/${id}/correct`, cadreA, { reason: '写错了', body: '新内容' })).statusCode).toBe(409);
    const edited = await call('PATCH', `/disclosures/${id}`, bookkeeperA, { title: '2025年4月村级财务收支明细公开' });
    expect(edited.json().title).toBe('2025年4月村级财务收支明细公开');
    const submitted = await call('POST', `/disclosures/${id}/submit`, bookkeeperA);
    expect(submitted.json()).toMatchObject({ status: 'submitted', allowedActions: [], needsReview: true });
    // F01 needs the joint review (联审): the cadre cannot publish until the resident cadre approves.
    expect((await call('GET', `/disclosures/${id}`, cadreA)).json().allowedActions).toEqual([]);
    expect((await call('POST', `/disclosures/${id}/publish`, cadreA)).json().detail).toContain('联审');
    expect((await call('GET', `/disclosures/${id}`, residentA)).json()).toMatchObject({ status: 'submitted', allowedActions: ['review'] });
    expect((await call('POST', `/reviews/${expenseLine}`, residentA, { decision: 'approve' })).statusCode).toBe(200);
    const approved = await call('POST', `/disclosures/${id}/review`, residentA, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().reviews).toEqual([expect.objectContaining({ decision: 'approve', reviewerName: '许驻村', reviewerUnit: expect.stringMatching(/人民政府$/) })]);
    expect((await call('GET', `/disclosures/${id}`, cadreA)).json()).toMatchObject({ status: 'approved', allowedActions: ['publish'] });
    expect((await call('PATCH', `/disclosures/${id}`, bookkeeperA, { title: '提交后修改' })).statusCode).toBe(409);
    expect((await call('POST', `/disclosures/${id}/submit`, bookkeeperA)).statusCode).toBe(409);
    expect((await call('POST', `/disclosures/${id}/publish`, bookkeeperA)).statusCode).toBe(403);
  });

  it('publishes: an immutable version, its digest in the ledger with a verifying proof, a notice to the village\'s group', async () => {
    at('2025-05-09 09:30');
    const response = await call('POST', `/disclosures/${id}/publish`, cadreA);
    expect(response.statusCode, response.body).toBe(200);
    published = response.json<TDisclosure>();
    expect(published).toMatchObject({ status: 'published', currentVersion: 1, firstPublishedAt: '2025-05-09T01:30:00.000Z', allowedActions: ['correct'] });
    const [v1] = published.versions;
    expect(v1).toMatchObject({ version: 1, reason: null, publisherName: '王村干', publishedAt: '2025-05-09T01:30:00.000Z', supersededAt: null });
    expect(published.ledgerIndex).toBe(v1!.ledgerIndex);
    expect(published.digest).toBe(v1!.digest);

    // Anyone holding the version recomputes its digest; the ledger entry commits to it, provably.
    const recomputed = contentDigest(disclosureVersionContent({
      disclosureId: published.id, villageCode: published.villageCode, itemCode: published.itemCode, period: published.period, eventRef: published.eventRef,
      version: v1!.version, title: v1!.title, body: v1!.body, structured: v1!.structured, reason: v1!.reason, publishedAt: v1!.publishedAt,
    }));
    expect(recomputed).toBe(v1!.digest);
    const entry = (await call('GET', `/ledger/entries?start=${v1!.ledgerIndex}&end=${v1!.ledgerIndex + 1}`, null)).json().entries[0];
    expect(JSON.parse(entry.entry)).toMatchObject({ type: 'disclosure.published', ref: `disclosure:${id}:v1`, digest: recomputed, village: world.villageA.code, item: 'F01', period: '2025-04', version: 1 });
    const size = (await call('GET', '/ledger/status', null)).json().size;
    const proof = (await call('GET', `/ledger/proof/inclusion?index=${v1!.ledgerIndex}&size=${size}`, null)).json();
    expect(verifyInclusion({ leafHash: leafHash(utf8(entry.entry)), index: v1!.ledgerIndex, size, proof: proof.proof.map(fromHex), root: fromHex(proof.rootHash) })).toBe(true);

    const notices = await t.services.db.selectFrom('groupMessages').select(['topic', 'title', 'link', 'body']).where('groupId', '=', groupA).where('topic', '=', 'disclosure.published').execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ link: `/disclosures/${id}`, title: expect.stringContaining('村级财务收支明细及原始票据（2025年4月）') });
    expect(notices[0]!.body).toContain('道路维修');
    expect(await t.services.db.selectFrom('outboxMessages').select('id').where('dedupeKey', '=', `disclosure:${id}:v1:${groupA}`).execute()).toHaveLength(1);

    expect((await call('POST', `/disclosures/${id}/publish`, cadreA)).statusCode).toBe(409);
    expect((await call('PATCH', `/disclosures/${id}`, cadreA, { body: '悄悄改' })).json().code).toBe('CONFLICT');
  });

  it('is read by the village\'s villagers and the officials over it, not by other villages or counties', async () => {
    expect((await call('GET', `/disclosures/${id}`, villagerA)).json()).toMatchObject({ status: 'published', allowedActions: [] });
    expect((await call('GET', `/disclosures/${id}`, townA)).statusCode).toBe(200);
    for (const who of [villagerB, otherCounty, cadreB]) expect((await call('GET', `/disclosures/${id}`, who)).statusCode).toBe(404);
    const list = (await call('GET', `/villages/${world.villageA.code}/disclosures?item=F01&period=2025`, villagerA)).json();
    expect(list.items).toEqual([expect.objectContaining({ id, status: 'published', periodLabel: '2025年4月', currentVersion: 1, isCorrected: false })]);
    expect((await call('GET', `/villages/${world.villageA.code}/disclosures`, villagerB)).statusCode).toBe(404);
    expect((await call('GET', `/villages/${world.villageA.code}/disclosures?item=F09`, villagerA)).json().items).toEqual([]);
  });

  it('publishes a correction as a new version; the old one stays, with a line diff and its own ledger entry', async () => {
    at('2025-05-12 15:00');
    expect((await call('POST', `/disclosures/${id}/correct`, cadreA, { reason: '金额' })).statusCode).toBe(400);
    expect((await call('POST', `/disclosures/${id}/correct`, cadreA, { body: '没有原因' })).statusCode).toBe(400);
    expect((await call('POST', `/disclosures/${id}/correct`, bookkeeperA, { reason: '金额录错', body: 'x' })).statusCode).toBe(403);
    const response = await call('POST', `/disclosures/${id}/correct`, cadreA, { reason: '道路维修金额录入错误', body: '收入：\n上级转移支付 50,000.00 元\n支出：\n道路维修 12,080.00 元' });
    expect(response.statusCode, response.body).toBe(200);
    const corrected = response.json<TDisclosure>();
    expect(corrected.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(corrected.versions[1]).toMatchObject({ body: published.body, digest: published.digest, ledgerIndex: published.ledgerIndex, supersededAt: corrected.versions[0]!.publishedAt });
    expect(corrected.versions[0]).toMatchObject({ reason: '道路维修金额录入错误', supersededAt: null });
    expect(corrected).toMatchObject({ currentVersion: 2, ledgerIndex: corrected.versions[0]!.ledgerIndex, firstPublishedAt: '2025-05-09T01:30:00.000Z' });
    expect(corrected.diffs).toEqual([{
      fromVersion: 1, toVersion: 2, title: null, added: 1, removed: 1,
      lines: [
        { op: 'equal', text: '收入：' }, { op: 'equal', text: '上级转移支付 50,000.00 元' }, { op: 'equal', text: '支出：' },
        { op: 'remove', text: '道路维修 12,800.00 元' }, { op: 'add', text: '道路维修 12,080.00 元' },
      ],
    }]);
    const entry = (await call('GET', `/ledger/entries?start=${corrected.ledgerIndex}&end=${corrected.ledgerIndex! + 1}`, null)).json().entries[0];
    expect(JSON.parse(entry.entry)).toMatchObject({ type: 'disclosure.corrected', ref: `disclosure:${id}:v2`, digest: corrected.versions[0]!.digest });
    const notice = await t.services.db.selectFrom('groupMessages').select(['title', 'body']).where('groupId', '=', groupA).where('topic', '=', 'disclosure.corrected').executeTakeFirstOrThrow();
    expect(notice.body).toContain('更正原因：道路维修金额录入错误');
    expect((await call('POST', `/disclosures/${id}/correct`, cadreA, { reason: '再改一次', body: corrected.body })).statusCode).toBe(400);
    expect((await call('GET', `/villages/${world.villageA.code}/disclosures`, villagerA)).json().items[0]).toMatchObject({ id, currentVersion: 2, isCorrected: true });
  });

  it('refuses, in the database, any change to a published version or a quiet edit of a published disclosure', async () => {
    await expect(sql`UPDATE disclosure_versions SET body = '改过的内容' WHERE disclosure_id = ${id} AND version = 1`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`DELETE FROM disclosure_versions WHERE disclosure_id = ${id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`TRUNCATE disclosure_versions CASCADE`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`UPDATE disclosures SET body = '悄悄改' WHERE id = ${id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`UPDATE disclosures SET status = 'draft' WHERE id = ${id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    await expect(sql`DELETE FROM disclosures WHERE id = ${id}`.execute(t.services.db)).rejects.toThrow(/IMMUTABLE/);
    const versions = (await call('GET', `/disclosures/${id}`, villagerA)).json<TDisclosure>().versions;
    expect(versions[1]!.body).toBe(published.body);
  });

  it('is cached by validator: 304 while unchanged, a new ETag after a correction, another per viewer\'s rights', async () => {
    const get = (auth: TAuth, etag?: string) => t.app.inject({ method: 'GET', url: `/api/v1/disclosures/${id}`, headers: { authorization: auth.authorization, ...(etag ? { 'if-none-match': etag } : {}) } });
    const first = await get(villagerA);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await get(villagerA, etag);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // The cadre may act on it: another representation, another validator; a stranger gets nothing.
    expect((await get(cadreA, etag)).statusCode).toBe(200);
    expect((await get(villagerB, etag)).statusCode).toBe(404);
    at('2025-05-13 09:00');
    const corrected = await call('POST', `/disclosures/${id}/correct`, cadreA, { reason: '补充说明', body: `${first.json<TDisclosure>().body}\n（补充：以上金额含税）` });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const after = await get(villagerA, etag);
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json<TDisclosure>().currentVersion).toBe(3);
  });
});

describe('compliance (全覆盖)', () => {
  // A county of its own: town 1 with V1, V2 and V3 (created on 2025-05-15), town 2 with V4.
  let county: string;
  let town1: string;
  let town2: string;
  let v: string[];
  let cadres: TAuth[];
  let residents: TAuth[];
  let countyOfficer: TAuth;
  let town2Officer: TAuth;
  const report = async (period: string, who: TAuth = countyOfficer, region = county) => {
    const response = await call('GET', `/compliance?region=${region}&period=${period}`, who);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<TComplianceReport>();
  };
  const item = (r: TComplianceReport, code: string) => r.byItem.find((i) => i.itemCode === code)!;

  /**
   * Draft, submit and publish as the village's cadre at a China time. F01 lists a ledger line of the
   * month and goes through the joint review by the town's resident cadre first.
   */
  async function publish(village: number, itemCode: string, period: string, when: string, eventRef?: string): Promise<string> {
    at(when);
    if (itemCode === 'F01') await enterLine(cadres[village]!, v[village]!, { direction: 'income', date: `${period}-15`, amountFen: 100_000, subject: '村集体经营收入', counterparty: '某合作社', voucherNo: `记-${period}` });
    const created = await call('POST', '/disclosures', cadres[village]!, { villageCode: v[village], itemCode, period, eventRef, title: `${itemCode} ${period}`, body: '公开内容' });
    expect(created.statusCode, created.body).toBe(200);
    const { id } = created.json();
    await call('POST', `/disclosures/${id}/submit`, cadres[village]!);
    if (itemCode === 'F01') expect((await call('POST', `/disclosures/${id}/review`, residents[village]!, { decision: 'approve' })).statusCode).toBe(200);
    expect((await call('POST', `/disclosures/${id}/publish`, cadres[village]!)).statusCode).toBe(200);
    return id;
  }

  beforeAll(async () => {
    county = await createCounty(t.services);
    town1 = await createTown(t.services, county);
    town2 = await createTown(t.services, county);
    v = [
      (await createVillage(t.services, town1, { households: 0 })).code,
      (await createVillage(t.services, town1, { households: 0 })).code,
      (await createVillage(t.services, town1, { households: 0 })).code,
      (await createVillage(t.services, town2, { households: 0 })).code,
    ];
    for (const code of v) await setCreated(code, '2024-01-01T00:00:00+08:00');
    await setCreated(v[2]!, '2025-05-15T09:00:00+08:00');
    clock.at = null; // sessions are made on the wall clock (they outlive the 2025 days the tests step through)
    cadres = [];
    for (const code of v) cadres.push(await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: code }])).login));
    // The resident cadres who review F01 (no phone: the overdue SMS test adds its own with one).
    const reviewer1 = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'resident_cadre', regionCode: town1 }])).login);
    const reviewer2 = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'resident_cadre', regionCode: town2 }])).login);
    residents = [reviewer1, reviewer1, reviewer1, reviewer2];
    countyOfficer = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'county_officer', regionCode: county }])).login);
    town2Officer = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'town_officer', regionCode: town2 }])).login);

    await publish(0, 'F01', '2025-04', '2025-05-08 10:00'); // on time (due 05-10)
    await publish(1, 'F01', '2025-04', '2025-05-15 10:00'); // late
    await publish(0, 'F01', '2025-05', '2025-06-12 10:00'); // late (due 06-10)
    await publish(1, 'V06', '2025-04-20', '2025-04-22 10:00', '救灾物资第1批'); // event, on time (due 04-23)
    at('2025-04-14 10:00'); // an event registered as a draft and never published: owed, then missing
    expect((await call('POST', '/disclosures', cadres[0]!, { villageCode: v[0], itemCode: 'V01', period: '2025-04-12', eventRef: '第3号决议', title: '村民代表会议决议', body: '决议内容' })).statusCode).toBe(200);
  });

  it('counts on time, late and missing per item, child region and village; event items only when an event exists; a village owes nothing from before it existed', async () => {
    at('2025-07-20 10:00');
    const april = await report('2025-04');
    expect(april).toMatchObject({ period: '2025-04', from: '2025-04-01', to: '2025-04-30', asOf: '2025-07-20', villages: 4 });
    // Four monthly items (P04, V10, F01, F09) × three villages (V3 did not exist in April) + two events.
    expect(april.totals).toEqual({ due: 14, onTime: 2, late: 1, missing: 11, pending: 0, rate: 0.2143, onTimeRate: 0.1429 });
    expect(item(april, 'F01')).toMatchObject({ due: 3, onTime: 1, late: 1, missing: 1, isApplicable: true });
    expect(item(april, 'V01')).toMatchObject({ due: 1, missing: 1, isApplicable: true });
    expect(item(april, 'V06')).toMatchObject({ due: 1, onTime: 1, isApplicable: true });
    expect(item(april, 'V03')).toMatchObject({ due: 0, isApplicable: false });
    expect(item(april, 'P02')).toMatchObject({ due: 0, isApplicable: true }); // no quarter ends in April
    expect(april.byChild.map((c) => [c.code, c.villages, c.due])).toEqual([[town1, 3, 10], [town2, 1, 4]]);
    expect(april.villagesToChase.map((c) => [c.code, c.missing, c.late])).toEqual([[v[0], 4, 0], [v[3], 4, 0], [v[1], 3, 1]]);
    expect(april.villagesToChase.find((c) => c.code === v[0])!.items).toEqual(expect.arrayContaining([{ itemCode: 'V01', period: '2025-04-12', dueOn: '2025-04-17' }]));
    expect(april.villagesToChase.some((c) => c.code === v[2])).toBe(false);
  });

  it('puts quarters and half years in the window where they end, pending until due, and owes them from a village created mid-period', async () => {
    at('2025-07-05 10:00');
    const june = await report('2025-06');
    // June's 4 monthly items + Q2's 5 quarterly + H1's 2 semiannual, for all four villages; nothing due yet.
    expect(june.totals).toMatchObject({ due: 0, pending: 44, rate: null });
    expect(item(june, 'P02')).toMatchObject({ pending: 4 });
    expect(item(june, 'F03')).toMatchObject({ pending: 4 });
    expect(item(june, 'F02')).toMatchObject({ due: 0, pending: 0 }); // the year ends in December

    at('2025-07-12 10:00'); // past the Q2 and June due day (07-10), before H1's (07-15)
    const later = await report('2025-06');
    expect(later.totals).toMatchObject({ due: 36, missing: 36, pending: 8 });
    at('2025-07-20 10:00');
    expect((await report('2025-06')).totals).toMatchObject({ due: 44, missing: 44, pending: 0 });

    const q2 = await report('2025-Q2');
    expect(q2).toMatchObject({ from: '2025-04-01', to: '2025-06-30' });
    expect(item(q2, 'F01')).toMatchObject({ due: 11, onTime: 1, late: 2, missing: 8 }); // V3 owes May and June only
    expect(item(q2, 'F05')).toMatchObject({ due: 4 });
  });

  it('is scoped: a town officer sees his town only, another county nothing, villagers are refused', async () => {
    at('2025-07-20 10:00');
    const own = await report('2025-04', town2Officer, county);
    expect(own.villages).toBe(1);
    expect(own.totals.due).toBe(4);
    expect((await call('GET', `/compliance?region=${county}&period=2025-04`, otherCounty)).statusCode).toBe(404);
    expect((await call('GET', `/compliance?region=${county}&period=2025-04`, villagerA)).statusCode).toBe(403);
    expect((await call('GET', `/compliance?region=${county}&period=2025-13`, countyOfficer)).statusCode).toBe(400);
    const village = await report('2025-04', countyOfficer, v[0]!);
    expect(village).toMatchObject({ villages: 1, byChild: [] });
  });

  it('announces late and missing obligations to the village\'s groups and its resident cadre once each', async () => {
    const group = await createGroup(v[0]!);
    const resident = await createOfficial(t.services, [{ role: 'resident_cadre', regionCode: town1 }], '许驻村');
    await t.services.db.updateTable('users').set({ phone: '13900000001' }).where('id', '=', resident.id).execute();
    at('2025-07-20 10:00');
    const first = await announceOverdueDisclosures(t.services);
    // Due within 45 days (since 06-05): May and June (4 monthly items), Q2 (5) and H1 (2) of the four
    // villages: 60, all missing but V1's May F01, published late. (The other county's villages were
    // created "today", so they owe nothing for 2025.)
    expect(first).toEqual({ villages: 4, obligations: 60 });
    const notices = await t.services.db.selectFrom('groupMessages').select(['title', 'body', 'topic']).where('groupId', '=', group).where('topic', '=', 'disclosure.overdue').execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain('村级财务收支明细及原始票据（2025年5月）：已公开，但晚于 2025-06-10');
    expect(notices[0]!.body).toContain('村级财务收支明细及原始票据（2025年6月）：应于 2025-07-10 前公开，至今未公开');
    const sms = await t.services.db.selectFrom('outboxMessages').select(['regionCode', 'payload']).where('channel', '=', 'sms').where('dedupeKey', 'like', 'disclosure.compliance:%').execute();
    expect(sms.map((s) => s.regionCode).sort()).toEqual([v[0], v[1], v[2]].sort()); // town 1's resident cadre; town 2 has none
    expect(JSON.stringify(sms[0]!.payload)).toContain('13900000001');
    const recorded = await t.services.db.selectFrom('disclosureComplianceNotices').select(['status']).where('regionCode', '=', v[0]!).execute();
    expect(recorded.filter((r) => r.status === 'late')).toHaveLength(1);

    const again = await announceOverdueDisclosures(t.services);
    expect(again).toEqual({ villages: 0, obligations: 0 });
    expect(await t.services.db.selectFrom('groupMessages').select('id').where('groupId', '=', group).where('topic', '=', 'disclosure.overdue').execute()).toHaveLength(1);
  });
});
