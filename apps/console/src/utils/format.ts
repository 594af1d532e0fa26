import { isEnglish } from '@/i18n';

/** Business dates are shown in China Standard Time whatever the browser's zone. */
const TIME_ZONE = 'Asia/Shanghai';

function partsOf(value: string | Date): Record<string, string> | null {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return null;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2023-05-16T… → 2023年5月16日 (English: 16 May 2023); empty for missing or invalid input. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const p = partsOf(value);
  if (!p) return '';
  if (isEnglish()) return `${p.day} ${EN_MONTHS[Number(p.month) - 1] ?? p.month} ${p.year}`;
  return `${p.year}年${p.month}月${p.day}日`;
}

/** 2023-05-16T06:05Z → 2023年5月16日 14:05 (English: 16 May 2023 14:05). */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const p = partsOf(value);
  if (!p) return '';
  return `${formatDate(value)} ${p.hour}:${p.minute}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer fen → ¥1,280.00, computed with integers so no float rounding creeps in. */
export function formatFen(fen: number | bigint | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const value = typeof fen === 'bigint' ? fen : BigInt(Math.trunc(fen));
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = groupThousands((abs / 100n).toString());
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

/** 1790000 → 1,790,000. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const rounded = Math.trunc(value);
  return `${rounded < 0 ? '-' : ''}${groupThousands(String(Math.abs(rounded)))}`;
}

/** Short axis labels: 17900 → 1.79万 (English: 17.9K). */
export function formatCompact(value: number): string {
  const abs = Math.abs(value);
  const trim = (n: number): string => String(Number(n.toFixed(2)));
  if (isEnglish()) {
    if (abs >= 1_000_000) return `${trim(value / 1_000_000)}M`;
    if (abs >= 1_000) return `${trim(value / 1_000)}K`;
    return formatCount(value);
  }
  if (abs >= 100_000_000) return `${trim(value / 100_000_000)}亿`;
  if (abs >= 10_000) return `${trim(value / 10_000)}万`;
  return formatCount(value);
}

/**
 * A ledger entry as people count it: index 0 is 第 1 条, with thousands separators — the same number
 * the villager app shows for the same entry.
 */
export function ledgerEntryNumber(index: number | null | undefined): string {
  return index === null || index === undefined ? '' : (index + 1).toLocaleString('en-US');
}
