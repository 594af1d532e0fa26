import { ref, shallowRef } from 'vue';
import type { TAppealListItem } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { findAppeals, type TAppealQuery } from './api';

const PAGE_SIZE = 30;

/** A list of appeals for one query, with "load more"; answers to an older query are dropped. */
export function useAppealList() {
  const items = shallowRef<TAppealListItem[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const loadError = ref('');
  let query: TAppealQuery | null = null;
  let sequence = 0;

  async function fetchPage(cursor: string | undefined): Promise<void> {
    if (!query) return;
    const ticket = ++sequence;
    try {
      const page = await findAppeals({ ...query, cursor, limit: PAGE_SIZE });
      if (ticket !== sequence) return;
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      loadError.value = '';
    } catch (error) {
      if (ticket !== sequence) return;
      if (!cursor) items.value = [];
      loadError.value = errorMessage(error);
    }
  }

  /** Run a new query from its first page (or reload the current one). */
  async function load(next?: TAppealQuery): Promise<void> {
    if (next) query = next;
    isLoading.value = true;
    try {
      await fetchPage(undefined);
    } finally {
      isLoading.value = false;
    }
  }

  /** Append the next page. */
  async function loadMore(): Promise<void> {
    if (!nextCursor.value || isLoadingMore.value) return;
    isLoadingMore.value = true;
    try {
      await fetchPage(nextCursor.value);
    } finally {
      isLoadingMore.value = false;
    }
  }

  return { items, nextCursor, isLoading, isLoadingMore, loadError, load, loadMore };
}

/** The worklist tabs: new (待受理), due within a working day (临期), overdue (已超期), everything I hold. */
export const WORKLIST_TABS = ['new', 'soon', 'overdue', 'all'] as const;
/** A worklist tab. */
export type TWorklistTab = (typeof WORKLIST_TABS)[number];

const COUNT_LIMIT = 100;

/**
 * How many appeals each worklist tab holds, for the badges; counted from one page of up to 100
 * (the API has no count), so more than that shows as "100+".
 */
export function useWorklistCounts() {
  const counts = ref<Partial<Record<TWorklistTab, string>>>({});
  let sequence = 0;

  async function refresh(filter: Pick<TAppealQuery, 'category' | 'q'>): Promise<void> {
    const ticket = ++sequence;
    const results = await Promise.allSettled(
      WORKLIST_TABS.map((tab) => findAppeals({ view: 'worklist', ...filter, due: tab === 'all' ? undefined : tab, limit: COUNT_LIMIT })),
    );
    if (ticket !== sequence) return;
    const next: Partial<Record<TWorklistTab, string>> = {};
    results.forEach((result, index) => {
      if (result.status !== 'fulfilled') return;
      const tab = WORKLIST_TABS[index]!;
      next[tab] = result.value.nextCursor ? `${COUNT_LIMIT}+` : String(result.value.items.length);
    });
    counts.value = next;
  }

  return { counts, refresh };
}
