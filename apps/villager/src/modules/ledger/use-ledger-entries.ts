/** Latest ledger entries, newest first, and the per-entry inclusion check (逐条核验). */
import { computed, reactive, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { fromHex, leafHash, utf8, verifyInclusion, type TLedgerEntryRow } from '@cunwu/contract';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { fetchInclusionProof, fetchLedgerEntries } from './api';
import type { TVerifiedCheckpoint } from './use-ledger-check';

/** Entries fetched per page ("加载更多" fetches the next older page). */
export const LEDGER_PAGE_SIZE = 20;

/** One entry as shown: the exact text (what is hashed) and the fields read from it. */
export interface TLedgerEntryView {
  index: number;
  /** Canonical JSON exactly as logged; its UTF-8 bytes are the Merkle leaf. */
  text: string;
  /** False when the text is not a JSON object with the four entry fields (shown raw then). */
  isReadable: boolean;
  type: string;
  ref: string;
  at: string;
  digest: string;
}

/** Outcome of checking one entry against the verified checkpoint. */
export type TEntryVerification =
  | { state: 'checking' }
  | { state: 'included'; size: number }
  | { state: 'notIncluded'; size: number }
  | { state: 'error'; message: string };

function readEntry(row: TLedgerEntryRow): TLedgerEntryView {
  const view: TLedgerEntryView = { index: row.index, text: row.entry, isReadable: false, type: '', ref: '', at: '', digest: '' };
  try {
    const value: unknown = JSON.parse(row.entry);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return view;
    const { type, ref, at, digest } = value as Record<string, unknown>;
    if (typeof type !== 'string' || typeof ref !== 'string' || typeof at !== 'string' || typeof digest !== 'string') return view;
    return { ...view, isReadable: true, type, ref, at, digest };
  } catch {
    return view;
  }
}

/**
 * Whether the audit path leads from this entry's text to the signed root. The leaf hash is computed
 * here from the text shown, so the server cannot prove one entry while displaying another.
 */
export function isEntryIncluded(text: string, index: number, checkpoint: TVerifiedCheckpoint, proofHex: readonly string[]): boolean {
  try {
    return verifyInclusion({ leafHash: leafHash(utf8(text)), index, size: checkpoint.size, proof: proofHex.map(fromHex), root: checkpoint.rootHash });
  } catch {
    return false; // malformed hex
  }
}

/**
 * Fetch one entry and its audit path and check, on this phone, that exactly this text is in the
 * signed checkpoint (for pages that show something the ledger records, e.g. an appeal's steps).
 * Rejects with ApiError when either request fails.
 */
export async function proveEntry(index: number, checkpoint: TVerifiedCheckpoint): Promise<{ entry: TLedgerEntryView; isIncluded: boolean }> {
  const [page, proof] = await Promise.all([fetchLedgerEntries(index, index + 1), fetchInclusionProof(index, checkpoint.size)]);
  const row = page.entries.find((candidate) => candidate.index === index);
  if (!row) return { entry: readEntry({ index, entry: '', leafHash: '' }), isIncluded: false };
  const entry = readEntry(row);
  return { entry, isIncluded: isEntryIncluded(entry.text, index, checkpoint, proof.proof) };
}

function messageOf(error: unknown): string {
  return isApiError(error) ? error.message : i18n.global.t('common.unknownError');
}

/** Paged newest-first entries with per-entry verification state. */
export function useLedgerEntries(): {
  entries: ShallowRef<TLedgerEntryView[]>;
  isLoading: Ref<boolean>;
  isLoadingMore: Ref<boolean>;
  errorMessage: Ref<string>;
  moreErrorMessage: Ref<string>;
  hasMore: ComputedRef<boolean>;
  verifications: Map<number, TEntryVerification>;
  reset: (sizeRequest: Promise<number>) => Promise<void>;
  loadMore: () => Promise<void>;
  verify: (entry: TLedgerEntryView, checkpoint: TVerifiedCheckpoint) => Promise<void>;
  clearVerifications: () => void;
} {
  const entries = shallowRef<TLedgerEntryView[]>([]);
  /** Entries below this index are not loaded yet. */
  const nextEnd = ref(0);
  const isLoading = ref(true);
  const isLoadingMore = ref(false);
  const errorMessage = ref('');
  const moreErrorMessage = ref('');
  const verifications = reactive(new Map<number, TEntryVerification>());
  let generation = 0;

  async function fetchPageBelow(end: number): Promise<TLedgerEntryView[]> {
    const start = Math.max(0, end - LEDGER_PAGE_SIZE);
    const page = await fetchLedgerEntries(start, end);
    return page.entries.map(readEntry).reverse();
  }

  /** Start over from the newest entry of a log of the given size (the page's status request). */
  async function reset(sizeRequest: Promise<number>): Promise<void> {
    const current = ++generation;
    errorMessage.value = '';
    moreErrorMessage.value = '';
    try {
      const size = await sizeRequest;
      const page = await fetchPageBelow(size);
      if (current !== generation) return;
      entries.value = page;
      nextEnd.value = Math.max(0, size - LEDGER_PAGE_SIZE);
      verifications.clear();
    } catch (error) {
      if (current === generation) errorMessage.value = messageOf(error);
    } finally {
      if (current === generation) isLoading.value = false;
    }
  }

  /** Append the next older page. */
  async function loadMore(): Promise<void> {
    if (isLoadingMore.value || nextEnd.value === 0) return;
    const current = generation;
    isLoadingMore.value = true;
    moreErrorMessage.value = '';
    try {
      const page = await fetchPageBelow(nextEnd.value);
      if (current !== generation) return;
      entries.value = [...entries.value, ...page];
      nextEnd.value = Math.max(0, nextEnd.value - LEDGER_PAGE_SIZE);
    } catch (error) {
      if (current === generation) moreErrorMessage.value = messageOf(error);
    } finally {
      isLoadingMore.value = false;
    }
  }

  /** Fetch the entry's audit path for the verified checkpoint's size and check it here. */
  async function verify(entry: TLedgerEntryView, checkpoint: TVerifiedCheckpoint): Promise<void> {
    if (entry.index >= checkpoint.size || verifications.get(entry.index)?.state === 'checking') return;
    verifications.set(entry.index, { state: 'checking' });
    let result: TEntryVerification;
    try {
      const proof = await fetchInclusionProof(entry.index, checkpoint.size);
      const isIncluded = isEntryIncluded(entry.text, entry.index, checkpoint, proof.proof);
      result = { state: isIncluded ? 'included' : 'notIncluded', size: checkpoint.size };
    } catch (error) {
      result = { state: 'error', message: messageOf(error) };
    }
    verifications.set(entry.index, result);
  }

  return {
    entries,
    isLoading,
    isLoadingMore,
    errorMessage,
    moreErrorMessage,
    hasMore: computed(() => nextEnd.value > 0),
    verifications,
    reset,
    loadMore,
    verify,
    clearVerifications: () => verifications.clear(),
  };
}
