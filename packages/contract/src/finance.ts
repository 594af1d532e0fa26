import { z } from 'zod';
import { ZImportError } from './imports';
import { ZRegionCode } from './regions';

// Village finance (DESIGN §6): the village ledger of income and expense lines (收支明细), the original
// invoices behind them (原始票据) and the joint review (联审) of every expense by the resident cadre.
// Money is integer fen everywhere; dates are 'YYYY-MM-DD' business dates.

/** Limits of finance input, shared by server validation and the apps' forms. */
export const FINANCE_LIMITS = {
  /** 10 亿元 in fen: larger is a typing mistake. */
  amountFenMax: 100_000_000_000,
  subjectMax: 40,
  counterpartyMax: 100,
  voucherNoMax: 40,
  summaryMax: 200,
  reasonMax: 500,
  invoicesPerLine: 20,
  /** Uploads larger than this are refused while they stream, before anything is kept. */
  invoiceMaxBytes: 10 * 1024 * 1024,
  /** Decoded images above this many pixels are refused (decompression bombs). */
  invoiceMaxPixels: 40_000_000,
  /** PDF invoices: pages looked at for a QR code and counted at most. */
  pdfMaxPages: 20,
  thumbnailWidth: 360,
  importRowsMax: 5000,
  /** A ledger sheet (.xlsx or .csv) of at most this many bytes (5,000 rows are well under 1 MB). */
  importMaxBytes: 5 * 1024 * 1024,
} as const;

/** Types an invoice upload may have, by content. */
export const INVOICE_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

export const LEDGER_DIRECTIONS = ['income', 'expense'] as const;
/** 收入 or 支出. */
export type TLedgerDirection = (typeof LEDGER_DIRECTIONS)[number];

export const PAYMENT_METHODS = ['bank', 'cash', 'wechat', 'alipay', 'other'] as const;
/** How the money moved. */
export type TPaymentMethod = (typeof PAYMENT_METHODS)[number];

export const COUNTERPARTY_KINDS = ['organisation', 'person'] as const;
/** A person's name is personal data: masked on every public page and in published content. */
export type TCounterpartyKind = (typeof COUNTERPARTY_KINDS)[number];

/** Joint-review state of a line: income lines need none; every expense is reviewed. */
export const REVIEW_STATUSES = ['not_required', 'pending', 'approved', 'rejected'] as const;
export type TReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_DECISIONS = ['approve', 'reject'] as const;
export type TReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** What the QR decoding of an uploaded invoice found. */
export const QR_STATUSES = ['decoded', 'none', 'not_invoice'] as const;
export type TQrStatus = (typeof QR_STATUSES)[number];

/** Chinese names for both apps. */
export const FINANCE_LABELS = {
  direction: { income: '收入', expense: '支出' },
  paymentMethod: { bank: '银行转账', cash: '现金', wechat: '微信', alipay: '支付宝', other: '其他' },
  counterpartyKind: { organisation: '单位', person: '个人' },
  review: { not_required: '无需联审', pending: '待联审', approved: '联审通过', rejected: '联审退回' },
  qr: { decoded: '已识别二维码', none: '未找到二维码', not_invoice: '二维码不是发票' },
  invoiceField: { code: '发票代码', number: '发票号码', date: '开票日期', amountFen: '金额', taxFen: '税额', sellerName: '销售方', sellerTaxId: '销售方税号' },
} as const;

/** A business date 'YYYY-MM-DD' that exists in the calendar. */
export const ZBusinessDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-04-15 / 日期格式如 2026-04-15')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date / 日期不存在');

/** A month 'YYYY-MM'. */
export const ZMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month such as 2026-04 / 月份格式如 2026-04');

/** An amount in fen: a positive integer, never a float. */
export const ZAmountFen = z
  .number()
  .int('amount in whole fen / 金额以分为单位，须为整数')
  .positive('the amount must be above zero / 金额须大于零')
  .max(FINANCE_LIMITS.amountFenMax, 'the amount is implausibly large / 金额过大');

/**
 * Yuan as typed or in a spreadsheet ('1,234.5', '¥1234.50', '1234') to integer fen, exactly (string
 * arithmetic, no floats). Null when it is not an amount with at most two decimals.
 */
export function parseYuanToFen(text: string): number | null {
  const s = text.trim().replace(/^[¥￥]/, '').replace(/,/g, '').replace(/元$/, '').trim();
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Fen to '1,234.50' (no currency sign). */
export function formatFen(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

// ---------- invoices ----------

/**
 * What the QR code printed on a Chinese VAT invoice or e-invoice carries. The payload is
 * comma-separated: version, type, invoice code, number, amount (yuan, before tax), date (YYYYMMDD),
 * check code, … — fully digitalised e-invoices (全电发票) leave the code empty and carry a 20-digit number.
 */
export const ZInvoiceQr = z.object({
  code: z.string(),
  number: z.string(),
  date: z.string(),
  amountFen: z.number().int(),
});
export type TInvoiceQr = z.infer<typeof ZInvoiceQr>;

/** The decoded payload with the fields the response does not need to name. */
export interface TInvoiceQrFull extends TInvoiceQr {
  version: string;
  kind: string;
  checkCode: string | null;
}

/** Invoice type codes seen in the QR's second field (增值税专用发票 01, 普通发票 04, 电子普通发票 10, 全电 31/32 …). */
const INVOICE_KINDS = new Set(['01', '02', '03', '04', '08', '10', '11', '14', '15', '20', '21', '22', '31', '32', '51', '61', '81', '82', '83', '84', '85', '86', '87', '88']);

/**
 * Parse the text of a QR code found on an invoice image. Returns the fields, or why the text is not a
 * Chinese invoice's QR payload (a web link, a payment code …).
 */
export function parseInvoiceQr(text: string): { ok: true; value: TInvoiceQrFull } | { ok: false; reason: string } {
  const parts = text.trim().split(/[,，]/).map((p) => p.trim());
  if (parts.length < 6) return { ok: false, reason: 'the QR code is not an invoice code (too few fields) / 二维码不是发票二维码' };
  const [version, kind, code, number, amount, date, checkCode] = parts as [string, string, string, string, string, string, string | undefined];
  if (!/^\d{2}$/.test(version) || !INVOICE_KINDS.has(kind)) return { ok: false, reason: 'the QR code is not an invoice code (unknown version or type) / 二维码不是发票二维码' };
  if (code !== '' && !/^\d{10,12}$/.test(code)) return { ok: false, reason: 'the invoice code in the QR is malformed / 二维码中的发票代码格式不对' };
  if (!/^\d{8}$|^\d{20}$/.test(number)) return { ok: false, reason: 'the invoice number in the QR is malformed / 二维码中的发票号码格式不对' };
  if (code === '' && number.length !== 20) return { ok: false, reason: 'an invoice without a code must have a 20-digit number / 全电发票号码应为20位' };
  const amountFen = parseYuanToFen(amount);
  if (amountFen === null) return { ok: false, reason: 'the amount in the QR is malformed / 二维码中的金额格式不对' };
  const dm = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  const iso = dm ? `${dm[1]}-${dm[2]}-${dm[3]}` : '';
  if (!dm || !ZBusinessDate.safeParse(iso).success) return { ok: false, reason: 'the date in the QR is malformed / 二维码中的开票日期格式不对' };
  return { ok: true, value: { version, kind, code, number, amountFen, date: iso, checkCode: checkCode ? checkCode : null } };
}

/** The invoice fields the bookkeeper confirms or corrects (typed values; null until known). */
export const ZInvoiceFields = z.object({
  code: z.string().trim().regex(/^(\d{10,12})?$/, 'invoice code: 10–12 digits, empty for 全电发票 / 发票代码为10–12位数字').nullable(),
  number: z.string().trim().regex(/^\d{8}$|^\d{20}$/, 'invoice number: 8 or 20 digits / 发票号码为8位或20位数字').nullable(),
  date: ZBusinessDate.nullable(),
  amountFen: ZAmountFen.nullable(),
  taxFen: z.number().int().min(0).max(FINANCE_LIMITS.amountFenMax).nullable(),
  sellerName: z.string().trim().min(1).max(100).nullable(),
  sellerTaxId: z.string().trim().regex(/^[0-9A-Z]{15,20}$/, 'tax id: 15–20 digits or capital letters / 纳税人识别号为15–20位').nullable(),
});
export type TInvoiceFields = z.infer<typeof ZInvoiceFields>;

/** `PATCH /invoices/{id}`: the bookkeeper confirms (all fields as shown) or corrects some of them. */
export const ZUpdateInvoiceRequest = ZInvoiceFields.partial().extend({
  /** Mark the fields as checked against the paper (a mismatch with the QR stays flagged). */
  confirm: z.boolean().optional(),
});
export type TUpdateInvoiceRequest = z.infer<typeof ZUpdateInvoiceRequest>;

/** A field whose typed value differs from what the invoice's QR code says. */
export const ZInvoiceMismatch = z.object({
  field: z.enum(['code', 'number', 'date', 'amountFen']),
  qr: z.union([z.string(), z.number()]),
  typed: z.union([z.string(), z.number()]),
});
export type TInvoiceMismatch = z.infer<typeof ZInvoiceMismatch>;

/** An invoice as the village's officials see it. */
export const ZInvoice = z.object({
  id: z.string(),
  villageCode: ZRegionCode,
  sha256: z.string(),
  mimeType: z.enum(INVOICE_MIME_TYPES),
  sizeBytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  pageCount: z.number().int().nullable(),
  qrStatus: z.enum(QR_STATUSES),
  /** Why the QR could not be used (none found, not an invoice's QR), in English and Chinese. */
  qrMessage: z.string().nullable(),
  qr: ZInvoiceQr.nullable(),
  fields: ZInvoiceFields,
  mismatches: z.array(ZInvoiceMismatch),
  confirmed: z.boolean(),
  /** The line it is attached to, if any. */
  lineId: z.string().nullable(),
  /** The same bytes were uploaded for other lines or villages (a red-flag signal). */
  duplicates: z.array(z.object({ invoiceId: z.string(), villageCode: ZRegionCode, villageName: z.string() })),
  imageUrl: z.string(),
  thumbnailUrl: z.string(),
  uploaderName: z.string(),
  uploadedAt: z.string(),
});
export type TInvoice = z.infer<typeof ZInvoice>;

/** `POST /invoices` (multipart: `file`, `villageCode`) → the id and the QR fields (null without a usable QR). */
export const ZUploadInvoiceResponse = z.object({
  id: z.string(),
  qr: ZInvoiceQr.nullable(),
  qrStatus: z.enum(QR_STATUSES),
  qrMessage: z.string().nullable(),
  invoice: ZInvoice,
});
export type TUploadInvoiceResponse = z.infer<typeof ZUploadInvoiceResponse>;

// ---------- ledger lines ----------

const ZSubject = z.string().trim().min(1, 'the account subject is required / 请填写会计科目').max(FINANCE_LIMITS.subjectMax);
const ZCounterparty = z.string().trim().min(1, 'the counterparty is required / 请填写对方单位或个人').max(FINANCE_LIMITS.counterpartyMax);
const ZVoucherNo = z.string().trim().min(1, 'the voucher number is required / 请填写凭证号').max(FINANCE_LIMITS.voucherNoMax);
const ZInvoiceIds = z.array(z.uuid()).max(FINANCE_LIMITS.invoicesPerLine).refine((ids) => new Set(ids).size === ids.length, 'an invoice is listed twice / 发票重复');

/** `POST /ledger-lines`: one income or expense line of the village ledger. */
export const ZCreateLedgerLineRequest = z.object({
  villageCode: ZRegionCode,
  direction: z.enum(LEDGER_DIRECTIONS),
  date: ZBusinessDate,
  amountFen: ZAmountFen,
  subject: ZSubject,
  counterparty: ZCounterparty,
  /** Default organisation; a person's name is masked on public pages. */
  counterpartyKind: z.enum(COUNTERPARTY_KINDS).default('organisation'),
  paymentMethod: z.enum(PAYMENT_METHODS),
  voucherNo: ZVoucherNo,
  summary: z.string().trim().max(FINANCE_LIMITS.summaryMax).optional(),
  invoiceIds: ZInvoiceIds.default([]),
});
export type TCreateLedgerLineRequest = z.input<typeof ZCreateLedgerLineRequest>;

/**
 * `PATCH /ledger-lines/{id}`: while a line is pending or rejected (never once approved or published).
 * Changing a rejected expense sends it back to the review queue.
 */
export const ZUpdateLedgerLineRequest = z
  .object({
    direction: z.enum(LEDGER_DIRECTIONS).optional(),
    date: ZBusinessDate.optional(),
    amountFen: ZAmountFen.optional(),
    subject: ZSubject.optional(),
    counterparty: ZCounterparty.optional(),
    counterpartyKind: z.enum(COUNTERPARTY_KINDS).optional(),
    paymentMethod: z.enum(PAYMENT_METHODS).optional(),
    voucherNo: ZVoucherNo.optional(),
    summary: z.string().trim().max(FINANCE_LIMITS.summaryMax).nullable().optional(),
    invoiceIds: ZInvoiceIds.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change / 没有要修改的内容' });
export type TUpdateLedgerLineRequest = z.infer<typeof ZUpdateLedgerLineRequest>;

/** One recorded review decision (append-only history). */
export const ZReviewRecord = z.object({
  id: z.string(),
  decision: z.enum(REVIEW_DECISIONS),
  reason: z.string().nullable(),
  reviewerName: z.string(),
  /** The reviewer's unit, e.g. 梅山镇人民政府, whose stamp image is shown with an approval. */
  reviewerUnit: z.string(),
  stampUrl: z.string().nullable(),
  reviewedAt: z.string(),
});
export type TReviewRecord = z.infer<typeof ZReviewRecord>;

/** What one may do with a line now (the apps' buttons). */
export const LEDGER_LINE_ACTIONS = ['edit', 'review'] as const;
export type TLedgerLineAction = (typeof LEDGER_LINE_ACTIONS)[number];

/** A ledger line as the village's officials see it. */
export const ZLedgerLine = z.object({
  id: z.string(),
  villageCode: ZRegionCode,
  villageName: z.string(),
  direction: z.enum(LEDGER_DIRECTIONS),
  date: z.string(),
  amountFen: z.number().int(),
  subject: z.string(),
  counterparty: z.string(),
  counterpartyKind: z.enum(COUNTERPARTY_KINDS),
  paymentMethod: z.enum(PAYMENT_METHODS),
  voucherNo: z.string(),
  summary: z.string().nullable(),
  invoices: z.array(ZInvoice),
  reviewStatus: z.enum(REVIEW_STATUSES),
  /** Newest first. */
  reviews: z.array(ZReviewRecord),
  /** The F01 disclosure that published it, once published (then the line is fixed for good). */
  disclosureId: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  allowedActions: z.array(z.enum(LEDGER_LINE_ACTIONS)),
});
export type TLedgerLine = z.infer<typeof ZLedgerLine>;

/** Totals of a set of lines: income, expense, balance, and per subject. */
export const ZLedgerTotals = z.object({
  incomeFen: z.number().int(),
  expenseFen: z.number().int(),
  balanceFen: z.number().int(),
  lineCount: z.number().int(),
  bySubject: z.array(z.object({ subject: z.string(), direction: z.enum(LEDGER_DIRECTIONS), amountFen: z.number().int(), count: z.number().int() })),
  reviewCounts: z.object({ not_required: z.number().int(), pending: z.number().int(), approved: z.number().int(), rejected: z.number().int() }),
});
export type TLedgerTotals = z.infer<typeof ZLedgerTotals>;

/** `GET /villages/{code}/ledger-lines?month=&direction=&reviewStatus=`: one month of a village's ledger. */
export const ZListLedgerLinesQuery = z.object({
  month: ZMonth,
  direction: z.enum(LEDGER_DIRECTIONS).optional(),
  reviewStatus: z.enum(REVIEW_STATUSES).optional(),
});
export type TListLedgerLinesQuery = z.infer<typeof ZListLedgerLinesQuery>;

/** A month of lines (at most a few hundred per village: no paging) with totals over the whole month. */
export const ZLedgerMonth = z.object({ villageCode: ZRegionCode, villageName: z.string(), month: z.string(), lines: z.array(ZLedgerLine), totals: ZLedgerTotals });
export type TLedgerMonth = z.infer<typeof ZLedgerMonth>;

// ---------- joint review ----------

/** `POST /reviews/{lineId}` (and `POST /disclosures/{id}/review`): the resident cadre's decision. */
export const ZReviewRequest = z
  .object({
    decision: z.enum(REVIEW_DECISIONS),
    reason: z.string().trim().max(FINANCE_LIMITS.reasonMax).optional(),
  })
  .refine((v) => v.decision === 'approve' || (v.reason !== undefined && v.reason.length >= 2), { message: 'say why it is rejected / 退回须说明原因', path: ['reason'] });
export type TReviewRequest = z.infer<typeof ZReviewRequest>;

/** `GET /reviews/queue?region=&status=`: expenses (and F01 disclosures) waiting for the resident cadre. */
export const ZReviewQueueQuery = z.object({
  region: ZRegionCode.optional(),
  status: z.enum(['pending', 'rejected', 'approved']).default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type TReviewQueueQuery = z.infer<typeof ZReviewQueueQuery>;

/** A page of the review queue, oldest first (first in, first reviewed). */
export const ZReviewQueue = z.object({
  lines: z.array(ZLedgerLine),
  /** F01 disclosures submitted and waiting for the resident cadre's approval. */
  disclosures: z.array(z.object({ id: z.string(), villageCode: ZRegionCode, villageName: z.string(), itemCode: z.string(), period: z.string(), title: z.string(), submittedAt: z.string().nullable(), pendingLines: z.number().int() })),
  pendingCount: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type TReviewQueue = z.infer<typeof ZReviewQueue>;

// ---------- what an F01 disclosure publishes ----------

/** One line as published in an F01 version: no personal data, invoices by content hash. */
export const ZPublishedLine = z.object({
  id: z.string(),
  date: z.string(),
  direction: z.enum(LEDGER_DIRECTIONS),
  amountFen: z.number().int(),
  subject: z.string(),
  /** Masked when a person (夏**). */
  counterparty: z.string(),
  paymentMethod: z.enum(PAYMENT_METHODS),
  voucherNo: z.string(),
  summary: z.string().nullable(),
  invoices: z.array(z.object({ id: z.string(), sha256: z.string(), mimeType: z.string(), code: z.string().nullable(), number: z.string().nullable(), date: z.string().nullable(), amountFen: z.number().int().nullable() })),
  /** The resident cadre's approval (expenses); null for income. */
  review: z.object({ reviewerUnit: z.string(), reviewedAt: z.string() }).nullable(),
});
export type TPublishedLine = z.infer<typeof ZPublishedLine>;

/** `structured` of an F01 version (schema 'f01/1'), part of its ledger digest. */
export const ZF01Structured = z.object({
  schema: z.literal('f01/1'),
  lines: z.array(ZPublishedLine),
  totals: ZLedgerTotals.omit({ reviewCounts: true }),
});
export type TF01Structured = z.infer<typeof ZF01Structured>;

/** Totals of lines (shared by the server's list, the F01 content and the apps). */
export function ledgerTotals(lines: readonly { direction: TLedgerDirection; amountFen: number; subject: string }[]): Omit<TLedgerTotals, 'reviewCounts'> {
  let incomeFen = 0;
  let expenseFen = 0;
  const bySubject = new Map<string, { subject: string; direction: TLedgerDirection; amountFen: number; count: number }>();
  for (const l of lines) {
    if (l.direction === 'income') incomeFen += l.amountFen;
    else expenseFen += l.amountFen;
    const key = `${l.direction}\u0000${l.subject}`;
    const s = bySubject.get(key) ?? { subject: l.subject, direction: l.direction, amountFen: 0, count: 0 };
    s.amountFen += l.amountFen;
    s.count += 1;
    bySubject.set(key, s);
  }
  const subjects = [...bySubject.values()].sort((a, b) => (a.direction === b.direction ? b.amountFen - a.amountFen : a.direction === 'income' ? -1 : 1));
  return { incomeFen, expenseFen, balanceFen: incomeFen - expenseFen, lineCount: lines.length, bySubject: subjects };
}

// ---------- spreadsheet import of lines ----------

/** Columns of the ledger-line sheet, in template order (Chinese headers are what bookkeepers type). */
export const LEDGER_IMPORT_COLUMNS = [
  { key: 'date', zh: '日期', en: 'Date', example: '2026-04-03' },
  { key: 'direction', zh: '收支', en: 'Income/Expense', example: '支出' },
  { key: 'amount', zh: '金额（元）', en: 'Amount (yuan)', example: '1280.00' },
  { key: 'subject', zh: '会计科目', en: 'Account subject', example: '管理费用' },
  { key: 'counterparty', zh: '对方单位或个人', en: 'Counterparty', example: '南安市梅山镇某某建材店' },
  { key: 'counterpartyKind', zh: '对方类型', en: 'Counterparty kind', example: '单位' },
  { key: 'paymentMethod', zh: '支付方式', en: 'Payment method', example: '银行转账' },
  { key: 'voucherNo', zh: '凭证号', en: 'Voucher no.', example: '记-2026-04-001' },
  { key: 'summary', zh: '摘要', en: 'Summary', example: '村部办公用品' },
] as const;

/** `POST /ledger-lines/import` result: rows created, and every refused row with its reason (nothing half-imported). */
export const ZLedgerImportResult = z.object({
  created: z.number().int(),
  skipped: z.number().int(),
  /** Row numbers as in the file (header = 1); when any row is refused, nothing is created. */
  errors: z.array(ZImportError),
  lineIds: z.array(z.string()),
});
export type TLedgerImportResult = z.infer<typeof ZLedgerImportResult>;
