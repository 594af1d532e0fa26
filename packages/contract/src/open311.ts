import { z } from 'zod';
import { APPEAL_LIMITS, APPEAL_STATUSES, HOLDER_LEVELS, type TAppealStatus } from './appeals';

/**
 * Open311 GeoReport v2 façade (DESIGN §5): outside systems file appeals and read public ones. Field
 * names are the spec's snake_case on purpose — these shapes belong to the spec, not to our API.
 * JSON only; responses validate against the official schemas (open311/schema-validation, georeport-v2).
 */

/** Limits of the façade. */
export const OPEN311_LIMITS = {
  /** `GET requests.json` page size when none is asked for. */
  pageSizeDefault: 50,
  /** The most results one `GET requests.json` answers. */
  pageSizeMax: 1000,
  /** Default search window, and the widest start_date…end_date span (spec: 90 days). */
  windowDays: 90,
  /** Tracking numbers in one `service_request_id` list. */
  requestIdsMax: 100,
  /** `POST requests.json` per API key per minute. */
  postsPerMinute: 60,
  /** Description length (spec: 4000; same as an appeal's content). */
  descriptionMax: APPEAL_LIMITS.contentMax,
} as const;

/** When this façade last changed (the discovery document's changeset). */
export const OPEN311_CHANGESET = '2026-11-28T00:00:00+08:00';

/** Open311's two states. */
export const OPEN311_STATUSES = ['open', 'closed'] as const;
/** An Open311 state. */
export type TOpen311Status = (typeof OPEN311_STATUSES)[number];

/** Our richer appeal states seen from outside (mapped at the edge, never stored). */
export const OPEN311_STATUS_OF: Record<TAppealStatus, TOpen311Status> = {
  submitted: 'open', accepted: 'open', in_progress: 'open', waiting: 'open', reopened: 'open',
  resolved: 'closed', closed: 'closed', rejected: 'closed', merged: 'closed',
};

/** Our states an Open311 state stands for (the `status` filter). */
export function appealStatusesOf(status: TOpen311Status): TAppealStatus[] {
  return APPEAL_STATUSES.filter((s) => OPEN311_STATUS_OF[s] === status);
}

// Timeline steps that open or close an appeal; every other step (urge, comment, rating …) leaves it as it was.
const OPENING_EVENTS = new Set(['submitted', 'accepted', 'escalated', 'diverted', 'waiting', 'resumed', 'reopened']);
const CLOSING_EVENTS = new Set(['resolved', 'rejected', 'merged', 'closed']);

/** The Open311 state right after a timeline step, given the state before it. */
export function open311StatusAfter(eventType: string, before: TOpen311Status): TOpen311Status {
  if (OPENING_EVENTS.has(eventType)) return 'open';
  if (CLOSING_EVENTS.has(eventType)) return 'closed';
  return before;
}

/** Tracking number of an appeal (the Open311 service_request_id): 350524107201-20230516-0042. */
export const ZTrackingNo = z.string().regex(/^\d{12}-\d{8}-\d{4,6}$/, 'not a tracking number like 350524107201-20230516-0042 / 编号格式有误');

/** An ISO 8601 date-time with its offset (`2023-05-16T09:00:00+08:00`), as every Open311 time is sent. */
const ZDateTime = z.iso.datetime({ offset: true });

/** `GET services.json` item (service.json). */
export const ZOpen311Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string().nullable(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string().nullable(),
  group: z.string().nullable(),
});
/** Service DTO. */
export type TOpen311Service = z.infer<typeof ZOpen311Service>;
/** `GET services.json` (services.json). */
export const ZOpen311Services = z.array(ZOpen311Service);

/** One attribute of a service definition (service-definition.json). */
export const ZOpen311Attribute = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: z.string().nullable(),
  order: z.number().int().nullable(),
  description: z.string().nullable(),
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});
/** `GET services/{code}.json` (service-definition.json). */
export const ZOpen311ServiceDefinition = z.object({ service_code: z.string(), attributes: z.array(ZOpen311Attribute) });
/** Service definition DTO. */
export type TOpen311ServiceDefinition = z.infer<typeof ZOpen311ServiceDefinition>;

/** A service request as outside systems see it (request.json) plus our extension. Never personal data. */
export const ZOpen311Request = z.object({
  service_request_id: z.string(),
  status: z.enum(OPEN311_STATUSES),
  /** The latest public text of the timeline. */
  status_notes: z.string().nullable(),
  service_name: z.string().nullable(),
  service_code: z.string(),
  description: z.string().max(OPEN311_LIMITS.descriptionMax).nullable(),
  /** The unit holding it now (村, 镇, 县, 市 or a bureau). */
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: ZDateTime,
  updated_datetime: ZDateTime.nullable(),
  /** The current stage's due time (受理/办理期限); null once closed or while paused. */
  expected_datetime: ZDateTime.nullable(),
  address: z.string().nullable(),
  /** The village's 12-digit statistical division code (统计用区划代码). */
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.url().nullable(),
  /** Extension (the spec allows extra fields): our state behind open/closed. */
  extended_attributes: z.object({
    status_detail: z.enum(APPEAL_STATUSES),
    holder_level: z.enum(HOLDER_LEVELS),
    tracking_no: z.string(),
  }),
});
/** Request DTO. */
export type TOpen311Request = z.infer<typeof ZOpen311Request>;
/** `GET requests.json`, `GET requests/{id}.json` (requests.json). */
export const ZOpen311Requests = z.array(ZOpen311Request);

/** `POST requests.json` answer item. */
export const ZOpen311CreatedRequest = z.object({
  service_request_id: z.string(),
  service_notice: z.string().nullable(),
  account_id: z.string().nullable(),
});
/** `POST requests.json` answer (always one item). */
export const ZOpen311CreatedRequests = z.array(ZOpen311CreatedRequest);
/** Created DTO. */
export type TOpen311CreatedRequest = z.infer<typeof ZOpen311CreatedRequest>;

/** One public step of a request's history (`GET requests/{id}/updates.json`, an extension). */
export const ZOpen311Update = z.object({
  update_id: z.string(),
  service_request_id: z.string(),
  status: z.enum(OPEN311_STATUSES),
  description: z.string().nullable(),
  updated_datetime: ZDateTime,
  extended_attributes: z.object({
    /** Our event type: submitted, accepted, escalated, diverted, resolved … */
    type: z.string(),
    from_level: z.enum(HOLDER_LEVELS).nullable(),
    to_level: z.enum(HOLDER_LEVELS).nullable(),
    /** The unit it went to (a region's name or a bureau). */
    unit: z.string().nullable(),
  }),
});
/** Update DTO. */
export type TOpen311Update = z.infer<typeof ZOpen311Update>;
/** The history of one request. */
export const ZOpen311Updates = z.array(ZOpen311Update);

/** Error item, as the spec sends them: the HTTP status and a description. */
export const ZOpen311Error = z.object({ code: z.number().int(), description: z.string() });
/** Error body (always an array). */
export const ZOpen311Errors = z.array(ZOpen311Error);
/** Error DTO. */
export type TOpen311Error = z.infer<typeof ZOpen311Error>;

/** `GET discovery.json`. */
export const ZOpen311Discovery = z.object({
  changeset: ZDateTime,
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(z.object({
    specification: z.string(),
    url: z.string(),
    changeset: ZDateTime,
    type: z.enum(['production', 'test']),
    formats: z.array(z.string()),
  })),
});
/** Discovery DTO. */
export type TOpen311Discovery = z.infer<typeof ZOpen311Discovery>;

/** A comma list of the spec's filters (`service_code=a,b`, `status=open,closed`). */
const commaList = <T extends z.ZodType<string>>(item: T, max: number) =>
  z.string().trim().max(max * 40).transform((value, ctx) => {
    const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
    if (parts.length > max) ctx.addIssue({ code: 'custom', message: `at most ${max} values / 最多 ${max} 个` });
    const parsed: z.output<T>[] = [];
    for (const part of parts) {
      const result = item.safeParse(part);
      if (result.success) parsed.push(result.data);
      else ctx.addIssue({ code: 'custom', message: `${part}: ${result.error.issues[0]?.message ?? 'invalid'}` });
    }
    return parsed;
  });

/**
 * A time filter: full ISO 8601 with offset or Z; without one (or a bare date) it is China time,
 * the platform's clock.
 */
const ZTimeFilter = z.string().trim().max(40).transform((value, ctx) => {
  const local = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$/.test(value);
  const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const normalised = local ? `${value.length === 10 ? `${value}T00:00:00` : value}+08:00` : value;
  const instant = new Date(normalised);
  if ((!local && !withOffset) || Number.isNaN(instant.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'use ISO 8601, e.g. 2023-05-16T09:00:00+08:00 / 时间格式须为 ISO 8601' });
    return z.NEVER;
  }
  return instant;
});

/** Category codes are the service codes. */
const ZServiceCode = z.string().regex(/^[a-z_]{2,32}$/, 'not a service_code / 服务代码格式有误');

/** `GET requests.json` query (spec filters, plus page/page_size as many Open311 servers do). */
export const ZOpen311RequestsQuery = z.object({
  /** Comma list; overrides every other filter (spec). */
  service_request_id: commaList(ZTrackingNo, OPEN311_LIMITS.requestIdsMax).optional(),
  service_code: commaList(ZServiceCode, 50).optional(),
  start_date: ZTimeFilter.optional(),
  end_date: ZTimeFilter.optional(),
  status: commaList(z.enum(OPEN311_STATUSES), 2).optional(),
  page_size: z.coerce.number().int().min(1).max(OPEN311_LIMITS.pageSizeMax).default(OPEN311_LIMITS.pageSizeDefault),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  /** Accepted and ignored: this server answers for one jurisdiction. */
  jurisdiction_id: z.string().max(100).optional(),
});
/** Requests query. */
export type TOpen311RequestsQuery = z.output<typeof ZOpen311RequestsQuery>;

/** `services/{code}.json`, `requests/{id}.json` parameters. */
export const ZOpen311CodeParams = z.object({ code: z.string().max(64) });
/** Tracking-number path parameter (anything else simply is not found). */
export const ZOpen311IdParams = z.object({ id: z.string().max(64) });

/** `Idempotency-Key` header of `POST requests.json`: a retry with the same key answers the first request. */
export const ZOpen311IdempotencyKey = z.string().trim().min(8).max(100).regex(/^[\w.:-]+$/, '8–100 letters, digits or . _ : - / 幂等键须为8至100个字母、数字或 . _ : -');

/** Form fields arrive as strings; an empty field means "not given". */
const optionalText = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(max).optional());
const optionalNumber = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v), z.number({ error: 'must be a number / 须为数字' }).min(min).max(max).optional());

/**
 * `POST requests.json` (form-urlencoded per the spec, or JSON). `api_key` is checked before this
 * schema; `attribute[village_code]` arrives flattened into `attribute.village_code`.
 */
export const ZOpen311CreateRequest = z.object({
  api_key: optionalText(200),
  jurisdiction_id: optionalText(100),
  service_code: z.preprocess((v) => (v === '' ? undefined : v), z.string({ error: 'required / 必填' }).trim().pipe(ZServiceCode)),
  description: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string({ error: 'required: describe the problem / 请描述问题' }).trim().min(5, 'at least 5 characters / 请至少写5个字').max(OPEN311_LIMITS.descriptionMax),
  ),
  lat: optionalNumber(-90, 90),
  long: optionalNumber(-180, 180),
  address_string: optionalText(200),
  /** The village's 12-digit code: how villages are addressed (the service definition has no attributes). */
  address_id: optionalText(32).pipe(z.string().regex(/^\d{12}$/, 'the 12-digit village code / 须为12位村（社区）区划代码').optional()),
  /** Alias of address_id for clients that send attributes; both must agree when both are sent. */
  attribute: z.object({ village_code: optionalText(32).pipe(z.string().regex(/^\d{12}$/, 'the 12-digit village code / 须为12位村（社区）区划代码').optional()) }).loose().optional(),
  email: optionalText(254),
  device_id: optionalText(100),
  account_id: optionalText(100),
  first_name: optionalText(32),
  last_name: optionalText(32),
  phone: optionalText(32),
  media_url: optionalText(2000).pipe(z.url({ protocol: /^https?$/, error: 'an http(s) URL / 须为 http(s) 地址' }).optional()),
});
/** Create request (parsed). */
export type TOpen311CreateRequest = z.output<typeof ZOpen311CreateRequest>;
