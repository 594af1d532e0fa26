import { ERROR_CODES, type TErrorCode, type TMe, type TProblem } from '@cunwu/contract';
import { currentLocale, i18n } from '@/i18n';

/** Prefix of every API path. */
export const API_BASE = '/api/v1';

/** Give up on a request after this long: a weak 4G signal should end in a message, not a spinner. */
const TIMEOUT_MS = 20_000;

/** Codes the client produces itself when no readable answer arrived. */
export type TClientErrorCode = 'NETWORK_ERROR';

/** One field problem of a VALIDATION_FAILED answer. */
export interface TFieldError {
  field: string;
  reason: string;
}

/** The one error type every API call rejects with; `message` is already in the user's language. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  /** Build an error from its parts (the client builds these; pages only read them). */
  constructor(
    readonly code: TErrorCode | TClientErrorCode,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly status: number,
    message: string,
    readonly fieldErrors: TFieldError[] = [],
    /** Seconds from a `Retry-After` header (429), when the server sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Whether a thrown value is an ApiError, optionally with the given code. */
export function isApiError(value: unknown, code?: ApiError['code']): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.code === code);
}

/** A message for any thrown value, for toasts and error lines (the API's own words when it answered). */
export function errorMessage(error: unknown): string {
  return isApiError(error) ? error.message : i18n.global.t('common.unknownError');
}

let csrfToken: string | null = null;
let unauthenticatedHandler: (() => void) | null = null;

/** Remember the CSRF token (from login or `GET /me`) sent with every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Register what happens when the server says the session is gone (the router sends the user to login). */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}

/** Options of one request. */
export interface TRequestOptions {
  /** Body of a POST/PUT/PATCH/DELETE: sent as JSON, or as multipart when it is a FormData. */
  body?: unknown;
  /** Extra request headers (e.g. `Idempotency-Key` on creates). */
  headers?: Record<string, string>;
  /** Give up after this many milliseconds instead of the default (uploads of photos and voice take longer). */
  timeoutMs?: number;
  /** Do not route to login on 401 (the route guard's own session probe). */
  skipAuthRedirect?: boolean;
  /** Set on the one retry after a CSRF refresh, so a second failure is reported, not looped. */
  isCsrfRetry?: boolean;
  /** Read the answer as text instead of JSON (signed ledger checkpoints are text/plain). */
  responseType?: 'json' | 'text';
}

function isKnownCode(code: unknown): code is TErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

function codeForStatus(status: number): TErrorCode {
  const byStatus: Record<number, TErrorCode> = {
    400: 'VALIDATION_FAILED',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    423: 'ACCOUNT_LOCKED',
    429: 'RATE_LIMITED',
  };
  return byStatus[status] ?? 'INTERNAL';
}

function parseRetryAfter(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turn a non-2xx answer into an ApiError, whatever its body looks like. */
async function toApiError(response: Response): Promise<ApiError> {
  let problem: Partial<TProblem> = {};
  try {
    const body: unknown = await response.json();
    if (body !== null && typeof body === 'object') problem = body as Partial<TProblem>;
  } catch {
    // A proxy error page or an empty body: fall back to the status below.
  }
  const code = isKnownCode(problem.code) ? problem.code : codeForStatus(response.status);
  const isEnglish = currentLocale() === 'en';
  const serverMessage = isEnglish ? problem.messageEn : problem.message;
  const message = serverMessage || (isEnglish ? ERROR_CODES[code].en : ERROR_CODES[code].zh);
  const fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  return new ApiError(code, response.status, message, fieldErrors, parseRetryAfter(response.headers.get('retry-after')));
}

/** Send one request to the API and return its JSON answer (undefined for 204); rejects with ApiError. */
export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: TRequestOptions = {}): Promise<T> {
  const isText = options.responseType === 'text';
  // Errors still arrive as JSON problems, so a text request accepts both.
  const headers: Record<string, string> = { ...options.headers, accept: isText ? 'text/plain, application/json;q=0.9' : 'application/json' };
  const isMultipart = options.body instanceof FormData;
  // Multipart: the browser writes the content type with its boundary.
  if (options.body !== undefined && !isMultipart) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;

  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), options.timeoutMs ?? TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : isMultipart ? (options.body as FormData) : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: controller.signal,
    });
  } catch {
    throw new ApiError('NETWORK_ERROR', 0, i18n.global.t('common.networkError'));
  } finally {
    window.clearTimeout(timer);
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.code === 'UNAUTHENTICATED' && !options.skipAuthRedirect) unauthenticatedHandler?.();
    // The cookie outlived the token we hold (a new tab, a page opened from a WeChat chat): fetch
    // the current token once and repeat the request.
    if (error.code === 'CSRF_FAILED' && !options.isCsrfRetry) {
      const me = await request<TMe>('GET', '/me', { skipAuthRedirect: true }).catch(() => null);
      if (me?.csrfToken) {
        setCsrfToken(me.csrfToken);
        return request<T>(method, path, { ...options, isCsrfRetry: true });
      }
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  try {
    return (isText ? await response.text() : await response.json()) as T;
  } catch {
    throw new ApiError('INTERNAL', response.status, i18n.global.t('common.unknownError'));
  }
}

/** Shorthands for the request verbs the app uses. */
export const http = {
  /** GET a JSON resource. */
  get: <T>(path: string, options?: Omit<TRequestOptions, 'body' | 'responseType'>): Promise<T> => request<T>('GET', path, options),
  /** GET a plain-text resource. */
  getText: (path: string, options?: Omit<TRequestOptions, 'body' | 'responseType'>): Promise<string> =>
    request<string>('GET', path, { ...options, responseType: 'text' }),
  /** POST a JSON body, or a FormData as multipart. */
  post: <T>(path: string, body?: unknown, options?: Omit<TRequestOptions, 'body'>): Promise<T> => request<T>('POST', path, { ...options, body }),
  /** DELETE a resource (answers the resource's new state where the API does). */
  delete: <T>(path: string, options?: Omit<TRequestOptions, 'body'>): Promise<T> => request<T>('DELETE', path, options),
};
