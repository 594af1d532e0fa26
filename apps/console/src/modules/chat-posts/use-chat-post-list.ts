import { watch, type Ref } from 'vue';
import type { TChatPost } from '@cunwu/contract';
import { useCursorPages } from '@/composables/use-cursor-pages';
import { findChatPosts } from './api';

const PAGE_SIZE = 30;

/** Registered posts of a region, newest first, with "load more" and in-place updates. */
export function useChatPostList(region: Ref<string>) {
  const pages = useCursorPages<TChatPost>((cursor) => (region.value ? findChatPosts(region.value, cursor, PAGE_SIZE) : null));

  /** Put a new or edited post in place (new ones first). */
  function upsert(post: TChatPost): void {
    const index = pages.items.value.findIndex((p) => p.id === post.id);
    pages.items.value = index === -1 ? [post, ...pages.items.value] : pages.items.value.map((p) => (p.id === post.id ? post : p));
  }

  watch(region, () => void pages.load(), { immediate: true });

  const { items, nextCursor, isLoading, isLoadingMore, loadError, load, loadMore } = pages;
  return { items, nextCursor, isLoading, isLoadingMore, loadError, load, loadMore, upsert };
}
