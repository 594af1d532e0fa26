import type {
  TCreateLedgerLineRequest,
  TInvoice,
  TLedgerImportResult,
  TLedgerLine,
  TLedgerMonth,
  TReviewQueue,
  TReviewRequest,
  TUpdateInvoiceRequest,
  TUpdateLedgerLineRequest,
  TUploadInvoiceResponse,
} from '@cunwu/contract';
import { API_BASE, http, upload, type TUploadOptions } from '@/api/http';

const invoicePath = (id: string): string => `/invoices/${encodeURIComponent(id)}`;
const linePath = (id: string): string => `/ledger-lines/${encodeURIComponent(id)}`;

/**
 * `POST /invoices` (multipart): the village first, so the server can refuse before it reads the file,
 * then the image or PDF. Answers the stored invoice with what its QR code said.
 */
export function uploadInvoice(villageCode: string, file: File, options: TUploadOptions = {}): Promise<TUploadInvoiceResponse> {
  const form = new FormData();
  form.append('villageCode', villageCode);
  form.append('file', file, file.name);
  return upload<TUploadInvoiceResponse>('/invoices', form, options);
}

/** `GET /invoices/{id}`. */
export function fetchInvoice(id: string, signal?: AbortSignal): Promise<TInvoice> {
  return http.get<TInvoice>(invoicePath(id), undefined, { signal });
}

/** `PATCH /invoices/{id}`: correct fields; `confirm: true` marks them checked against the paper. */
export function updateInvoice(id: string, body: TUpdateInvoiceRequest): Promise<TInvoice> {
  return http.patch<TInvoice>(invoicePath(id), body);
}

/** `GET /villages/{code}/ledger-lines?month=`: one month of a village's ledger with its totals. */
export function fetchLedgerMonth(villageCode: string, month: string, signal?: AbortSignal): Promise<TLedgerMonth> {
  return http.get<TLedgerMonth>(`/villages/${encodeURIComponent(villageCode)}/ledger-lines`, { month }, { signal });
}

/** `GET /ledger-lines/{id}`. */
export function fetchLedgerLine(id: string, signal?: AbortSignal): Promise<TLedgerLine> {
  return http.get<TLedgerLine>(linePath(id), undefined, { signal });
}

/** `POST /ledger-lines`: record one income or expense (记一笔). */
export function createLedgerLine(body: TCreateLedgerLineRequest): Promise<TLedgerLine> {
  return http.post<TLedgerLine>('/ledger-lines', body);
}

/** `PATCH /ledger-lines/{id}`: while pending or rejected; a changed rejected expense goes back to review. */
export function updateLedgerLine(id: string, body: TUpdateLedgerLineRequest): Promise<TLedgerLine> {
  return http.patch<TLedgerLine>(linePath(id), body);
}

/** `POST /ledger-lines/import` (multipart `villageCode`, `file`): all rows or none. */
export function importLedgerLines(villageCode: string, file: File, options: TUploadOptions = {}): Promise<TLedgerImportResult> {
  const form = new FormData();
  form.append('villageCode', villageCode);
  form.append('file', file, file.name);
  return upload<TLedgerImportResult>('/ledger-lines/import', form, options);
}

/** Address of the import template (a plain link: the browser saves the .xlsx). */
export function ledgerTemplateUrl(): string {
  return `${API_BASE}/ledger-lines/import-template`;
}

/** `POST /reviews/{lineId}`: the resident cadre approves or sends back one expense; answers the line. */
export function reviewLedgerLine(lineId: string, body: TReviewRequest): Promise<TLedgerLine> {
  return http.post<TLedgerLine>(`/reviews/${encodeURIComponent(lineId)}`, body);
}

/** Query of `GET /reviews/queue`. */
export interface TReviewQueueQuery {
  region?: string;
  status: 'pending' | 'rejected' | 'approved';
  limit?: number;
  cursor?: string;
}

/** `GET /reviews/queue`: expenses (and F01 disclosures) of the reviewer's villages, oldest first. */
export function fetchReviewQueue(query: TReviewQueueQuery, signal?: AbortSignal): Promise<TReviewQueue> {
  return http.get<TReviewQueue>('/reviews/queue', { ...query }, { signal });
}
