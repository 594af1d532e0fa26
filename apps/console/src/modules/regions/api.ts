import type { TRegion } from '@cunwu/contract';
import { http } from '@/api/http';

/** `GET /regions/{code}`: one region with its path and counts (404 outside the user's scope). */
export function fetchRegion(code: string, signal?: AbortSignal): Promise<TRegion> {
  return http.get<TRegion>(`/regions/${encodeURIComponent(code)}`, undefined, { signal });
}

/** `GET /regions/{code}/children`: the regions one level down. */
export function fetchRegionChildren(code: string, signal?: AbortSignal): Promise<TRegion[]> {
  return http.get<TRegion[]>(`/regions/${encodeURIComponent(code)}/children`, undefined, { signal });
}
