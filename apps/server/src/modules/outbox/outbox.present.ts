import type { TOutboxMessage } from '@cunwu/contract';
import type { TOutboxRow } from './outbox.repo';

const SUMMARY_MAX_CHARS = 80;

/** A one-line summary of a message: title and the start of the body. Never phones or credentials. */
export function summaryOf(payload: { title?: string | null; body?: string | null }): string {
  const text = `${payload.title ? `${payload.title}：` : ''}${payload.body ?? ''}`.replace(/\s+/g, ' ').trim();
  const chars = Array.from(text);
  return chars.length > SUMMARY_MAX_CHARS ? `${chars.slice(0, SUMMARY_MAX_CHARS - 1).join('')}…` : text;
}

/** An outbox row for the console. The payload itself (which may hold a phone) never leaves. */
export function presentOutboxMessage(row: TOutboxRow): TOutboxMessage {
  const isWaiting = row.status === 'pending' || row.status === 'failed';
  return {
    id: row.id,
    regionCode: row.regionCode,
    groupId: row.groupId,
    groupName: row.groupName,
    channel: row.channel,
    status: row.status,
    summary: summaryOf(row.payload),
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: isWaiting ? row.nextAttemptAt.toISOString() : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
