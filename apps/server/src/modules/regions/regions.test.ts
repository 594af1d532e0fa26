import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, loginAs } from '../../../test/factories';

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  t = await createTestContext();
  world = await createWorld(t.services);
});
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

// The scope pattern later modules copy: a user of village A gets 404 for village B's rows; a town
// officer sees all his villages and no other town's; a county officer sees both towns, not another county.
describe('region scope', () => {
  it('a village cadre sees his village with counts and gets 404 for another village', async () => {
    const cadre = await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }]);
    const auth = await loginAs(t.app, cadre.login);
    const own = await get(`/regions/${world.villageA.code}`, auth);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ code: world.villageA.code, level: 'village', counts: { households: 2, members: 4, children: 0 } });
    expect(own.json().path.map((p: { code: string }) => p.code)).toEqual(['350500000000', world.county, world.townA, world.villageA.code]);
    expect((await get(`/regions/${world.villageB.code}`, auth)).statusCode).toBe(404);
    expect((await get(`/regions/${world.townA}`, auth)).statusCode).toBe(404);
  });

  it('a town officer sees all his villages and no other town', async () => {
    const officer = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }]);
    const auth = await loginAs(t.app, officer.login);
    const children = await get(`/regions/${world.townA}/children`, auth);
    expect(children.statusCode).toBe(200);
    expect(children.json().map((r: { code: string }) => r.code)).toEqual([world.villageA.code]);
    expect((await get(`/regions/${world.townB}`, auth)).statusCode).toBe(404);
    expect((await get(`/regions/${world.villageB.code}`, auth)).statusCode).toBe(404);
  });

  it('a county officer sees both towns with aggregated counts, and not another county', async () => {
    const officer = await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.county }]);
    const auth = await loginAs(t.app, officer.login);
    const children = await get(`/regions/${world.county}/children`, auth);
    expect(children.json()).toEqual([
      expect.objectContaining({ code: world.townA, counts: { children: 1, villages: 1, households: 2, members: 4 } }),
      expect.objectContaining({ code: world.townB, counts: { children: 1, villages: 1, households: 2, members: 4 } }),
    ]);
    expect((await get(`/regions/${world.county}`, auth)).json().counts).toEqual({ children: 2, villages: 2, households: 4, members: 8 });
    expect((await get(`/regions/${world.otherCounty}`, auth)).statusCode).toBe(404);
    expect((await get(`/regions/${world.otherVillage.code}/children`, auth)).statusCode).toBe(404);
  });

  it('asks for login, and rejects codes that are not 12 digits', async () => {
    expect((await get(`/regions/${world.county}`, {})).statusCode).toBe(401);
    const officer = await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.county }]);
    const auth = await loginAs(t.app, officer.login);
    const bad = await get('/regions/3505', auth);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ reason: expect.stringContaining('12') })] });
  });
});

describe('kept counts', () => {
  it('follow inserts, deactivation, moves between villages and deletes', async () => {
    const officer = await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.county }]);
    const auth = await loginAs(t.app, officer.login);
    const counts = async (code: string) => (await get(`/regions/${code}`, auth)).json().counts as { households: number; members: number };
    const before = await counts(world.villageA.code);
    const member = await t.services.db.selectFrom('members').select(['id', 'householdId']).where('regionCode', '=', world.villageA.code).limit(1).executeTakeFirstOrThrow();
    await t.services.db.updateTable('members').set({ isActive: false }).where('id', '=', member.id).execute();
    expect(await counts(world.villageA.code)).toEqual({ ...before, members: before.members - 1 });
    await t.services.db.updateTable('members').set({ isActive: true, regionCode: world.villageB.code }).where('id', '=', member.id).execute();
    expect((await counts(world.villageA.code)).members).toBe(before.members - 1);
    expect((await counts(world.villageB.code)).members).toBe(5);
    expect((await counts(world.county)).members).toBe(8);
    await t.services.db.deleteFrom('members').where('id', '=', member.id).execute();
    expect((await counts(world.county)).members).toBe(7);
  });
});

describe('import', () => {
  it('an admin imports regions (renames and new ones), appending a registry snapshot to the ledger; others are refused', async () => {
    const { createOfficial: make } = await import('../../../test/factories');
    const admin = await make(t.services, [{ role: 'admin', regionCode: '350500000000' }]);
    const auth = await loginAs(t.app, admin.login);
    const newTown = `${world.county.slice(0, 6)}990000`;
    const rows = [{ code: newTown, name: '新设镇' }, { code: world.townA, name: '更名镇' }];
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/regions/import', headers: auth, payload: { rows } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ total: 2, inserted: 1, updated: 1, ledgerIndex: expect.any(Number) });
    const snapshot = await t.services.db.selectFrom('publishedSnapshots').select(['kind', 'ledgerIdx']).where('ledgerIdx', '=', response.json().ledgerIndex).executeTakeFirstOrThrow();
    expect(snapshot.kind).toBe('region.registry');
    expect((await get(`/regions/${world.townA}`, auth)).json().name).toBe('更名镇');
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/regions/import', headers: auth, payload: { rows } });
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, ledgerIndex: null });

    const orphan = await t.app.inject({ method: 'POST', url: '/api/v1/regions/import', headers: auth, payload: { rows: [{ code: '350598001001', name: '孤村' }] } });
    expect(orphan.statusCode).toBe(400);
    const officer = await make(t.services, [{ role: 'county_officer', regionCode: world.county }]);
    const officerAuth = await loginAs(t.app, officer.login);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/regions/import', headers: officerAuth, payload: { rows } })).statusCode).toBe(403);
    const outside = await t.app.inject({ method: 'POST', url: '/api/v1/regions/import', headers: auth, payload: { rows: [{ code: '350600000000', name: '漳州市' }] } });
    expect(outside.statusCode).toBe(400);
  });
});
