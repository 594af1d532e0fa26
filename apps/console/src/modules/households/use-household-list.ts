import { reactive, ref, shallowRef } from 'vue';
import type { THousehold } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { findHouseholds, type THouseholdQuery } from './api';

const PAGE_SIZE = 30;

/** Filters of the households page. */
export interface THouseholdFilters {
  region: string | null;
  q: string;
  isUncoveredOnly: boolean;
  includeInactive: boolean;
}

/** The households table: filters, cursor paging ("加载更多") and in-place updates. */
export function useHouseholdList(initial: Partial<THouseholdFilters> = {}) {
  const filters = reactive<THouseholdFilters>({ region: null, q: '', isUncoveredOnly: false, includeInactive: false, ...initial });
  const items = shallowRef<THousehold[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const loadError = ref('');
  /** The filters of the rows on screen (the form may have been edited since). */
  const applied = ref<THouseholdQuery | null>(null);
  let sequence = 0;

  async function fetchPage(query: THouseholdQuery, cursor: string | undefined): Promise<void> {
    const ticket = ++sequence;
    try {
      const page = await findHouseholds({ ...query, cursor, limit: PAGE_SIZE });
      if (ticket !== sequence) return;
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      loadError.value = '';
    } catch (error) {
      if (ticket === sequence) loadError.value = errorMessage(error);
    }
  }

  /** Apply the filters and load the first page. */
  async function search(): Promise<void> {
    if (!filters.region) {
      applied.value = null;
      items.value = [];
      nextCursor.value = null;
      return;
    }
    const query: THouseholdQuery = {
      region: filters.region,
      q: filters.q.trim() || undefined,
      uncovered: filters.isUncoveredOnly || undefined,
      includeInactive: filters.includeInactive || undefined,
    };
    applied.value = query;
    isLoading.value = true;
    try {
      await fetchPage(query, undefined);
    } finally {
      isLoading.value = false;
    }
  }

  /** Append the next page. */
  async function loadMore(): Promise<void> {
    if (!nextCursor.value || !applied.value || isLoadingMore.value) return;
    isLoadingMore.value = true;
    try {
      await fetchPage(applied.value, nextCursor.value);
    } finally {
      isLoadingMore.value = false;
    }
  }

  /** Put an updated household in place, or first when it is new. */
  function upsert(household: THousehold): void {
    const index = items.value.findIndex((h) => h.id === household.id);
    items.value = index === -1 ? [household, ...items.value] : items.value.map((h) => (h.id === household.id ? household : h));
  }

  /** Update a household only if it is on screen (e.g. the target of a move). */
  function replace(household: THousehold): void {
    if (items.value.some((h) => h.id === household.id)) upsert(household);
  }

  return { filters, items, nextCursor, isLoading, isLoadingMore, loadError, applied, search, loadMore, upsert, replace };
}
