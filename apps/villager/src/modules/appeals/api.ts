import type { TAppeal, TAppealCategory, TAppealFeedbackRequest, TAppealListItem, TAppealStatus, TSubmitAppealRequest, ZSubmitAppealResponse } from '@cunwu/contract';
import { http } from '@/api/http';

/** Answer to a submission: the tracking number and similar open appeals of the village. */
export type TSubmitAppealResponse = ReturnType<(typeof ZSubmitAppealResponse)['parse']>;

/** One page of an appeal list. */
export interface TAppealPage {
  items: TAppealListItem[];
  nextCursor: string | null;
}

/** The lists a villager has: what he filed, what he follows, the public appeals of his village. */
export type TAppealView = 'mine' | 'following' | 'public';

/** Appeals fetched per page of a list. */
export const APPEAL_PAGE_SIZE = 20;

/** Uploading up to nine photos and a recording over a weak 4G signal takes longer than a JSON call. */
const UPLOAD_TIMEOUT_MS = 180_000;

/** The categories (交通出行, 环境卫生 …) in their configured order. */
export function fetchCategories(): Promise<TAppealCategory[]> {
  return http.get<TAppealCategory[]>('/appeals/categories');
}

/**
 * File an appeal. The same `idempotencyKey` on a retry answers the first appeal instead of filing a
 * second one, so a double tap or a lost answer never files twice.
 */
export function submitAppeal(body: TSubmitAppealRequest, idempotencyKey: string): Promise<TSubmitAppealResponse> {
  return http.post<TSubmitAppealResponse>('/appeals', body, { headers: { 'idempotency-key': idempotencyKey } });
}

/** One file to attach: a recording (field `voice`) or a photo (field `photo`). */
export interface TAppealUpload {
  kind: 'voice' | 'photo';
  blob: Blob;
  fileName: string;
}

/** Attach the recording and photos in one multipart request (the server keeps each file once by hash). */
export function uploadAppealFiles(id: string, files: readonly TAppealUpload[]): Promise<TAppeal> {
  const form = new FormData();
  for (const file of files) form.append(file.kind, file.blob, file.fileName);
  return http.post<TAppeal>(`/appeals/${encodeURIComponent(id)}/files`, form, { timeoutMs: UPLOAD_TIMEOUT_MS });
}

/** One page of a list, newest first; `cursor` is the previous page's `nextCursor`. */
export function fetchAppeals(view: TAppealView, options: { cursor?: string | null; limit?: number; statuses?: readonly TAppealStatus[] } = {}): Promise<TAppealPage> {
  const params = new URLSearchParams({ view, limit: String(options.limit ?? APPEAL_PAGE_SIZE) });
  if (options.cursor) params.set('cursor', options.cursor);
  if (options.statuses?.length) params.set('status', options.statuses.join(','));
  return http.get<TAppealPage>(`/appeals?${params.toString()}`);
}

/** One appeal with its timeline, as this villager may see it. */
export function fetchAppeal(id: string): Promise<TAppeal> {
  return http.get<TAppeal>(`/appeals/${encodeURIComponent(id)}`);
}

/** The submitter rates the result; "unsatisfied" (没解决) reopens the appeal. */
export function rateAppeal(id: string, body: TAppealFeedbackRequest): Promise<TAppeal> {
  return http.post<TAppeal>(`/appeals/${encodeURIComponent(id)}/feedback`, body);
}

/** The submitter answers a request for more information (待补充), which restarts the handling. */
export function resumeAppeal(id: string, publicText: string): Promise<TAppeal> {
  return http.post<TAppeal>(`/appeals/${encodeURIComponent(id)}/actions`, { action: 'resume', publicText });
}

/** Follow an appeal of the village (its public steps then show in 我关注的), or stop following it. */
export function setFollowing(id: string, isFollowing: boolean): Promise<TAppeal> {
  const path = `/appeals/${encodeURIComponent(id)}/follow`;
  return isFollowing ? http.post<TAppeal>(path) : http.delete<TAppeal>(path);
}
