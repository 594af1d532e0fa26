import type { TRegion } from '@cunwu/contract';
import { http } from '@/api/http';

/** One region (the villager's own village) with its path and counts. */
export function fetchRegion(code: string): Promise<TRegion> {
  return http.get<TRegion>(`/regions/${encodeURIComponent(code)}`);
}
