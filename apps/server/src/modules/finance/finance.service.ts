import path from 'node:path';
import { Readable } from 'node:stream';
import {
  chinaDate, FINANCE_LIMITS, INVOICE_MIME_TYPES, ledgerTotals, ZRegionCode, type TInvoice, type TLedgerLine,
  type TLedgerMonth, type TListLedgerLinesQuery, type TReviewStatus, type TUpdateInvoiceRequest, type TUpdateLedgerLineRequest, type TUploadInvoiceResponse,
  type ZCreateLedgerLineRequest,
} from '@cunwu/contract';
import type { z } from 'zod';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import type { TTx } from '../../kernel/db';
import { AppError, invalid } from '../../kernel/errors';
import { recordFile } from '../../kernel/files.repo';
import { authorize, isInScope, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { readUpload } from '../../kernel/uploads';
import { inspectInvoiceInThread } from './invoice-inspector';
import { FINANCE_REFUSALS, lineActions, lineEditRefusal, relate, scopeOf } from './finance.policy';
import { presentInvoice, presentLine, presentReview } from './finance.present';
import * as repo from './finance.repo';
import type { TLineRow } from './finance.repo';

// Invoices (原始票据) and ledger lines (收支明细) of a village: upload, correct and confirm invoices;
// enter, edit and list lines. The joint review lives in finance.review.ts.

/** Thumbnails are always JPEG (invoice-image.ts makes them): serving one needs no lookup of its type. */
const THUMBNAIL_TYPE = 'image/jpeg';

/** An invoice upload as the route hands it over: the village named before the file, then the file. */
export interface TInvoiceUpload {
  villageCode: string;
  stream: Readable;
  fileName: string;
  /** True when the transport cut the file at its own limit (multipart `fileSize`). */
  isTruncated: () => boolean;
}

/** Extensions that name an invoice type: a file named .pdf must be a PDF by content, and so on. */
const EXTENSION_TYPES: Record<string, (typeof INVOICE_MIME_TYPES)[number]> = {
  '.pdf': 'application/pdf', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.jfif': 'image/jpeg', '.webp': 'image/webp',
};

const TYPE_NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP' };

/** A month's first and last day. */
export function monthRange(month: string): { from: string; to: string } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10) };
}

// ---------- presenting with everything a line needs ----------

/** Lines with their invoices (and duplicates), reviews and the actor's buttons, in a few queries. */
export async function loadLines(tx: TTx, actor: TActor | null, rows: TLineRow[]): Promise<TLedgerLine[]> {
  const ids = rows.map((r) => r.id);
  const [invoiceRows, reviewRows] = await Promise.all([repo.findInvoices(tx, { lineIds: ids }), repo.findLineReviews(tx, ids)]);
  const duplicates = await repo.findDuplicates(tx, invoiceRows.map((i) => i.fileSha256));
  return rows.map((row) => {
    const invoices = invoiceRows.filter((i) => i.lineId === row.id);
    return presentLine(row, {
      invoices: invoices.map((i) => presentInvoice(i, duplicates)),
      reviews: reviewRows.filter((r) => r.subjectId === row.id).map(presentReview),
      allowedActions: lineActions(actor, row, invoices.map((i) => i.uploadedBy)),
    });
  });
}

/** One invoice with its duplicates. */
async function loadInvoice(tx: TTx, id: string): Promise<TInvoice> {
  const [row] = await repo.findInvoices(tx, { ids: [id] });
  if (!row) throw new AppError('NOT_FOUND', `invoice ${id}`);
  return presentInvoice(row, await repo.findDuplicates(tx, [row.fileSha256]));
}

// ---------- invoices ----------

/**
 * `POST /invoices`: a bookkeeper or cadre of the village uploads an invoice photo or PDF. The bytes are
 * checked by content (type, size, decompression bombs) and inspected (thumbnail, QR code) before
 * anything is stored, so a refused upload leaves nothing behind. The typed fields start as the QR's.
 */
export async function uploadInvoice(services: TServices, actor: TActor, ctx: TAuditContext, upload: TInvoiceUpload): Promise<TUploadInvoiceResponse> {
  try {
    const code = ZRegionCode.safeParse(upload.villageCode);
    if (!code.success) throw invalid('villageCode', code.error.issues[0]?.message ?? 'a 12-digit region code / 12位区划代码');
    const scope = authorize(actor, 'finance.write');
    if (!isInScope(scope, code.data)) throw new AppError('NOT_FOUND', `village ${code.data}`);
    if (!(await repo.findVillage(services.db, code.data))) throw invalid('villageCode', 'not a village / 不是村（社区）级区划');
  } catch (error) {
    upload.stream.resume(); // drain so the request can finish
    throw error;
  }
  const read = await readUpload(upload.stream, { allowed: INVOICE_MIME_TYPES, maxBytes: FINANCE_LIMITS.invoiceMaxBytes });
  if (upload.isTruncated()) throw new AppError('PAYLOAD_TOO_LARGE', `file exceeds ${FINANCE_LIMITS.invoiceMaxBytes} bytes / 文件超过 ${FINANCE_LIMITS.invoiceMaxBytes / 1024 / 1024} MB`);
  const extension = path.extname(upload.fileName ?? '').toLowerCase();
  const named = EXTENSION_TYPES[extension];
  if (named && named !== read.mimeType) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `the file is named ${extension} but its content is ${TYPE_NAMES[read.mimeType] ?? read.mimeType} / 文件扩展名为 ${extension}，但内容是 ${TYPE_NAMES[read.mimeType] ?? read.mimeType}`);
  }
  const inspected = await inspectInvoiceInThread(read.bytes, read.mimeType);
  const file = await services.files.put(Readable.from([read.bytes]), { maxBytes: FINANCE_LIMITS.invoiceMaxBytes });
  const thumbnail = await services.files.put(Readable.from([inspected.thumbnail]));
  const qr = inspected.qrStatus === 'decoded' ? inspected.qr : null;
  const id = await services.db.transaction().execute(async (tx) => {
    await recordFile(tx, { sha256: file.sha256, sizeBytes: file.sizeBytes, mimeType: read.mimeType });
    await recordFile(tx, { sha256: thumbnail.sha256, sizeBytes: thumbnail.sizeBytes, mimeType: THUMBNAIL_TYPE });
    const newId = await repo.insertInvoice(tx, {
      regionCode: upload.villageCode, fileSha256: file.sha256, mimeType: read.mimeType, sizeBytes: file.sizeBytes,
      width: inspected.width, height: inspected.height, pageCount: inspected.pageCount, thumbnailSha256: thumbnail.sha256,
      qrStatus: inspected.qrStatus, qrText: inspected.qrText?.slice(0, 4000) ?? null, qrMessage: inspected.qrMessage,
      qrCode: qr?.code ?? null, qrNumber: qr?.number ?? null, qrDate: qr?.date ?? null, qrAmountFen: qr?.amountFen ?? null, qrKind: qr?.kind ?? null, qrCheckCode: qr?.checkCode ?? null,
      code: qr?.code ? qr.code : null, number: qr?.number ?? null, invoiceDate: qr?.date ?? null, amountFen: qr && qr.amountFen > 0 ? qr.amountFen : null,
      uploadedBy: actor.userId, uploadedAt: services.clock.now(),
    });
    await recordAudit(tx, ctx, { action: 'finance.invoice.upload', entityType: 'invoice', entityId: newId, regionCode: upload.villageCode, details: { sha256: file.sha256, mimeType: read.mimeType, qrStatus: inspected.qrStatus } });
    return newId;
  });
  const invoice = await loadInvoice(services.db, id);
  return { id, qr: invoice.qr, qrStatus: invoice.qrStatus, qrMessage: invoice.qrMessage, invoice };
}

/** `GET /invoices/{id}`: for officials with finance.read over its village. */
export async function getInvoice(services: TServices, actor: TActor, id: string): Promise<TInvoice> {
  const scope = authorize(actor, 'finance.read');
  const invoice = await loadInvoice(services.db, id);
  if (!isInScope(scope, invoice.villageCode)) throw new AppError('NOT_FOUND', `invoice ${id}`);
  return invoice;
}

/**
 * `PATCH /invoices/{id}`: correct typed fields and/or confirm them against the paper. A change without
 * `confirm: true` withdraws an earlier confirmation. Refused once the invoice's line is approved or
 * published (what was reviewed stays as reviewed).
 */
export async function updateInvoice(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TUpdateInvoiceRequest): Promise<TInvoice> {
  const scope = authorize(actor, 'finance.write');
  await services.db.transaction().execute(async (tx) => {
    const invoice = await repo.lockInvoice(tx, id, scope);
    if (!invoice) throw new AppError('NOT_FOUND', `invoice ${id}`);
    if (invoice.lineId) {
      const line = await repo.findLine(tx, invoice.lineId);
      const why = line ? lineEditRefusal(line) : null;
      if (why) throw new AppError(line?.disclosureId ? 'IMMUTABLE' : 'CONFLICT', why);
    }
    const now = services.clock.now();
    const patch: Parameters<typeof repo.updateInvoice>[2] = {};
    if (input.code !== undefined) patch.code = input.code === '' ? null : input.code;
    if (input.number !== undefined) patch.number = input.number;
    if (input.date !== undefined) patch.invoiceDate = input.date;
    if (input.amountFen !== undefined) patch.amountFen = input.amountFen;
    if (input.taxFen !== undefined) patch.taxFen = input.taxFen;
    if (input.sellerName !== undefined) patch.sellerName = input.sellerName;
    if (input.sellerTaxId !== undefined) patch.sellerTaxId = input.sellerTaxId;
    const changed = Object.keys(patch);
    if (input.confirm === true) Object.assign(patch, { confirmedAt: now, confirmedBy: actor.userId });
    else if (input.confirm === false || changed.length > 0) Object.assign(patch, { confirmedAt: null, confirmedBy: null });
    await repo.updateInvoice(tx, id, patch, now);
    await recordAudit(tx, ctx, { action: 'finance.invoice.update', entityType: 'invoice', entityId: id, regionCode: invoice.regionCode, details: { fields: changed, confirm: input.confirm ?? null } });
  });
  return loadInvoice(services.db, id);
}

/**
 * The bytes of an invoice (`image`) or its thumbnail: for officials with finance.read over the village,
 * and for its villagers (disclosures.read) once the invoice's line is in a published F01 disclosure.
 * Anyone else gets 404, as if it did not exist.
 */
export async function openInvoiceFile(services: TServices, actor: TActor, id: string, which: 'image' | 'thumbnail') {
  const access = await repo.findInvoiceAccess(services.db, id);
  if (!access) throw new AppError('NOT_FOUND', `invoice ${id}`);
  const mayRead = relate(actor, access.regionCode).canRead || (access.isPublished && isInScope(scopeOf(actor, 'disclosures.read'), access.regionCode));
  if (!mayRead) throw new AppError('NOT_FOUND', `invoice ${id}`);
  const sha256 = which === 'image' ? access.fileSha256 : access.thumbnailSha256;
  const mimeType = which === 'image' ? access.mimeType : THUMBNAIL_TYPE;
  return { sha256, mimeType, stream: () => services.files.get(sha256) };
}

// ---------- ledger lines ----------

/** Check invoices for a line: of the village, not on another line. Returns those to attach. */
async function checkInvoices(tx: TTx, villageCode: string, lineId: string | null, ids: string[]): Promise<string[]> {
  const rows = await repo.lockInvoices(tx, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const row = byId.get(id);
    if (!row || row.regionCode !== villageCode) throw invalid('invoiceIds', `no such invoice in this village: ${id} / 本村没有该发票`);
    if (row.lineId !== null && row.lineId !== lineId) throw invalid('invoiceIds', `invoice ${id} belongs to another line / 该发票已关联其他收支明细`);
  }
  return ids.filter((id) => byId.get(id)!.lineId === null);
}

function checkDate(date: string, now: Date): void {
  if (date > chinaDate(now)) throw invalid('date', 'the date is in the future / 日期不能晚于今天');
}

/** `POST /ledger-lines`: enter an income or expense line (expenses wait for the joint review). */
export async function createLine(services: TServices, actor: TActor, ctx: TAuditContext, input: z.output<typeof ZCreateLedgerLineRequest>): Promise<TLedgerLine> {
  const scope = authorize(actor, 'finance.write');
  if (!isInScope(scope, input.villageCode)) throw new AppError('NOT_FOUND', `village ${input.villageCode}`);
  const now = services.clock.now();
  checkDate(input.date, now);
  const id = await services.db.transaction().execute(async (tx) => {
    if (!(await repo.findVillage(tx, input.villageCode))) throw invalid('villageCode', 'not a village / 不是村（社区）级区划');
    const invoiceIds = input.invoiceIds;
    await checkInvoices(tx, input.villageCode, null, invoiceIds);
    const [newId] = await repo.insertLines(tx, [{
      regionCode: input.villageCode, direction: input.direction, lineDate: input.date, amountFen: input.amountFen, subject: input.subject,
      counterparty: input.counterparty, counterpartyKind: input.counterpartyKind, paymentMethod: input.paymentMethod, voucherNo: input.voucherNo,
      summary: input.summary ? input.summary : null, reviewStatus: input.direction === 'expense' ? 'pending' : 'not_required', createdBy: actor.userId, createdAt: now,
    }]);
    await repo.setInvoicesLine(tx, invoiceIds, newId!, now);
    await recordAudit(tx, ctx, { action: 'finance.line.create', entityType: 'ledger_line', entityId: newId!, regionCode: input.villageCode, details: { direction: input.direction, amountFen: input.amountFen, invoices: invoiceIds.length } });
    return newId!;
  });
  return getLine(services, actor, id);
}

/**
 * `PATCH /ledger-lines/{id}`: change a line that is not approved, published or under review with its
 * disclosure. A changed rejected expense goes back to the review queue ("a rejected invoice can be
 * replaced and re-reviewed"); `invoiceIds` replaces the line's invoices (those dropped become free).
 */
export async function updateLine(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TUpdateLedgerLineRequest): Promise<TLedgerLine> {
  const scope = authorize(actor, 'finance.write');
  const now = services.clock.now();
  await services.db.transaction().execute(async (tx) => {
    const row = await repo.lockLine(tx, id, scope);
    if (!row) throw new AppError('NOT_FOUND', `ledger line ${id}`);
    const why = lineEditRefusal(row);
    if (why) throw new AppError(why === FINANCE_REFUSALS.published ? 'IMMUTABLE' : 'CONFLICT', why);
    if (input.date !== undefined) {
      checkDate(input.date, now);
      if (row.listedIn && row.listedFrom && row.listedTo && (input.date < row.listedFrom || input.date > row.listedTo)) {
        throw invalid('date', `the line is listed in a disclosure of ${row.listedFrom}–${row.listedTo}; take it off that disclosure first / 该明细已列入 ${row.listedFrom} 至 ${row.listedTo} 的财务公开，日期须在此期间内`);
      }
    }
    const patch: Parameters<typeof repo.updateLine>[2] = {};
    if (input.direction !== undefined) patch.direction = input.direction;
    if (input.date !== undefined) patch.lineDate = input.date;
    if (input.amountFen !== undefined) patch.amountFen = input.amountFen;
    if (input.subject !== undefined) patch.subject = input.subject;
    if (input.counterparty !== undefined) patch.counterparty = input.counterparty;
    if (input.counterpartyKind !== undefined) patch.counterpartyKind = input.counterpartyKind;
    if (input.paymentMethod !== undefined) patch.paymentMethod = input.paymentMethod;
    if (input.voucherNo !== undefined) patch.voucherNo = input.voucherNo;
    if (input.summary !== undefined) patch.summary = input.summary ? input.summary : null;
    const direction = input.direction ?? row.direction;
    // Approved lines never get here: an expense goes (back) to the queue, an income line needs no review.
    const status: TReviewStatus = direction === 'income' ? 'not_required' : 'pending';
    if (status !== row.reviewStatus) patch.reviewStatus = status;
    if (input.invoiceIds !== undefined) {
      const current = (await repo.findInvoices(tx, { lineIds: [id] })).map((i) => i.id);
      const wanted = new Set(input.invoiceIds);
      const added = await checkInvoices(tx, row.regionCode, id, input.invoiceIds);
      await repo.setInvoicesLine(tx, current.filter((c) => !wanted.has(c)), null, now);
      await repo.setInvoicesLine(tx, added, id, now);
    }
    await repo.updateLine(tx, id, patch, now);
    await recordAudit(tx, ctx, {
      action: 'finance.line.update', entityType: 'ledger_line', entityId: id, regionCode: row.regionCode,
      details: { fields: Object.keys(input).filter((k) => input[k as keyof TUpdateLedgerLineRequest] !== undefined), reviewStatus: { from: row.reviewStatus, to: status } },
    });
  });
  return getLine(services, actor, id);
}

/** `GET /ledger-lines/{id}`: for officials with finance.read over its village. */
export async function getLine(services: TServices, actor: TActor, id: string): Promise<TLedgerLine> {
  const scope = authorize(actor, 'finance.read');
  const row = await repo.findLine(services.db, id);
  if (!row || !isInScope(scope, row.regionCode)) throw new AppError('NOT_FOUND', `ledger line ${id}`);
  const [line] = await loadLines(services.db, actor, [row]);
  return line!;
}

/** `GET /villages/{code}/ledger-lines?month=`: a month of a village's ledger, totals over the whole month. */
export async function listMonth(services: TServices, actor: TActor, villageCode: string, query: TListLedgerLinesQuery): Promise<TLedgerMonth> {
  const scope = authorize(actor, 'finance.read');
  if (!isInScope(scope, villageCode)) throw new AppError('NOT_FOUND', `village ${villageCode}`);
  const village = await repo.findVillage(services.db, villageCode);
  if (!village) throw new AppError('NOT_FOUND', `village ${villageCode}`);
  const { from, to } = monthRange(query.month);
  const rows = await repo.findVillageLines(services.db, villageCode, from, to);
  const reviewCounts = { not_required: 0, pending: 0, approved: 0, rejected: 0 };
  for (const r of rows) reviewCounts[r.reviewStatus as TReviewStatus] += 1;
  const totals = { ...ledgerTotals(rows.map((r) => ({ direction: r.direction as 'income' | 'expense', amountFen: r.amountFen, subject: r.subject }))), reviewCounts };
  const shown = rows.filter((r) => (!query.direction || r.direction === query.direction) && (!query.reviewStatus || r.reviewStatus === query.reviewStatus));
  return { villageCode, villageName: village.name, month: query.month, lines: await loadLines(services.db, actor, shown), totals };
}
