import { ref, shallowRef, watch, type Ref } from 'vue';
import { errorMessage } from '@/api/http';
import { findGroupMembers, type TGroupMemberRow } from './api';

const PAGE_SIZE = 50;

/** A group's members, paged with "load more"; reloaded when the group changes. */
export function useGroupMembers(groupId: Ref<string | null>) {
  const items = shallowRef<TGroupMemberRow[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const loadError = ref('');
  let sequence = 0;

  async function fetchPage(after: string | undefined): Promise<void> {
    const id = groupId.value;
    if (!id) return;
    const ticket = ++sequence;
    try {
      const page = await findGroupMembers(id, after, PAGE_SIZE);
      if (ticket !== sequence) return;
      items.value = after ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      loadError.value = '';
    } catch (error) {
      if (ticket === sequence) loadError.value = errorMessage(error);
    }
  }

  /** Load the first page again (after adding or removing members). */
  async function reload(): Promise<void> {
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

  /** Drop a removed member without reloading. */
  function drop(memberId: string): void {
    items.value = items.value.filter((m) => m.id !== memberId);
  }

  watch(
    groupId,
    (id) => {
      items.value = [];
      nextCursor.value = null;
      loadError.value = '';
      if (id) void reload();
    },
    { immediate: true },
  );

  return { items, nextCursor, isLoading, isLoadingMore, loadError, reload, loadMore, drop };
}
