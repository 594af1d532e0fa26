import { chinaDate, ZF01Structured, type TComplianceStatus, type TDisclosure, type TF01Structured, type TReviewRecord } from '@cunwu/contract';
import { daysBetween } from './period';

/** Where a disclosure stands against its due day, as compliance counts it. */
export interface TDueState {
  status: TComplianceStatus;
  /** Days late (late, missing) or days left (pending); 0 for on time. */
  days: number;
}

/**
 * On time when first published on or before `dueOn`, late after it; unpublished ones are missing once
 * the due day has passed and pending before. Corrections do not move it (the server's rule too).
 */
export function dueState(d: Pick<TDisclosure, 'dueOn' | 'firstPublishedAt'>, today: string): TDueState {
  if (d.firstPublishedAt) {
    const day = chinaDate(new Date(d.firstPublishedAt));
    return day > d.dueOn ? { status: 'late', days: daysBetween(d.dueOn, day) } : { status: 'on_time', days: 0 };
  }
  return today > d.dueOn ? { status: 'missing', days: daysBetween(d.dueOn, today) } : { status: 'pending', days: daysBetween(today, d.dueOn) };
}

/** The joint-review decisions (联审), newest first; absent for items without review. */
export function reviewsOf(d: TDisclosure): TReviewRecord[] {
  return [...(d.reviews ?? [])].sort((a, b) => b.reviewedAt.localeCompare(a.reviewedAt));
}

/** The ledger lines an F01 version published (`structured.schema === 'f01/1'`), else null. */
export function f01Of(structured: Record<string, unknown> | undefined): TF01Structured | null {
  if (!structured || structured.schema !== 'f01/1') return null;
  const parsed = ZF01Structured.safeParse(structured);
  return parsed.success ? parsed.data : null;
}
