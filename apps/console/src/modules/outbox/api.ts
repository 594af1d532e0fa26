import type { TOutboxMessage, TOutboxPage } from '@cunwu/contract';
import { http } from '@/api/http';

/** Query of `GET /outbox` (the contract's input type leaves the coerced `limit` as unknown). */
export interface TOutboxQuery {
  region: string;
  status?: TOutboxMessage['status'];
  channel?: TOutboxMessage['channel'];
  cursor?: string;
  limit?: number;
}

/** `GET /outbox`: outbound messages of a region, newest first, with counts per status. */
export function findOutbox(query: TOutboxQuery, signal?: AbortSignal): Promise<TOutboxPage> {
  return http.get<TOutboxPage>('/outbox', { ...query }, { signal });
}

/** `POST /outbox/{id}/retry`: send a failed or given-up message again now. */
export function retryOutboxMessage(id: string): Promise<TOutboxMessage> {
  return http.post<TOutboxMessage>(`/outbox/${encodeURIComponent(id)}/retry`);
}
