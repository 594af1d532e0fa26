import { ref, shallowRef } from 'vue';
import type { TLedgerLine, TReviewQueue } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { fetchReviewQueue, type TReviewQueueQuery } from './api';

const PAGE_SIZE = 20;

/** The joint-review queue of one tab (待审, 已退回, 已通过), oldest first, with "load more". */
export function useReviewQueue() {
  const lines = shallowRef<TLedgerLine[]>([]);
  const disclosures = shallowRef<TReviewQueue['disclosures']>([]);
  const pendingCount = ref<number | null>(null);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const error = ref('');
  let query: Omit<TReviewQueueQuery, 'cursor' | 'limit'> = { status: 'pending' };
  let controller: AbortController | null = null;

  async function load(next: Omit<TReviewQueueQuery, 'cursor' | 'limit'>): Promise<void> {
    query = next;
    controller?.abort();
    const current = new AbortController();
    controller = current;
    isLoading.value = true;
    try {
      const page = await fetchReviewQueue({ ...next, limit: PAGE_SIZE }, current.signal);
      if (current.signal.aborted) return;
      lines.value = page.lines;
      disclosures.value = page.disclosures;
      pendingCount.value = page.pendingCount;
      nextCursor.value = page.nextCursor;
      error.value = '';
    } catch (caught) {
      if (current.signal.aborted) return;
      lines.value = [];
      disclosures.value = [];
      error.value = errorMessage(caught);
    } finally {
      if (controller === current) isLoading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || isLoadingMore.value) return;
    isLoadingMore.value = true;
    try {
      const page = await fetchReviewQueue({ ...query, limit: PAGE_SIZE, cursor: nextCursor.value });
      const known = new Set(lines.value.map((l) => l.id));
      lines.value = [...lines.value, ...page.lines.filter((l) => !known.has(l.id))];
      nextCursor.value = page.nextCursor;
      pendingCount.value = page.pendingCount;
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      isLoadingMore.value = false;
    }
  }

  /**
   * Show a decided line in place: it stays on the page (with its stamp or reason) until the next
   * load, so the reviewer sees what he just did; the pending count follows at once.
   */
  function replaceLine(line: TLedgerLine): void {
    const before = lines.value.find((l) => l.id === line.id);
    lines.value = lines.value.map((l) => (l.id === line.id ? line : l));
    if (before?.reviewStatus === 'pending' && line.reviewStatus !== 'pending' && pendingCount.value !== null) pendingCount.value = Math.max(0, pendingCount.value - 1);
  }

  return { lines, disclosures, pendingCount, nextCursor, isLoading, isLoadingMore, error, load, loadMore, reload: () => load(query), replaceLine };
}
