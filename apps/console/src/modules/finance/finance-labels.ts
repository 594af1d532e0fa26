import {
  FINANCE_LABELS,
  type TCounterpartyKind,
  type TInvoice,
  type TLedgerDirection,
  type TPaymentMethod,
  type TQrStatus,
  type TReviewStatus,
} from '@cunwu/contract';
import { API_BASE } from '@/api/http';
import { isEnglish } from '@/i18n';

/*
 * Names of directions, payment methods, review states … Chinese comes from the contract's
 * FINANCE_LABELS (the same words the villager app and the published F01 content use); English is
 * kept here beside it, like the appeals module does.
 */

const DIRECTION_EN: Record<TLedgerDirection, string> = { income: 'Income', expense: 'Expense' };
const PAYMENT_EN: Record<TPaymentMethod, string> = { bank: 'Bank transfer', cash: 'Cash', wechat: 'WeChat Pay', alipay: 'Alipay', other: 'Other' };
const KIND_EN: Record<TCounterpartyKind, string> = { organisation: 'Organisation', person: 'Person' };
const REVIEW_EN: Record<TReviewStatus, string> = { not_required: 'Not needed', pending: 'Pending', approved: 'Approved', rejected: 'Sent back' };
const QR_EN: Record<TQrStatus, string> = { decoded: 'QR code read', none: 'No QR code found', not_invoice: 'QR code is not an invoice' };
const FIELD_EN: Record<keyof typeof FINANCE_LABELS.invoiceField, string> = {
  code: 'Invoice code',
  number: 'Invoice no.',
  date: 'Issue date',
  amountFen: 'Amount',
  taxFen: 'Tax',
  sellerName: 'Seller',
  sellerTaxId: 'Seller tax ID',
};

/** 收入 / Income. */
export function directionName(direction: TLedgerDirection): string {
  return isEnglish() ? DIRECTION_EN[direction] : FINANCE_LABELS.direction[direction];
}

/** 银行转账 / Bank transfer. */
export function paymentMethodName(method: TPaymentMethod): string {
  return isEnglish() ? PAYMENT_EN[method] : FINANCE_LABELS.paymentMethod[method];
}

/** 单位 / 个人. */
export function counterpartyKindName(kind: TCounterpartyKind): string {
  return isEnglish() ? KIND_EN[kind] : FINANCE_LABELS.counterpartyKind[kind];
}

/** 待联审 / Awaiting review. */
export function reviewStatusName(status: TReviewStatus): string {
  return isEnglish() ? REVIEW_EN[status] : FINANCE_LABELS.review[status];
}

/** 已识别二维码 / QR code read. */
export function qrStatusName(status: TQrStatus): string {
  return isEnglish() ? QR_EN[status] : FINANCE_LABELS.qr[status];
}

/** 发票代码 / Invoice code. */
export function invoiceFieldName(field: keyof typeof FINANCE_LABELS.invoiceField): string {
  return isEnglish() ? FIELD_EN[field] : FINANCE_LABELS.invoiceField[field];
}

/** Element Plus tag colour of each review state. */
export const REVIEW_TAG_TYPES: Record<TReviewStatus, 'info' | 'warning' | 'success' | 'danger'> = {
  not_required: 'info',
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
};

/**
 * Common account subjects (会计科目) of a village collective's books, offered first in the form; any
 * other subject may be typed. They are data (they are published as written), so they stay Chinese.
 */
export const COMMON_SUBJECTS: Record<TLedgerDirection, readonly string[]> = {
  expense: ['管理费用', '公益事业支出', '经营支出', '其他支出'],
  income: ['经营收入', '补助收入', '投资收益', '发包及上交收入', '其他收入'],
};

/**
 * Invoice image and thumbnail addresses as the browser fetches them (the session cookie goes along).
 * The server may answer them absolute (`/api/v1/invoices/…`) or relative to the API.
 */
export function invoiceAssetUrl(url: string): string {
  if (/^(https?:|blob:|data:)/.test(url) || url.startsWith(`${API_BASE}/`)) return url;
  return `${API_BASE}${url.startsWith('/') ? '' : '/'}${url}`;
}

/** Whether an invoice is a PDF (shown as an icon and opened in a new tab, not in the image viewer). */
export function isPdf(invoice: Pick<TInvoice, 'mimeType'>): boolean {
  return invoice.mimeType === 'application/pdf';
}

/** Today's month 'YYYY-MM' in China Standard Time (the default of the ledger page). */
export function currentMonth(now: Date = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}`;
}

/** Today's date 'YYYY-MM-DD' in China Standard Time (the default date of a new line). */
export function today(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The name a resident cadre's approval is signed with, as the server derives it (finance.review.ts):
 * 梅山镇 → 梅山镇人民政府; a subdistrict (泉秀街道) is run by its office (泉秀街道办事处).
 */
export function unitNameOf(townName: string): string {
  return townName.endsWith('街道') ? `${townName}办事处` : `${townName}人民政府`;
}

/** A business date inside a month view: 11月28日 (English: 28 Nov); the year and month are in the page title. */
export function formatDayOfMonth(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (isEnglish()) return `${day} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1] ?? m[2]}`;
  return `${month}月${day}日`;
}

/** 蓉溪村、溪美村: the villages where the same invoice file was uploaded before, each named once. */
export function duplicatePlaces(duplicates: readonly { villageName: string }[], separator: string): string {
  return [...new Set(duplicates.map((d) => d.villageName))].join(separator);
}

/** Fen as the yuan text an amount input shows ('1280.00'), without grouping so it parses back. */
export function fenToYuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const abs = Math.abs(Math.trunc(fen));
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
