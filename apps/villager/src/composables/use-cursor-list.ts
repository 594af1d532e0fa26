/** A cursor-paged list that grows as the villager scrolls (Vant's List) and starts over on a pull (PullRefresh). */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { errorMessage } from '@/api/http';

/** One page of a keyset-paged list as every list API answers it. */
export interface TCursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Fetches the page after `cursor` (null: the newest page). Answers null when there is nothing to list
 * (no village yet): the list is then finished and empty.
 */
export type TFetchCursorPage<T> = (cursor: string | null) => Promise<TCursorPage<T>> | null;

/** State and actions of one list, bound to van-list and van-pull-refresh. */
export interface TCursorList<T> {
  items: ShallowRef<T[]>;
  /** Bound to van-list's v-model:loading. */
  isLoading: Ref<boolean>;
  /** Bound to van-list's finished. */
  isFinished: Ref<boolean>;
  /** Bound to van-list's v-model:error (tap to retry). */
  hasError: Ref<boolean>;
  errorMessage: Ref<string>;
  hasLoaded: Ref<boolean>;
  /** Append the next page (van-list's load event). */
  loadMore: () => Promise<void>;
  /** Start over from the newest page; the old rows stay until the new ones arrive. Rejects when that fails. */
  refresh: () => Promise<void>;
}

/** State of one cursor list, newest first; rows already shown are not repeated when pages shift. */
export function useCursorList<T extends { id: string }>(fetchPage: TFetchCursorPage<T>): TCursorList<T> {
  const items = shallowRef<T[]>([]);
  const cursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isFinished = ref(false);
  const hasError = ref(false);
  const message = ref('');
  const hasLoaded = ref(false);
  /** Bumped by a refresh, so a page requested before it is dropped. */
  let generation = 0;

  function accept(page: TCursorPage<T>, isAppending: boolean): void {
    if (isAppending) {
      const known = new Set(items.value.map((item) => item.id));
      items.value = [...items.value, ...page.items.filter((item) => !known.has(item.id))];
    } else {
      items.value = page.items;
    }
    cursor.value = page.nextCursor;
    isFinished.value = page.nextCursor === null;
    hasError.value = false;
    message.value = '';
    hasLoaded.value = true;
  }

  async function loadMore(): Promise<void> {
    const request = fetchPage(cursor.value);
    if (request === null) {
      isLoading.value = false;
      isFinished.value = true;
      return;
    }
    const current = generation;
    isLoading.value = true;
    try {
      const page = await request;
      if (current === generation) accept(page, true);
    } catch (error) {
      if (current !== generation) return;
      hasError.value = true;
      message.value = errorMessage(error);
    } finally {
      if (current === generation) isLoading.value = false;
    }
  }

  async function refresh(): Promise<void> {
    const request = fetchPage(null);
    if (request === null) return;
    const current = ++generation;
    try {
      const page = await request;
      if (current === generation) accept(page, false);
    } catch (error) {
      if (current !== generation) return;
      message.value = errorMessage(error);
      if (!hasLoaded.value) hasError.value = true;
      throw error;
    } finally {
      if (current === generation) isLoading.value = false;
    }
  }

  return { items, isLoading, isFinished, hasError, errorMessage: message, hasLoaded, loadMore, refresh };
}
