import { onBeforeUnmount, onMounted, reactive, ref, shallowRef, watch, type Ref } from 'vue';
import { OUTBOX_STATUSES, type TOutboxMessage, type TOutboxPage } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { findOutbox } from './api';
import type { TOutboxChannel, TOutboxStatus } from './outbox-labels';

const PAGE_SIZE = 50;
const MAX_REFRESH = 200;
/** How often the list refreshes itself while the page is visible. */
export const OUTBOX_REFRESH_MS = 10_000;

type TCounts = Record<TOutboxStatus, number>;

function zeroCounts(): TCounts {
  return Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as TCounts;
}

/**
 * The outbox table of a region: filters, counts per status, "load more", and a quiet refresh every
 * 10 s while the tab is visible (paused when hidden, refreshed at once when it shows again).
 */
export function useOutboxList(region: Ref<string>) {
  const filters = reactive<{ status: TOutboxStatus | ''; channel: TOutboxChannel | '' }>({ status: '', channel: '' });
  const items = shallowRef<TOutboxMessage[]>([]);
  const counts = ref<TCounts>(zeroCounts());
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const loadError = ref('');
  const refreshedAt = ref<Date | null>(null);
  let sequence = 0;
  let timer: ReturnType<typeof setInterval> | null = null;

  function apply(page: TOutboxPage, append: boolean): void {
    items.value = append ? [...items.value, ...page.items] : page.items;
    nextCursor.value = page.nextCursor;
    counts.value = { ...zeroCounts(), ...page.counts };
    refreshedAt.value = new Date();
    loadError.value = '';
  }

  async function fetchPage(cursor: string | undefined, limit: number): Promise<void> {
    if (!region.value) return;
    const ticket = ++sequence;
    try {
      const page = await findOutbox({ region: region.value, status: filters.status || undefined, channel: filters.channel || undefined, cursor, limit });
      if (ticket === sequence) apply(page, !!cursor);
    } catch (error) {
      if (ticket === sequence) loadError.value = errorMessage(error);
    }
  }

  /** Load the first page for the current region and filters (shows the spinner). */
  async function search(): Promise<void> {
    isLoading.value = true;
    try {
      await fetchPage(undefined, PAGE_SIZE);
    } finally {
      isLoading.value = false;
    }
  }

  /** Re-read what is on screen without a spinner, so the table does not flicker every 10 s. */
  async function refresh(): Promise<void> {
    if (isLoading.value || isLoadingMore.value) return;
    await fetchPage(undefined, Math.min(MAX_REFRESH, Math.max(PAGE_SIZE, items.value.length)));
  }

  /** Append the next page. */
  async function loadMore(): Promise<void> {
    if (!nextCursor.value || isLoadingMore.value) return;
    isLoadingMore.value = true;
    try {
      await fetchPage(nextCursor.value, PAGE_SIZE);
    } finally {
      isLoadingMore.value = false;
    }
  }

  /** Put a retried message in place. */
  function upsert(message: TOutboxMessage): void {
    items.value = items.value.map((m) => (m.id === message.id ? message : m));
  }

  function startTimer(): void {
    stopTimer();
    timer = setInterval(() => void refresh(), OUTBOX_REFRESH_MS);
  }
  function stopTimer(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }
  function onVisibility(): void {
    if (document.visibilityState === 'visible') {
      void refresh();
      startTimer();
    } else {
      stopTimer();
    }
  }

  watch([region, () => filters.status, () => filters.channel], () => void search(), { immediate: true });

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    if (document.visibilityState === 'visible') startTimer();
  });
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisibility);
    stopTimer();
  });

  return { filters, items, counts, nextCursor, isLoading, isLoadingMore, loadError, refreshedAt, search, refresh, loadMore, upsert };
}
