import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, loginAs } from '../../../test/factories';

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
let adminA: { authorization: string };
let adminB: { authorization: string };
let townA: { authorization: string };
let otherCounty: { authorization: string };
beforeAll(async () => {
  t = await createTestContext();
  world = await createWorld(t.services);
  adminA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageA.code }])).login);
  adminB = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageB.code }])).login);
  townA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }])).login);
  otherCounty = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.otherCounty }])).login);
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('households and members', () => {
  it('a group admin adds a household and members (ID kept as hash + last 4), edits, moves and deactivates them, all audited', async () => {
    const household = await call('POST', '/households', adminA, { villageCode: world.villageA.code, householdNo: '0101', headName: '陈志明' });
    expect(household.statusCode).toBe(200);
    const hid = household.json().id as string;
    const head = await call('POST', '/members', adminA, { householdId: hid, name: '陈志明', relation: '户主', phone: '13912345678', idNumber: '35052419800101123x' });
    expect(head.statusCode).toBe(200);
    expect(head.json()).toMatchObject({ phoneMasked: '139****5678', idLast4: '123X', isActive: true, hasAccount: false });
    const stored = await t.services.db.selectFrom('members').select(['idHash', 'idLast4']).where('id', '=', head.json().id).executeTakeFirstOrThrow();
    expect(stored.idHash?.toString('hex')).not.toContain('3530');
    const spouse = (await call('POST', '/members', adminA, { householdId: hid, name: '林秀英', relation: '配偶' })).json();
    const edited = await call('PATCH', `/members/${spouse.id}`, adminA, { phone: '13912345679' });
    expect(edited.json().phoneMasked).toBe('139****5679');

    const other = (await call('POST', '/households', adminA, { villageCode: world.villageA.code, householdNo: '0102', headName: '林秀英' })).json();
    const moved = await call('POST', `/members/${spouse.id}/move`, adminA, { householdId: other.id });
    expect(moved.json().householdId).toBe(other.id);
    const gone = await call('POST', `/members/${spouse.id}/deactivate`, adminA, { reason: '迁出' });
    expect(gone.json().isActive).toBe(false);
    expect((await call('POST', `/members/${spouse.id}/deactivate`, adminA, { reason: '再次' })).statusCode).toBe(409);
    const audit = await t.services.db.selectFrom('auditEvents').select('action').where('entityId', 'in', [hid, head.json().id, spouse.id]).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['households.create', 'members.create', 'members.update', 'members.move', 'members.deactivate']));
  });

  it('names the field when a phone, ID or household number is already taken, and validates input', async () => {
    const hid = (await call('POST', '/households', adminA, { villageCode: world.villageA.code, householdNo: '0201', headName: '王五' })).json().id;
    const taken = await call('POST', '/members', adminA, { householdId: hid, name: '王五', phone: world.villageA.phones[0] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors).toEqual([expect.objectContaining({ field: 'phone' })]);
    expect((await call('POST', '/households', adminA, { villageCode: world.villageA.code, householdNo: '0201', headName: '重复' })).json().errors[0].field).toBe('householdNo');
    expect((await call('POST', '/members', adminA, { householdId: hid, name: '王五', idNumber: '123' })).statusCode).toBe(400);
    expect((await call('POST', '/households', adminA, { villageCode: world.townA, householdNo: '9', headName: '镇' })).statusCode).toBe(404);
  });

  it('lists with search, the uncovered filter and cursor pages; phones masked; an audited reveal gives the full number', async () => {
    const page = await call('GET', `/households?region=${world.villageA.code}&limit=2`, adminA);
    expect(page.statusCode).toBe(200);
    expect(page.json().items).toHaveLength(2);
    const next = await call('GET', `/households?region=${world.villageA.code}&limit=2&cursor=${page.json().nextCursor}`, adminA);
    expect(next.json().items.length).toBeGreaterThan(0);
    expect(JSON.stringify(page.json())).not.toContain(world.villageA.phones[0]);
    const uncovered = await call('GET', `/households?region=${world.villageA.code}&uncovered=true&limit=200`, adminA);
    expect(uncovered.json().items.every((h: { isCovered: boolean }) => !h.isCovered)).toBe(true);
    const search = await call('GET', `/households?region=${world.villageA.code}&q=陈志明`, adminA);
    expect(search.json().items.map((h: { headName: string }) => h.headName)).toContain('陈志明');
    const memberId = search.json().items[0].members[0].id;
    const revealed = await call('POST', `/members/${memberId}/reveal-phone`, adminA);
    expect(revealed.json()).toEqual({ phone: '13912345678' });
    const audit = await t.services.db.selectFrom('auditEvents').select('action').where('entityId', '=', memberId).where('action', '=', 'members.reveal_phone').execute();
    expect(audit).toHaveLength(1);
    expect((await call('POST', `/members/${memberId}/reveal-phone`, townA)).statusCode).toBe(403);
  });
});

describe('scope', () => {
  it("another village's group admin gets 404 for village A's households and members; another county sees nothing", async () => {
    const hid = (await call('GET', `/households?region=${world.villageA.code}`, adminA)).json().items[0].id as string;
    const memberId = (await call('GET', `/households/${hid}`, adminA)).json().members[0].id as string;
    expect((await call('GET', `/households/${hid}`, adminB)).statusCode).toBe(404);
    expect((await call('PATCH', `/households/${hid}`, adminB, { headName: '篡改' })).statusCode).toBe(404);
    expect((await call('PATCH', `/members/${memberId}`, adminB, { name: '篡改' })).statusCode).toBe(404);
    expect((await call('POST', `/members/${memberId}/deactivate`, adminB, { reason: 'x' })).statusCode).toBe(404);
    expect((await call('GET', `/households?region=${world.villageA.code}`, adminB)).statusCode).toBe(404);
    expect((await call('GET', `/households?region=${world.villageA.code}`, otherCounty)).statusCode).toBe(404);
    expect((await call('GET', `/regions/${world.villageA.code}/coverage`, otherCounty)).statusCode).toBe(404);
  });

  it('a town officer reads his villages but may not edit; a villager may not read the registry', async () => {
    const list = await call('GET', `/households?region=${world.townA}&limit=200`, townA);
    expect(new Set(list.json().items.map((h: { regionCode: string }) => h.regionCode))).toEqual(new Set([world.villageA.code]));
    expect((await call('GET', `/households?region=${world.townB}`, townA)).statusCode).toBe(404);
    const hid = list.json().items[0].id;
    expect((await call('PATCH', `/households/${hid}`, townA, { headName: '镇改' })).statusCode).toBe(403);
  });
});

describe('groups and coverage', () => {
  it('coverage follows groups and memberships for village, town, county and city', async () => {
    const before = (await call('GET', `/regions/${world.villageA.code}/coverage`, adminA)).json();
    expect(before).toMatchObject({ householdsInGroups: 0, membersInGroups: 0, groups: 0 });
    const group = await call('POST', '/groups', adminA, { villageCode: world.villageA.code, name: '村务监督一群', platform: 'wechat', externalName: '广桥村监督群' });
    expect(group.statusCode, group.body).toBe(200);
    const households = (await call('GET', `/households?region=${world.villageA.code}&limit=200`, adminA)).json().items as { members: { id: string }[] }[];
    const firstMembers = households.filter((h) => h.members.length > 0).slice(0, 2).map((h) => h.members[0]!.id);
    const added = await call('POST', `/groups/${group.json().id}/members`, adminA, { memberIds: firstMembers });
    expect(added.json()).toMatchObject({ added: 2, group: { memberCount: 2 } });
    const after = (await call('GET', `/regions/${world.villageA.code}/coverage`, adminA)).json();
    expect(after).toEqual({ households: before.households, householdsInGroups: 2, members: before.members, membersInGroups: 2, groups: 1 });
    expect((await call('GET', `/regions/${world.townA}/coverage`, townA)).json().householdsInGroups).toBe(2);
    const children = await call('GET', `/regions/${world.townA}/coverage/children`, townA);
    expect(children.json()).toEqual([expect.objectContaining({ code: world.villageA.code, householdsInGroups: 2, groups: 1 })]);

    await call('POST', `/members/${firstMembers[0]}/deactivate`, adminA, { reason: '迁出' });
    expect((await call('GET', `/regions/${world.villageA.code}/coverage`, adminA)).json()).toMatchObject({ householdsInGroups: 1, membersInGroups: 1 });
    const removed = await call('DELETE', `/groups/${group.json().id}/members/${firstMembers[1]}`, adminA);
    expect(removed.json().memberCount).toBe(0);
    expect((await call('GET', `/regions/${world.villageA.code}/coverage`, adminA)).json()).toMatchObject({ householdsInGroups: 0, membersInGroups: 0, groups: 1 });
  });

  it('refuses members of another village, a wecom group without webhook, duplicate names, and other villages\' admins', async () => {
    const group = (await call('POST', '/groups', adminA, { villageCode: world.villageA.code, name: '二群', platform: 'web' })).json();
    const foreignMember = (await call('GET', `/households?region=${world.villageB.code}`, adminB)).json().items[0].members[0].id;
    expect((await call('POST', `/groups/${group.id}/members`, adminA, { memberIds: [foreignMember] })).statusCode).toBe(400);
    expect((await call('POST', '/groups', adminA, { villageCode: world.villageA.code, name: '企微群', platform: 'wecom' })).json().errors[0].field).toBe('wecomWebhookUrl');
    expect((await call('POST', '/groups', adminA, { villageCode: world.villageA.code, name: '二群', platform: 'web' })).statusCode).toBe(409);
    expect((await call('PATCH', `/groups/${group.id}`, adminB, { name: '改名' })).statusCode).toBe(404);
    expect((await call('GET', `/groups/${group.id}`, otherCounty)).statusCode).toBe(404);
    const internal = await call('POST', '/groups', adminA, { villageCode: world.villageA.code, name: '企微群', platform: 'wecom', wecomWebhookUrl: 'http://10.0.0.1/admin' });
    expect(internal.json().errors[0]).toMatchObject({ field: 'wecomWebhookUrl' });
    const wecom = await call('POST', '/groups', adminA, { villageCode: world.villageA.code, name: '企微群', platform: 'wecom', wecomWebhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key' });
    expect(wecom.json()).toMatchObject({ hasWebhook: true });
    expect(JSON.stringify(wecom.json())).not.toContain('secret-key');
    const listed = await call('GET', `/groups?region=${world.townA}`, townA);
    expect(listed.json().map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['二群', '企微群']));
  });
});
