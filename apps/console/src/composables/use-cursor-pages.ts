import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { errorMessage } from '@/api/http';

/** One page of a keyset-paged list as every list API answers it. */
export interface TCursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** State and actions of a "load more" list. */
export interface TCursorPages<T> {
  items: ShallowRef<T[]>;
  nextCursor: Ref<string | null>;
  isLoading: Ref<boolean>;
  isLoadingMore: Ref<boolean>;
  loadError: Ref<string>;
  /** Load the first page (again). */
  load: () => Promise<void>;
  /** Append the next page. */
  loadMore: () => Promise<void>;
  /** Forget everything shown (the list's subject changed). */
  clear: () => void;
}

/**
 * A cursor-paged list with "load more". `fetchPage` answers null when there is nothing to ask for yet
 * (no region or group chosen). Answers to superseded requests are dropped, so fast filter changes never
 * show a stale page.
 */
export function useCursorPages<T>(fetchPage: (cursor: string | undefined) => Promise<TCursorPage<T>> | null): TCursorPages<T> {
  const items = shallowRef<T[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const loadError = ref('');
  let sequence = 0;

  async function fetchInto(cursor: string | undefined): Promise<void> {
    const request = fetchPage(cursor);
    if (!request) return;
    const ticket = ++sequence;
    try {
      const page = await request;
      if (ticket !== sequence) return;
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      loadError.value = '';
    } catch (error) {
      if (ticket === sequence) loadError.value = errorMessage(error);
    }
  }

  async function load(): Promise<void> {
    isLoading.value = true;
    try {
      await fetchInto(undefined);
    } finally {
      isLoading.value = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || isLoadingMore.value) return;
    isLoadingMore.value = true;
    try {
      await fetchInto(nextCursor.value);
    } finally {
      isLoadingMore.value = false;
    }
  }

  function clear(): void {
    sequence++;
    items.value = [];
    nextCursor.value = null;
    loadError.value = '';
  }

  return { items, nextCursor, isLoading, isLoadingMore, loadError, load, loadMore, clear };
}
