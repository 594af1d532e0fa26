import { randomUUID } from 'node:crypto';
import { regionPrefix, type TFeedItem, type TFeedPage, type TPostMessageRequest, type TPostNoticeRequest } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import type { TTx } from '../../kernel/db';
import { AppError, invalid } from '../../kernel/errors';
import { decodeTimeCursor, encodeTimeCursor } from '../../kernel/cursor';
import { notify, notifyMany } from '../../kernel/notify';
import { authorize, can, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { enqueueForGroups, type TOutboundPayload } from '../outbox';
import { presentFeedItem, presentMyGroup, type TFeedViewer } from './feed.present';
import * as repo from './feed.repo';
import type { TFeedGroupRow, TFeedPosition, TFeedRow } from './feed.repo';

/** Officials see at most this many groups in "my groups" (a county has hundreds; they pick by region). */
const MY_GROUPS_LIMIT = 200;
/** A member may post this many messages per group per minute (a flood guard, not a quota). */
const MESSAGES_PER_MINUTE = 10;
/** The longest notice body a feed row holds (the table's CHECK). */
const NOTICE_BODY_MAX = 4000;

/** The notification channel of a group's feed; the payload is `{"id": "<feed item id>"}`. */
export function feedChannel(groupId: string): string {
  return `feed.${groupId}`;
}

function viewerOf(actor: TActor): TFeedViewer {
  return { userId: actor.userId, isVillager: actor.kind === 'villager' };
}

/**
 * The group whose feed the actor may read: a villager must be a member of it; an official needs
 * `feed.read` over the group's village. Anything else is NOT_FOUND (a group's existence is not
 * revealed outside its audience).
 */
export async function openGroupForReading(services: TServices, actor: TActor, groupId: string): Promise<{ group: TFeedGroupRow; viewer: TFeedViewer }> {
  let group: TFeedGroupRow | undefined;
  if (actor.kind === 'villager') {
    if (!can(actor, 'feed.read')) throw new AppError('FORBIDDEN', 'requires feed.read');
    group = await repo.findGroupOfMember(services.db, groupId, actor.userId);
  } else {
    group = await repo.findGroupInScope(services.db, groupId, authorize(actor, 'feed.read'));
  }
  if (!group) throw new AppError('NOT_FOUND', `group ${groupId}`);
  return { group, viewer: viewerOf(actor) };
}

/** The groups the actor can open: a villager's own groups, or an official's active groups in scope. */
export async function listMyGroups(services: TServices, actor: TActor) {
  if (actor.kind === 'villager') return (await repo.findGroupsOfMember(services.db, actor.userId)).map(presentMyGroup);
  if (!can(actor, 'feed.read')) return [];
  return (await repo.findGroupsInScope(services.db, authorize(actor, 'feed.read'), MY_GROUPS_LIMIT)).map(presentMyGroup);
}



/** A page of a group's feed, newest first. */
export async function getFeed(services: TServices, actor: TActor, groupId: string, query: { before?: string; limit: number }): Promise<TFeedPage> {
  const { group, viewer } = await openGroupForReading(services, actor, groupId);
  const rows = await repo.findFeedPage(services.db, group.id, { before: query.before ? decodeTimeCursor(query.before, 'before') : undefined, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return { items: page.map((r) => presentFeedItem(r, viewer)), nextCursor: rows.length > query.limit ? encodeTimeCursor({ at: page[page.length - 1]!.cursorAt, id: page[page.length - 1]!.id }) : null };
}

/** The group the actor may post a message to: a member of it, or a group admin / village cadre of its village. */
async function openGroupForPosting(tx: TTx, actor: TActor, groupId: string): Promise<TFeedGroupRow> {
  const scope = authorize(actor, 'feed.post_message');
  const group = actor.kind === 'villager' ? await repo.findGroupOfMember(tx, groupId, actor.userId) : await repo.findGroupInScope(tx, groupId, scope);
  if (!group) throw new AppError('NOT_FOUND', `group ${groupId}`);
  if (!group.isActive) throw new AppError('CONFLICT', 'the group is no longer active / 该群已停用');
  return group;
}

/** Post a message to a group's web feed; live viewers hear of it on commit. */
export async function postMessage(services: TServices, actor: TActor, ctx: TAuditContext, groupId: string, input: TPostMessageRequest): Promise<TFeedItem> {
  return services.db.transaction().execute(async (tx) => {
    const group = await openGroupForPosting(tx, actor, groupId);
    const since = new Date(services.clock.now().getTime() - 60_000);
    if ((await repo.countMessagesSince(tx, group.id, actor.userId, since)) >= MESSAGES_PER_MINUTE) throw new AppError('RATE_LIMITED', 'too many messages; wait a minute / 发言过于频繁，请稍后再试', undefined, 60);
    const id = await repo.insertMessage(tx, { groupId: group.id, regionCode: group.regionCode, body: input.body, authorUserId: actor.userId });
    // The message text is the villager's own words: it stays out of the audit details.
    await recordAudit(tx, ctx, { action: 'feed.post_message', entityType: 'group_message', entityId: id, regionCode: group.regionCode, details: { groupId: group.id } });
    await notify(tx, feedChannel(group.id), { id });
    const [row] = await repo.findFeedItems(tx, group.id, [id]);
    return presentFeedItem(row!, viewerOf(actor));
  });
}

/** A notice link: an http(s) URL or a path of the villager app; nothing else reaches a group. */
function checkLink(link: string | null | undefined): string | null {
  if (!link) return null;
  if (/^https?:\/\/[^\s]+$/i.test(link) || /^\/(?!\/)[^\s]*$/.test(link)) return link;
  throw invalid('link', 'must be an http(s) URL or a path starting with / / 须为 http(s) 地址或以 / 开头的站内路径');
}

/** A notice to write to feeds and send out. */
interface TNoticeDraft {
  dedupeKey: string;
  topic: string;
  title: string | null;
  body: string;
  link: string | null;
  format?: TOutboundPayload['format'];
  authorUserId: string | null;
}

/**
 * Write a notice to each group's feed, queue it for the groups' outside channels and notify live
 * viewers — all in the caller's transaction. The web outbox row (unique per dedupe key and group)
 * is inserted first and decides: a group this business change already reached gets nothing new,
 * so a re-run (a retried job) writes no second feed row. Returns the new feed rows by group id.
 */
async function writeNotices(tx: TTx, groups: TFeedGroupRow[], notice: TNoticeDraft): Promise<Map<string, string>> {
  if (notice.body.length > NOTICE_BODY_MAX) throw invalid('body', `at most ${NOTICE_BODY_MAX} characters / 最多 ${NOTICE_BODY_MAX} 字`);
  const planned = groups.map((g) => ({ group: g, feedMessageId: randomUUID() }));
  const fresh = await enqueueForGroups(
    tx,
    planned.map((p) => ({ id: p.group.id, regionCode: p.group.regionCode, hasWebhook: p.group.hasWebhook, feedMessageId: p.feedMessageId })),
    { dedupeKey: notice.dedupeKey, topic: notice.topic, title: notice.title, body: notice.body, link: notice.link, format: notice.format },
  );
  const written = planned.filter((p) => fresh.has(p.group.id));
  await repo.insertNotices(tx, written.map((p) => ({ id: p.feedMessageId, groupId: p.group.id, regionCode: p.group.regionCode, topic: notice.topic, title: notice.title, body: notice.body, link: notice.link, authorUserId: notice.authorUserId })));
  await notifyMany(tx, written.map((p) => ({ channel: feedChannel(p.group.id), payload: { id: p.feedMessageId } })));
  return new Map(written.map((p) => [p.group.id, p.feedMessageId]));
}

/** An official posts a notice to one group: feed + outside channels (wecom robot) in one transaction; audited. */
export async function postNotice(services: TServices, actor: TActor, ctx: TAuditContext, groupId: string, input: TPostNoticeRequest): Promise<TFeedItem> {
  const scope = authorize(actor, 'feed.post_notice');
  const link = checkLink(input.link);
  return services.db.transaction().execute(async (tx) => {
    const group = await repo.findGroupInScope(tx, groupId, scope);
    if (!group) throw new AppError('NOT_FOUND', `group ${groupId}`);
    if (!group.isActive) throw new AppError('CONFLICT', 'the group is no longer active / 该群已停用');
    const written = await writeNotices(tx, [group], { dedupeKey: `notice:${randomUUID()}`, topic: 'platform.notice', title: input.title, body: input.body, link, authorUserId: actor.userId });
    const id = written.get(group.id)!;
    await recordAudit(tx, ctx, { action: 'feed.post_notice', entityType: 'group_message', entityId: id, regionCode: group.regionCode, details: { groupId: group.id, title: input.title, channels: group.hasWebhook ? ['web', 'wecom'] : ['web'] } });
    const [row] = await repo.findFeedItems(tx, group.id, [id]);
    return presentFeedItem(row!, viewerOf(actor));
  });
}

/** What other modules post to the groups of a region. */
export interface TPlatformNotice {
  /** A village (its groups), or a wider region (every active group of every village under it). */
  regionCode: string;
  /** 'disclosure.published', 'meeting.started', 'survey.opened', 'ledger.checkpoint', … */
  topic: string;
  title: string;
  body: string;
  link?: string | null;
  /** The business change this notice stands for: posting it again with the same key does nothing. */
  dedupeKey: string;
  /** How the 企业微信 robot shows it (markdown by default). */
  format?: TOutboundPayload['format'];
}

/**
 * Post a platform notice (no author) to every active group of the region, inside the caller's
 * business transaction: feed rows, outbox rows for the groups' outside channels, NOTIFY to live
 * viewers — all visible on commit, none if it rolls back. Returns how many groups it newly reached.
 */
export async function postPlatformNotice(tx: TTx, services: TServices, notice: TPlatformNotice): Promise<{ groups: number }> {
  return postNoticeUnder(tx, services, notice.regionCode, notice);
}

/** `regionCode` null: every active group of the platform. */
async function postNoticeUnder(tx: TTx, services: TServices, regionCode: string | null, notice: Omit<TPlatformNotice, 'regionCode'>): Promise<{ groups: number }> {
  const prefix = regionCode ? regionPrefix(regionCode) : '';
  const groups = await repo.findActiveGroupsUnder(tx, prefix);
  const written = await writeNotices(tx, groups, { dedupeKey: notice.dedupeKey, topic: notice.topic, title: notice.title, body: notice.body, link: checkLink(notice.link), format: notice.format, authorUserId: null });
  if (written.size > 0) {
    await recordAudit(tx, { actorId: null, requestId: null, ip: null }, { action: 'feed.post_platform_notice', entityType: 'notice', entityId: null, regionCode, details: { topic: notice.topic, dedupeKey: notice.dedupeKey, groups: written.size } });
  }
  services.log.debug({ topic: notice.topic, prefix, groups: written.size }, 'platform notice posted');
  return { groups: written.size };
}

// Checkpoints go out once a day, in the daytime: every five minutes to 6,800 groups would be noise
// (and beyond the robots' rate limits); one a day still puts a signed root in every villager's hands.
const CHECKPOINT_HOURS = { from: 8, to: 21 };

function shanghaiDayAndHour(at: Date): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

// The day this process last posted a checkpoint: the scheduled job may call every few minutes and
// only the first call of a day reads the groups. Other processes are held off by the dedupe key.
let checkpointPostedOn: string | null = null;

/**
 * Post the latest signed ledger checkpoint (C2SP signed note) to every active group, so villagers
 * hold copies the operator cannot recall (DESIGN §10). At most once a day (Asia/Shanghai), between
 * 8:00 and 21:00, so it is safe to call on every checkpoint run; the note goes out as plain text so
 * it stays byte-for-byte verifiable.
 */
export async function postLedgerCheckpointNotice(services: TServices, checkpoint: { size: number; note: string }): Promise<{ groups: number; skipped?: 'quiet_hours' | 'already_posted' | 'empty' }> {
  if (checkpoint.size === 0) return { groups: 0, skipped: 'empty' };
  const { day, hour } = shanghaiDayAndHour(services.clock.now());
  if (hour < CHECKPOINT_HOURS.from || hour >= CHECKPOINT_HOURS.to) return { groups: 0, skipped: 'quiet_hours' };
  if (checkpointPostedOn === day) return { groups: 0, skipped: 'already_posted' };
  const posted = await services.db.transaction().execute((tx) =>
    postNoticeUnder(tx, services, null, {
      topic: 'ledger.checkpoint',
      title: `透明账本检查点 · 共 ${checkpoint.size} 条`,
      body: `平台透明账本今天的签名检查点如下（共 ${checkpoint.size} 条记录）。请保存这条消息：日后任何人都能用它核验账本没有被悄悄改动。\n\n${checkpoint.note.trimEnd()}`,
      link: '/ledger',
      dedupeKey: `ledger.checkpoint:${day}`,
      format: 'text',
    }),
  );
  checkpointPostedOn = day;
  return posted;
}

/** Items of a group after a position, oldest first (stream catch-up). */
export async function feedAfter(services: TServices, groupId: string, after: TFeedPosition, limit: number): Promise<TFeedRow[]> {
  return repo.findFeedAfter(services.db, groupId, after, limit);
}

/** Where an item sits in its group's feed (a Last-Event-ID), or undefined. */
export async function feedPosition(services: TServices, groupId: string, id: string): Promise<TFeedPosition | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return repo.findFeedPosition(services.db, groupId, id);
}

/** The newest item's position in a group's feed. */
export async function latestFeedPosition(services: TServices, groupId: string): Promise<TFeedPosition | undefined> {
  return repo.findLatestPosition(services.db, groupId);
}

/** Items of a group by id (a stream loading what a notification named). */
export async function feedItems(services: TServices, groupId: string, ids: string[]): Promise<TFeedRow[]> {
  return repo.findFeedItems(services.db, groupId, ids);
}
