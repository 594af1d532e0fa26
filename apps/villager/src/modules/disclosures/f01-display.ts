/** Pure helpers of the monthly accounts (F01) on a disclosure's page: dates, money, content check, invoice hashes. */
import { formatFen, hex, sha256, type TF01Structured, type TPublishedLine } from '@cunwu/contract';
import { currentLocale } from '@/i18n';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A business date 'YYYY-MM-DD' as 4月3日 (3 Apr); with the year when asked (2026年4月3日). */
export function formatBusinessDay(day: string, withYear = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const [, year, month, date] = m as unknown as [string, string, string, string];
  if (currentLocale() === 'en') return `${Number(date)} ${EN_MONTHS[Number(month) - 1] ?? month}${withYear ? ` ${year}` : ''}`;
  return `${withYear ? `${year}年` : ''}${Number(month)}月${Number(date)}日`;
}

let dayFormatter: Intl.DateTimeFormat | null = null;

/** The China calendar day of an instant, as 'YYYY-MM-DD' (a review's time shown as its day). */
export function chinaDayOf(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  dayFormatter ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
  return dayFormatter.format(date);
}

/** ¥1,234.50 from fen (the same in both languages). */
export function yuan(fen: number): string {
  return fen < 0 ? `-¥${formatFen(-fen)}` : `¥${formatFen(fen)}`;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function isPublishedLine(value: unknown): value is TPublishedLine {
  if (!isObject(value)) return false;
  const { id, date, direction, amountFen, subject, counterparty, paymentMethod, voucherNo, summary, invoices, review } = value;
  if (!isString(id) || !isString(date) || (direction !== 'income' && direction !== 'expense') || !isInt(amountFen)) return false;
  if (!isString(subject) || !isString(counterparty) || !isString(paymentMethod) || !isString(voucherNo)) return false;
  if (summary !== null && !isString(summary)) return false;
  if (review !== null && !(isObject(review) && isString(review.reviewerUnit) && isString(review.reviewedAt))) return false;
  return Array.isArray(invoices) && invoices.every((inv) => isObject(inv) && isString(inv.id) && isString(inv.sha256) && isString(inv.mimeType));
}

/**
 * An F01 version's structured content (收支明细, schema 'f01/1'), checked field by field before it is
 * drawn — by hand rather than with the contract's zod schema, which would add zod to this page.
 * Returns null for other items, and 'unreadable' when it claims to be F01 but is malformed.
 */
export function readF01(structured: Record<string, unknown>): TF01Structured | 'unreadable' | null {
  if (structured.schema !== 'f01/1') return null;
  const { lines, totals } = structured;
  if (!Array.isArray(lines) || !lines.every(isPublishedLine) || !isObject(totals)) return 'unreadable';
  const { incomeFen, expenseFen, balanceFen, lineCount, bySubject } = totals;
  if (!isInt(incomeFen) || !isInt(expenseFen) || !isInt(balanceFen) || !isInt(lineCount) || !Array.isArray(bySubject)) return 'unreadable';
  const subjectsOk = bySubject.every((s) => isObject(s) && isString(s.subject) && (s.direction === 'income' || s.direction === 'expense') && isInt(s.amountFen) && isInt(s.count));
  return subjectsOk ? (structured as TF01Structured) : 'unreadable';
}

/** Hex SHA-256 of bytes: WebCrypto where the page may use it (https), the contract's own code elsewhere. */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return hex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  return hex(sha256(new Uint8Array(bytes)));
}
