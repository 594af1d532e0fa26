import { createHash } from 'node:crypto';
import {
  DISCLOSURE_ACTIONS, DISCLOSURE_STATUSES, chinaDate, contentDigest, disclosureVersionContent, isEventFrequency, parseDisclosurePeriod,
  type TCorrectDisclosureRequest, type TCreateDisclosureRequest, type TDisclosure, type TDisclosureFrequency, type TDisclosurePeriod,
  type TDisclosureStatus, type TReviewRequest, type TUpdateDisclosureRequest, type ZListVillageDisclosuresQuery,
} from '@cunwu/contract';
import type { z } from 'zod';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import type { TTx } from '../../kernel/db';
import { AppError, invalid, registerConstraintField } from '../../kernel/errors';
import { authorize, can, isInScope, type TActor, type TPermission, type TScope } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { postPlatformNotice } from '../feed';
import { presentReview, signReview } from '../finance';
import { appendEntry } from '../ledger';
import { afterPublish, attachLines, beforeSubmit, checkPublishGates, structuredContent } from './disclosures.hooks';
import { allowedActions, needsReview, refusal, type TMachineActor } from './disclosures.machine';
import { periodLabel, presentDisclosure, presentListItem } from './disclosures.present';
import * as repo from './disclosures.repo';
import type { TDisclosureRow } from './disclosures.repo';

registerConstraintField('disclosures_period_key', 'period', 'the village already has a disclosure of this item for this period (or event) / 本村该事项本期已有公开记录');

/** How long a notice excerpt of the body may be. */
const NOTICE_EXCERPT = 300;

/** The actor's scope for a permission, or an empty scope when he lacks it (matches nothing). */
function scopeOf(actor: TActor | null, permission: TPermission): TScope {
  return actor && can(actor, permission) ? authorize(actor, permission) : { prefixes: [] };
}

/** What the actor may do in a village (and whether he wrote the disclosure: nobody reviews his own). */
function relate(actor: TActor | null, villageCode: string, authors: { createdBy: string; submittedBy: string | null } | null = null): TMachineActor & { canRead: boolean } {
  return {
    canRead: isInScope(scopeOf(actor, 'disclosures.read'), villageCode),
    canDraft: isInScope(scopeOf(actor, 'disclosures.draft'), villageCode),
    canPublish: isInScope(scopeOf(actor, 'disclosures.publish'), villageCode),
    canReview: isInScope(scopeOf(actor, 'finance.review'), villageCode),
    isAuthor: actor !== null && authors !== null && (authors.createdBy === actor.userId || authors.submittedBy === actor.userId),
  };
}

/**
 * Resolve and check the period of a draft: its form follows the item's frequency (monthly YYYY-MM …,
 * event items the event date); a period that has not begun, or an event in the future, is refused.
 */
function resolvePeriod(frequency: TDisclosureFrequency, period: string, eventRef: string | null | undefined, today: string): TDisclosurePeriod {
  const parsed = parseDisclosurePeriod(frequency, period);
  if (!parsed.ok) throw invalid('period', parsed.reason);
  if (eventRef && !isEventFrequency(frequency)) throw invalid('eventRef', 'only event items (immediate, on change, per stage) take an event reference / 只有即时、变动、按阶段公开的事项可填写事件编号');
  if (parsed.value.start > today) {
    throw invalid('period', parsed.value.isEvent ? 'the event date is in the future / 事件日期不能晚于今天' : 'the period has not begun yet / 该期间尚未开始');
  }
  return parsed.value;
}

/** One disclosure as the actor may see it: published ones for readers of the village, unpublished ones for its drafters. */
export async function getDisclosure(services: TServices, actor: TActor | null, id: string): Promise<TDisclosure> {
  return (await getDisclosureIfChanged(services, actor, id, undefined)).disclosure!;
}

/**
 * The disclosure with its validator (ETag), or no body when the client's copy (`If-None-Match`) is
 * still current. Published versions never change, so the validator is the disclosure's state and
 * version, its last change and what this viewer may do with it: a revalidation costs one indexed
 * read, without loading versions or computing diffs.
 */
export async function getDisclosureIfChanged(services: TServices, actor: TActor | null, id: string, ifNoneMatch: string | undefined): Promise<{ etag: string | null; disclosure: TDisclosure | null }> {
  const row = await repo.findDisclosure(services.db, id);
  if (!row) throw new AppError('NOT_FOUND', `disclosure ${id}`);
  const relation = relate(actor, row.regionCode, row);
  // Unpublished: the village's drafters; and the resident cadre once it is submitted for his review.
  const isReviewer = relation.canReview && needsReview(row.itemCode) && row.status !== 'draft';
  const visible = row.status === 'published' ? relation.canRead || relation.canDraft : relation.canDraft || isReviewer;
  if (!visible) throw new AppError('NOT_FOUND', `disclosure ${id}`);
  // An unpublished F01 previews lines that change without touching the disclosure: never cached.
  if (row.status !== 'published') return { etag: null, disclosure: await loadDisclosure(services, row, relation) };
  const viewer = [relation.canRead, relation.canDraft, relation.canPublish, relation.canReview, relation.isAuthor].map((b) => (b ? 1 : 0)).join('');
  const etag = `W/"${createHash('sha256').update(`${row.id}|${row.status}|${row.currentVersion}|${new Date(row.updatedAt).toISOString()}|${viewer}`).digest('base64url').slice(0, 27)}"`;
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) return { etag, disclosure: null };
  return { etag, disclosure: await loadDisclosure(services, row, relation) };
}

async function loadDisclosure(services: TServices, row: NonNullable<Awaited<ReturnType<typeof repo.findDisclosure>>>, relation: ReturnType<typeof relate>): Promise<TDisclosure> {
  const id = row.id;
  const [versions, reviews] = await Promise.all([repo.findVersions(services.db, id), repo.findReviews(services.db, id)]);
  const machine = { status: row.status as TDisclosureStatus, itemCode: row.itemCode };
  // Readers of the published disclosure see its approvals; the drafters and reviewers every decision.
  const shownReviews = relation.canDraft || relation.canReview ? reviews : reviews.filter((r) => r.decision === 'approve');
  // The drafters and the reviewer see what publishing now would publish (F01: the listed lines).
  const preview = row.status !== 'published' ? await structuredContent(services.db, row) : null;
  return presentDisclosure(row, versions, {
    allowedActions: allowedActions(machine, relation, DISCLOSURE_ACTIONS), needsReview: needsReview(row.itemCode), reviews: shownReviews.map(presentReview),
    preview: preview && Object.keys(preview).length > 0 ? preview : null,
  });
}

/** A bookkeeper or cadre of the village drafts a disclosure of a catalogue item for a period (or event). */
export async function createDisclosure(services: TServices, actor: TActor, ctx: TAuditContext, input: TCreateDisclosureRequest): Promise<TDisclosure> {
  const scope = authorize(actor, 'disclosures.draft');
  if (!isInScope(scope, input.villageCode)) throw new AppError('NOT_FOUND', `village ${input.villageCode}`);
  const id = await services.db.transaction().execute(async (tx) => {
    const village = await repo.findVillage(tx, input.villageCode);
    if (!village) throw invalid('villageCode', 'not a village / 不是村（社区）级区划');
    const item = await repo.findItem(tx, input.itemCode);
    if (!item) throw invalid('itemCode', 'not an item of the disclosure catalogue / 公开目录中没有该事项');
    if (!item.isActive) throw invalid('itemCode', 'this item is no longer in use / 该事项已停用');
    const now = services.clock.now();
    const period = resolvePeriod(item.frequency as TDisclosureFrequency, input.period, input.eventRef, chinaDate(now));
    const newId = await repo.insertDisclosure(tx, {
      regionCode: village.code, itemCode: item.code, period: period.period, periodStart: period.start, periodEnd: period.end,
      eventDate: period.isEvent ? period.start : null, eventRef: input.eventRef ?? null, title: input.title, body: input.body, createdBy: actor.userId, createdAt: now,
    });
    await attachLines(tx, { id: newId, regionCode: village.code, itemCode: item.code, periodStart: period.start, periodEnd: period.end }, input.lineIds, { mode: 'create' });
    await recordAudit(tx, ctx, { action: 'disclosures.create', entityType: 'disclosure', entityId: newId, regionCode: village.code, details: { itemCode: item.code, period: period.period } });
    return newId;
  });
  return getDisclosure(services, actor, id);
}

/** Lock a disclosure for an action and check the machine; outside the actor's scope it does not exist. */
async function openForAction(tx: TTx, actor: TActor, id: string, action: (typeof DISCLOSURE_ACTIONS)[number]): Promise<TDisclosureRow> {
  const permission: TPermission = action === 'publish' || action === 'correct' ? 'disclosures.publish' : action === 'review' ? 'finance.review' : 'disclosures.draft';
  const row = await repo.lockDisclosure(tx, id, authorize(actor, permission));
  if (!row) throw new AppError('NOT_FOUND', `disclosure ${id}`);
  const relation = relate(actor, row.regionCode, row);
  if (action === 'review' && relation.isAuthor) throw new AppError('FORBIDDEN', 'nobody reviews his own entries: you drafted or submitted this disclosure / 不能审核自己起草或提交的内容');
  const why = refusal({ status: row.status as TDisclosureStatus, itemCode: row.itemCode }, action, relation);
  if (why) throw new AppError('CONFLICT', why);
  return row;
}

/** Change a draft (a rejected disclosure becomes a draft again). */
export async function updateDisclosure(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TUpdateDisclosureRequest): Promise<TDisclosure> {
  await services.db.transaction().execute(async (tx) => {
    const row = await openForAction(tx, actor, id, 'edit');
    const now = services.clock.now();
    const patch: Parameters<typeof repo.updateDisclosure>[2] = { status: 'draft' };
    let periodChanged = false;
    if (input.period !== undefined || input.eventRef !== undefined) {
      const item = (await repo.findItem(tx, row.itemCode))!;
      const eventRef = input.eventRef === undefined ? row.eventRef : input.eventRef;
      const period = resolvePeriod(item.frequency as TDisclosureFrequency, input.period ?? row.period, eventRef, chinaDate(now));
      Object.assign(patch, { period: period.period, periodStart: period.start, periodEnd: period.end, eventDate: period.isEvent ? period.start : null, eventRef });
      periodChanged = period.start !== row.periodStart || period.end !== row.periodEnd;
    }
    if (input.title !== undefined) patch.title = input.title;
    if (input.body !== undefined) patch.body = input.body;
    await repo.updateDisclosure(tx, id, patch, now);
    await attachLines(tx, { ...row, periodStart: patch.periodStart ?? row.periodStart, periodEnd: patch.periodEnd ?? row.periodEnd }, input.lineIds, { mode: 'edit', periodChanged });
    await recordAudit(tx, ctx, { action: 'disclosures.update', entityType: 'disclosure', entityId: id, regionCode: row.regionCode, details: { fields: Object.keys(input).filter((k) => input[k as keyof TUpdateDisclosureRequest] !== undefined) } });
  });
  return getDisclosure(services, actor, id);
}

/** Submit a draft for publication (and, for reviewed items, for the joint review). */
export async function submitDisclosure(services: TServices, actor: TActor, ctx: TAuditContext, id: string): Promise<TDisclosure> {
  await services.db.transaction().execute(async (tx) => {
    const row = await openForAction(tx, actor, id, 'submit');
    const now = services.clock.now();
    await beforeSubmit(tx, row);
    await repo.updateDisclosure(tx, id, { status: 'submitted', submittedAt: now, submittedBy: actor.userId }, now);
    await recordAudit(tx, ctx, { action: 'disclosures.submit', entityType: 'disclosure', entityId: id, regionCode: row.regionCode, details: { itemCode: row.itemCode, period: row.period } });
  });
  return getDisclosure(services, actor, id);
}

/**
 * Write a published version: the immutable version row, the ledger entry of its content digest, the
 * disclosure's current state and a notice to the village's groups — all in the caller's transaction.
 * The ledger append takes the log's lock, so it comes after everything that may fail slowly.
 */
async function publishVersion(tx: TTx, services: TServices, actor: TActor, ctx: TAuditContext, row: TDisclosureRow, change: { title: string; body: string; reason: string | null }): Promise<void> {
  const isCorrection = change.reason !== null;
  const working: TDisclosureRow = { ...row, title: change.title, body: change.body };
  await checkPublishGates(tx, working);
  const [village, item] = await Promise.all([repo.findVillage(tx, row.regionCode), repo.findItem(tx, row.itemCode)]);
  const now = services.clock.now();
  const version = row.currentVersion + 1;
  const structured = await structuredContent(tx, working);
  const content = disclosureVersionContent({
    disclosureId: row.id, villageCode: row.regionCode, itemCode: row.itemCode, period: row.period, eventRef: row.eventRef, version,
    title: change.title, body: change.body, structured, reason: change.reason, publishedAt: now.toISOString(),
  });
  const digest = contentDigest(content);
  const label = periodLabel(row.period);
  const excerpt = change.body.length > NOTICE_EXCERPT ? `${change.body.slice(0, NOTICE_EXCERPT)}…` : change.body;
  await postPlatformNotice(tx, services, {
    regionCode: row.regionCode,
    topic: isCorrection ? 'disclosure.corrected' : 'disclosure.published',
    title: `${isCorrection ? '【更正】' : '【公开】'}${village!.name} · ${item!.nameZh}（${label}）`,
    body: isCorrection ? `${change.title}\n更正原因：${change.reason}\n\n${excerpt}\n\n原版本仍可查看。` : `${change.title}\n\n${excerpt}`,
    link: `/disclosures/${row.id}`,
    dedupeKey: `disclosure:${row.id}:v${version}`,
  });
  const ledger = await appendEntry(tx, {
    type: isCorrection ? 'disclosure.corrected' : 'disclosure.published',
    ref: `disclosure:${row.id}:v${version}`,
    digest,
    extra: { village: row.regionCode, item: row.itemCode, period: row.period, version },
  }, now);
  await repo.insertVersion(tx, {
    disclosureId: row.id, version, regionCode: row.regionCode, title: change.title, body: change.body, structured, reason: change.reason,
    publishedAt: now, publishedBy: actor.userId, publisherName: actor.name, digest, ledgerIdx: ledger.index,
  });
  await afterPublish(tx, working, now);
  await repo.updateDisclosure(tx, row.id, {
    status: 'published', currentVersion: version, title: change.title, body: change.body, lastPublishedAt: now, ...(row.firstPublishedAt ? {} : { firstPublishedAt: now }),
  }, now);
  await recordAudit(tx, ctx, {
    action: isCorrection ? 'disclosures.correct' : 'disclosures.publish', entityType: 'disclosure', entityId: row.id, regionCode: row.regionCode,
    details: { itemCode: row.itemCode, period: row.period, version, ledgerIndex: ledger.index, digest },
  });
}

/** A cadre of the village publishes a submitted (or, for reviewed items, approved) disclosure. */
export async function publishDisclosure(services: TServices, actor: TActor, ctx: TAuditContext, id: string): Promise<TDisclosure> {
  await services.db.transaction().execute(async (tx) => {
    const row = await openForAction(tx, actor, id, 'publish');
    await publishVersion(tx, services, actor, ctx, row, { title: row.title, body: row.body, reason: null });
  });
  return getDisclosure(services, actor, id);
}

/**
 * The resident cadre's joint review (联审) of a submitted disclosure whose item needs it (F01): approve
 * (signed with his name, unit and the unit's seal) or reject with a reason (it becomes editable and
 * may be submitted again). One transaction: the decision (append-only), the state, an audit event and
 * a ledger entry committing to the content as reviewed (title, body and the lines it lists).
 */
export async function reviewDisclosure(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TReviewRequest): Promise<TDisclosure> {
  const scope = authorize(actor, 'finance.review');
  const found = await repo.findDisclosure(services.db, id);
  if (!found || !isInScope(scope, found.regionCode)) throw new AppError('NOT_FOUND', `disclosure ${id}`);
  if (relate(actor, found.regionCode, found).isAuthor) throw new AppError('FORBIDDEN', 'nobody reviews his own entries: you drafted or submitted this disclosure / 不能审核自己起草或提交的内容');
  const signature = await signReview(services, actor, found.regionCode, input.decision);
  await services.db.transaction().execute(async (tx) => {
    const row = await openForAction(tx, actor, id, 'review');
    const now = services.clock.now();
    const reviewedAt = now.toISOString();
    const reviewed = contentDigest({ title: row.title, body: row.body, structured: await structuredContent(tx, row) });
    const digest = contentDigest({
      schema: 'disclosure-review/1', disclosure: row.id, village: row.regionCode, item: row.itemCode, period: row.period, eventRef: row.eventRef,
      content: reviewed, decision: input.decision, reviewerUnit: signature.unitName, reviewedAt,
    });
    const ledger = await appendEntry(tx, { type: 'disclosure.reviewed', ref: `disclosure:${row.id}`, digest, extra: { village: row.regionCode, item: row.itemCode, period: row.period, decision: input.decision } }, now);
    await repo.insertReview(tx, {
      disclosureId: row.id, regionCode: row.regionCode, decision: input.decision, reason: input.reason ? input.reason : null, reviewerId: signature.reviewerId,
      reviewerName: signature.reviewerName, reviewerUnitCode: signature.unitCode, reviewerUnit: signature.unitName, stampSha256: signature.stampSha256, ledgerIdx: ledger.index, reviewedAt: now,
    });
    await repo.updateDisclosure(tx, row.id, { status: input.decision === 'approve' ? 'approved' : 'rejected' }, now);
    await recordAudit(tx, ctx, { action: 'disclosures.review', entityType: 'disclosure', entityId: row.id, regionCode: row.regionCode, details: { decision: input.decision, ledgerIndex: ledger.index, digest } });
  });
  return getDisclosure(services, actor, id);
}

/** Publish a correction: a new version superseding the current one, which stays visible. */
export async function correctDisclosure(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TCorrectDisclosureRequest): Promise<TDisclosure> {
  await services.db.transaction().execute(async (tx) => {
    const row = await openForAction(tx, actor, id, 'correct');
    const title = input.title ?? row.title;
    const body = input.body ?? row.body;
    const linesChanged = await attachLines(tx, row, input.lineIds, { mode: 'correct' });
    if (title === row.title && body === row.body && !linesChanged) throw invalid('body', 'a correction must change the title, the content or the lines / 更正须修改标题、内容或明细');
    await publishVersion(tx, services, actor, ctx, row, { title, body, reason: input.reason });
  });
  return getDisclosure(services, actor, id);
}

function encodeCursor(row: { sortAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([new Date(row.sortAt).toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad');
    return { at, id };
  } catch {
    throw invalid('cursor', 'not a cursor from this API / 游标无效');
  }
}

/**
 * A village's disclosures, newest first: published ones for its villagers and the officials over it;
 * drafts and other unpublished states only for the village's bookkeeper and cadres.
 */
export async function listVillageDisclosures(services: TServices, actor: TActor, villageCode: string, query: z.output<typeof ZListVillageDisclosuresQuery>) {
  const relation = relate(actor, villageCode);
  if (!relation.canRead && !relation.canDraft) throw new AppError('NOT_FOUND', `village ${villageCode}`);
  if (!(await repo.findVillage(services.db, villageCode))) throw new AppError('NOT_FOUND', `village ${villageCode}`);
  const statuses: string[] = relation.canDraft ? (query.status ? [query.status] : [...DISCLOSURE_STATUSES]) : !query.status || query.status === 'published' ? ['published'] : [];
  const { limit } = query;
  if (statuses.length === 0) return { items: [], nextCursor: null };
  const rows = await repo.findVillageDisclosures(services.db, { villageCode, statuses, itemCode: query.item, period: query.period, after: query.cursor ? decodeCursor(query.cursor) : undefined, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { items: page.map(presentListItem), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}
