import { reactive, ref, shallowRef } from 'vue';
import type { TListUsersQuery, TRole, TUser } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { translate } from '@/i18n';
import { findUsers } from './api';

const PAGE_SIZE = 20;

/** The users table: filters, cursor paging ("load more") and in-place updates. */
export function useUserList() {
  const filters = reactive<{ q: string; role: TRole | ''; region: string }>({ q: '', role: '', region: '' });
  const regionError = ref('');
  const items = shallowRef<TUser[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const loadError = ref('');
  let applied: Partial<TListUsersQuery> = {};
  let sequence = 0;

  async function fetchPage(cursor: string | undefined): Promise<void> {
    const ticket = ++sequence;
    try {
      const page = await findUsers({ ...applied, cursor, limit: PAGE_SIZE });
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
    const region = filters.region.trim();
    regionError.value = region && !/^\d{12}$/.test(region) ? translate('users.regionFilterInvalid') : '';
    if (regionError.value) return;
    applied = { q: filters.q.trim() || undefined, role: filters.role || undefined, region: region || undefined };
    isLoading.value = true;
    try {
      await fetchPage(undefined);
    } finally {
      isLoading.value = false;
    }
  }

  /** Clear the filters and reload. */
  function reset(): Promise<void> {
    filters.q = '';
    filters.role = '';
    filters.region = '';
    return search();
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

  /** Put an updated user in place (or first, when new). */
  function upsert(user: TUser): void {
    const index = items.value.findIndex((u) => u.id === user.id);
    items.value = index === -1 ? [user, ...items.value] : items.value.map((u) => (u.id === user.id ? user : u));
  }

  return { filters, regionError, items, nextCursor, isLoading, isLoadingMore, loadError, search, reset, loadMore, upsert };
}
