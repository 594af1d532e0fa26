import { sql, type SqlBool } from 'kysely';
import type { OUTBOX_STATUSES } from '@cunwu/contract';
import type { TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';
import { inScope } from '../../kernel/scope';
import type { TChannel, TClaimedMessage } from './adapters';
import type { TEnqueueInput, TOutboundPayload } from './outbox.types';

/** A delivery state. */
export type TOutboxStatus = (typeof OUTBOX_STATUSES)[number];

// Multi-row inserts stay well under PostgreSQL's 65,535 parameters.
const INSERT_CHUNK = 500;

/** Queue messages; a (channel, dedupe key) already queued is skipped. Returns what was inserted. */
export async function insertOutbound(tx: TTx, rows: TEnqueueInput[]): Promise<{ id: string; channel: string; dedupeKey: string; groupId: string | null }[]> {
  const inserted: { id: string; channel: string; dedupeKey: string; groupId: string | null }[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    inserted.push(
      ...(await tx
        .insertInto('outboxMessages')
        .values(chunk.map((r) => ({ regionCode: r.regionCode, groupId: r.groupId ?? null, channel: r.channel, dedupeKey: r.dedupeKey, payload: JSON.stringify(r.payload) })))
        .onConflict((oc) => oc.columns(['channel', 'dedupeKey']).doNothing())
        .returning(['id', 'channel', 'dedupeKey', 'groupId'])
        .execute()),
    );
  }
  return inserted;
}

/**
 * Rows whose worker vanished (still `sending` after the lease ran out) go back to `failed`, due at
 * once, or to `dead` after the last allowed attempt: a message that kills its worker every time must
 * not loop forever. Kept apart from the claim so that the claim reads only the partial index of due
 * rows (status pending/failed); this statement wants an index on next_attempt_at WHERE status =
 * 'sending' once the table is large.
 */
export async function releaseExpiredLeases(tx: TTx, now: Date, maxAttempts: number): Promise<number> {
  const result = await tx
    .updateTable('outboxMessages')
    .set({
      status: sql`CASE WHEN attempts >= ${maxAttempts} THEN 'dead' ELSE 'failed' END`,
      lastError: sql`left(coalesce(last_error || '; ', '') || 'worker lost during attempt ' || attempts, 300)`,
      updatedAt: now,
    })
    .where('status', '=', 'sending')
    .where('nextAttemptAt', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Claim due messages for this worker in one statement: `FOR UPDATE SKIP LOCKED` lets concurrent
 * workers take disjoint rows; the row is `sending` with `next_attempt_at` = lease end once this
 * commits, so nobody else takes it until the lease has expired (see releaseExpiredLeases). The
 * attempt is counted here, so `attempts` fences the finishing update against a late worker.
 */
export async function claimDue(tx: TTx, options: { now: Date; leaseUntil: Date; limit: number }): Promise<TClaimedMessage[]> {
  const { now, leaseUntil, limit } = options;
  const result = await sql<TClaimedMessage>`
    WITH due AS (
      SELECT id FROM outbox_messages
      WHERE status IN ('pending', 'failed') AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, created_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE outbox_messages o
    SET status = 'sending', attempts = o.attempts + 1, next_attempt_at = ${leaseUntil}, updated_at = ${now}
    FROM due WHERE o.id = due.id
    RETURNING o.id, o.region_code AS "regionCode", o.group_id AS "groupId", o.channel, o.dedupe_key AS "dedupeKey",
      o.payload, o.attempts, o.created_at AS "createdAt",
      (SELECT g.wecom_webhook_url FROM supervision_groups g WHERE g.id = o.group_id) AS "webhookUrl",
      coalesce((SELECT g.is_active FROM supervision_groups g WHERE g.id = o.group_id), true) AS "isGroupActive"`.execute(tx);
  // The oldest first, so a group's notices go out in the order they were written.
  return (result.rows as (TClaimedMessage & { createdAt: Date })[]).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

/** Finish a claimed row; false when the claim was lost (lease expired and another worker took it). */
export async function finishClaim(
  tx: TTx,
  claim: { id: string; attempts: number },
  outcome: { status: 'delivered'; now: Date } | { status: 'failed' | 'dead'; now: Date; error: string; nextAttemptAt: Date } | { status: 'released'; now: Date; nextAttemptAt: Date },
): Promise<boolean> {
  const base = tx.updateTable('outboxMessages').where('id', '=', claim.id).where('status', '=', 'sending').where('attempts', '=', claim.attempts);
  let query;
  switch (outcome.status) {
    case 'delivered':
      query = base.set({ status: 'delivered', deliveredAt: outcome.now, lastError: null, updatedAt: outcome.now });
      break;
    case 'released':
      // Not sent (rate limit): give the attempt back.
      query = base.set({
        status: sql`CASE WHEN attempts <= 1 THEN 'pending' ELSE 'failed' END`,
        attempts: sql`greatest(attempts - 1, 0)`,
        nextAttemptAt: outcome.nextAttemptAt,
        updatedAt: outcome.now,
      });
      break;
    default:
      query = base.set({ status: outcome.status, lastError: outcome.error.slice(0, 300), nextAttemptAt: outcome.nextAttemptAt, updatedAt: outcome.now });
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An outbox row as the console lists it. */
export interface TOutboxRow {
  id: string;
  regionCode: string;
  groupId: string | null;
  groupName: string | null;
  channel: TChannel;
  status: TOutboxStatus;
  payload: TOutboundPayload;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
  /** created_at with microseconds, for exact keyset cursors. */
  cursorAt: string;
}

const cursorAt = sql<string>`to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function selectRows(tx: TTx) {
  return tx
    .selectFrom('outboxMessages as o')
    .leftJoin('supervisionGroups as g', 'g.id', 'o.groupId')
    .select(['o.id', 'o.regionCode', 'o.groupId', 'g.name as groupName', 'o.channel', 'o.status', 'o.payload', 'o.attempts', 'o.lastError', 'o.nextAttemptAt', 'o.deliveredAt', 'o.createdAt', cursorAt.as('cursorAt')]);
}

/** A page of messages under a region prefix, inside the scope; newest first, keyset on (created_at, id). */
export async function findOutboxPage(
  tx: TTx,
  scope: TScope,
  filter: { prefix: string; status?: TOutboxStatus; channel?: TChannel; after?: { at: string; id: string }; limit: number },
): Promise<TOutboxRow[]> {
  let query = selectRows(tx)
    .where('o.regionCode', 'like', `${filter.prefix}%`)
    .where((eb) => inScope(eb, 'o.region_code', scope));
  if (filter.status) query = query.where('o.status', '=', filter.status);
  if (filter.channel) query = query.where('o.channel', '=', filter.channel);
  if (filter.after) query = query.where(sql<SqlBool>`(o.created_at, o.id) < (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`);
  return (await query.orderBy('o.createdAt', 'desc').orderBy('o.id', 'desc').limit(filter.limit).execute()) as unknown as TOutboxRow[];
}

/** Counts per status under a region prefix, inside the scope. */
export async function countOutboxByStatus(tx: TTx, scope: TScope, prefix: string): Promise<Map<string, number>> {
  const rows = await tx
    .selectFrom('outboxMessages as o')
    .select(['o.status', sql<number>`count(*)::int`.as('n')])
    .where('o.regionCode', 'like', `${prefix}%`)
    .where((eb) => inScope(eb, 'o.region_code', scope))
    .groupBy('o.status')
    .execute();
  return new Map(rows.map((r) => [r.status, r.n]));
}

/** One message inside the scope, locked for an update when `forUpdate`. */
export async function findOutboxMessage(tx: TTx, scope: TScope, id: string, options: { forUpdate?: boolean } = {}): Promise<TOutboxRow | undefined> {
  let query = selectRows(tx)
    .where('o.id', '=', id)
    .where((eb) => inScope(eb, 'o.region_code', scope));
  if (options.forUpdate) query = query.forUpdate('o');
  return (await query.executeTakeFirst()) as unknown as TOutboxRow | undefined;
}

/** Put a failed or dead message back in the queue with a fresh set of attempts. */
export async function requeueMessage(tx: TTx, id: string, now: Date): Promise<void> {
  await tx.updateTable('outboxMessages').set({ status: 'pending', attempts: 0, nextAttemptAt: now, updatedAt: now }).where('id', '=', id).where('status', 'in', ['failed', 'dead']).execute();
}
