import type { TInvoice, TInvoiceFields, TInvoiceMismatch, TInvoiceQr } from '@cunwu/contract';

/** Fields the QR code carries and so can contradict what was typed. */
export const QR_FIELDS = ['code', 'number', 'date', 'amountFen'] as const;
/** One of {@link QR_FIELDS}. */
export type TQrField = (typeof QR_FIELDS)[number];

/** Sums of a line's invoices: amounts before tax, and with tax (价税合计), as far as they are known. */
export interface TInvoiceSums {
  amountFen: number;
  withTaxFen: number;
  /** Invoices whose amount is not known yet (no QR, not typed). */
  unknown: number;
}

/** Add up the invoices of a line. */
export function sumInvoices(invoices: readonly Pick<TInvoice, 'fields'>[]): TInvoiceSums {
  let amountFen = 0;
  let withTaxFen = 0;
  let unknown = 0;
  for (const invoice of invoices) {
    const amount = invoice.fields.amountFen;
    if (amount === null) {
      unknown += 1;
      continue;
    }
    amountFen += amount;
    withTaxFen += amount + (invoice.fields.taxFen ?? 0);
  }
  return { amountFen, withTaxFen, unknown };
}

/**
 * Whether a line's amount disagrees with its invoices. The QR amount of a VAT invoice is before tax,
 * while the money paid is usually the total with tax, so either sum matching is accepted. Unknown
 * amounts and lines without invoices are not judged.
 */
export function isAmountOff(lineAmountFen: number | null, invoices: readonly Pick<TInvoice, 'fields'>[]): boolean {
  if (lineAmountFen === null || invoices.length === 0) return false;
  const sums = sumInvoices(invoices);
  if (sums.unknown > 0) return false;
  return lineAmountFen !== sums.amountFen && lineAmountFen !== sums.withTaxFen;
}

/**
 * Fields whose typed value differs from the QR code, computed in the browser while typing so the
 * flag does not wait for the server (which computes the same `mismatches` on every save).
 */
export function compareWithQr(qr: TInvoiceQr | null, typed: Pick<TInvoiceFields, TQrField>): TInvoiceMismatch[] {
  if (!qr) return [];
  const out: TInvoiceMismatch[] = [];
  for (const field of QR_FIELDS) {
    const value = typed[field];
    if (value === null || value === '') continue;
    if (value !== qr[field]) out.push({ field, qr: qr[field], typed: value });
  }
  return out;
}
