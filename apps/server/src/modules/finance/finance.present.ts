import {
  INVOICE_MIME_TYPES, maskName, type TCounterpartyKind, type TInvoice, type TInvoiceMismatch, type TInvoiceQr, type TLedgerDirection, type TLedgerLine,
  type TLedgerLineAction, type TPaymentMethod, type TPublishedLine, type TQrStatus, type TReviewDecision, type TReviewRecord, type TReviewStatus,
} from '@cunwu/contract';
import type { TInvoiceRow, TLineRow, TReviewRow } from './finance.repo';

// Rows to DTOs. Officials with finance.read see lines as entered; what a version publishes (and so every
// villager) sees person counterparties masked and invoices only by content hash and fields.

const iso = (d: Date) => new Date(d).toISOString();

/** Where the public seal image of a reviewing unit is served. */
export function stampUrl(sha256: string): string {
  return `/api/v1/stamps/${sha256}.png`;
}

/** The QR payload of an invoice row, or null when its QR code was not an invoice's. */
export function invoiceQr(row: TInvoiceRow): TInvoiceQr | null {
  if (row.qrStatus !== 'decoded' || row.qrNumber === null || row.qrDate === null || row.qrAmountFen === null) return null;
  return { code: row.qrCode ?? '', number: row.qrNumber, date: row.qrDate, amountFen: row.qrAmountFen };
}

/**
 * Typed fields that differ from what the QR code says. An empty typed field is not a mismatch (nothing
 * was claimed); an invoice code typed for a QR without one (全电发票) is.
 */
export function invoiceMismatches(row: TInvoiceRow): TInvoiceMismatch[] {
  const qr = invoiceQr(row);
  if (!qr) return [];
  const norm = (v: string | null) => (v === null || v === '' ? null : v);
  const out: TInvoiceMismatch[] = [];
  const text = (field: 'code' | 'number' | 'date', qrValue: string, typed: string | null) => {
    if (norm(typed) !== null && norm(typed) !== norm(qrValue)) out.push({ field, qr: qrValue, typed: typed! });
  };
  text('code', qr.code, row.code);
  text('number', qr.number, row.number);
  text('date', qr.date, row.invoiceDate);
  if (row.amountFen !== null && row.amountFen !== qr.amountFen) out.push({ field: 'amountFen', qr: qr.amountFen, typed: row.amountFen });
  return out;
}

/** Other invoices holding the same bytes. */
export type TDuplicate = { invoiceId: string; fileSha256: string; villageCode: string; villageName: string };

/** An invoice as the village's officials see it. */
export function presentInvoice(row: TInvoiceRow, duplicates: TDuplicate[]): TInvoice {
  return {
    id: row.id,
    villageCode: row.regionCode,
    sha256: row.fileSha256,
    mimeType: row.mimeType as (typeof INVOICE_MIME_TYPES)[number],
    sizeBytes: row.sizeBytes,
    width: row.width,
    height: row.height,
    pageCount: row.pageCount,
    qrStatus: row.qrStatus as TQrStatus,
    qrMessage: row.qrMessage,
    qr: invoiceQr(row),
    fields: { code: row.code, number: row.number, date: row.invoiceDate, amountFen: row.amountFen, taxFen: row.taxFen, sellerName: row.sellerName, sellerTaxId: row.sellerTaxId },
    mismatches: invoiceMismatches(row),
    confirmed: row.confirmedAt !== null,
    lineId: row.lineId,
    duplicates: duplicates.filter((d) => d.fileSha256 === row.fileSha256 && d.invoiceId !== row.id).map((d) => ({ invoiceId: d.invoiceId, villageCode: d.villageCode, villageName: d.villageName })),
    imageUrl: `/api/v1/invoices/${row.id}/image`,
    thumbnailUrl: `/api/v1/invoices/${row.id}/thumbnail`,
    uploaderName: row.uploaderName,
    uploadedAt: iso(row.uploadedAt),
  };
}

/** A recorded review decision with the URL of the seal an approval carries. */
export function presentReview(row: TReviewRow): TReviewRecord {
  return {
    id: row.id,
    decision: row.decision as TReviewDecision,
    reason: row.reason,
    reviewerName: row.reviewerName,
    reviewerUnit: row.reviewerUnit,
    stampUrl: row.stampSha256 ? stampUrl(row.stampSha256) : null,
    reviewedAt: iso(row.reviewedAt),
  };
}

/** A ledger line for an official with finance.read over its village. */
export function presentLine(row: TLineRow, extra: { invoices: TInvoice[]; reviews: TReviewRecord[]; allowedActions: TLedgerLineAction[] }): TLedgerLine {
  return {
    id: row.id,
    villageCode: row.regionCode,
    villageName: row.villageName,
    direction: row.direction as TLedgerDirection,
    date: row.lineDate,
    amountFen: row.amountFen,
    subject: row.subject,
    counterparty: row.counterparty,
    counterpartyKind: row.counterpartyKind as TCounterpartyKind,
    paymentMethod: row.paymentMethod as TPaymentMethod,
    voucherNo: row.voucherNo,
    summary: row.summary,
    invoices: extra.invoices,
    reviewStatus: row.reviewStatus as TReviewStatus,
    reviews: extra.reviews,
    disclosureId: row.disclosureId,
    createdByName: row.createdByName,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    allowedActions: extra.allowedActions,
  };
}

/**
 * A line as an F01 version publishes it: a person's name masked (夏**), invoices by content hash with
 * their typed fields, the approving unit and time (never the reviewer's name: the unit signs).
 */
export function presentPublishedLine(row: TLineRow, invoices: TInvoiceRow[], approval: TReviewRow | null): TPublishedLine {
  return {
    id: row.id,
    date: row.lineDate,
    direction: row.direction as TLedgerDirection,
    amountFen: row.amountFen,
    subject: row.subject,
    counterparty: row.counterpartyKind === 'person' ? maskName(row.counterparty) : row.counterparty,
    paymentMethod: row.paymentMethod as TPaymentMethod,
    voucherNo: row.voucherNo,
    summary: row.summary,
    invoices: invoices.map((i) => ({ id: i.id, sha256: i.fileSha256, mimeType: i.mimeType, code: i.code, number: i.number, date: i.invoiceDate, amountFen: i.amountFen })),
    review: row.direction === 'expense' && approval ? { reviewerUnit: approval.reviewerUnit, reviewedAt: iso(approval.reviewedAt) } : null,
  };
}
