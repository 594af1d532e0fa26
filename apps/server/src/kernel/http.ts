import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { TAuditContext } from './audit';
import type { TAuthResult } from './auth';
import { AppError, problemOf, translatePgError, type TFieldError } from './errors';
import type { Logger } from './logger';
import type { TActor } from './policy';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook under /api/v1; null for anonymous requests. */
    auth: TAuthResult | null;
    /** True when a session cookie came without its CSRF token on a write. */
    csrfRejected: boolean;
  }
}

/** The authenticated actor, or UNAUTHENTICATED. */
export function requireActor(request: FastifyRequest): TActor {
  if (!request.auth) throw new AppError(request.csrfRejected ? 'CSRF_FAILED' : 'UNAUTHENTICATED');
  return request.auth.actor;
}

/** The actor when logged in, else null (public routes that show more to members). */
export function optionalActor(request: FastifyRequest): TActor | null {
  return request.auth?.actor ?? null;
}

/** Audit context of a request. */
export function auditContext(request: FastifyRequest): TAuditContext {
  return { actorId: request.auth?.actor.userId ?? null, requestId: String(request.id), ip: request.ip };
}

/**
 * The single error handler: our AppErrors, schema validation, Fastify's own client errors and
 * PostgreSQL errors become problem+json with a stable code; anything else is a logged 500.
 */
export function errorHandler(log: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const requestId = String(request.id);
    const send = (appError: AppError) => {
      if (appError.retryAfterSeconds) reply.header('retry-after', String(Math.ceil(appError.retryAfterSeconds)));
      return reply
        .status(appError.status)
        .type('application/problem+json')
        .send(problemOf(appError.code, { detail: appError.detail, errors: appError.fieldErrors, requestId }));
    };

    if (error instanceof AppError) return send(error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields: TFieldError[] = error.validation.map((issue) => ({
        field: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.') || String(issue.params?.issue ?? ''),
        reason: issue.message ?? 'invalid',
      }));
      return send(new AppError('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields));
    }
    if (isResponseSerializationError(error)) {
      log.error({ err: error, requestId }, 'response does not match its schema');
      return send(new AppError('INTERNAL'));
    }
    const pgError = translatePgError(error);
    if (pgError) return send(pgError);
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(new AppError('MALFORMED_JSON', error.message));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
      case 'FST_FILES_LIMIT':
      case 'FST_PARTS_LIMIT':
        return send(new AppError('PAYLOAD_TOO_LARGE', error.message));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        return send(new AppError('UNSUPPORTED_MEDIA_TYPE', error.message));
      default:
        break;
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return send(new AppError('MALFORMED_JSON', error.message));
    }
    if (error.statusCode === 429) return send(new AppError('RATE_LIMITED'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(new AppError('VALIDATION_FAILED', error.message));
    }
    log.error({ err: error, requestId }, 'unhandled error');
    return send(new AppError('INTERNAL'));
  };
}

/** Validate data that did not come through a route schema (multipart fields, files) with one error shape. */
export function parseOrThrow<S extends import('zod').ZodType>(schema: S, data: unknown): import('zod').infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', reason: issue.message }));
  throw new AppError('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), fields);
}
