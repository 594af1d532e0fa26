import { isEnglish } from '@/i18n';

/**
 * A compact time for dense tables: 11月28日 17:32 this year, 2025年11月28日 17:32 otherwise
 * (English: 28 Nov 17:32). China Standard Time, like the rest of the console.
 */
export function formatShortDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const thisYear = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
  const time = `${parts.hour}:${parts.minute}`;
  if (isEnglish()) {
    const month = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', month: 'short' }).format(date);
    return `${parts.day} ${month}${parts.year === thisYear ? '' : ` ${parts.year}`} ${time}`;
  }
  return `${parts.year === thisYear ? '' : `${parts.year}年`}${parts.month}月${parts.day}日 ${time}`;
}

/** 17:32:05 in China Standard Time (when the list was last refreshed). */
export function formatClock(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(date);
}
