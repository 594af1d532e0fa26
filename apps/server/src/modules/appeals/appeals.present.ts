import { APPEAL_LABELS, maskName, maskPhone, type TAppeal, type TAppealAction, type TAppealListItem } from '@cunwu/contract';
import type * as repo from './appeals.repo';

type TRow = NonNullable<Awaited<ReturnType<typeof repo.findAppeal>>>;
type TEventRow = Awaited<ReturnType<typeof repo.findEvents>>[number];
type TListRow = Awaited<ReturnType<typeof repo.findAppeals>>[number];

/** Who holds it now, in words: 罗溪镇, 洛江区交通运输局 … */
function holderUnit(row: { holderLevel: string; holderRegionName: string | null; departmentName: string | null }): string {
  if (row.holderLevel === 'department') return row.departmentName ?? '职能部门';
  return row.holderRegionName ?? (APPEAL_LABELS.level as Record<string, string>)[row.holderLevel] ?? row.holderLevel;
}

/**
 * An appeal for its viewer: officials handling it see the submitter; everyone else sees his name
 * masked and no phone; internal notes only for officials.
 */
export function presentAppeal(
  row: TRow,
  events: TEventRow[],
  files: { sha256: string; kind: string }[],
  viewer: { isOfficial: boolean; isMine: boolean; isFollowing: boolean; allowedActions: TAppealAction[]; canRate: boolean },
): TAppeal {
  const showPerson = viewer.isOfficial || viewer.isMine;
  return {
    id: row.id,
    trackingNo: row.trackingNo,
    regionCode: row.regionCode,
    villageName: row.villageName,
    category: row.category,
    categoryName: row.categoryName,
    channel: row.channel as TAppeal['channel'],
    content: row.content,
    transcript: row.transcript,
    isPublic: row.isPublic,
    submitterName: row.submitterName ? (showPerson ? row.submitterName : maskName(row.submitterName)) : null,
    submitterPhone: row.submitterPhone && showPerson ? maskPhone(row.submitterPhone) : null,
    status: row.status as TAppeal['status'],
    holderLevel: row.holderLevel as TAppeal['holderLevel'],
    holderUnit: holderUnit(row),
    stage: row.stage as TAppeal['stage'],
    dueAt: row.dueAt ? new Date(row.dueAt).toISOString() : null,
    isOverdue: row.isOverdue,
    urgeCount: row.urgeCount,
    escalationCount: row.escalationCount,
    rating: row.rating as TAppeal['rating'],
    ratingComment: row.ratingComment,
    mergedInto: row.mergedInto && row.mergedTrackingNo ? { id: row.mergedInto, trackingNo: row.mergedTrackingNo } : null,
    isMine: viewer.isMine,
    isFollowing: viewer.isFollowing,
    allowedActions: viewer.allowedActions,
    canRate: viewer.canRate,
    files: files.map((f) => ({ sha256: f.sha256, kind: f.kind as 'voice' | 'photo', url: `/api/v1/appeals/${row.id}/files/${f.sha256}` })),
    timeline: events
      .filter((e) => viewer.isOfficial || !['warned'].includes(e.type))
      .map((e) => ({
        type: e.type,
        at: new Date(e.at).toISOString(),
        actor: e.actorLabel ? (viewer.isOfficial || viewer.isMine || !e.actorUserId || e.actorUserId !== row.submitterUserId ? e.actorLabel : maskName(e.actorLabel)) : e.type === 'breached' || e.type === 'warned' || e.type === 'urged' ? '系统' : null,
        fromLevel: e.fromLevel,
        toLevel: e.toLevel,
        toUnit: e.departmentName ?? e.toRegionName ?? null,
        publicText: e.publicText,
        reason: e.reason,
        ...(viewer.isOfficial ? { internalNote: e.internalNote } : {}),
        dueAt: e.dueAt ? new Date(e.dueAt).toISOString() : null,
        ledgerIndex: e.ledgerIdx,
      })),
    createdAt: new Date(row.createdAt).toISOString(),
    resolvedAt: row.resolvedAt ? new Date(row.resolvedAt).toISOString() : null,
    closedAt: row.closedAt ? new Date(row.closedAt).toISOString() : null,
  };
}

/** A list row. */
export function presentListItem(row: TListRow): TAppealListItem {
  return {
    id: row.id,
    trackingNo: row.trackingNo,
    regionCode: row.regionCode,
    villageName: row.villageName,
    category: row.category,
    categoryName: row.categoryName,
    summary: row.content.length > 80 ? `${row.content.slice(0, 80)}…` : row.content,
    status: row.status as TAppealListItem['status'],
    holderLevel: row.holderLevel as TAppealListItem['holderLevel'],
    holderUnit: holderUnit(row),
    dueAt: row.dueAt ? new Date(row.dueAt).toISOString() : null,
    isOverdue: row.isOverdue,
    urgeCount: row.urgeCount,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

type TPublicRow = Awaited<ReturnType<typeof repo.findPublicAppeals>>[number];

/** A public appeal for outside systems (Open311): no submitter, no internal state beyond the holder. */
export interface TPublicAppeal {
  trackingNo: string;
  regionCode: string;
  villageName: string;
  category: string;
  categoryName: string;
  content: string;
  status: TAppeal['status'];
  holderLevel: TAppeal['holderLevel'];
  holderUnit: string;
  stage: TAppeal['stage'];
  dueAt: Date | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  latestPublicText: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A public step of the timeline: no actor, no internal note. */
export interface TPublicAppealEvent {
  id: number;
  type: string;
  at: Date;
  fromLevel: TAppeal['holderLevel'] | null;
  toLevel: TAppeal['holderLevel'] | null;
  toUnit: string | null;
  publicText: string | null;
  reason: string | null;
}

/** A public appeal row as outside systems may see it. */
export function presentPublicAppeal(row: TPublicRow): TPublicAppeal {
  const createdAt = new Date(row.createdAt);
  return {
    trackingNo: row.trackingNo,
    regionCode: row.regionCode,
    villageName: row.villageName,
    category: row.category,
    categoryName: row.categoryName,
    content: row.content,
    status: row.status as TAppeal['status'],
    holderLevel: row.holderLevel as TAppeal['holderLevel'],
    holderUnit: holderUnit(row),
    stage: row.stage as TAppeal['stage'],
    dueAt: row.dueAt ? new Date(row.dueAt) : null,
    address: row.address,
    latitude: row.latitude === null ? null : Number(row.latitude),
    longitude: row.longitude === null ? null : Number(row.longitude),
    latestPublicText: row.latestPublicText,
    createdAt,
    updatedAt: row.latestStepAt ? new Date(row.latestStepAt) : createdAt,
  };
}

/** The timeline as the public sees it (as villagers do, minus who acted). */
export function presentPublicEvents(events: TEventRow[]): TPublicAppealEvent[] {
  return events
    .filter((e) => e.type !== 'warned')
    .map((e) => ({
      id: e.id,
      type: e.type,
      at: new Date(e.at),
      fromLevel: e.fromLevel as TAppeal['holderLevel'] | null,
      toLevel: e.toLevel as TAppeal['holderLevel'] | null,
      toUnit: e.departmentName ?? e.toRegionName ?? null,
      publicText: e.publicText,
      reason: e.reason,
    }));
}
