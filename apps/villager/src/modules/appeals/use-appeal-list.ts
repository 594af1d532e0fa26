/** One appeal list (mine / following / public), page by page, newest first. */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { TAppealListItem } from '@cunwu/contract';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { fetchAppeals, type TAppealView } from './api';

function messageOf(error: unknown): string {
  return isApiError(error) ? error.message : i18n.global.t('common.unknownError');
}

/** State of one list, driven by Vant's List (load more on scroll) and PullRefresh. */
export function useAppealList(view: TAppealView): {
  items: ShallowRef<TAppealListItem[]>;
  /** Bound to van-list's v-model:loading. */
  isLoading: Ref<boolean>;
  /** Bound to van-list's finished. */
  isFinished: Ref<boolean>;
  /** Bound to van-list's v-model:error (tap to retry). */
  hasError: Ref<boolean>;
  errorMessage: Ref<string>;
  hasLoaded: Ref<boolean>;
  loadMore: () => Promise<void>;
  refresh: () => Promise<void>;
} {
  const items = shallowRef<TAppealListItem[]>([]);
  const cursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isFinished = ref(false);
  const hasError = ref(false);
  const errorMessage = ref('');
  const hasLoaded = ref(false);
  /** Bumped by a refresh, so a page requested before it is dropped. */
  let generation = 0;

  async function loadMore(): Promise<void> {
    const current = generation;
    isLoading.value = true;
    try {
      const page = await fetchAppeals(view, { cursor: cursor.value });
      if (current !== generation) return;
      const known = new Set(items.value.map((item) => item.id));
      items.value = [...items.value, ...page.items.filter((item) => !known.has(item.id))];
      cursor.value = page.nextCursor;
      isFinished.value = page.nextCursor === null;
      hasError.value = false;
      errorMessage.value = '';
      hasLoaded.value = true;
    } catch (error) {
      if (current !== generation) return;
      hasError.value = true;
      errorMessage.value = messageOf(error);
    } finally {
      if (current === generation) isLoading.value = false;
    }
  }

  /** Start over from the newest page; the old rows stay until the new ones arrive. */
  async function refresh(): Promise<void> {
    const current = ++generation;
    try {
      const page = await fetchAppeals(view);
      if (current !== generation) return;
      items.value = page.items;
      cursor.value = page.nextCursor;
      isFinished.value = page.nextCursor === null;
      hasError.value = false;
      errorMessage.value = '';
      hasLoaded.value = true;
    } catch (error) {
      if (current !== generation) return;
      errorMessage.value = messageOf(error);
      if (!hasLoaded.value) hasError.value = true;
      throw error;
    } finally {
      if (current === generation) isLoading.value = false;
    }
  }

  return { items, isLoading, isFinished, hasError, errorMessage, hasLoaded, loadMore, refresh };
}
