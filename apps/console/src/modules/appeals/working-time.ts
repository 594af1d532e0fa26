import { createWorkCalendar, type TCalendarYear } from '@cunwu/contract';
// The same published table the server seeds its work_calendar from, so "剩1天3小时" here counts
// holidays and 调休 exactly as the server's deadlines do. There is no calendar endpoint yet; 9 KB.
import published from '../../../../server/seed/cn-workday-calendar.json';
import { translate } from '@/i18n';

const calendar = createWorkCalendar((published as { years: Record<string, TCalendarYear> }).years);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Working time left before a deadline, or past it. */
export interface TWorkingTimeLeft {
  isOverdue: boolean;
  /** Working milliseconds left (or over, when overdue). */
  ms: number;
}

/** Working time between now and `dueAt` on the Chinese working-day clock (weekends and holidays stand still). */
export function workingTimeLeft(dueAt: string | Date, now: Date = new Date()): TWorkingTimeLeft | null {
  const due = typeof dueAt === 'string' ? new Date(dueAt) : dueAt;
  if (Number.isNaN(due.getTime())) return null;
  const [from, to] = due.getTime() >= now.getTime() ? [now, due] : [due, now];
  const working = calendar.workingMsBetween(from, to);
  // A deadline that itself falls on a day off (set by hand, or moved by a pause) would read "0 left"
  // all weekend; the plain clock is the honest answer then.
  return { isOverdue: from === due, ms: working > 0 ? working : to.getTime() - from.getTime() };
}

/** 1天3小时 / 3小时 / 45分钟 (English: 1d 3h / 3h / 45 min) of working time. */
export function formatWorkingSpan(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  if (days > 0) return hours > 0 ? translate('appeals.due.daysHours', { days, hours }) : translate('appeals.due.days', { days });
  if (hours > 0) return translate('appeals.due.hours', { hours });
  return translate('appeals.due.minutes', { minutes: Math.max(1, Math.floor(ms / 60_000)) });
}

/** 剩1天3小时 / 超期2小时: the line under a due time. */
export function describeTimeLeft(left: TWorkingTimeLeft): string {
  const span = formatWorkingSpan(left.ms);
  return left.isOverdue ? translate('appeals.due.overdueBy', { span }) : translate('appeals.due.left', { span });
}
