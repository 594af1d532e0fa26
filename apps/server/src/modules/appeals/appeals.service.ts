import {
  APPEAL_ACTIONS, APPEAL_LABELS, chinaDate, contentDigest, isWithinRegion, parentRegionCode, regionLevelOf, regionPrefix,
  type TAppeal, type TAppealActionRequest, type TAppealFeedbackRequest, type TAppealStatus, type THolderLevel, type TWorkCalendar,
} from '@cunwu/contract';
import type { z } from 'zod';
import type { ZSubmitAppealRequest } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { decodeTimeCursor, encodeTimeCursor } from '../../kernel/cursor';
import type { TTx } from '../../kernel/db';
import { AppError, invalid } from '../../kernel/errors';
import { findFile, recordFile } from '../../kernel/files.repo';
import { authorize, can, isInScope, type TActor, type TScope } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { convertChatPost } from '../chat-posts';
import { postPlatformNotice } from '../feed';
import { appendEntry } from '../ledger';
import { enqueueOutbound } from '../outbox';
import { workCalendar } from './appeals.calendar';
import { allowedActions, canRate, levelAbove, refusal, type TMachineActor } from './appeals.machine';
import { presentAppeal, presentListItem, presentPublicAppeal, presentPublicEvents, type TPublicAppeal, type TPublicAppealEvent } from './appeals.present';
import * as repo from './appeals.repo';
import { contentTokens } from './appeals.tokens';

/** The role that works an appeal at each level. */
const HOLDER_ROLE: Record<Exclude<THolderLevel, 'department'>, string> = { village: 'village_cadre', town: 'town_officer', county: 'county_officer', city: 'city_officer' };
const LEVEL_RANK: Record<THolderLevel, number> = { village: 0, department: 1, town: 1, county: 2, city: 3 };
const OPEN_STATUSES: TAppealStatus[] = ['submitted', 'accepted', 'in_progress', 'reopened'];

type TState = NonNullable<Awaited<ReturnType<typeof repo.lockAppeal>>>;
type TSubmitInput = z.output<typeof ZSubmitAppealRequest>;

/** How an actor stands to an appeal. */
async function relate(tx: TTx, actor: TActor | null, appeal: Pick<TState, 'regionCode' | 'holderLevel' | 'holderRegionCode' | 'holderDepartmentId' | 'submitterUserId'>): Promise<TMachineActor> {
  if (!actor) return { isHolder: false, isSupervisor: false, isSubmitter: false };
  let isHolder = false;
  if (appeal.holderLevel === 'department') {
    isHolder = actor.roles.some((r) => r.role === 'department_handler') && (await repo.findUserDepartment(tx, actor.userId)) === appeal.holderDepartmentId;
  } else {
    const role = HOLDER_ROLE[appeal.holderLevel];
    isHolder = actor.roles.some((r) => r.role === role && r.regionCode === appeal.holderRegionCode);
  }
  const holderRank = LEVEL_RANK[appeal.holderLevel];
  const isSupervisor = actor.roles.some((r) => {
    if (r.role === 'discipline_officer') return isWithinRegion(appeal.regionCode, r.regionCode);
    const level = (Object.entries(HOLDER_ROLE).find(([, role]) => role === r.role)?.[0] ?? null) as THolderLevel | null;
    return level !== null && LEVEL_RANK[level] > holderRank && isWithinRegion(appeal.holderRegionCode, r.regionCode);
  });
  return { isHolder, isSupervisor, isSubmitter: appeal.submitterUserId === actor.userId };
}

/** Who the actor is on the record ("广桥村 村干部 王村干"). */
function actorLabel(actor: TActor | null): string | null {
  return actor ? actor.name : null;
}

type TEventInput = { type: string; at: Date; actor: TActor | null; fromLevel?: string | null; toLevel?: string | null; toRegionCode?: string | null; departmentId?: string | null; toUnit?: string | null; reason?: string | null; publicText?: string | null; internalNote?: string | null; dueAt?: Date | null; wasOverdue?: boolean | null };
type TPendingEvent = { appeal: Pick<TState, 'id' | 'trackingNo' | 'regionCode' | 'category' | 'isPublic'>; event: TEventInput; counters: Record<string, number> };

// Events of a transaction wait here until its end: the city-wide rollup rows and the ledger's append
// lock are then held only for the last few statements before commit, not for the whole transaction.
const pendingEvents = new WeakMap<TTx, TPendingEvent[]>();

/** Queue an event (timeline row, ledger entry, rollups) and post public steps to the village's groups. */
async function recordEvent(tx: TTx, services: TServices, appeal: TPendingEvent['appeal'], event: TEventInput, counters: Record<string, number> = {}): Promise<void> {
  const list = pendingEvents.get(tx) ?? [];
  list.push({ appeal, event, counters });
  pendingEvents.set(tx, list);
  const label = (APPEAL_LABELS.event as Record<string, string>)[event.type];
  if (appeal.isPublic && label && ['accepted', 'escalated', 'diverted', 'resolved', 'rejected', 'closed', 'reopened', 'merged'].includes(event.type)) {
    await postPlatformNotice(tx, services, {
      regionCode: appeal.regionCode,
      topic: 'appeal.update',
      title: `诉求 ${appeal.trackingNo}：${label}${event.toUnit ? ` → ${event.toUnit}` : ''}`,
      body: event.publicText ?? event.reason ?? label,
      link: `/appeals/${appeal.id}`,
      dedupeKey: `appeal-event:${appeal.id}:${event.type}:${event.at.toISOString()}`,
    });
  }
}

/** Write the queued events: rollups first, then each ledger entry and its timeline row. */
async function flushEvents(tx: TTx): Promise<void> {
  const list = pendingEvents.get(tx) ?? [];
  pendingEvents.delete(tx);
  for (const { appeal, event, counters } of list) {
    await repo.bumpStats(tx, { regionCodes: [appeal.regionCode, ...ancestorsOf(appeal.regionCode)], day: chinaDate(event.at), category: appeal.category }, counters);
  }
  for (const { appeal, event } of list) {
    // The ledger holds what happened and where it went, never who the villager is or what he wrote.
    const digest = contentDigest({ appeal: appeal.trackingNo, type: event.type, at: event.at.toISOString(), fromLevel: event.fromLevel ?? null, toLevel: event.toLevel ?? null, toUnit: event.toUnit ?? null, publicText: event.publicText ?? null });
    const ledger = await appendEntry(tx, { type: `appeal.${event.type}`, ref: `appeal:${appeal.trackingNo}`, digest }, event.at);
    await repo.insertEvent(tx, {
      appealId: appeal.id, regionCode: appeal.regionCode, type: event.type, at: event.at, actorUserId: event.actor?.userId ?? null, actorLabel: actorLabel(event.actor),
      fromLevel: event.fromLevel ?? null, toLevel: event.toLevel ?? null, toRegionCode: event.toRegionCode ?? null, departmentId: event.departmentId ?? null,
      reason: event.reason ?? null, publicText: event.publicText ?? null, internalNote: event.internalNote ?? null, dueAt: event.dueAt ?? null, wasOverdue: event.wasOverdue ?? null, ledgerIdx: ledger.index,
    });
  }
}

/** One transaction of appeal work; its events are written at the end. */
function inTransaction<T>(services: TServices, work: (tx: TTx) => Promise<T>): Promise<T> {
  return services.db.transaction().execute(async (tx) => {
    const result = await work(tx);
    await flushEvents(tx);
    return result;
  });
}

/** Codes above a village: town, county, city (and province when it exists in codes). */
function ancestorsOf(code: string): string[] {
  const chain: string[] = [];
  for (let parent = parentRegionCode(code); parent && regionLevelOf(parent) !== 'province'; parent = parentRegionCode(parent)) chain.push(parent);
  return chain;
}

/** Categories and deadline rules: tiny tables read on every intake, so kept for a minute per process. */
type TReference = { categories: Awaited<ReturnType<typeof repo.findCategories>>; sla: Awaited<ReturnType<typeof repo.findAllSla>> };
const referenceCache = new WeakMap<TServices, { at: number; value: Promise<TReference> }>();

function referenceData(services: TServices): Promise<TReference> {
  const hit = referenceCache.get(services);
  if (hit && Date.now() - hit.at < 60_000) return hit.value;
  const value = Promise.all([repo.findCategories(services.db), repo.findAllSla(services.db)]).then(([categories, sla]) => ({ categories, sla }));
  referenceCache.set(services, { at: Date.now(), value });
  value.catch(() => referenceCache.delete(services));
  return value;
}

/** The deadline rule of a level (a category-specific row first). */
function slaOf(reference: TReference, level: THolderLevel, category: string) {
  return reference.sla.find((r) => r.level === level && r.category === category) ?? reference.sla.find((r) => r.level === level && r.category === null) ?? { acceptDays: 1, resolveDays: 5, autoEscalateAfterBreaches: 2 };
}

/** Deadline of a stage from `start`, by the level's (and category's) working-day limits. */
async function stageDue(tx: TTx, calendar: TWorkCalendar, level: THolderLevel, category: string, stage: 'accept' | 'resolve', start: Date, services?: TServices): Promise<Date> {
  const sla = services ? slaOf(await referenceData(services), level, category) : await repo.findSla(tx, level, category);
  return calendar.addWorkingDays(start, stage === 'accept' ? sla.acceptDays : sla.resolveDays);
}

/** Who an appeal comes from and who registered it. */
interface TIntake {
  submitter: { userId: string | null; memberId: string | null; name: string | null; phone: string | null };
  registeredBy: string | null;
  channel: 'villager' | 'group' | 'hotline' | 'visit' | 'open311';
  /** Idempotency keys are unique per owner (the submitting or registering account, or the API client). */
  idempotencyOwner: string;
  idempotencyKey?: string;
  raw: unknown;
  actor: TActor | null;
}

/** Store, number, tokenise and start the clock of a new appeal; shared by every intake channel. */
async function createAppeal(tx: TTx, services: TServices, calendar: TWorkCalendar, ctx: TAuditContext, input: TSubmitInput, intake: TIntake) {
  if (intake.idempotencyKey) {
    const existing = await repo.findByIdempotencyKey(tx, intake.idempotencyOwner, intake.idempotencyKey);
    if (existing) return { ...(await summary(tx, existing.id)), similar: [] };
  }
  const village = await repo.findVillage(tx, input.villageCode);
  if (!village) throw invalid('villageCode', 'not a village / 不是村（社区）级区划');
  const { categories } = await referenceData(services);
  if (!categories.some((c) => c.code === input.category)) throw invalid('category', `unknown category; one of ${categories.map((c) => c.code).join(', ')} / 分类不存在`);
  const now = services.clock.now();
  const trackingNo = await repo.nextTrackingNo(tx, village.code, chinaDate(now));
  const tokens = contentTokens(`${input.content} ${input.transcript ?? ''}`);
  const dueAt = await stageDue(tx, calendar, 'village', input.category, 'accept', now, services);
  const { submitter } = intake;
  const id = await repo.insertAppeal(tx, {
    trackingNo, regionCode: village.code, category: input.category, channel: intake.channel, content: input.content, contentTokens: tokens, transcript: input.transcript ?? null,
    latitude: input.latitude ?? null, longitude: input.longitude ?? null, address: input.address ?? null, isPublic: input.isPublic,
    submitterUserId: submitter.userId, submitterMemberId: submitter.memberId, submitterName: submitter.name, submitterPhone: submitter.phone,
    registeredBy: intake.registeredBy, chatPostId: input.chatPostId ?? null, idempotencyOwner: intake.idempotencyOwner, idempotencyKey: intake.idempotencyKey ?? null,
    raw: JSON.stringify(intake.raw ?? input), status: 'submitted', holderLevel: 'village', holderRegionCode: village.code, highestLevel: 'village',
    stage: 'accept', stageStartedAt: now, dueAt, createdAt: now,
  });
  if (submitter.userId) await repo.addFollower(tx, id, submitter.userId);
  if (input.chatPostId) await convertChatPost(tx, input.chatPostId, village.code, `appeal:${trackingNo}`);
  const state = (await repo.lockAppeal(tx, id))!;
  await recordEvent(tx, services, state, { type: 'submitted', at: now, actor: intake.actor, toLevel: 'village', toRegionCode: village.code, toUnit: village.name, dueAt, publicText: intake.channel === 'group' ? '网格员从监督群登记' : null }, { received: 1 });
  await recordAudit(tx, ctx, { action: 'appeals.submit', entityType: 'appeal', entityId: id, regionCode: village.code, details: { trackingNo, channel: intake.channel } });
  // A villager is shown only public appeals of his village: a private appeal's text is nobody else's business.
  const similar = await repo.findSimilar(tx, village.code, tokens, id, { onlyPublic: intake.actor?.kind !== 'official' });
  return { id, trackingNo, status: 'submitted' as const, similar: similar.map((s) => ({ ...s, content: s.content.slice(0, 120) })) };
}

/**
 * Intake: a villager from the app, or an official registering a chat post, a call or a visit.
 * Stored raw first, then numbered, tokenised and put on the village's clock. A retried request with
 * the same idempotency key answers the first appeal and creates nothing.
 */
export async function submitAppeal(services: TServices, actor: TActor, ctx: TAuditContext, input: TSubmitInput, options: { idempotencyKey?: string; raw: unknown }) {
  const isVillager = actor.kind === 'villager';
  if (isVillager) authorize(actor, 'appeals.submit');
  else if (!isInScope(authorize(actor, 'appeals.register'), input.villageCode)) throw new AppError('NOT_FOUND', `village ${input.villageCode}`);
  const calendar = await workCalendar(services);
  return inTransaction(services, async (tx) => {
    let submitter: TIntake['submitter'];
    if (isVillager) {
      const member = await repo.findMemberOfUser(tx, actor.userId);
      if (!member || member.regionCode !== input.villageCode) throw new AppError('FORBIDDEN', 'villagers submit appeals of their own village / 只能反映本村的问题');
      submitter = { userId: actor.userId, memberId: member.id, name: member.name, phone: member.phone };
    } else {
      if (!input.submitterName) throw invalid('submitterName', 'the villager\'s name is required when an official registers an appeal / 请填写反映人姓名');
      submitter = { userId: null, memberId: input.submitterMemberId ?? null, name: input.submitterName, phone: input.submitterPhone ?? null };
    }
    const channel = isVillager ? 'villager' : (input.channel ?? (input.chatPostId ? 'group' : 'hotline'));
    return createAppeal(tx, services, calendar, ctx, input, { submitter, registeredBy: isVillager ? null : actor.userId, channel, idempotencyOwner: actor.userId, idempotencyKey: options.idempotencyKey, raw: options.raw, actor });
  });
}

/** Intake from an outside system (Open311 client): no account; the client is the idempotency owner. */
export async function submitAppealFromIntegration(services: TServices, client: { id: string; name: string }, input: TSubmitInput, options: { idempotencyKey?: string; raw: unknown }) {
  const calendar = await workCalendar(services);
  return inTransaction(services, (tx) =>
    createAppeal(tx, services, calendar, { actorId: null, requestId: null, ip: null }, input, {
      submitter: { userId: null, memberId: null, name: input.submitterName ?? null, phone: input.submitterPhone ?? null },
      registeredBy: null,
      channel: 'open311',
      idempotencyOwner: `client:${client.id}`,
      idempotencyKey: options.idempotencyKey,
      raw: options.raw,
      actor: null,
    }),
  );
}

async function summary(tx: TTx, id: string) {
  const row = (await repo.findAppeal(tx, id))!;
  return { id: row.id, trackingNo: row.trackingNo, status: row.status as TAppealStatus };
}

/** May the actor read this appeal at all? Officials of the region, the submitter, followers, and villagers of the village for public ones. */
async function canRead(tx: TTx, actor: TActor | null, appeal: { id: string; regionCode: string; isPublic: boolean; submitterUserId: string | null; holderDepartmentId: string | null }): Promise<boolean> {
  if (!actor) return false;
  if (appeal.submitterUserId === actor.userId) return true;
  if (can(actor, 'appeals.read') && isInScope(authorize(actor, 'appeals.read'), appeal.regionCode)) return true;
  if (actor.roles.some((r) => r.role === 'department_handler')) {
    const department = await repo.findUserDepartment(tx, actor.userId);
    if (department && department === appeal.holderDepartmentId) return true;
  }
  if (await repo.isFollower(tx, appeal.id, actor.userId)) return true;
  return appeal.isPublic && actor.roles.some((r) => r.role === 'villager' && r.regionCode === appeal.regionCode);
}

/** One appeal as the actor may see it, with its timeline and what he may do. */
export async function getAppeal(services: TServices, actor: TActor | null, id: string): Promise<TAppeal> {
  const tx = services.db;
  const row = await repo.findAppeal(tx, id);
  if (!row) throw new AppError('NOT_FOUND', `appeal ${id}`);
  const state = { id: row.id, regionCode: row.regionCode, isPublic: row.isPublic, submitterUserId: row.submitterUserId, holderDepartmentId: row.holderDepartmentId, holderLevel: row.holderLevel as THolderLevel, holderRegionCode: row.holderRegionCode };
  if (!(await canRead(tx, actor, state))) throw new AppError('NOT_FOUND', `appeal ${id}`);
  const relation = await relate(tx, actor, state);
  const [events, files, isFollowing] = await Promise.all([repo.findEvents(tx, id), repo.findAppealFiles(tx, id), actor ? repo.isFollower(tx, id, actor.userId) : false]);
  const machine = { status: row.status as TAppealStatus, holderLevel: row.holderLevel as THolderLevel };
  const isOfficial = actor?.kind === 'official' && (relation.isHolder || relation.isSupervisor || can(actor, 'appeals.read'));
  return presentAppeal(row, events, files, {
    isOfficial,
    isMine: relation.isSubmitter,
    isFollowing,
    allowedActions: allowedActions(machine, relation, APPEAL_ACTIONS),
    canRate: canRate(machine, relation),
  });
}

/** Apply an action (accept, escalate, divert, resolve, reject, urge, merge, wait, resume, comment). */
export async function actOnAppeal(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TAppealActionRequest): Promise<TAppeal> {
  const calendar = await workCalendar(services);
  await inTransaction(services, async (tx) => {
    const appeal = await repo.lockAppeal(tx, id);
    if (!appeal || !(await canRead(tx, actor, appeal))) throw new AppError('NOT_FOUND', `appeal ${id}`);
    const relation = await relate(tx, actor, appeal);
    const why = refusal(appeal, input.action, relation);
    if (why) throw new AppError('CONFLICT', why);
    const now = services.clock.now();
    await applyAction(tx, services, calendar, appeal, actor, input, now);
    await recordAudit(tx, ctx, { action: `appeals.${input.action}`, entityType: 'appeal', entityId: id, regionCode: appeal.regionCode, details: { from: appeal.status } });
  });
  return getAppeal(services, actor, id);
}

async function applyAction(tx: TTx, services: TServices, calendar: TWorkCalendar, appeal: TState, actor: TActor | null, input: TAppealActionRequest, now: Date): Promise<void> {
  const need = (field: 'reason' | 'publicText', what: string) => {
    if (!input[field]?.trim()) throw invalid(field, what);
    return input[field]!.trim();
  };
  const base = { at: now, actor, internalNote: input.internalNote ?? null };
  switch (input.action) {
    case 'accept': {
      const dueAt = await stageDue(tx, calendar, appeal.holderLevel, appeal.category, 'resolve', now);
      await repo.updateAppeal(tx, appeal.id, { status: 'accepted', stage: 'resolve', stageStartedAt: now, dueAt, isOverdue: false, warnedAt: null, acceptedAt: now });
      await recordEvent(tx, services, appeal, { ...base, type: 'accepted', publicText: input.publicText ?? '已受理，正在办理', dueAt, wasOverdue: appeal.isOverdue }, { accepted: 1 });
      return;
    }
    case 'reject': {
      const reason = need('reason', 'a public reason is required / 请填写不予受理的理由');
      await repo.updateAppeal(tx, appeal.id, { status: 'rejected', stage: null, dueAt: null, isOverdue: false, closedAt: now });
      await recordEvent(tx, services, appeal, { ...base, type: 'rejected', reason, publicText: input.publicText ?? reason }, { rejected: 1 });
      return;
    }
    case 'escalate': {
      const reason = need('reason', 'say why this level cannot solve it / 请填写上报理由');
      const toLevel = levelAbove(appeal.holderLevel)!;
      const toRegion = parentRegionCode(appeal.holderRegionCode)!;
      const toUnit = (await repo.findRegionName(tx, toRegion)) ?? toRegion;
      // Escalation keeps the resolve clock: the villager's 5 working days do not restart at every level.
      const isFirstAtLevel = LEVEL_RANK[toLevel] > LEVEL_RANK[appeal.highestLevel];
      await repo.updateAppeal(tx, appeal.id, {
        status: 'in_progress', holderLevel: toLevel, holderRegionCode: toRegion, holderDepartmentId: null,
        highestLevel: isFirstAtLevel ? toLevel : appeal.highestLevel, escalationCount: sqlIncrement(), acceptedAt: appeal.acceptedAt ?? now,
        ...(appeal.stage === 'accept' ? { stage: 'resolve', stageStartedAt: now, dueAt: await stageDue(tx, calendar, toLevel, appeal.category, 'resolve', now), isOverdue: false, warnedAt: null } : {}),
      });
      await recordEvent(tx, services, appeal, { ...base, type: 'escalated', fromLevel: appeal.holderLevel, toLevel, toRegionCode: toRegion, toUnit, reason, publicText: input.publicText ?? `已上报${toUnit}办理` },
        { [`escalated${toLevel[0]!.toUpperCase()}${toLevel.slice(1)}`]: 1, ...(appeal.stage === 'accept' ? { accepted: 1 } : {}) });
      return;
    }
    case 'divert': {
      if (!input.departmentId) throw invalid('departmentId', 'choose the department / 请选择职能部门');
      const department = await repo.findDepartment(tx, input.departmentId);
      if (!department || !isWithinRegion(department.regionCode, appeal.holderRegionCode)) throw invalid('departmentId', 'the department must be at this level or below / 只能转办本级或下级职能部门');
      const reason = need('reason', 'say why it goes to the department / 请填写转办理由');
      await repo.updateAppeal(tx, appeal.id, {
        status: 'in_progress', holderLevel: 'department', holderRegionCode: department.regionCode, holderDepartmentId: department.id, acceptedAt: appeal.acceptedAt ?? now,
        ...(appeal.stage === 'accept' ? { stage: 'resolve', stageStartedAt: now, dueAt: await stageDue(tx, calendar, 'department', appeal.category, 'resolve', now), isOverdue: false, warnedAt: null } : {}),
      });
      await recordEvent(tx, services, appeal, { ...base, type: 'diverted', fromLevel: appeal.holderLevel, toLevel: 'department', toRegionCode: department.regionCode, departmentId: department.id, toUnit: department.name, reason, publicText: input.publicText ?? `已转${department.name}办理` },
        { diverted: 1, ...(appeal.stage === 'accept' ? { accepted: 1 } : {}) });
      return;
    }
    case 'resolve': {
      const publicText = need('publicText', 'tell the villager what was done / 请填写办理结果');
      const withinDays = !appeal.wasEverOverdue && !appeal.isOverdue && (appeal.dueAt === null || now <= appeal.dueAt);
      await repo.updateAppeal(tx, appeal.id, { status: 'resolved', stage: null, isOverdue: false, resolvedAt: now, resolvedWithinDays: withinDays });
      await recordEvent(tx, services, appeal, { ...base, type: 'resolved', publicText, wasOverdue: !withinDays }, { resolved: 1, resolvedWithinDays: withinDays ? 1 : 0 });
      return;
    }
    case 'wait': {
      const publicText = need('publicText', 'ask the villager what is missing / 请写明需要补充的内容');
      await repo.updateAppeal(tx, appeal.id, { status: 'waiting', pausedAt: now });
      await recordEvent(tx, services, appeal, { ...base, type: 'waiting', publicText });
      return;
    }
    case 'resume': {
      // The clock stood still while we waited for the villager: push the deadline by the working time paused.
      const paused = appeal.pausedAt ? calendar.workingMsBetween(appeal.pausedAt, now) : 0;
      const newDue = appeal.dueAt ? calendar.addWorkingMs(appeal.dueAt, paused) : null;
      await repo.updateAppeal(tx, appeal.id, { status: appeal.acceptedAt ? 'in_progress' : 'submitted', pausedAt: null, dueAt: newDue, isOverdue: false });
      await recordEvent(tx, services, appeal, { ...base, type: 'resumed', publicText: input.publicText ?? null, dueAt: newDue });
      return;
    }
    case 'urge': {
      const reason = need('reason', 'say what is urged / 请填写催办意见');
      await repo.updateAppeal(tx, appeal.id, { urgeCount: sqlIncrement() });
      await recordEvent(tx, services, appeal, { ...base, type: 'urged', reason, toLevel: appeal.holderLevel }, { urges: 1 });
      return;
    }
    case 'merge': {
      if (!input.intoId || input.intoId === appeal.id) throw invalid('intoId', 'choose the appeal to merge into / 请选择合并到的诉求');
      const into = await repo.lockAppeal(tx, input.intoId);
      if (!into || into.regionCode !== appeal.regionCode) throw invalid('intoId', 'only into an appeal of the same village / 只能合并到本村的诉求');
      if (!OPEN_STATUSES.includes(into.status) && into.status !== 'waiting') throw invalid('intoId', 'the target appeal is already finished / 目标诉求已办结');
      await repo.updateAppeal(tx, appeal.id, { status: 'merged', mergedInto: into.id, stage: null, dueAt: null, isOverdue: false, closedAt: now });
      const moved = await repo.moveFollowers(tx, appeal.id, into.id);
      await recordEvent(tx, services, appeal, { ...base, type: 'merged', reason: input.reason ?? null, publicText: input.publicText ?? `与诉求 ${into.trackingNo} 重复，已合并办理` });
      await recordEvent(tx, services, into, { at: now, actor, type: 'commented', publicText: `诉求 ${appeal.trackingNo} 已合并到本诉求（${moved.length} 人关注）` });
      return;
    }
    case 'comment': {
      const publicText = need('publicText', 'write the comment / 请填写内容');
      await recordEvent(tx, services, appeal, { ...base, type: 'commented', publicText });
      return;
    }
  }
}

/** A marker the repo turns into `col + 1` (keeps read-modify-write races out of counters). */
function sqlIncrement(): { increment: 1 } {
  return { increment: 1 };
}

/** The submitter rates the result; "unsatisfied" (not solved) reopens it at the last holder. */
export async function rateAppeal(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TAppealFeedbackRequest): Promise<TAppeal> {
  const calendar = await workCalendar(services);
  await inTransaction(services, async (tx) => {
    const appeal = await repo.lockAppeal(tx, id);
    if (!appeal || appeal.submitterUserId !== actor.userId) throw new AppError('NOT_FOUND', `appeal ${id}`);
    if (!canRate(appeal, { isHolder: false, isSupervisor: false, isSubmitter: true })) throw new AppError('CONFLICT', 'only a resolved appeal can be rated / 诉求办结后才能评价');
    const now = services.clock.now();
    await repo.updateAppeal(tx, appeal.id, { rating: input.rating, ratingComment: input.comment ?? null, ratedAt: now });
    await recordEvent(tx, services, appeal, { type: 'rated', at: now, actor, publicText: `${{ satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' }[input.rating]}${input.comment ? `：${input.comment}` : ''}` }, { [input.rating]: 1 });
    if (input.rating === 'unsatisfied') {
      const dueAt = await stageDue(tx, calendar, appeal.holderLevel, appeal.category, 'resolve', now);
      await repo.updateAppeal(tx, appeal.id, { status: 'reopened', stage: 'resolve', stageStartedAt: now, dueAt, isOverdue: false, warnedAt: null, reopenCount: sqlIncrement(), resolvedAt: null });
      await recordEvent(tx, services, appeal, { type: 'reopened', at: now, actor, publicText: '反映人表示问题没有解决，重新办理', dueAt }, { reopened: 1 });
    } else {
      await repo.updateAppeal(tx, appeal.id, { status: 'closed', closedAt: now });
      await recordEvent(tx, services, appeal, { type: 'closed', at: now, actor: null, publicText: '反映人已评价，诉求关闭' }, { closed: 1 });
    }
    await recordAudit(tx, ctx, { action: 'appeals.rate', entityType: 'appeal', entityId: id, regionCode: appeal.regionCode, details: { rating: input.rating } });
  });
  return getAppeal(services, actor, id);
}

/** Deadline work for one appeal: warn before the breach, count the breach with an automatic urge, escalate after N. */
export async function processDeadline(services: TServices, id: string): Promise<'warned' | 'breached' | 'escalated' | 'none'> {
  const calendar = await workCalendar(services);
  return inTransaction(services, async (tx) => {
    const appeal = await repo.lockAppeal(tx, id);
    if (!appeal || !appeal.dueAt || !OPEN_STATUSES.includes(appeal.status)) return 'none';
    const now = services.clock.now();
    const sla = await repo.findSla(tx, appeal.holderLevel, appeal.category);
    if (appeal.dueAt > now) {
      if (appeal.warnedAt) return 'none';
      await repo.updateAppeal(tx, id, { warnedAt: now });
      await recordEvent(tx, services, appeal, { type: 'warned', at: now, actor: null, internalNote: `${appeal.stage === 'accept' ? '受理' : '办理'}期限 ${appeal.dueAt.toISOString()} 临近`, dueAt: appeal.dueAt });
      await notifyHolders(tx, appeal, `【村务监督】诉求 ${appeal.trackingNo} 即将超期，请及时${appeal.stage === 'accept' ? '受理' : '办理'}。`, `warn:${id}:${appeal.dueAt.toISOString()}`);
      return 'warned';
    }
    const breaches = appeal.breachCount + 1;
    const nextDue = calendar.addWorkingDays(now, 1);
    await repo.updateAppeal(tx, id, { isOverdue: true, wasEverOverdue: true, breachCount: breaches, urgeCount: sqlIncrement(), dueAt: nextDue, warnedAt: null });
    await recordEvent(tx, services, appeal, { type: 'breached', at: now, actor: null, toLevel: appeal.holderLevel, internalNote: `第 ${breaches} 次超期`, dueAt: nextDue, wasOverdue: true }, { ...(appeal.isOverdue ? {} : { overdue: 1 }) });
    await recordEvent(tx, services, appeal, { type: 'urged', at: now, actor: null, reason: `超期自动催办（第 ${breaches} 次）`, toLevel: appeal.holderLevel }, { urges: 1 });
    await notifyHolders(tx, appeal, `【村务监督】诉求 ${appeal.trackingNo} 已超期，请立即办理；已抄送上级。`, `breach:${id}:${breaches}`, true);
    if (breaches >= sla.autoEscalateAfterBreaches && levelAbove(appeal.holderLevel)) {
      const fresh = (await repo.lockAppeal(tx, id))!;
      await applyAction(tx, services, calendar, fresh, null, { action: 'escalate', reason: `连续 ${breaches} 次超期，自动上报` }, now);
      return 'escalated';
    }
    return 'breached';
  });
}

/** SMS the officials holding the appeal (and, at a breach, the level above) through the outbox. */
async function notifyHolders(tx: TTx, appeal: TState, text: string, dedupeKey: string, includeAbove = false): Promise<void> {
  const targets: ({ role: string; regionCode: string } | { departmentId: string })[] = [];
  if (appeal.holderLevel === 'department' && appeal.holderDepartmentId) targets.push({ departmentId: appeal.holderDepartmentId });
  else if (appeal.holderLevel !== 'department') targets.push({ role: HOLDER_ROLE[appeal.holderLevel], regionCode: appeal.holderRegionCode });
  const above = appeal.holderLevel === 'department' ? null : levelAbove(appeal.holderLevel);
  if (includeAbove && above && above !== 'department') targets.push({ role: HOLDER_ROLE[above], regionCode: parentRegionCode(appeal.holderRegionCode)! });
  const phones = new Set<string>();
  for (const target of targets) for (const phone of await repo.findPhonesOfHolders(tx, target)) phones.add(phone);
  for (const phone of phones) {
    await enqueueOutbound(tx, { regionCode: appeal.regionCode, channel: 'sms', dedupeKey: `${dedupeKey}:${phone.slice(-4)}:${phone.length}`, payload: { topic: 'appeal.deadline', body: text, phone } });
  }
}

/** Run deadline work for every appeal due within the warning window. */
export async function processDeadlines(services: TServices, options: { warnHours?: number; limit?: number } = {}): Promise<Record<string, number>> {
  const until = new Date(services.clock.now().getTime() + (options.warnHours ?? 4) * 3_600_000);
  const due = await repo.findDueAppeals(services.db, until, options.limit ?? 500);
  const counts: Record<string, number> = { warned: 0, breached: 0, escalated: 0, none: 0 };
  for (const { id } of due) counts[await processDeadline(services, id)]! += 1;
  return counts;
}

/** Scope of appeal reads, for lists and stats. */
export function readScope(actor: TActor): TScope {
  return authorize(actor, 'appeals.read');
}

/** Region prefix helper re-exported for routes. */
export const prefixOf = regionPrefix;

/** Categories for forms and Open311. */
export async function listCategories(services: TServices) {
  return (await repo.findCategories(services.db)).map((c) => ({ code: c.code, name: c.nameZh, nameEn: c.nameEn }));
}

/** Departments of a region (the divert picker; the usual bureaus of each county). */
export async function listDepartments(services: TServices, region: string) {
  const rows = await repo.findDepartments(services.db, regionPrefix(region));
  // Departments above the region (a county's bureaus for a town officer) are where it may divert too: include the ancestors' own.
  const above: typeof rows = [];
  for (let code = parentRegionCode(region); code; code = parentRegionCode(code)) {
    above.push(...(await repo.findDepartments(services.db, code)).filter((d) => d.regionCode === code));
  }
  return [...rows, ...above].map((d) => ({ id: d.id, name: d.name, regionCode: d.regionCode, regionName: d.regionName, categories: d.categories }));
}


/**
 * Appeal lists: `worklist` (what the actor's level or department holds now), `mine` (submitted),
 * `following`, `public` (public appeals of the villager's village), `all` (officials: the region).
 */
export async function listAppeals(services: TServices, actor: TActor, query: { region?: string; status?: string; category?: string; view: 'all' | 'worklist' | 'mine' | 'public' | 'following'; due?: 'overdue' | 'soon' | 'new'; q?: string; cursor?: string; limit: number }) {
  const statuses = query.status ? (query.status.split(',') as TAppealStatus[]) : undefined;
  const filter: repo.TAppealFilter = { statuses, category: query.category, due: query.due, q: query.q, after: query.cursor ? (({ at, id }) => ({ createdAt: at, id }))(decodeTimeCursor(query.cursor)) : undefined, limit: query.limit + 1 };
  switch (query.view) {
    case 'mine':
      filter.submitterUserId = actor.userId;
      break;
    case 'following':
      filter.followerUserId = actor.userId;
      break;
    case 'public': {
      const village = actor.roles.find((r) => r.role === 'villager')?.regionCode ?? query.region;
      if (!village) throw invalid('region', 'which village? / 请指定村');
      if (actor.kind === 'villager' && !actor.roles.some((r) => r.role === 'villager' && r.regionCode === village)) throw new AppError('NOT_FOUND', `village ${village}`);
      filter.publicVillage = village;
      break;
    }
    case 'worklist': {
      const levels = actor.roles
        .filter((r) => Object.values(HOLDER_ROLE).includes(r.role))
        .map((r) => ({ level: (Object.entries(HOLDER_ROLE).find(([, role]) => role === r.role)![0]) as THolderLevel, prefix: r.regionCode }));
      const department = actor.roles.some((r) => r.role === 'department_handler') ? await repo.findUserDepartment(services.db, actor.userId) : null;
      if (levels.length === 0 && !department) throw new AppError('FORBIDDEN', 'no worklist for your roles / 您的角色没有待办');
      filter.holder = { levels, departmentIds: department ? [department] : [] };
      filter.statuses ??= ['submitted', 'accepted', 'in_progress', 'waiting', 'reopened'];
      break;
    }
    default: {
      const scope = authorize(actor, 'appeals.read');
      if (query.region && !isInScope(scope, query.region) && !scope.prefixes.some((p) => p.startsWith(regionPrefix(query.region!)))) throw new AppError('NOT_FOUND', `region ${query.region}`);
      filter.scope = scope;
      if (query.region) filter.prefix = regionPrefix(query.region);
    }
  }
  const rows = await repo.findAppeals(services.db, filter);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(presentListItem), nextCursor: rows.length > query.limit && last ? encodeTimeCursor({ at: new Date(last.createdAt), id: last.id }) : null };
}

/** Statistics of a region in the actor's scope, from the daily rollups. */
export async function appealStats(services: TServices, actor: TActor, query: { region: string; from?: string; to?: string }) {
  const scope = authorize(actor, 'appeals.read');
  if (!isInScope(scope, query.region)) throw new AppError('NOT_FOUND', `region ${query.region}`);
  const today = chinaDate(services.clock.now());
  const to = query.to ?? today;
  const from = query.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw invalid('from', 'from must not be after to / 开始日期不能晚于结束日期');
  const stats = await repo.findStats(services.db, query.region, regionPrefix(query.region), from, to);
  return { region: query.region, from, to, ...stats } as unknown as TAppealStatsResult;
}

/** The stats DTO type (kept loose here; the route schema validates it). */
type TAppealStatsResult = import('@cunwu/contract').TAppealStats;

/** Attach voice and photos to an appeal the actor just submitted or is handling. */
export async function attachFiles(services: TServices, actor: TActor, ctx: TAuditContext, id: string, files: { sha256: string; sizeBytes: number; mimeType: string; kind: 'voice' | 'photo' }[]) {
  await inTransaction(services, async (tx) => {
    const appeal = await repo.lockAppeal(tx, id);
    if (!appeal || !(await canRead(tx, actor, appeal))) throw new AppError('NOT_FOUND', `appeal ${id}`);
    const relation = await relate(tx, actor, appeal);
    const registeredByMe = (await repo.findRegistrar(tx, id)) === actor.userId;
    if (!relation.isSubmitter && !registeredByMe && !relation.isHolder) throw new AppError('FORBIDDEN', 'only the submitter, the registrar or the holder add files / 只有反映人、登记人或承办人可以补充材料');
    for (const f of files) await recordFile(tx, { sha256: f.sha256, sizeBytes: f.sizeBytes, mimeType: f.mimeType });
    await repo.insertAppealFiles(tx, id, files);
    await recordAudit(tx, ctx, { action: 'appeals.attach', entityType: 'appeal', entityId: id, regionCode: appeal.regionCode, details: { files: files.length } });
  });
  return getAppeal(services, actor, id);
}

/** A file of an appeal the actor may read. */
export async function openAppealFile(services: TServices, actor: TActor, id: string, sha256: string) {
  const appeal = await repo.findAppeal(services.db, id);
  if (!appeal || !(await canRead(services.db, actor, { ...appeal, holderDepartmentId: appeal.holderDepartmentId }))) throw new AppError('NOT_FOUND', 'file');
  const files = await repo.findAppealFiles(services.db, id);
  if (!files.some((f) => f.sha256 === sha256)) throw new AppError('NOT_FOUND', 'file');
  const meta = await findFile(services.db, sha256);
  return { stream: services.files.get(sha256), mimeType: meta?.mimeType ?? 'application/octet-stream', sizeBytes: meta?.sizeBytes ?? 0 };
}

/** A region's name (for file names and titles). */
export async function regionName(services: TServices, code: string): Promise<string> {
  return (await repo.findRegionName(services.db, code)) ?? code;
}

/** Public appeals for outside systems (Open311): no viewer, public appeals only, never personal data. */
export async function listPublicAppeals(services: TServices, filter: repo.TPublicAppealFilter): Promise<TPublicAppeal[]> {
  return (await repo.findPublicAppeals(services.db, filter)).map(presentPublicAppeal);
}

/** A public appeal by tracking number with its public timeline, or null when unknown or private. */
export async function getPublicAppeal(services: TServices, trackingNo: string): Promise<{ appeal: TPublicAppeal; timeline: TPublicAppealEvent[] } | null> {
  const row = (await repo.findPublicAppeals(services.db, { trackingNos: [trackingNo], limit: 1 }))[0];
  if (!row) return null;
  return { appeal: presentPublicAppeal(row), timeline: presentPublicEvents(await repo.findEvents(services.db, row.id)) };
}

/** Similar open appeals of the same village, for triage (merge candidates). */
export async function similarAppeals(services: TServices, actor: TActor, id: string) {
  const appeal = await repo.findAppeal(services.db, id);
  if (!appeal || !(await canRead(services.db, actor, { ...appeal, holderDepartmentId: appeal.holderDepartmentId }))) throw new AppError('NOT_FOUND', `appeal ${id}`);
  authorize(actor, 'appeals.read');
  const rows = await repo.findSimilar(services.db, appeal.regionCode, contentTokens(`${appeal.content} ${appeal.transcript ?? ''}`), id);
  return rows.map((s) => ({ ...s, content: s.content.slice(0, 120) }));
}

/** Follow (or stop following) an appeal the actor may read: followers are told of its steps. */
export async function setFollowing(services: TServices, actor: TActor, ctx: TAuditContext, id: string, isFollowing: boolean): Promise<TAppeal> {
  await services.db.transaction().execute(async (tx) => {
    const appeal = await repo.findAppeal(tx, id);
    if (!appeal || !(await canRead(tx, actor, { ...appeal, holderDepartmentId: appeal.holderDepartmentId }))) throw new AppError('NOT_FOUND', `appeal ${id}`);
    if (isFollowing) await repo.addFollower(tx, id, actor.userId);
    else await repo.removeFollower(tx, id, actor.userId);
    await recordAudit(tx, ctx, { action: isFollowing ? 'appeals.follow' : 'appeals.unfollow', entityType: 'appeal', entityId: id, regionCode: appeal.regionCode });
  });
  return getAppeal(services, actor, id);
}
