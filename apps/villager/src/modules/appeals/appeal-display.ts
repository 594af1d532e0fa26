/** Pure helpers for showing appeals: status colours, category icons, what each timeline step says. */
import type { TAppealEvent, TAppealStatus } from '@cunwu/contract';

/** Colours of a status tag: dark text on a pale ground, readable in sunlight. */
export interface TTone {
  color: string;
  background: string;
}

const BLUE: TTone = { color: '#1553a0', background: '#e8f1fc' };
const ORANGE: TTone = { color: '#8a4100', background: '#fff1e0' };
const GREEN: TTone = { color: '#17703a', background: '#e6f4ea' };
const GREY: TTone = { color: '#4a4c50', background: '#eceef1' };
const RED: TTone = { color: '#b3261e', background: '#fdecea' };

/** Waiting on someone → blue; on the villager → orange; done → green; refused → red; folded away → grey. */
export const STATUS_TONES: Record<TAppealStatus, TTone> = {
  submitted: BLUE,
  accepted: BLUE,
  in_progress: BLUE,
  waiting: ORANGE,
  resolved: GREEN,
  closed: GREY,
  rejected: RED,
  merged: GREY,
  reopened: ORANGE,
};

/** Still being handled (the deadline and the holder matter). */
export function isOpenStatus(status: TAppealStatus): boolean {
  return status === 'submitted' || status === 'accepted' || status === 'in_progress' || status === 'waiting' || status === 'reopened';
}

/** Big icons of the seeded categories; a category added later by configuration gets the generic one. */
const CATEGORY_ICONS: Record<string, string> = {
  traffic: 'logistics',
  sanitation: 'delete-o',
  village_look: 'flower-o',
  housing_land: 'home-o',
  social_security: 'shield-o',
  disputes: 'friends-o',
  village_finance: 'balance-o',
  cadre_conduct: 'manager-o',
  other: 'more-o',
};

/** The Vant icon of a category. */
export function categoryIconOf(code: string): string {
  return CATEGORY_ICONS[code] ?? 'comment-o';
}

/** Where a step sent the appeal, as an i18n key and its unit: 上报到 罗溪镇 / 转 洛江区交通运输局. */
export function eventMoveOf(event: TAppealEvent): { key: string; unit: string } | null {
  if (!event.toUnit) return null;
  switch (event.type) {
    case 'submitted':
      return { key: 'appeals.timeline.to', unit: event.toUnit };
    case 'escalated':
      return { key: 'appeals.timeline.escalatedTo', unit: event.toUnit };
    case 'diverted':
      return { key: 'appeals.timeline.divertedTo', unit: event.toUnit };
    default:
      return null;
  }
}

/** The latest step of a type: the question of a 待补充 (`waiting`), the result of a `resolved` … */
export function latestStepOf(timeline: readonly TAppealEvent[], type: string): TAppealEvent | null {
  for (let i = timeline.length - 1; i >= 0; i--) if (timeline[i]?.type === type) return timeline[i] ?? null;
  return null;
}
