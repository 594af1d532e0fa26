import type {
  TComplianceReport,
  TCorrectDisclosureRequest,
  TCreateDisclosureRequest,
  TDisclosure,
  TDisclosureCatalog,
  TDisclosureListItem,
  TDisclosureStatus,
  TReviewRequest,
  TUpdateCatalogItemRequest,
  TUpdateDisclosureRequest,
  ZUpdateCatalogItemResponse,
} from '@cunwu/contract';
import { http } from '@/api/http';
import type { TCursorPage } from '@/composables/use-cursor-pages';

/** Answer of a catalogue edit: the item and the ledger snapshot the change went into. */
export type TUpdateCatalogItemResponse = ReturnType<(typeof ZUpdateCatalogItemResponse)['parse']>;

/** Filters of a village's disclosure list. */
export interface TDisclosureQuery {
  item?: string;
  period?: string;
  status?: TDisclosureStatus;
  cursor?: string;
  limit?: number;
}

const disclosurePath = (id: string): string => `/disclosures/${encodeURIComponent(id)}`;

/** `GET /disclosure-catalog`: the 27 items by category, with the ledger snapshot that holds them. */
export function fetchCatalog(signal?: AbortSignal): Promise<TDisclosureCatalog> {
  return http.get<TDisclosureCatalog>('/disclosure-catalog', undefined, { signal });
}

/** `PATCH /disclosure-catalog/{code}` (admin): frequency, due days or activity; published as a new snapshot. */
export function updateCatalogItem(code: string, body: TUpdateCatalogItemRequest): Promise<TUpdateCatalogItemResponse> {
  return http.patch<TUpdateCatalogItemResponse>(`/disclosure-catalog/${encodeURIComponent(code)}`, body);
}

/** `GET /villages/{code}/disclosures`: newest first; drafts only for the village's bookkeeper and cadres. */
export function findVillageDisclosures(village: string, query: TDisclosureQuery, signal?: AbortSignal): Promise<TCursorPage<TDisclosureListItem>> {
  return http.get<TCursorPage<TDisclosureListItem>>(`/villages/${encodeURIComponent(village)}/disclosures`, { ...query }, { signal });
}

/** `GET /disclosures/{id}`: the working copy, every published version and the diffs between them. */
export function fetchDisclosure(id: string, signal?: AbortSignal): Promise<TDisclosure> {
  return http.get<TDisclosure>(disclosurePath(id), undefined, { signal });
}

/** `POST /disclosures`: a draft. */
export function createDisclosure(body: TCreateDisclosureRequest): Promise<TDisclosure> {
  return http.post<TDisclosure>('/disclosures', body);
}

/** `PATCH /disclosures/{id}`: change a draft (a rejected one becomes a draft again). */
export function updateDisclosure(id: string, body: TUpdateDisclosureRequest): Promise<TDisclosure> {
  return http.patch<TDisclosure>(disclosurePath(id), body);
}

/** `POST /disclosures/{id}/submit`. */
export function submitDisclosure(id: string): Promise<TDisclosure> {
  return http.post<TDisclosure>(`${disclosurePath(id)}/submit`);
}

/** `POST /disclosures/{id}/review`: the resident cadre approves, or rejects with a reason (联审). */
export function reviewDisclosure(id: string, body: TReviewRequest): Promise<TDisclosure> {
  return http.post<TDisclosure>(`${disclosurePath(id)}/review`, body);
}

/** `POST /disclosures/{id}/publish`: an immutable version, written to the ledger. */
export function publishDisclosure(id: string): Promise<TDisclosure> {
  return http.post<TDisclosure>(`${disclosurePath(id)}/publish`);
}

/** `POST /disclosures/{id}/correct`: a new published version superseding the current one. */
export function correctDisclosure(id: string, body: TCorrectDisclosureRequest): Promise<TDisclosure> {
  return http.post<TDisclosure>(`${disclosurePath(id)}/correct`, body);
}

/** `GET /compliance?region=&period=`: on time, late, missing per item and child region; villages to chase. */
export function fetchCompliance(region: string, period: string, signal?: AbortSignal): Promise<TComplianceReport> {
  return http.get<TComplianceReport>('/compliance', { region, period }, { signal });
}
