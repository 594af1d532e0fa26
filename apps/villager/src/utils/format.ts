import { currentLocale } from '@/i18n';

/** Times are shown in China Standard Time whatever the phone's zone (as in the console). */
const TIME_ZONE = 'Asia/Shanghai';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let partsFormatter: Intl.DateTimeFormat | null = null;

function partsOf(value: string | Date): Record<string, string> | null {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return null;
  partsFormatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(partsFormatter.formatToParts(date).map((p) => [p.type, p.value]));
}

/** 2026-11-28T06:05Z → 2026年11月28日 14:05 (English: 28 Nov 2026 14:05); empty for missing or invalid input. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const p = partsOf(value);
  if (!p) return '';
  const time = `${p.hour}:${p.minute}`;
  if (currentLocale() === 'en') return `${p.day} ${EN_MONTHS[Number(p.month) - 1] ?? p.month} ${p.year} ${time}`;
  return `${p.year}年${p.month}月${p.day}日 ${time}`;
}

/** 1234567 → 1,234,567 in the current language. */
export function formatCount(value: number): string {
  return value.toLocaleString(currentLocale());
}

/** The calendar day in China of a date, as `YYYY-M-D` (for "same day?" comparisons). */
function chinaDayKey(p: Record<string, string>): string {
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * Chat-style time in China Standard Time: 今天 14:05 / 昨天 09:30 / 11月27日 09:30 / 2025年11月27日 09:30
 * (English: Today 14:05 / Yesterday 09:30 / 27 Nov 09:30 / 27 Nov 2025 09:30).
 */
export function formatChatTime(value: string | Date | null | undefined, now: Date = new Date()): string {
  if (!value) return '';
  const p = partsOf(value);
  const today = partsOf(now);
  if (!p || !today) return '';
  const time = `${p.hour}:${p.minute}`;
  const isEnglish = currentLocale() === 'en';
  const day = chinaDayKey(p);
  if (day === chinaDayKey(today)) return isEnglish ? `Today ${time}` : `今天 ${time}`;
  // China keeps no daylight-saving time, so "yesterday" is exactly 24 hours back.
  const yesterday = partsOf(new Date(now.getTime() - 86_400_000));
  if (yesterday && day === chinaDayKey(yesterday)) return isEnglish ? `Yesterday ${time}` : `昨天 ${time}`;
  const month = EN_MONTHS[Number(p.month) - 1] ?? p.month;
  if (p.year === today.year) return isEnglish ? `${p.day} ${month} ${time}` : `${p.month}月${p.day}日 ${time}`;
  return isEnglish ? `${p.day} ${month} ${p.year} ${time}` : `${p.year}年${p.month}月${p.day}日 ${time}`;
}
