import { createHash } from 'node:crypto';
import { regionPrefix, type TListOutboxQuery, type TOutboxMessage, type TOutboxPage, OUTBOX_STATUSES } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import type { TTx } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { decodeTimeCursor, encodeTimeCursor } from '../../kernel/cursor';
import { notify } from '../../kernel/notify';
import { authorize, isInScope, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { presentOutboxMessage, summaryOf } from './outbox.present';
import * as repo from './outbox.repo';
import type { TEnqueueInput, TGroupNotice, TOutboundGroup, TOutboundPayload } from './outbox.types';

/** Channel every enqueue notifies (after commit); the processes that run jobs start a delivery. */
export const OUTBOX_DUE_CHANNEL = 'outbox.due';

/**
 * Queue outbound messages inside the caller's business transaction. ON CONFLICT (channel,
 * dedupe_key) DO NOTHING: the same business change never queues twice. Returns the inserted rows.
 */
export async function enqueueOutboundMany(tx: TTx, inputs: TEnqueueInput[]): Promise<{ id: string; channel: string; dedupeKey: string; groupId: string | null }[]> {
  if (inputs.length === 0) return [];
  const inserted = await repo.insertOutbound(tx, inputs);
  // Heard only after commit: a delivery never starts before the rows are visible.
  if (inserted.length > 0) await notify(tx, OUTBOX_DUE_CHANNEL, '');
  return inserted;
}

/** Queue one outbound message; returns its id, or null when this (channel, dedupe key) was queued before. */
export async function enqueueOutbound(tx: TTx, input: TEnqueueInput): Promise<string | null> {
  const [row] = await enqueueOutboundMany(tx, [input]);
  return row?.id ?? null;
}

/** A dedupe-key part for a phone: stable, but the number itself stays out of the key. */
function phoneKey(phone: string): string {
  return createHash('sha256').update(`phone:${phone}`).digest('hex').slice(0, 20);
}

/** Only what the web row needs to be told apart in the console; the feed row holds the text. */
function webPayload(notice: TGroupNotice, feedMessageId: string): TOutboundPayload {
  return { topic: notice.topic ?? null, title: notice.title ?? null, body: summaryOf({ body: notice.body }), link: notice.link ?? null, feedMessageId };
}

/**
 * Fan a notice out to groups' channels: `web` (the feed row written in the same transaction),
 * `wecom` when the group has a robot webhook, and `sms` to the optional addressees (once per phone
 * and notice, whatever the number of groups). Returns the ids of the groups whose web row is new,
 * i.e. the groups this business change had not reached before (callers write feed rows for those).
 */
export async function enqueueForGroups(tx: TTx, groups: TOutboundGroup[], notice: TGroupNotice): Promise<Set<string>> {
  const payload: TOutboundPayload = { topic: notice.topic ?? null, title: notice.title ?? null, body: notice.body, link: notice.link ?? null, format: notice.format };
  const inputs: TEnqueueInput[] = [];
  for (const group of groups) {
    const key = `${notice.dedupeKey}:${group.id}`;
    if (group.feedMessageId) inputs.push({ regionCode: group.regionCode, groupId: group.id, channel: 'web', dedupeKey: key, payload: webPayload(notice, group.feedMessageId) });
    if (group.hasWebhook) inputs.push({ regionCode: group.regionCode, groupId: group.id, channel: 'wecom', dedupeKey: key, payload });
  }
  const first = groups[0];
  if (first) {
    for (const phone of new Set(notice.phones ?? [])) {
      inputs.push({ regionCode: first.regionCode, groupId: first.id, channel: 'sms', dedupeKey: `${notice.dedupeKey}:${phoneKey(phone)}`, payload: { ...payload, phone } });
    }
  }
  const inserted = await enqueueOutboundMany(tx, inputs);
  return new Set(inserted.filter((r) => r.channel === 'web' && r.groupId).map((r) => r.groupId!));
}

/** `enqueueForGroups` for one group; true when the web row is new (or no web row was asked for and something was queued). */
export async function enqueueForGroup(tx: TTx, group: TOutboundGroup, notice: TGroupNotice): Promise<boolean> {
  const fresh = await enqueueForGroups(tx, [group], notice);
  return fresh.has(group.id);
}



/** Page through the outbox of a region (officials; scope enforced in the query). */
export async function listOutbox(services: TServices, actor: TActor, query: TListOutboxQuery & { limit: number }): Promise<TOutboxPage> {
  const scope = authorize(actor, 'outbox.read');
  if (!isInScope(scope, query.region)) throw new AppError('NOT_FOUND', `region ${query.region}`);
  const prefix = regionPrefix(query.region);
  const after = query.cursor ? decodeTimeCursor(query.cursor) : undefined;
  const [rows, counts] = await Promise.all([
    repo.findOutboxPage(services.db, scope, { prefix, status: query.status, channel: query.channel, after, limit: query.limit + 1 }),
    repo.countOutboxByStatus(services.db, scope, prefix),
  ]);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(presentOutboxMessage),
    nextCursor: rows.length > query.limit ? encodeTimeCursor({ at: page[page.length - 1]!.cursorAt, id: page[page.length - 1]!.id }) : null,
    counts: Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, counts.get(s) ?? 0])) as TOutboxPage['counts'],
  };
}

/** Send a failed or dead message again (after its cause was fixed, e.g. a new webhook); audited. */
export async function retryMessage(services: TServices, actor: TActor, ctx: TAuditContext, id: string): Promise<TOutboxMessage> {
  const scope = authorize(actor, 'outbox.retry');
  return services.db.transaction().execute(async (tx) => {
    const row = await repo.findOutboxMessage(tx, scope, id, { forUpdate: true });
    if (!row) throw new AppError('NOT_FOUND', `outbox message ${id}`);
    if (row.status !== 'failed' && row.status !== 'dead') throw new AppError('CONFLICT', `only failed or dead messages can be retried (this one is ${row.status}) / 仅失败或已放弃的消息可重发`);
    await repo.requeueMessage(tx, id, services.clock.now());
    await recordAudit(tx, ctx, { action: 'outbox.retry', entityType: 'outbox_message', entityId: id, regionCode: row.regionCode, details: { channel: row.channel, previousStatus: row.status, attempts: row.attempts } });
    await notify(tx, OUTBOX_DUE_CHANNEL, '');
    return presentOutboxMessage((await repo.findOutboxMessage(tx, scope, id))!);
  });
}
