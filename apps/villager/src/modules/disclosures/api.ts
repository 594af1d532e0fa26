import type { TDisclosure, TDisclosureCatalog, TDisclosureListItem } from '@cunwu/contract';
import { API_BASE, ApiError, http } from '@/api/http';
import { i18n } from '@/i18n';

/** One page of a village's disclosures, newest first. */
export interface TDisclosurePage {
  items: TDisclosureListItem[];
  nextCursor: string | null;
}

/** Disclosures fetched per page of the list. */
export const DISCLOSURE_PAGE_SIZE = 30;

/** Invoice images are larger than JSON answers; a weak 4G signal needs longer. */
const IMAGE_TIMEOUT_MS = 60_000;

let catalogRequest: Promise<TDisclosureCatalog> | null = null;

/**
 * The catalogue (categories 党务/村务/财务 and their items). It changes rarely, so it is fetched once
 * per visit; a failed fetch is forgotten so the next page asks again.
 */
export function fetchCatalog(): Promise<TDisclosureCatalog> {
  catalogRequest ??= http.get<TDisclosureCatalog>('/disclosure-catalog').catch((error: unknown) => {
    catalogRequest = null;
    throw error;
  });
  return catalogRequest;
}

/** One page of the village's published disclosures; `cursor` is the previous page's `nextCursor`. */
export function fetchVillageDisclosures(villageCode: string, options: { cursor?: string | null; limit?: number } = {}): Promise<TDisclosurePage> {
  const params = new URLSearchParams({ status: 'published', limit: String(options.limit ?? DISCLOSURE_PAGE_SIZE) });
  if (options.cursor) params.set('cursor', options.cursor);
  return http.get<TDisclosurePage>(`/villages/${encodeURIComponent(villageCode)}/disclosures?${params.toString()}`);
}

/** One disclosure with every published version (newest first) and the diffs between them. */
export function fetchDisclosure(id: string): Promise<TDisclosure> {
  return http.get<TDisclosure>(`/disclosures/${encodeURIComponent(id)}`);
}

/** Where an invoice's small preview image loads from. */
export function invoiceThumbnailUrl(invoiceId: string): string {
  return `${API_BASE}/invoices/${encodeURIComponent(invoiceId)}/thumbnail`;
}

/** Where an invoice's original file (image or PDF) loads from. */
export function invoiceImageUrl(invoiceId: string): string {
  return `${API_BASE}/invoices/${encodeURIComponent(invoiceId)}/image`;
}

/** The original bytes of an invoice, exactly as stored (to hash them on the phone); rejects with ApiError. */
export async function fetchInvoiceBytes(invoiceId: string): Promise<ArrayBuffer> {
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), IMAGE_TIMEOUT_MS);
  try {
    const response = await fetch(invoiceImageUrl(invoiceId), { credentials: 'same-origin', signal: controller.signal }).catch(() => null);
    if (response === null) throw new ApiError('NETWORK_ERROR', 0, i18n.global.t('common.networkError'));
    if (!response.ok) throw new ApiError(response.status === 404 ? 'NOT_FOUND' : 'INTERNAL', response.status, i18n.global.t('disclosures.f01.imageFailed'));
    // A connection lost halfway through the body is a network error too.
    const bytes = await response.arrayBuffer().catch(() => null);
    if (bytes === null) throw new ApiError('NETWORK_ERROR', 0, i18n.global.t('common.networkError'));
    return bytes;
  } finally {
    window.clearTimeout(timer);
  }
}
