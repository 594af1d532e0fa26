import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import {
  OPEN311_CHANGESET, OPEN311_LIMITS, ZOpen311CodeParams, ZOpen311CreatedRequests, ZOpen311Discovery, ZOpen311IdParams, ZOpen311IdempotencyKey,
  ZOpen311Requests, ZOpen311RequestsQuery, ZOpen311ServiceDefinition, ZOpen311Services, ZOpen311Updates,
} from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { tokenHash } from '../../kernel/auth';
import { AppError, invalid, translatePgError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import type { TServices } from '../../kernel/services';
import { presentErrors } from './open311.present';
import * as service from './open311.service';

/** Where the façade lives (outside /api/v1: its paths and shapes belong to the spec). */
export const OPEN311_PREFIX = '/open311/v2';
const FORM_BODY_BYTES = 64 * 1024;

/** The api_key a request carries: a form or JSON field, as the spec says; never the query string (URLs end up in logs). */
function apiKeyOf(request: FastifyRequest): unknown {
  const body = request.body as Record<string, unknown> | null | undefined;
  return body && typeof body === 'object' ? body.api_key : undefined;
}

/** Every failure under the prefix as the spec's error list, `[{ code, description }]`, never problem+json. */
function open311ErrorHandler(log: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error, log, String(request.id));
    if (appError.retryAfterSeconds) reply.header('retry-after', String(Math.ceil(appError.retryAfterSeconds)));
    return reply.status(appError.status).type('application/json; charset=utf-8').send(presentErrors(appError));
  };
}

function toAppError(error: FastifyError, log: Logger, requestId: string): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = error.validation.map((issue) => ({ field: issue.instancePath.split('/').filter(Boolean).join('.') || error.validationContext || 'request', reason: issue.message ?? 'invalid' }));
    return new AppError('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields);
  }
  if (isResponseSerializationError(error)) {
    log.error({ err: error, requestId }, 'open311 response does not match its schema');
    return new AppError('INTERNAL');
  }
  const pgError = translatePgError(error);
  if (pgError) return pgError;
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('VALIDATION_FAILED', `the body is not valid JSON / 请求体不是合法的 JSON: ${error.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'send application/x-www-form-urlencoded (the spec) or application/json / 请以表单或 JSON 提交');
    default:
      break;
  }
  if (error.statusCode === 429) return new AppError('RATE_LIMITED', `too many requests for this api_key; ${error.message} / 提交过于频繁，请稍后再试`);
  if (error instanceof SyntaxError || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) return new AppError('VALIDATION_FAILED', error.message);
  log.error({ err: error, requestId }, 'unhandled error in open311');
  return new AppError('INTERNAL');
}

/** Form bodies as the spec sends them; repeated fields keep the last value. */
function parseForm(body: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(body)) fields[key] = value;
  return fields;
}

/** Open311 GeoReport v2 (JSON only) under /open311/v2: services, requests, updates, discovery. */
export function open311Routes(app: TApp, services: TServices): void {
  void app.register(async (api: TApp) => {
    api.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_BYTES }, (_request, body, done) => {
      done(null, parseForm(body as string));
    });
    api.setErrorHandler(open311ErrorHandler(services.log));
    api.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!;
      const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
      const error = extension && extension !== 'json'
        ? new AppError('VALIDATION_FAILED', `only JSON is served: use .json instead of .${extension} / 仅提供 JSON 格式，请使用 .json`)
        : new AppError('NOT_FOUND', `no such endpoint: ${request.method} ${path}; the endpoints are listed in ${OPEN311_PREFIX}/discovery.json / 没有该接口`);
      return reply.status(error.status).type('application/json; charset=utf-8').send(presentErrors(error));
    });

    api.get('/discovery.json', {
      schema: { tags: ['open311'], summary: 'Open311 discovery: endpoints and formats', response: { 200: ZOpen311Discovery } },
    }, async (request) => {
      const base = `${(services.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '')}${OPEN311_PREFIX}`;
      return {
        changeset: OPEN311_CHANGESET,
        contact: '村务监督平台运维（市纪委监委）/ the platform operator of the city\'s discipline-inspection commission',
        key_service: 'API keys are issued by the platform operator (npm run cli -- open311:key --name NAME --region CODE); a key files only into villages under its region / API 密钥由平台运维签发，仅限本辖区',
        endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: OPEN311_CHANGESET, type: 'production' as const, formats: ['application/json'] }],
      };
    });

    api.get('/services.json', {
      schema: { tags: ['open311'], summary: 'Open311 services (the appeal categories)', response: { 200: ZOpen311Services } },
    }, async () => service.listServices(services));

    api.get('/services/:code.json', {
      schema: { tags: ['open311'], summary: 'Open311 service definition (no attributes: the village is address_id)', params: ZOpen311CodeParams, response: { 200: ZOpen311ServiceDefinition } },
    }, async (request) => service.getServiceDefinition(services, request.params.code));

    // The body is parsed in the handler, not by a route schema: a missing or wrong api_key must answer
    // 403 before any field is judged (authenticate → validate).
    api.post('/requests.json', {
      config: {
        rateLimit: {
          max: OPEN311_LIMITS.postsPerMinute,
          timeWindow: '1 minute',
          // After parsing, so the limit is per API key (its hash: no key is kept in memory); keyless calls count per address.
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => {
            const key = apiKeyOf(request);
            return typeof key === 'string' && key ? `open311:${tokenHash(key.trim()).toString('base64url')}` : `open311-ip:${request.ip}`;
          },
        },
      },
      schema: { tags: ['open311'], summary: 'Open311 create a service request (form-urlencoded or JSON; api_key required; Idempotency-Key honoured)', response: { 200: ZOpen311CreatedRequests } },
    }, async (request) => {
      const client = await service.authenticateClient(services, apiKeyOf(request));
      const header = request.headers['idempotency-key'];
      let idempotencyKey: string | undefined;
      if (header !== undefined) {
        const parsed = ZOpen311IdempotencyKey.safeParse(header);
        if (!parsed.success) throw invalid('Idempotency-Key', parsed.error.issues[0]?.message ?? 'invalid');
        idempotencyKey = parsed.data;
      }
      return service.fileRequest(services, client, request.body, { idempotencyKey });
    });

    api.get('/requests.json', {
      schema: { tags: ['open311'], summary: 'Open311 public service requests (filters: service_request_id, service_code, start_date, end_date, status; page, page_size)', querystring: ZOpen311RequestsQuery, response: { 200: ZOpen311Requests } },
    }, async (request) => service.findRequests(services, request.query));

    api.get('/requests/:id.json', {
      schema: { tags: ['open311'], summary: 'Open311 one public service request by tracking number', params: ZOpen311IdParams, response: { 200: ZOpen311Requests } },
    }, async (request) => service.findRequest(services, request.params.id));

    api.get('/requests/:id/updates.json', {
      schema: { tags: ['open311'], summary: 'Open311 extension: the public history of a service request', params: ZOpen311IdParams, response: { 200: ZOpen311Updates } },
    }, async (request) => service.findUpdates(services, request.params.id));
  }, { prefix: OPEN311_PREFIX });
}
