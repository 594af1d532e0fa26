import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ZOpen311CreatedRequests, ZOpen311Discovery, ZOpen311Errors, ZOpen311Requests, ZOpen311ServiceDefinition, ZOpen311Services, ZOpen311Updates,
} from '@cunwu/contract';
import type { TClock } from '../../kernel/clock';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, loginAs, loginVillager } from '../../../test/factories';
import { createClient } from './open311.service';

// ---------- the official GeoReport v2 schemas (open311/schema-validation), validated as JSON Schema ----------

const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE_DIR = path.join(here, 'reference');
const SHARED_DIR = path.resolve(here, '../../../../../../shared/reference/open311-georeport-v2');
const SCHEMA_FILES = ['service.json', 'services.json', 'service-definition.json', 'request.json', 'requests.json'];
type TJsonSchema = { [keyword: string]: unknown };
const loadSchema = (file: string) => JSON.parse(readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as TJsonSchema;

// The keywords those files use; an unknown one fails the test rather than being skipped silently.
const KEYWORDS = new Set(['description', 'type', 'enum', 'required', 'properties', 'anyOf', 'items', '$ref', 'maxLength', 'format', 'minItems', 'uniqueItems']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    default: throw new Error(`type ${type} not understood`);
  }
}

/** Problems of a value against one of the reference schemas (the subset of JSON Schema they use). */
function schemaErrors(schema: TJsonSchema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  for (const keyword of Object.keys(schema)) if (!KEYWORDS.has(keyword)) errors.push(`${at}: keyword ${keyword} not understood`);
  if (typeof schema.$ref === 'string') errors.push(...schemaErrors(loadSchema(schema.$ref), value, at));
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => schemaErrors(s as TJsonSchema, value, at).length === 0)) errors.push(`${at}: matches none of anyOf`);
  if (typeof schema.type === 'string' && !typeMatches(schema.type, value)) errors.push(`${at}: not a ${schema.type}: ${JSON.stringify(value)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in ${schema.enum.join('|')}`);
  if (typeof value === 'string') {
    if (typeof schema.maxLength === 'number' && Array.from(value).length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.format === 'date-time' && !(RFC3339.test(value) && !Number.isNaN(Date.parse(value)))) errors.push(`${at}: not an RFC 3339 date-time: ${value}`);
    if (schema.format === 'uri' && !URL.canParse(value)) errors.push(`${at}: not a URI: ${value}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.items) value.forEach((item, i) => errors.push(...schemaErrors(schema.items as TJsonSchema, item, `${at}[${i}]`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) if (!(name in record)) errors.push(`${at}: missing ${name}`);
    for (const [name, sub] of Object.entries((schema.properties as Record<string, TJsonSchema> | undefined) ?? {})) {
      if (name in record) errors.push(...schemaErrors(sub, record[name], `${at}.${name}`));
    }
  }
  return errors;
}

/** Assert a response body against an official schema file (and return it typed by our contract). */
function expectOfficial(file: string, body: unknown): void {
  expect(schemaErrors(loadSchema(file), body)).toEqual([]);
}

// ---------- the world ----------

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
let countyKey: string;
let townBKey: string;
let cadre: { authorization: string };
let town: { authorization: string };
let xia: Awaited<ReturnType<typeof loginVillager>>;
let villageName: string;
let townName: string;
const clock: TClock & { at: Date | null } = { at: null, now() { return this.at ?? new Date(); } };
const operator = { actorId: null, requestId: 'test', ip: null };

beforeAll(async () => {
  t = await createTestContext();
  t.services.clock = clock;
  world = await createWorld(t.services);
  countyKey = (await createClient(t.services, operator, { name: '12345 市民热线', regionCode: world.county })).apiKey;
  townBKey = (await createClient(t.services, operator, { name: '乙镇网格系统', regionCode: world.townB })).apiKey;
  cadre = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }], '王村干')).login);
  town = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }], '吴镇干')).login);
  xia = await loginVillager(t, world.villageA.phones[0]!);
  const names = await t.services.db.selectFrom('regions').select(['code', 'name']).where('code', 'in', [world.villageA.code, world.townA]).execute();
  villageName = names.find((r) => r.code === world.villageA.code)!.name;
  townName = names.find((r) => r.code === world.townA)!.name;
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url: `/open311/v2${url}` });
const postForm = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(fields).toString() });
const postJson = (body: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers, payload: body });
const api = (method: 'GET' | 'POST', url: string, auth: { authorization: string }, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: auth.authorization }, ...(payload ? { payload } : {}) });

/** The error list of a response, checked against the spec's shape; returns the descriptions. */
function expectErrors(response: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number): string[] {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/json');
  const errors = ZOpen311Errors.parse(JSON.parse(response.body));
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.every((e) => e.code === status)).toBe(true);
  return errors.map((e) => e.description);
}

/** The appeal behind a tracking number, as the village cadre sees it in /api/v1. */
async function appealOf(trackingNo: string) {
  const page = (await api('GET', `/appeals?region=${world.villageA.code}&q=${trackingNo}`, cadre)).json();
  expect(page.items).toHaveLength(1);
  return (await api('GET', `/appeals/${page.items[0].id}`, cadre)).json();
}

/** File one request (form) into village A and return its tracking number. */
async function file(fields: Record<string, string> = {}): Promise<string> {
  const response = await postForm({ api_key: countyKey, service_code: 'sanitation', description: '村口垃圾堆放多日无人清运', address_id: world.villageA.code, ...fields });
  expect(response.statusCode, response.body).toBe(200);
  return response.json()[0].service_request_id;
}

describe('reference schemas', () => {
  it('the copies beside the code are the shared reference files, byte for byte', () => {
    for (const f of SCHEMA_FILES) expect(existsSync(path.join(REFERENCE_DIR, f))).toBe(true);
    if (!existsSync(SHARED_DIR)) return; // a fresh clone without the shared folder: the copies stand alone
    for (const f of SCHEMA_FILES) expect(readFileSync(path.join(REFERENCE_DIR, f), 'utf8'), f).toBe(readFileSync(path.join(SHARED_DIR, f), 'utf8'));
  });

  it('the validator used here catches what the schemas forbid', () => {
    expect(schemaErrors(loadSchema('request.json'), { service_request_id: 'x', status: 'pending', service_code: 'a', requested_datetime: '2023-05-16 09:00' })).toHaveLength(2);
    expect(schemaErrors(loadSchema('services.json'), [{ service_code: 'a', service_name: 'b', metadata: 'no', type: 'realtime' }])).toHaveLength(1);
  });
});

describe('discovery, services, formats', () => {
  it('discovery lists the JSON endpoint', async () => {
    const response = await get('/discovery.json');
    expect(response.statusCode).toBe(200);
    const discovery = ZOpen311Discovery.parse(response.json());
    expect(discovery.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['application/json'] });
    expect(discovery.endpoints[0]!.url).toMatch(/\/open311\/v2$/);
  });

  it('services are the appeal categories, valid against services.json', async () => {
    const response = await get('/services.json');
    expect(response.statusCode).toBe(200);
    expectOfficial('services.json', response.json());
    const list = ZOpen311Services.parse(response.json());
    const categories = (await t.app.inject({ method: 'GET', url: '/api/v1/appeals/categories' })).json();
    expect(list.map((s) => s.service_code)).toEqual(categories.map((c: { code: string }) => c.code));
    expect(list.find((s) => s.service_code === 'traffic')).toMatchObject({ service_name: '交通出行', metadata: false, type: 'realtime', group: '群众诉求' });
    expect(list[0]!.description).toContain('address_id');
  });

  it('a service definition has no attributes (the village is address_id); an unknown code is a 404 error list', async () => {
    const response = await get('/services/traffic.json');
    expect(response.statusCode).toBe(200);
    expectOfficial('service-definition.json', response.json());
    expect(ZOpen311ServiceDefinition.parse(response.json())).toEqual({ service_code: 'traffic', attributes: [] });
    expect(expectErrors(await get('/services/potholes.json'), 404)[0]).toContain('potholes');
  });

  it('XML is refused with a clear 400; unknown endpoints are a 404 error list', async () => {
    for (const url of ['/services.xml', '/services/traffic.xml', '/requests.xml', '/discovery.xml']) {
      expect(expectErrors(await get(url), 400)[0]).toMatch(/only JSON/);
    }
    const postXml = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `api_key=${countyKey}` });
    expectErrors(postXml, 400);
    expect(expectErrors(await get('/nothing.json'), 404)[0]).toContain('discovery.json');
  });
});

describe('POST requests.json', () => {
  it('files a form-urlencoded request as an open311 appeal of the village, with the submitter kept for officials only', async () => {
    const response = await postForm({
      api_key: countyKey, service_code: 'traffic', description: '306路公交车停运一年了，老人去镇上看病很不方便', address_id: world.villageA.code,
      lat: '25.0312', long: '118.5291', address_string: '广桥村村口公交站', first_name: '丽华', last_name: '夏', phone: '+86 138-5900-1306', email: 'xia@example.com',
      media_url: 'https://example.com/bus.jpg',
    });
    expect(response.statusCode, response.body).toBe(200);
    const created = ZOpen311CreatedRequests.parse(response.json());
    expect(Object.keys(created[0]!).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
    expect(created).toHaveLength(1);
    expect(created[0]!.service_request_id).toMatch(new RegExp(`^${world.villageA.code}-\\d{8}-\\d{4}$`));
    expect(created[0]!.account_id).toBeNull();
    expect(created[0]!.service_notice).toContain('待受理');

    const appeal = await appealOf(created[0]!.service_request_id);
    expect(appeal).toMatchObject({ channel: 'open311', category: 'traffic', regionCode: world.villageA.code, status: 'submitted', isPublic: true, submitterName: '夏丽华', submitterPhone: '138****1306' });
    expect(appeal.content).toBe('306路公交车停运一年了，老人去镇上看病很不方便');
    const stored = await t.services.db.selectFrom('appeals').select(['raw', 'latitude', 'longitude', 'address', 'idempotencyOwner']).where('trackingNo', '=', created[0]!.service_request_id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.raw)).not.toContain(countyKey); // the key never lands in the record
    expect(stored).toMatchObject({ latitude: '25.031200', longitude: '118.529100', address: '广桥村村口公交站' });
    expect(stored.idempotencyOwner).toMatch(/^client:/);
  });

  it('files JSON with attribute[village_code]; a retry with the same Idempotency-Key creates nothing new', async () => {
    const body = { api_key: countyKey, service_code: 'sanitation', description: '河道两边垃圾很多，夏天有臭味', attribute: { village_code: world.villageA.code }, first_name: 'John', last_name: 'Smith', phone: '020-12345678' };
    const first = await postJson(body, { 'idempotency-key': 'hotline-ticket-000123' });
    expect(first.statusCode, first.body).toBe(200);
    const again = await postJson(body, { 'idempotency-key': 'hotline-ticket-000123' });
    expect(again.json()[0].service_request_id).toBe(first.json()[0].service_request_id);
    const count = await t.services.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotencyKey', '=', 'hotline-ticket-000123').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const appeal = await appealOf(first.json()[0].service_request_id);
    expect(appeal).toMatchObject({ channel: 'open311', submitterName: 'John Smith', submitterPhone: null }); // a landline is not kept as the mobile

    const flat = await postJson({ api_key: countyKey, service_code: 'sanitation', description: '公厕无人打扫已经一个月', 'attribute[village_code]': world.villageA.code });
    expect(flat.statusCode, flat.body).toBe(200);
    expectErrors(await postJson(body, { 'idempotency-key': 'bad key!' }), 400);
  });

  it('answers 403 for a missing, wrong or disabled api_key, before judging any field', async () => {
    expect(expectErrors(await postForm({ service_code: 'traffic', description: '路灯坏了好几个月了', address_id: world.villageA.code }), 403)[0]).toMatch(/api_key/);
    expect(expectErrors(await postForm({ api_key: 'o311_not-a-key', service_code: 'traffic', description: '路灯坏了好几个月了', address_id: world.villageA.code }), 403)[0]).toMatch(/invalid api_key/);
    expectErrors(await postForm({ api_key: 'o311_not-a-key' }), 403);
    const disabled = await createClient(t.services, operator, { name: '已停用系统', regionCode: world.county });
    await t.services.db.updateTable('open311Clients').set({ isActive: false }).where('id', '=', disabled.id).execute();
    expectErrors(await postForm({ api_key: disabled.apiKey, service_code: 'traffic', description: '路灯坏了好几个月了', address_id: world.villageA.code }), 403);
  });

  it('refuses a client filing outside its region and creates nothing', async () => {
    const before = await t.services.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const descriptions = expectErrors(await postForm({ api_key: townBKey, service_code: 'traffic', description: '路灯坏了好几个月了', address_id: world.villageA.code }), 403);
    expect(descriptions[0]).toContain(world.townB);
    expectErrors(await postForm({ api_key: countyKey, service_code: 'traffic', description: '路灯坏了好几个月了', address_id: world.otherVillage.code }), 403);
    const after = await t.services.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // Its own villages are fine.
    expect((await postForm({ api_key: townBKey, service_code: 'traffic', description: '路灯坏了好几个月了', address_id: world.villageB.code })).statusCode).toBe(200);
  });

  it('names the field in clear 400 errors: unknown service_code, missing description or village, bad numbers', async () => {
    const base = { api_key: countyKey, service_code: 'traffic', description: '路灯坏了好几个月了', address_id: world.villageA.code };
    expect(expectErrors(await postForm({ ...base, service_code: 'potholes' }), 400)[0]).toMatch(/^service_code: unknown service_code 'potholes'/);
    expect(expectErrors(await postForm({ ...base, description: '' }), 400)[0]).toMatch(/^description: required/);
    expect(expectErrors(await postForm({ ...base, description: '太短' }), 400)[0]).toMatch(/^description:/);
    const { address_id: _omitted, ...noVillage } = base;
    expect(expectErrors(await postForm({ ...noVillage, lat: '25.03', long: '118.52' }), 400)[0]).toMatch(/^address_id: required/);
    expect(expectErrors(await postForm({ ...base, address_id: '3505' }), 400)[0]).toMatch(/^address_id:/);
    expect(expectErrors(await postForm({ ...base, address_id: world.county }), 400)[0]).toMatch(/^address_id: not a village/);
    expect(expectErrors(await postForm({ ...base, lat: 'north', long: '118.5' }), 400)[0]).toMatch(/^lat:/);
    expect(expectErrors(await postForm({ ...base, lat: '25.03' }), 400)[0]).toMatch(/^long:/);
    expect(expectErrors(await postForm({ ...base, 'attribute[village_code]': world.villageB.code }), 400)[0]).toMatch(/^attribute\[village_code\]:/);
    expect(expectErrors(await postForm({ ...base, media_url: 'javascript:alert(1)' }), 400)[0]).toMatch(/^media_url:/);
    const several = expectErrors(await postForm({ api_key: countyKey }), 400);
    expect(several.map((d) => d.split(':')[0])).toEqual(expect.arrayContaining(['service_code', 'description']));
    expectErrors(await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/json' }, payload: '{"api_key": ' }), 400);
  });

  it('is rate limited per api_key (60 a minute) with the spec error list', async () => {
    const { apiKey } = await createClient(t.services, operator, { name: '压测系统', regionCode: world.county });
    for (let i = 0; i < 60; i++) expect((await postForm({ api_key: apiKey })).statusCode).toBe(400);
    const limited = await postForm({ api_key: apiKey });
    expectErrors(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Other keys are not affected.
    expect((await postForm({ api_key: countyKey })).statusCode).toBe(400);
  });
});

describe('GET requests.json and requests/{id}.json', () => {
  let privateId: string;
  let privateTrackingNo: string;

  beforeAll(async () => {
    const submitted = await api('POST', '/appeals', xia, { villageCode: world.villageA.code, category: 'cadre_conduct', content: '反映村干部作风问题，不公开', isPublic: false });
    expect(submitted.statusCode, submitted.body).toBe(200);
    privateId = submitted.json().id;
    privateTrackingNo = submitted.json().trackingNo;
  });

  it('lists public requests valid against requests.json, with every spec field and no personal data', async () => {
    const phoneTrackingNo = await file({ description: '路灯坏了，请联系我 13912345678 或身份证 350524199001011234 核实', first_name: '丽华', last_name: '夏', phone: '13859001306' });
    const response = await get('/requests.json');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expectOfficial('requests.json', body);
    const list = ZOpen311Requests.parse(body);
    const requestProperties = Object.keys(loadSchema('request.json').properties as object);
    for (const item of body) expect(Object.keys(item)).toEqual(expect.arrayContaining([...requestProperties, 'extended_attributes']));
    const mine = list.find((r) => r.service_request_id === phoneTrackingNo)!;
    expect(mine).toMatchObject({
      status: 'open', service_code: 'sanitation', service_name: '环境卫生', agency_responsible: villageName, address: villageName, address_id: world.villageA.code,
      media_url: null, zipcode: null, extended_attributes: { status_detail: 'submitted', holder_level: 'village', tracking_no: phoneTrackingNo },
    });
    expect(mine.requested_datetime).toMatch(/\+08:00$/);
    expect(mine.expected_datetime).toMatch(/\+08:00$/);
    expect(mine.description).toContain('139****5678');
    expect(mine.description).toContain('****1234');
    const text = response.body;
    for (const secret of ['13912345678', '350524199001011234', '13859001306', '夏丽华', '丽华', '王村干']) expect(text).not.toContain(secret);
    expect(list.map((r) => r.service_request_id)).not.toContain(privateTrackingNo);
  });

  it('private appeals are invisible: not listed, not by id, not in a service_request_id list, no updates', async () => {
    expectErrors(await get(`/requests/${privateTrackingNo}.json`), 404);
    expectErrors(await get(`/requests/${privateTrackingNo}/updates.json`), 404);
    expectErrors(await get('/requests/unknown-id.json'), 404);
    expect((await get(`/requests.json?service_request_id=${privateTrackingNo}`)).json()).toEqual([]);
    expect((await api('GET', `/appeals/${privateId}`, cadre)).json().isPublic).toBe(false);
  });

  it('filters by service_request_id (overriding the rest), service_code, status, start_date/end_date; 90-day window; page and page_size', async () => {
    const a = await file({ service_code: 'traffic', description: '公交站牌倒了没人扶' });
    const b = await file({ service_code: 'disputes', description: '邻里之间因为排水沟起了纠纷' });
    const ids = (await get(`/requests.json?service_request_id=${a},${b}&status=closed&service_code=housing_land`)).json();
    expect(ids.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([a, b].sort());
    const traffic = ZOpen311Requests.parse((await get('/requests.json?service_code=traffic,disputes')).json());
    expect(traffic.length).toBeGreaterThanOrEqual(2);
    expect(new Set(traffic.map((r) => r.service_code))).toEqual(new Set(['traffic', 'disputes']));
    expect((await get('/requests.json?status=closed')).json()).toEqual([]);
    expect((await get('/requests.json?status=open')).json().length).toBeGreaterThanOrEqual(2);

    // 51 requests filed in January 2025: outside the default 90-day window, found by dates.
    const bulk = await createClient(t.services, operator, { name: '批量系统', regionCode: world.county });
    for (let i = 0; i < 51; i++) {
      clock.at = new Date(Date.UTC(2025, 0, 10, 1, i));
      const r = await postForm({ api_key: bulk.apiKey, service_code: 'village_look', description: `第${i + 1}处乱堆乱放需要清理`, address_id: world.villageB.code });
      expect(r.statusCode, r.body).toBe(200);
    }
    clock.at = null;
    const recent = ZOpen311Requests.parse((await get('/requests.json?page_size=1000')).json());
    expect(recent.some((r) => r.service_code === 'village_look')).toBe(false);
    const january = (await get('/requests.json?start_date=2025-01-01T00:00:00%2B08:00&end_date=2025-02-01')).json();
    expectOfficial('requests.json', january);
    expect(january).toHaveLength(50); // the default page size
    expect(january[0].description).toBe('第51处乱堆乱放需要清理'); // newest first
    expect(january[0].requested_datetime).toBe('2025-01-10T09:50:00+08:00');
    expect((await get('/requests.json?start_date=2025-01-01&end_date=2025-02-01&page=2')).json()).toHaveLength(1);
    expect((await get('/requests.json?start_date=2025-01-01&end_date=2025-02-01&page_size=1000')).json()).toHaveLength(51);
    expect((await get('/requests.json?start_date=2025-01-01')).json()).toHaveLength(50); // start + 90 days
    expect((await get('/requests.json?end_date=2025-01-11&page_size=5')).json()).toHaveLength(5); // end − 90 days
    expect((await get('/requests.json?start_date=2025-01-10T09:49:00%2B08:00&end_date=2025-01-10T09:50:00%2B08:00')).json()).toHaveLength(2);

    expect(expectErrors(await get('/requests.json?start_date=2025-01-01&end_date=2025-06-01'), 400)[0]).toMatch(/^end_date: .*90 days/);
    expect(expectErrors(await get('/requests.json?start_date=2025-02-01&end_date=2025-01-01'), 400)[0]).toMatch(/^start_date:/);
    expect(expectErrors(await get('/requests.json?page_size=1001'), 400)[0]).toMatch(/^page_size:/);
    expect(expectErrors(await get('/requests.json?start_date=yesterday'), 400)[0]).toMatch(/^start_date:/);
    expect(expectErrors(await get('/requests.json?status=pending'), 400)[0]).toMatch(/^status:/);
    expect(expectErrors(await get('/requests.json?service_request_id=42'), 400)[0]).toMatch(/^service_request_id:/);
  });
});

describe('state mapping and history', () => {
  it('maps our states to open/closed as officials act; the holder is the agency; updates carry the public history only', async () => {
    const trackingNo = await file({ service_code: 'traffic', description: '村道坑洼严重，雨天积水无法通行', first_name: '丽华', last_name: '夏', phone: '13859001306' });
    const id = (await appealOf(trackingNo)).id;
    const one = async () => {
      const response = await get(`/requests/${trackingNo}.json`);
      expect(response.statusCode, response.body).toBe(200);
      expectOfficial('requests.json', response.json());
      const [request] = ZOpen311Requests.parse(response.json());
      return request!;
    };

    expect(await one()).toMatchObject({ status: 'open', agency_responsible: villageName, extended_attributes: { status_detail: 'submitted' } });
    expect((await api('POST', `/appeals/${id}/actions`, cadre, { action: 'accept', publicText: '已受理，安排人员查看', internalNote: '内部：反映人夏丽华情绪激动' })).statusCode).toBe(200);
    const accepted = await one();
    expect(accepted).toMatchObject({ status: 'open', status_notes: '已受理，安排人员查看', extended_attributes: { status_detail: 'accepted', holder_level: 'village' } });
    expect(accepted.expected_datetime).not.toBeNull();
    expect(accepted.service_notice).toContain('办理中');

    await api('POST', `/appeals/${id}/actions`, cadre, { action: 'escalate', reason: '村道修缮需镇里安排资金' });
    expect(await one()).toMatchObject({ status: 'open', agency_responsible: townName, extended_attributes: { status_detail: 'in_progress', holder_level: 'town' } });

    const resolved = await api('POST', `/appeals/${id}/actions`, town, { action: 'resolve', publicText: '已修补路面，联系人 13900001111' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const closed = await one();
    expect(closed).toMatchObject({ status: 'closed', status_notes: '已修补路面，联系人 139****1111', expected_datetime: null, extended_attributes: { status_detail: 'resolved', holder_level: 'town' } });
    expect(Date.parse(closed.updated_datetime!)).toBeGreaterThanOrEqual(Date.parse(closed.requested_datetime));
    expect(((await get(`/requests.json?status=closed&service_request_id=${trackingNo}`)).json() as unknown[]).length).toBe(1);
    expect((await get('/requests.json?status=closed')).json().map((r: { service_request_id: string }) => r.service_request_id)).toContain(trackingNo);
    expect((await get('/requests.json?status=open')).json().map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(trackingNo);

    const response = await get(`/requests/${trackingNo}/updates.json`);
    expect(response.statusCode).toBe(200);
    const updates = ZOpen311Updates.parse(response.json());
    expect(updates.map((u) => [u.extended_attributes.type, u.status])).toEqual([['submitted', 'open'], ['accepted', 'open'], ['escalated', 'open'], ['resolved', 'closed']]);
    expect(updates.every((u) => u.service_request_id === trackingNo && /\+08:00$/.test(u.updated_datetime))).toBe(true);
    expect(updates[2]!.extended_attributes).toMatchObject({ from_level: 'village', to_level: 'town', unit: townName });
    expect(updates[2]!.description).toContain('村道修缮需镇里安排资金');
    expect(new Set(updates.map((u) => u.update_id)).size).toBe(4);
    for (const secret of ['夏丽华', '13859001306', '王村干', '吴镇干', '内部', '13900001111']) expect(response.body).not.toContain(secret);
  });
});

describe('documentation', () => {
  it('the façade appears in the OpenAPI document', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/open311/v2/requests.json', '/open311/v2/requests/{id}/updates.json']));
  });
});
