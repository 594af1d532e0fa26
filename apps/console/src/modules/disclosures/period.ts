import { chinaDate, frequencyOfPeriod, isEventFrequency, parseDisclosurePeriod, type TDisclosureFrequency } from '@cunwu/contract';
import { isEnglish } from '@/i18n';

/** Today in China ('YYYY-MM-DD'): periods and due days are China calendar days whatever the browser's zone. */
export function chinaToday(): string {
  return chinaDate(new Date());
}

/** The month before `day`'s month ('YYYY-MM'): the compliance page's default window. */
export function previousMonth(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/**
 * The period a new disclosure most likely covers: the last one that has ended (last month, last
 * quarter …), the day itself for event items. A village discloses what has happened.
 */
export function defaultPeriod(frequency: TDisclosureFrequency, today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (frequency) {
    case 'monthly':
      return previousMonth(today);
    case 'quarterly': {
      const quarter = Math.ceil(month / 3);
      return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
    }
    case 'semiannual':
      return month <= 6 ? `${year - 1}-H2` : `${year}-H1`;
    case 'annual':
      return String(year - 1);
    default:
      return today;
  }
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A period as people say it: 2025年4月 / Apr 2025, 2025年第二季度 / Q2 2025, 2025年上半年 / H1 2025 … */
export function formatPeriod(period: string, frequency?: TDisclosureFrequency): string {
  const parsed = parseDisclosurePeriod(frequency ?? frequencyOfPeriod(period) ?? 'immediate', period);
  if (!parsed.ok) return period;
  if (!isEnglish()) return parsed.value.label;
  const [year, part, day] = period.split('-');
  if (parsed.value.isEvent) return `${Number(day)} ${EN_MONTHS[Number(part) - 1]} ${year}`;
  if (!part) return year ?? period;
  if (part.startsWith('Q') || part.startsWith('H')) return `${part} ${year}`;
  return `${EN_MONTHS[Number(part) - 1]} ${year}`;
}

/** Whole days from `from` to `to` ('YYYY-MM-DD'); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether items of this frequency are disclosed per event (a date and an event reference) rather than per period. */
export function isEventItem(frequency: TDisclosureFrequency): boolean {
  return isEventFrequency(frequency);
}
