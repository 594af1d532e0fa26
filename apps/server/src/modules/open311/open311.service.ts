import { randomBytes } from 'node:crypto';
import {
  OPEN311_LIMITS, ZOpen311CreateRequest, ZSubmitAppealRequest, appealStatusesOf, isWithinRegion,
  type TOpen311CreatedRequest, type TOpen311Request, type TOpen311RequestsQuery, type TOpen311ServiceDefinition, type TOpen311Service, type TOpen311Update,
} from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { tokenHash } from '../../kernel/auth';
import { AppError, invalid, type TFieldError } from '../../kernel/errors';
import type { TServices } from '../../kernel/services';
import { getPublicAppeal, listCategories, listPublicAppeals, submitAppealFromIntegration } from '../appeals';
import { presentRequest, presentService, presentUpdates, serviceNotice } from './open311.present';
import * as repo from './open311.repo';

/** An outside system allowed to file appeals (Open311 API client). */
export interface TOpen311Client {
  id: string;
  name: string;
  /** Scope: it may file only into villages under this region. */
  regionCode: string;
}

const DAY_MS = 86_400_000;
const ATTRIBUTE_KEY = /^attribute\[([\w-]{1,64})\]$/;

/** The client behind an API key; a missing, unknown or disabled key is a 403 (the spec's answer). */
export async function authenticateClient(services: TServices, apiKey: unknown): Promise<TOpen311Client> {
  if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new AppError('FORBIDDEN', 'api_key is required to create a request / 提交诉求须提供 api_key');
  const client = apiKey.length <= 200 ? await repo.findActiveClientByKeyHash(services.db, tokenHash(apiKey.trim())) : undefined;
  if (!client) throw new AppError('FORBIDDEN', 'invalid api_key received, cannot create the request / api_key 无效');
  await repo.touchClient(services.db, client.id, services.clock.now());
  return client;
}

/** Issue a key for an outside system; only its hash is stored, so the key is returned (shown) once. */
export async function createClient(services: TServices, ctx: TAuditContext, input: { name: string; regionCode: string }): Promise<TOpen311Client & { apiKey: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw invalid('name', '1–100 characters / 名称须为1至100个字符');
  const region = await repo.findRegion(services.db, input.regionCode);
  if (!region) throw invalid('region', `no region ${input.regionCode} / 区划不存在`);
  const apiKey = `o311_${randomBytes(32).toString('base64url')}`;
  const created = await services.db.transaction().execute(async (tx) => {
    const row = await repo.insertClient(tx, { name, keyHash: tokenHash(apiKey), regionCode: region.code });
    await recordAudit(tx, ctx, { action: 'open311.client.create', entityType: 'open311_client', entityId: row.id, regionCode: region.code, details: { name } });
    return row;
  });
  return { id: created.id, name, regionCode: region.code, apiKey };
}

/** The appeal categories as Open311 services. */
export async function listServices(services: TServices): Promise<TOpen311Service[]> {
  return (await listCategories(services)).map(presentService);
}

/**
 * A service's definition. No attributes: villages are addressed by the core field `address_id`
 * (which is why services say `metadata: false`); `attribute[village_code]` is accepted as an alias.
 */
export async function getServiceDefinition(services: TServices, code: string): Promise<TOpen311ServiceDefinition> {
  if (!(await listCategories(services)).some((c) => c.code === code)) throw new AppError('NOT_FOUND', `no service_code '${code}' / 服务代码不存在`);
  return { service_code: code, attributes: [] };
}

/** Form and JSON bodies alike: `attribute[x]` keys become `attribute.x`. */
function normaliseBody(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return out;
  const attribute: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const match = ATTRIBUTE_KEY.exec(key);
    if (match) attribute[match[1]!] = value;
    else if (key === 'attribute' && value && typeof value === 'object' && !Array.isArray(value)) Object.assign(attribute, value);
    else out[key] = value;
  }
  if (Object.keys(attribute).length) out.attribute = attribute;
  return out;
}

/** Parse with the contract schema; field problems are named as the spec names the fields. */
function parseRequest(body: unknown) {
  const result = ZOpen311CreateRequest.safeParse(normaliseBody(body));
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => {
    const [head, ...rest] = issue.path.map(String);
    return { field: head === 'attribute' && rest.length ? `attribute[${rest.join('.')}]` : (head ?? 'body'), reason: issue.message };
  });
  throw new AppError('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields);
}

/** A mainland mobile number from what a client sent (+86, spaces and dashes tolerated), else null. */
function mainlandMobile(phone: string | undefined): string | null {
  const digits = phone?.replace(/[\s()-]/g, '').replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '') ?? '';
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** Chinese names read family name first without a space; Latin ones "first last". */
function fullName(first: string | undefined, last: string | undefined): string | undefined {
  const parts = [first, last].filter((p): p is string => Boolean(p));
  if (parts.length === 0) return undefined;
  const isChinese = parts.every((p) => /^[\p{Script=Han}·]+$/u.test(p));
  return (isChinese ? [last, first].filter(Boolean).join('') : parts.join(' ')).slice(0, 32);
}

// Our intake's field names → the spec's, so a refusal names what the client actually sent.
const SPEC_FIELD: Record<string, string> = {
  villageCode: 'address_id', category: 'service_code', content: 'description', latitude: 'lat', longitude: 'long', address: 'address_string',
  submitterName: 'first_name', submitterPhone: 'phone',
};

function renameFields(error: unknown): unknown {
  if (!(error instanceof AppError) || !error.fieldErrors?.length) return error;
  const fields: TFieldError[] = error.fieldErrors.map((f) => ({ field: SPEC_FIELD[f.field] ?? f.field, reason: f.reason }));
  return new AppError(error.code, fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields);
}

/**
 * `POST requests.json`: validate, check the client's region, and file through the appeals intake
 * (channel open311; the client owns its idempotency keys). Answers the tracking number.
 */
export async function fileRequest(services: TServices, client: TOpen311Client, body: unknown, options: { idempotencyKey?: string }): Promise<TOpen311CreatedRequest[]> {
  const input = parseRequest(body);
  const villageCode = input.address_id ?? input.attribute?.village_code;
  if (input.address_id && input.attribute?.village_code && input.address_id !== input.attribute.village_code) {
    throw invalid('attribute[village_code]', 'differs from address_id; send one of them / 与 address_id 不一致');
  }
  if (!villageCode) {
    throw invalid('address_id', 'required: the 12-digit division code of the village (lat/long and address_string alone cannot be placed) / 请用 address_id 指定村（社区）的12位区划代码');
  }
  if ((input.lat === undefined) !== (input.long === undefined)) throw invalid(input.lat === undefined ? 'lat' : 'long', 'send lat and long together / 经纬度须同时提供');
  const categories = await listCategories(services);
  if (!categories.some((c) => c.code === input.service_code)) {
    throw invalid('service_code', `unknown service_code '${input.service_code}'; one of ${categories.map((c) => c.code).join(', ')} / 服务代码不存在`);
  }
  if (!isWithinRegion(villageCode, client.regionCode)) {
    throw new AppError('FORBIDDEN', `this api_key may file only into villages under ${client.regionCode} / 该 api_key 只能提交本辖区村（社区）的诉求`);
  }
  const submit = ZSubmitAppealRequest.safeParse({
    villageCode,
    category: input.service_code,
    content: input.description,
    isPublic: true,
    latitude: input.lat,
    longitude: input.long,
    address: input.address_string,
    submitterName: fullName(input.first_name, input.last_name),
    submitterPhone: mainlandMobile(input.phone) ?? undefined,
  });
  if (!submit.success) {
    const fields = submit.error.issues.map((i) => ({ field: String(i.path[0] ?? 'body'), reason: i.message }));
    throw renameFields(new AppError('VALIDATION_FAILED', undefined, fields));
  }
  // Stored raw as received, minus the key: a secret never goes into the appeal's record.
  const { api_key: _key, ...raw } = input;
  const created = await submitAppealFromIntegration(services, client, submit.data, { idempotencyKey: options.idempotencyKey, raw: { open311: raw, client: client.name } })
    .catch((error: unknown) => {
      throw renameFields(error);
    });
  const [appeal] = await listPublicAppeals(services, { trackingNos: [created.trackingNo], limit: 1 });
  return [{
    service_request_id: created.trackingNo,
    service_notice: appeal ? serviceNotice(appeal) : null,
    account_id: null,
  }];
}

/**
 * `GET requests.json`: public appeals only. `service_request_id` overrides every other filter (spec);
 * otherwise the window is the last 90 days unless start_date/end_date say otherwise, never wider.
 */
export async function findRequests(services: TServices, query: TOpen311RequestsQuery): Promise<TOpen311Request[]> {
  const page = { limit: query.page_size, offset: (query.page - 1) * query.page_size };
  if (query.service_request_id) {
    return (await listPublicAppeals(services, { trackingNos: query.service_request_id, ...page })).map(presentRequest);
  }
  const window = OPEN311_LIMITS.windowDays * DAY_MS;
  const end = query.end_date ?? (query.start_date ? new Date(query.start_date.getTime() + window) : services.clock.now());
  const start = query.start_date ?? new Date(end.getTime() - window);
  if (start > end) throw invalid('start_date', 'must not be after end_date / 开始时间不能晚于结束时间');
  if (end.getTime() - start.getTime() > window) throw invalid('end_date', `start_date…end_date may not span more than ${OPEN311_LIMITS.windowDays} days / 时间范围不能超过${OPEN311_LIMITS.windowDays}天`);
  const statuses = query.status?.length === 1 ? appealStatusesOf(query.status[0]!) : undefined;
  const rows = await listPublicAppeals(services, { categories: query.service_code, statuses, createdFrom: start, createdTo: end, ...page });
  return rows.map(presentRequest);
}

async function requirePublic(services: TServices, id: string) {
  const found = await getPublicAppeal(services, id);
  if (!found) throw new AppError('NOT_FOUND', `no service request '${id}' / 诉求不存在或未公开`);
  return found;
}

/** `GET requests/{id}.json`: one public appeal by tracking number (a private one is not found). */
export async function findRequest(services: TServices, id: string): Promise<TOpen311Request[]> {
  return [presentRequest((await requirePublic(services, id)).appeal)];
}

/** `GET requests/{id}/updates.json`: its public history (no internal notes, no actors). */
export async function findUpdates(services: TServices, id: string): Promise<TOpen311Update[]> {
  const { appeal, timeline } = await requirePublic(services, id);
  return presentUpdates(appeal.trackingNo, timeline);
}
