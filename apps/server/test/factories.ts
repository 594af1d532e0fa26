import type { TRole } from '@cunwu/contract';
import { hashPassword } from '../src/kernel/auth';
import type { TServices } from '../src/kernel/services';
import type { TApp } from '../src/kernel/app-types';

let counter = 0;
const CITY = '350500000000';
let passwordHash: Promise<string> | null = null;
/** Password of every factory-made official. */
export const TEST_PASSWORD = 'Test@12345';

/** Insert a region unless it exists. */
export async function ensureRegion(services: TServices, code: string, name: string, level: string, parentCode: string | null): Promise<void> {
  await services.db.insertInto('regions').values({ code, name, level, parentCode }).onConflict((oc) => oc.column('code').doNothing()).execute();
}

/** A county (under 泉州市) with a unique code. */
export async function createCounty(services: TServices): Promise<string> {
  await ensureRegion(services, CITY, '泉州市', 'city', null);
  counter++;
  // County codes 350550…350599 are unused by real units, so factory data never collides with the demo's.
  const county = `3505${String(50 + (counter % 50))}000000`;
  await ensureRegion(services, county, `测试县${counter}`, 'county', CITY);
  return county;
}

/** A town in a county. */
export async function createTown(services: TServices, countyCode: string): Promise<string> {
  counter++;
  const code = `${countyCode.slice(0, 6)}${String(counter).padStart(3, '0').slice(-3)}000`;
  await ensureRegion(services, code, `测试镇${counter}`, 'town', countyCode);
  return code;
}

/** A village in a town, with `households` households of two members each (first has a phone). */
export async function createVillage(services: TServices, townCode: string, options: { households?: number } = {}): Promise<{ code: string; phones: string[] }> {
  counter++;
  const code = `${townCode.slice(0, 9)}${String(counter).padStart(3, '0').slice(-3)}`;
  await ensureRegion(services, code, `测试村${counter}`, 'village', townCode);
  const phones: string[] = [];
  for (let h = 0; h < (options.households ?? 2); h++) {
    const household = await services.db.insertInto('households').values({ regionCode: code, householdNo: String(h + 1), headName: `户主${counter}-${h}` }).returning('id').executeTakeFirstOrThrow();
    const phone = `137${String(counter * 1000 + h).padStart(8, '0')}`;
    phones.push(phone);
    await services.db.insertInto('members').values([
      { regionCode: code, householdId: household.id, name: `村民${counter}甲${h}`, relation: '户主', phone },
      { regionCode: code, householdId: household.id, name: `村民${counter}乙${h}`, relation: '配偶', phone: null },
    ]).execute();
  }
  return { code, phones };
}

/** An official with the given roles; returns his id and login. */
export async function createOfficial(services: TServices, roles: { role: TRole; regionCode: string }[], name = '测试干部'): Promise<{ id: string; login: string }> {
  counter++;
  const login = `u${counter}_${Math.random().toString(36).slice(2, 8)}`;
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const user = await services.db.insertInto('users').values({ kind: 'official', login, name, passwordHash: await passwordHash }).returning('id').executeTakeFirstOrThrow();
  for (const r of roles) await services.db.insertInto('roleAssignments').values({ userId: user.id, role: r.role, regionCode: r.regionCode }).execute();
  return { id: user.id, login };
}

/** Log in through the API and return a bearer header. */
export async function loginAs(app: TApp, login: string, password = TEST_PASSWORD): Promise<{ authorization: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password } });
  if (response.statusCode !== 200) throw new Error(`login ${login} failed: ${response.body}`);
  return { authorization: `Bearer ${response.json<{ token: string }>().token}` };
}

/** A complete little world: two towns in one county, a village in each, and a second county. */
export async function createWorld(services: TServices) {
  const county = await createCounty(services);
  const townA = await createTown(services, county);
  const townB = await createTown(services, county);
  const villageA = await createVillage(services, townA);
  const villageB = await createVillage(services, townB);
  const otherCounty = await createCounty(services);
  const otherTown = await createTown(services, otherCounty);
  const otherVillage = await createVillage(services, otherTown);
  return { county, townA, townB, villageA, villageB, otherCounty, otherTown, otherVillage };
}

/** Log a registered villager in with the one-time code the recording SMS sender captured. */
export async function loginVillager(t: { app: TApp; sms: { phone: string; text: string }[]; services: TServices }, phone: string): Promise<{ authorization: string; userId: string; name: string }> {
  const requested = await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp/request', payload: { phone } });
  if (requested.statusCode !== 200) throw new Error(`code request for ${phone} failed: ${requested.body}`);
  const message = [...t.sms].reverse().find((m) => m.phone === phone)!;
  const code = /(\d{6})/.exec(message.text)![1]!;
  const verified = await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp/verify', payload: { phone, code } });
  if (verified.statusCode !== 200) throw new Error(`code login for ${phone} failed: ${verified.body}`);
  const user = await t.services.db.selectFrom('users').select(['id', 'name']).where('phone', '=', phone).where('kind', '=', 'villager').executeTakeFirstOrThrow();
  return { authorization: `Bearer ${verified.json<{ token: string }>().token}`, userId: user.id, name: user.name };
}

/** A department of a region (e.g. the county's transport bureau) and a handler for it. */
export async function createDepartment(services: TServices, regionCode: string, name: string, categories: string[] = []): Promise<string> {
  return (await services.db.insertInto('departments').values({ regionCode, name, categories }).returning('id').executeTakeFirstOrThrow()).id;
}
