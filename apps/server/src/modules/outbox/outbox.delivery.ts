import { OUTBOX_MAX_ATTEMPTS } from '@cunwu/contract';
import type { TServices } from '../../kernel/services';
import { defaultAdapters, type TAdapters, type TClaimedMessage, type TDeliveryResult } from './adapters';
import * as repo from './outbox.repo';

/** First retry after ~30 s, doubling, never more than an hour apart. */
export const BACKOFF_BASE_MS = 30_000;
/** Longest wait between two attempts. */
export const BACKOFF_MAX_MS = 3_600_000;
/**
 * How long a claimed row belongs to its worker. A worker handles at most CLAIM_BATCH rows of at most
 * one adapter timeout (10 s) each before it claims again, far inside the lease; a row whose worker
 * died is taken up again once the lease has run out.
 */
export const LEASE_MS = 5 * 60_000;
const CLAIM_BATCH = 10;

/** Wait before the next attempt after `attempts` failed ones: 30 s · 2^(attempts−1), capped, ±20 % jitter. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
  // Jitter spreads the retries of many messages that failed together (a robot outage) over time.
  return Math.min(BACKOFF_MAX_MS, Math.round(base * (0.8 + 0.4 * random())));
}

/** What one run did. */
export interface TDeliveryReport {
  delivered: number;
  failed: number;
  dead: number;
  deferred: number;
  /** Claims that expired under us and were finished by another worker. */
  lost: number;
}

function publicUrlOf(services: TServices): string {
  return (services.config.publicUrl ?? `http://localhost:${services.config.port}`).replace(/\/$/, '');
}

async function deliverOne(services: TServices, adapters: TAdapters, message: TClaimedMessage, report: TDeliveryReport): Promise<void> {
  const adapter = adapters[message.channel];
  let result: TDeliveryResult;
  try {
    result = adapter
      ? await adapter.deliver(message, { services, now: services.clock.now(), publicUrl: publicUrlOf(services) })
      : { outcome: 'dead', error: `no adapter for channel ${message.channel}` };
  } catch (error) {
    result = { outcome: 'retry', error: `adapter error: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300) };
  }
  const now = services.clock.now();
  const claim = { id: message.id, attempts: message.attempts };
  let isOwned: boolean;
  switch (result.outcome) {
    case 'delivered':
      isOwned = await repo.finishClaim(services.db, claim, { status: 'delivered', now });
      report.delivered++;
      break;
    case 'deferred':
      isOwned = await repo.finishClaim(services.db, claim, { status: 'released', now, nextAttemptAt: result.retryAt });
      report.deferred++;
      break;
    case 'dead':
      isOwned = await repo.finishClaim(services.db, claim, { status: 'dead', now, error: result.error, nextAttemptAt: now });
      report.dead++;
      break;
    case 'retry': {
      const isLast = message.attempts >= OUTBOX_MAX_ATTEMPTS;
      const wait = Math.max(backoffMs(message.attempts), result.retryAfterMs ?? 0);
      isOwned = await repo.finishClaim(services.db, claim, { status: isLast ? 'dead' : 'failed', now, error: result.error, nextAttemptAt: new Date(now.getTime() + wait) });
      if (isLast) report.dead++;
      else report.failed++;
      break;
    }
  }
  if (!isOwned) {
    report.lost++;
    services.log.warn({ outboxId: message.id, channel: message.channel }, 'outbox claim expired before the attempt finished');
  }
  if (result.outcome === 'retry' || result.outcome === 'dead') {
    services.log.warn({ outboxId: message.id, channel: message.channel, attempts: message.attempts, outcome: result.outcome, error: result.error }, 'outbound message not delivered');
  }
}

/**
 * Deliver what is due, up to `limit` messages: claim a small batch (FOR UPDATE SKIP LOCKED, marked
 * `sending` under a lease), send each through its channel's adapter, record delivered / failed with
 * back-off / dead, repeat. Safe to run concurrently in any number of processes: rows are claimed by
 * one worker at a time, and a finishing update only applies while the claim is still its own.
 */
export async function deliverDueMessages(services: TServices, options: { limit?: number; adapters?: TAdapters } = {}): Promise<TDeliveryReport> {
  const adapters = options.adapters ?? defaultAdapters();
  const report: TDeliveryReport = { delivered: 0, failed: 0, dead: 0, deferred: 0, lost: 0 };
  let remaining = options.limit ?? 200;
  await repo.releaseExpiredLeases(services.db, services.clock.now(), OUTBOX_MAX_ATTEMPTS);
  while (remaining > 0) {
    const now = services.clock.now();
    const batch = await repo.claimDue(services.db, { now, leaseUntil: new Date(now.getTime() + LEASE_MS), limit: Math.min(CLAIM_BATCH, remaining) });
    if (batch.length === 0) break;
    remaining -= batch.length;
    for (const message of batch) await deliverOne(services, adapters, message, report);
  }
  return report;
}
