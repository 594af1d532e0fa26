import type {
  TAppeal,
  TAppealActionRequest,
  TAppealCategory,
  TAppealListItem,
  TAppealStats,
  TDepartment,
  TSubmitAppealRequest,
  ZSubmitAppealResponse,
} from '@cunwu/contract';
import { API_BASE, http } from '@/api/http';

/** A page of appeals. */
export interface TAppealPage {
  items: TAppealListItem[];
  nextCursor: string | null;
}

/** Answer of a registration: the new appeal and similar open ones of the village. */
export type TSubmitAppealResponse = ReturnType<(typeof ZSubmitAppealResponse)['parse']>;

/** Query of `GET /appeals` as the console uses it. */
export interface TAppealQuery {
  view: 'worklist' | 'all';
  region?: string;
  /** Comma-separated states. */
  status?: string;
  category?: string;
  due?: 'overdue' | 'soon' | 'new';
  q?: string;
  cursor?: string;
  limit?: number;
}

const appealPath = (id: string): string => `/appeals/${encodeURIComponent(id)}`;

/** `GET /appeals`: the worklist (what my level or department holds now) or everything in a region. */
export function findAppeals(query: TAppealQuery, signal?: AbortSignal): Promise<TAppealPage> {
  return http.get<TAppealPage>('/appeals', { ...query }, { signal });
}

/** `GET /appeals/{id}`: one appeal with its timeline and the actions the viewer may take. */
export function fetchAppeal(id: string, signal?: AbortSignal): Promise<TAppeal> {
  return http.get<TAppeal>(appealPath(id), undefined, { signal });
}

/** `POST /appeals/{id}/actions`: accept, escalate, divert, resolve … ; answers the appeal as it is now. */
export function actOnAppeal(id: string, body: TAppealActionRequest): Promise<TAppeal> {
  return http.post<TAppeal>(`${appealPath(id)}/actions`, body);
}

/** `POST /appeals`: an official registers a call, a visit or a chat post. */
export function registerAppeal(body: TSubmitAppealRequest, idempotencyKey: string): Promise<TSubmitAppealResponse> {
  return http.post<TSubmitAppealResponse>('/appeals', body, { headers: { 'idempotency-key': idempotencyKey } });
}

/** `GET /appeals/categories`. */
export function fetchCategories(): Promise<TAppealCategory[]> {
  return http.get<TAppealCategory[]>('/appeals/categories');
}

/** `GET /departments?region=`: departments of a region and below, plus those of the regions above. */
export function fetchDepartments(region: string, signal?: AbortSignal): Promise<TDepartment[]> {
  return http.get<TDepartment[]>('/departments', { region }, { signal });
}

/** Region and date range of the statistics. */
export interface TStatsQuery {
  region: string;
  from?: string;
  to?: string;
}

/** `GET /appeals/stats`: totals and breakdowns by month, category, child region and department. */
export function fetchAppealStats(query: TStatsQuery, signal?: AbortSignal): Promise<TAppealStats> {
  return http.get<TAppealStats>('/appeals/stats', { ...query }, { signal });
}

/** Address of the Excel export of the same statistics (a plain download; the session cookie goes along). */
export function appealStatsExportUrl(query: TStatsQuery): string {
  const params = new URLSearchParams({ region: query.region });
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  return `${API_BASE}/appeals/stats/export?${params.toString()}`;
}

/** A fresh idempotency key for one registration draft (works on plain-http intranets too). */
export function newDraftKey(): string {
  const random = typeof crypto !== 'undefined' && 'getRandomValues' in crypto ? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('') : `${Date.now()}${Math.random().toString(16).slice(2)}`;
  return `console-${random}`;
}
