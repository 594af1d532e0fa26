import { ref, shallowRef } from 'vue';
import type { TImportJobSummary } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { findRecentImports } from './api';

const PAGE_SIZE = 10;

/** The user's recent import jobs, newest first, with "load more"; reloaded after uploads and finished jobs. */
export function useRecentImports() {
  const items = shallowRef<TImportJobSummary[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const error = ref('');

  async function fetchPage(cursor: string | undefined): Promise<void> {
    isLoading.value = true;
    try {
      const page = await findRecentImports(PAGE_SIZE, cursor);
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      error.value = '';
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      isLoading.value = false;
    }
  }

  /** Show a fresher copy of a job (from polling) without a round trip. */
  function update(job: TImportJobSummary): void {
    const { id } = job;
    const index = items.value.findIndex((j) => j.id === id);
    items.value = index === -1 ? [job, ...items.value] : items.value.map((j) => (j.id === id ? job : j));
  }

  return {
    items,
    nextCursor,
    isLoading,
    error,
    /** Load the newest page again. */
    reload: () => fetchPage(undefined),
    /** Append older jobs. */
    loadMore: () => (nextCursor.value ? fetchPage(nextCursor.value) : Promise.resolve()),
    update,
  };
}
