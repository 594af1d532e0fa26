import { watch, type Ref } from 'vue';
import { useCursorPages } from '@/composables/use-cursor-pages';
import { findGroupMembers, type TGroupMemberRow } from './api';

const PAGE_SIZE = 50;

/** A group's members, paged with "load more"; reloaded when the group changes. */
export function useGroupMembers(groupId: Ref<string | null>) {
  const pages = useCursorPages<TGroupMemberRow>((after) => (groupId.value ? findGroupMembers(groupId.value, after, PAGE_SIZE) : null));

  /** Drop a removed member without reloading. */
  function drop(memberId: string): void {
    pages.items.value = pages.items.value.filter((m) => m.id !== memberId);
  }

  watch(
    groupId,
    (id) => {
      pages.clear();
      if (id) void pages.load();
    },
    { immediate: true },
  );

  const { items, nextCursor, isLoading, isLoadingMore, loadError, loadMore } = pages;
  /** Load the first page again (after adding or removing members). */
  const reload = pages.load;
  return { items, nextCursor, isLoading, isLoadingMore, loadError, reload, loadMore, drop };
}
