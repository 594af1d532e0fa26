import { ERROR_CODES, type TErrorCode, type TProblem } from '@cunwu/contract';
import { isEnglish, pickBilingual, translate } from '@/i18n';

/** Base path of the JSON API. */
export const API_BASE = '/api/v1';

/** Codes the client itself produces when no problem+json came back. */
export type TClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

/** One field problem, with `field` normalised to a dotted path (`roles.0.regionCode`). */
export interface TFieldError {
  field: string;
  reason: string;
}

/** Every failed request ends up as this: a stable code, the HTTP status and a localized message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: TErrorCode | TClientErrorCode,
    readonly status: number,
    message: string,
    readonly fieldErrors: TFieldError[] = [],
    /** Seconds to wait, from `Retry-After` (rate limiting, lockout). */
    readonly retryAfterSeconds: number | null = null,
    /** The server's specific explanation (e.g. why a state change was refused), in the current language when bilingual. */
    readonly detail: string | null = null,
  ) {
    super(message);
  }

  /** Whether this error has the given code. */
  is(code: TErrorCode | TClientErrorCode): boolean {
    return this.code === code;
  }
}

/** Whether a value is an {@link ApiError}. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** A message for any thrown value, for toasts and alerts. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  return translate('errors.unexpected');
}

type TQueryValue = string | number | boolean | null | undefined;

/** Options of one request. */
export interface TRequestOptions {
  query?: Record<string, TQueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not run the global "session ended → login page" handler on 401 (login, the session probe). */
  isAuthProbe?: boolean;
  /** Extra headers, e.g. an `Idempotency-Key` that makes a retried create safe. */
  headers?: Record<string, string>;
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;
let refreshCsrf: (() => Promise<string | null>) | null = null;

/** Remember the CSRF token from the login answer or `GET /me`; sent on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Register what happens when the server says the session is gone (the router sends the user to login). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/** Register how to fetch a fresh CSRF token (used once when the server rejects a stale one). */
export function setCsrfRefresher(refresher: () => Promise<string | null>): void {
  refreshCsrf = refresher;
}

function buildUrl(path: string, query?: Record<string, TQueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

function parseRetryAfter(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Servers and tools write field paths as `roles[0].regionCode`, `/roles/0/regionCode` or `roles.0.regionCode`. */
function normaliseField(field: string): string {
  return field
    .replace(/^\/+/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.')
    .replace(/^body\./, '');
}

function isKnownCode(code: unknown): code is TErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** The single error path: turn any non-2xx response into an ApiError. */
async function toApiError(response: Response): Promise<ApiError> {
  let problem: Partial<TProblem> | null = null;
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object') problem = parsed as Partial<TProblem>;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status.
  }
  const code: TErrorCode | TClientErrorCode = isKnownCode(problem?.code)
    ? problem.code
    : response.status === 401
      ? 'UNAUTHENTICATED'
      : response.status === 403
        ? 'FORBIDDEN'
        : response.status === 404
          ? 'NOT_FOUND'
          : response.status === 429
            ? 'RATE_LIMITED'
            : response.status >= 500
              ? 'INTERNAL'
              : 'BAD_RESPONSE';
  const english = isEnglish();
  const fromServer = english ? problem?.messageEn : problem?.message;
  const fromContract = code === 'BAD_RESPONSE' ? undefined : ERROR_CODES[code as TErrorCode]?.[english ? 'en' : 'zh'];
  const message = fromServer || fromContract || translate('errors.badResponse', { status: response.status });
  const fieldErrors = (problem?.errors ?? []).map((e) => ({
    field: normaliseField(String(e.field ?? '')),
    reason: pickBilingual(String(e.reason ?? '')),
  }));
  return new ApiError(code, response.status, message, fieldErrors, parseRetryAfter(response), problem?.detail ? pickBilingual(String(problem.detail)) : null);
}

async function send(method: string, path: string, options: TRequestOptions): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json, application/problem+json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: string | FormData | undefined;
  if (options.body instanceof FormData) {
    // Multipart uploads: the browser writes the content type with its boundary.
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('NETWORK', 0, translate('errors.network'));
  }
}

/** Send one JSON request; resolves with the parsed body (undefined for 204) or throws an ApiError. */
export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, options: TRequestOptions = {}): Promise<T> {
  let response = await send(method, path, options);
  if (!response.ok && response.status === 403 && method !== 'GET' && refreshCsrf) {
    const error = await toApiError(response.clone());
    // A stale CSRF token (e.g. after the session was renewed in another tab): refresh once and retry.
    if (error.is('CSRF_FAILED')) {
      setCsrfToken(await refreshCsrf());
      response = await send(method, path, options);
    }
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && error.is('UNAUTHENTICATED') && !options.isAuthProbe) onUnauthenticated?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Typed shorthands over {@link request}. */
export const http = {
  /** GET with query parameters. */
  get: <T>(path: string, query?: TRequestOptions['query'], options: Omit<TRequestOptions, 'query' | 'body'> = {}) =>
    request<T>('GET', path, { ...options, query }),
  /** POST a JSON body, or a FormData as multipart. */
  post: <T>(path: string, body?: unknown, options: Omit<TRequestOptions, 'body'> = {}) => request<T>('POST', path, { ...options, body }),
  /** PATCH a JSON body. */
  patch: <T>(path: string, body?: unknown, options: Omit<TRequestOptions, 'body'> = {}) => request<T>('PATCH', path, { ...options, body }),
  /** DELETE a resource. */
  delete: <T>(path: string, options: Omit<TRequestOptions, 'body'> = {}) => request<T>('DELETE', path, options),
};

/** Bytes of a multipart body sent so far, for an upload's progress bar. */
export interface TUploadProgress {
  loaded: number;
  total: number;
  /** 0–100. */
  percent: number;
}

/** Options of {@link upload}. */
export interface TUploadOptions {
  onProgress?: (progress: TUploadProgress) => void;
  signal?: AbortSignal;
}

/** XMLHttpRequest instead of fetch: fetch cannot report upload progress. The answer becomes a Response for the one error path. */
function sendWithProgress(path: string, form: FormData, options: TUploadOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException('The upload was aborted', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path));
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable || event.total === 0) return;
      options.onProgress?.({ loaded: event.loaded, total: event.total, percent: Math.min(100, Math.floor((event.loaded / event.total) * 100)) });
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status > 599) {
        reject(new ApiError('NETWORK', 0, translate('errors.network')));
        return;
      }
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const hasBody = ![204, 205, 304].includes(xhr.status);
      resolve(new Response(hasBody ? xhr.responseText : null, { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new ApiError('NETWORK', 0, translate('errors.network')));
    xhr.onabort = () => reject(new DOMException('The upload was aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** POST a multipart form with upload progress; same CSRF retry and error path as {@link request}. */
export async function upload<T>(path: string, form: FormData, options: TUploadOptions = {}): Promise<T> {
  let response = await sendWithProgress(path, form, options);
  if (!response.ok && response.status === 403 && refreshCsrf) {
    const error = await toApiError(response.clone());
    if (error.is('CSRF_FAILED')) {
      setCsrfToken(await refreshCsrf());
      response = await sendWithProgress(path, form, options);
    }
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && error.is('UNAUTHENTICATED')) onUnauthenticated?.();
    throw error;
  }
  const text = response.status === 204 ? '' : await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
