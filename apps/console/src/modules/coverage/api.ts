import type { TChildCoverage, TCoverage } from '@cunwu/contract';
import { http } from '@/api/http';

/** `GET /regions/{code}/coverage`: households and members in groups, and groups, of one region. */
export function fetchCoverage(code: string, signal?: AbortSignal): Promise<TCoverage> {
  return http.get<TCoverage>(`/regions/${encodeURIComponent(code)}/coverage`, undefined, { signal });
}

/** `GET /regions/{code}/coverage/children`: the same for each region one level down. */
export function fetchChildCoverage(code: string, signal?: AbortSignal): Promise<TChildCoverage> {
  return http.get<TChildCoverage>(`/regions/${encodeURIComponent(code)}/coverage/children`, undefined, { signal });
}
