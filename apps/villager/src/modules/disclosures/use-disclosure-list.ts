/** The village's published disclosures, page by page, newest first. */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { TDisclosureListItem } from '@cunwu/contract';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { fetchVillageDisclosures } from './api';

function messageOf(error: unknown): string {
  return isApiError(error) ? error.message : i18n.global.t('common.unknownError');
}

/**
 * State of the list, driven by Vant's List (load more on scroll) and PullRefresh. The API pages by
 * time only, so category filtering happens on the loaded rows (a village publishes a few dozen a year).
 */
export function useDisclosureList(villageCode: () => string | null): {
  items: ShallowRef<TDisclosureListItem[]>;
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
  const items = shallowRef<TDisclosureListItem[]>([]);
  const cursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isFinished = ref(false);
  const hasError = ref(false);
  const errorMessage = ref('');
  const hasLoaded = ref(false);
  /** Bumped by a refresh, so a page requested before it is dropped. */
  let generation = 0;

  function accept(page: { items: TDisclosureListItem[]; nextCursor: string | null }, append: boolean): void {
    if (append) {
      const known = new Set(items.value.map((item) => item.id));
      items.value = [...items.value, ...page.items.filter((item) => !known.has(item.id))];
    } else {
      items.value = page.items;
    }
    cursor.value = page.nextCursor;
    isFinished.value = page.nextCursor === null;
    hasError.value = false;
    errorMessage.value = '';
    hasLoaded.value = true;
  }

  async function loadMore(): Promise<void> {
    const code = villageCode();
    if (code === null) {
      isLoading.value = false;
      isFinished.value = true;
      return;
    }
    const current = generation;
    isLoading.value = true;
    try {
      const page = await fetchVillageDisclosures(code, { cursor: cursor.value });
      if (current === generation) accept(page, true);
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
    const code = villageCode();
    if (code === null) return;
    const current = ++generation;
    try {
      const page = await fetchVillageDisclosures(code);
      if (current === generation) accept(page, false);
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
