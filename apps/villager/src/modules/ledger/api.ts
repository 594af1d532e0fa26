import type { TConsistencyProof, TInclusionProof, TLedgerEntryRow, TLedgerPublicKey, TLedgerStatus } from '@cunwu/contract';
import { API_BASE, http, isApiError } from '@/api/http';

/** One page of `GET /ledger/entries`: entries [start, end) of a log of `size` entries. */
export interface TLedgerEntriesPage {
  start: number;
  end: number;
  size: number;
  entries: TLedgerEntryRow[];
}

/** Log size and when the latest checkpoint was signed. */
export function fetchLedgerStatus(): Promise<TLedgerStatus> {
  return http.get<TLedgerStatus>('/ledger/status');
}

/** The log's signed-note verifier key as the server states it (pinned on the phone at first sight). */
export function fetchLedgerPublicKey(): Promise<TLedgerPublicKey> {
  return http.get<TLedgerPublicKey>('/ledger/public-key');
}

/** The latest signed checkpoint note, or null before the server has signed its first one. */
export async function fetchLatestCheckpoint(): Promise<string | null> {
  try {
    return await http.getText('/ledger/checkpoint');
  } catch (error) {
    if (isApiError(error, 'NOT_FOUND')) return null;
    throw error;
  }
}

/** Entries [start, end) with their canonical JSON text. */
export function fetchLedgerEntries(start: number, end: number): Promise<TLedgerEntriesPage> {
  return http.get<TLedgerEntriesPage>(`/ledger/entries?start=${start}&end=${end}`);
}

/** Audit path of entry `index` in the tree of the first `size` entries. */
export function fetchInclusionProof(index: number, size: number): Promise<TInclusionProof> {
  return http.get<TInclusionProof>(`/ledger/proof/inclusion?index=${index}&size=${size}`);
}

/** Proof that the tree of `from` entries is a prefix of the tree of `to` entries. */
export function fetchConsistencyProof(from: number, to: number): Promise<TConsistencyProof> {
  return http.get<TConsistencyProof>(`/ledger/proof/consistency?from=${from}&to=${to}`);
}

/** Where the offline receipt (entry + proof + signed checkpoint, as a JSON file) of one entry downloads from. */
export function receiptUrl(index: number): string {
  return `${API_BASE}/ledger/receipts/${index}`;
}
