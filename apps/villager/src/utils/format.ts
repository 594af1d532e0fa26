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
