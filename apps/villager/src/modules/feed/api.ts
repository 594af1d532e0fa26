import type { TFeedItem, TFeedPage, TPostMessageRequest, ZMyGroups } from '@cunwu/contract';
import { API_BASE, http } from '@/api/http';

/**
 * One supervision group (监督群) the villager belongs to, as `GET /me/groups` lists it. The contract
 * exports only the schema of that list, so the type is what its parser returns.
 */
export type TMyGroup = ReturnType<(typeof ZMyGroups)['parse']>[number];

/** Items fetched per page, on opening and for each "查看更早的消息". */
export const FEED_PAGE_SIZE = 30;

/** The groups whose feed this villager may open (possibly none). */
export function fetchMyGroups(): Promise<TMyGroup[]> {
  return http.get<TMyGroup[]>('/me/groups');
}

/** One page of a group's feed, newest first; `before` is the previous page's `nextCursor`. */
export function fetchFeedPage(groupId: string, options: { before?: string | null; limit?: number } = {}): Promise<TFeedPage> {
  const params = new URLSearchParams({ limit: String(options.limit ?? FEED_PAGE_SIZE) });
  if (options.before) params.set('before', options.before);
  return http.get<TFeedPage>(`/groups/${encodeURIComponent(groupId)}/feed?${params.toString()}`);
}

/** Post a member's message; resolves with the item as the server stored it. */
export function postFeedMessage(groupId: string, body: string): Promise<TFeedItem> {
  const payload: TPostMessageRequest = { body };
  return http.post<TFeedItem>(`/groups/${encodeURIComponent(groupId)}/messages`, payload);
}

/** Where the group's Server-Sent Events stream is (opened with `EventSource`, not through the http client). */
export function feedStreamUrl(groupId: string): string {
  return `${API_BASE}/groups/${encodeURIComponent(groupId)}/feed/stream`;
}
