import {
  APPEAL_LABELS,
  regionLevelOf,
  type TAppeal,
  type TAppealAction,
  type TAppealStatus,
  type THolderLevel,
} from '@cunwu/contract';
import { isEnglish } from '@/i18n';

/*
 * Names of states, holder levels and timeline events. Chinese comes from the contract's APPEAL_LABELS
 * (the same words the villager app and the server's notices use); English is kept here beside it.
 */

const STATUS_EN: Record<TAppealStatus, string> = {
  submitted: 'Submitted',
  accepted: 'Accepted',
  in_progress: 'In progress',
  waiting: 'Waiting for submitter',
  resolved: 'Resolved',
  closed: 'Closed',
  rejected: 'Not accepted',
  merged: 'Merged',
  reopened: 'Reopened',
};

const LEVEL_EN: Record<THolderLevel, string> = { village: 'Village', town: 'Town', county: 'County', city: 'City', department: 'Department' };

const EVENT_EN: Record<keyof typeof APPEAL_LABELS.event, string> = {
  submitted: 'Submitted',
  accepted: 'Accepted',
  escalated: 'Escalated',
  diverted: 'Diverted',
  resolved: 'Resolved',
  rejected: 'Not accepted',
  urged: 'Urged',
  merged: 'Merged',
  waiting: 'Asked for more information',
  resumed: 'Resumed',
  reopened: 'Reopened',
  closed: 'Closed',
  rated: 'Rated',
  commented: 'Comment',
  warned: 'Deadline warning',
  breached: 'Overdue',
};

/** Localized name of a state (已受理 / Accepted). */
export function statusName(status: TAppealStatus): string {
  return isEnglish() ? STATUS_EN[status] : APPEAL_LABELS.status[status];
}

/** Localized name of a holder level (乡镇 / Town); unknown values are shown as they are. */
export function holderLevelName(level: string): string {
  if (!(level in LEVEL_EN)) return level;
  const known = level as THolderLevel;
  return isEnglish() ? LEVEL_EN[known] : APPEAL_LABELS.level[known];
}

/** Localized label of a timeline event (上报 / Escalated); unknown types are shown as they are. */
export function eventName(type: string): string {
  if (!(type in EVENT_EN)) return type;
  const known = type as keyof typeof APPEAL_LABELS.event;
  return isEnglish() ? EVENT_EN[known] : APPEAL_LABELS.event[known];
}

/** Tag colour of each state: waiting to be taken orange, being worked blue, done green, ended grey, back again red. */
export const STATUS_TAG_TYPES: Record<TAppealStatus, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  submitted: 'warning',
  accepted: 'primary',
  in_progress: 'primary',
  waiting: 'info',
  resolved: 'success',
  closed: 'success',
  rejected: 'info',
  merged: 'info',
  reopened: 'danger',
};

/** States still on someone's desk (the worklist's default). */
export const OPEN_STATUSES: readonly TAppealStatus[] = ['submitted', 'accepted', 'in_progress', 'waiting', 'reopened'];

/** Tag colour of each holder level, village to city, departments apart. */
export const LEVEL_TAG_TYPES: Record<THolderLevel, 'info' | 'success' | 'primary' | 'warning' | 'danger'> = {
  village: 'info',
  town: 'success',
  county: 'primary',
  city: 'warning',
  department: 'danger',
};

/** Timeline dot colour of an event: trouble red, warnings orange, hand-overs blue, results green. */
export function eventColor(type: string): string {
  switch (type) {
    case 'breached':
    case 'reopened':
      return '#dc2626';
    case 'warned':
    case 'urged':
      return '#d97706';
    case 'escalated':
    case 'diverted':
      return '#1d5fbf';
    case 'resolved':
    case 'closed':
    case 'rated':
      return '#16a34a';
    default:
      return '#94a3b8';
  }
}

/** Order of the action buttons: the usual next step first, the ones that end it last. */
export const ACTION_ORDER: readonly TAppealAction[] = ['accept', 'resolve', 'escalate', 'divert', 'wait', 'resume', 'urge', 'comment', 'merge', 'reject'];

/** Actions that move the appeal on and get a filled button. */
export const PRIMARY_ACTIONS: ReadonlySet<TAppealAction> = new Set(['accept', 'resolve']);

/**
 * The region whose officers hold an appeal now: the village itself, or its town, county or city
 * (the appeal DTO names the level, and the region follows from the village's code).
 */
export function holderRegionOf(appeal: Pick<TAppeal, 'regionCode' | 'holderLevel'>): string {
  const length = { village: 12, town: 9, county: 6, city: 4, department: 12 }[appeal.holderLevel];
  return appeal.regionCode.slice(0, length).padEnd(12, '0');
}

/** Whether a region code is a village (registrations and merges happen within one village). */
export function isVillageCode(code: string): boolean {
  return /^\d{12}$/.test(code) && regionLevelOf(code) === 'village';
}
