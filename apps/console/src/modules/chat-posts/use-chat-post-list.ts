import { ref, shallowRef, watch, type Ref } from 'vue';
import type { TChatPost } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { findChatPosts } from './api';

const PAGE_SIZE = 30;

/** Registered posts of a region, newest first, with "load more" and in-place updates. */
export function useChatPostList(region: Ref<string>) {
  const items = shallowRef<TChatPost[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const loadError = ref('');
  let sequence = 0;

  async function fetchPage(cursor: string | undefined): Promise<void> {
    if (!region.value) return;
    const ticket = ++sequence;
    try {
      const page = await findChatPosts(region.value, cursor, PAGE_SIZE);
      if (ticket !== sequence) return;
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      loadError.value = '';
    } catch (error) {
      if (ticket === sequence) loadError.value = errorMessage(error);
    }
  }

  /** Load the first page. */
  async function load(): Promise<void> {
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

  /** Put a new or edited post in place (new ones first). */
  function upsert(post: TChatPost): void {
    const index = items.value.findIndex((p) => p.id === post.id);
    items.value = index === -1 ? [post, ...items.value] : items.value.map((p) => (p.id === post.id ? post : p));
  }

  watch(region, () => void load(), { immediate: true });

  return { items, nextCursor, isLoading, isLoadingMore, loadError, load, loadMore, upsert };
}
