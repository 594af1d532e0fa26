import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { TFeedItem } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { feedStreamUrl, findFeed } from './api';

const PAGE_SIZE = 30;
const RETRY_MIN_MS = 3_000;
const RETRY_MAX_MS = 60_000;

/** State of the live connection, shown next to the feed. */
export type TLiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

function isFeedItem(value: unknown): value is TFeedItem {
  const item = value as Partial<TFeedItem> | null;
  return !!item && typeof item.id === 'string' && typeof item.body === 'string' && typeof item.createdAt === 'string';
}

/** Newest first, each item once (the stream and a reload may both bring the same item). */
function merge(current: TFeedItem[], incoming: TFeedItem[]): TFeedItem[] {
  const byId = new Map(current.map((i) => [i.id, i]));
  for (const item of incoming) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/**
 * A group's feed: the newest page, older pages on demand, and new items live from the SSE stream.
 * The stream is closed when the group changes and when the calling component unmounts.
 */
export function useGroupFeed(groupId: Ref<string | null>) {
  const items = shallowRef<TFeedItem[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const isLoadingMore = ref(false);
  const loadError = ref('');
  const liveState = ref<TLiveState>('offline');
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = RETRY_MIN_MS;
  let sequence = 0;
  let hasBeenLive = false;
  let hasFirstPage = false;

  async function loadFirstPage(): Promise<void> {
    const id = groupId.value;
    if (!id) return;
    const ticket = ++sequence;
    isLoading.value = true;
    try {
      const page = await findFeed(id, undefined, PAGE_SIZE);
      if (ticket !== sequence) return;
      // A reload (after the stream was down) keeps the older pages the user already opened.
      items.value = merge(items.value, page.items);
      if (!hasFirstPage) nextCursor.value = page.nextCursor;
      hasFirstPage = true;
      loadError.value = '';
    } catch (error) {
      if (ticket === sequence) loadError.value = errorMessage(error);
    } finally {
      if (ticket === sequence) isLoading.value = false;
    }
  }

  /** Append older items. */
  async function loadOlder(): Promise<void> {
    const id = groupId.value;
    if (!id || !nextCursor.value || isLoadingMore.value) return;
    isLoadingMore.value = true;
    try {
      const page = await findFeed(id, nextCursor.value, PAGE_SIZE);
      items.value = merge(items.value, page.items);
      nextCursor.value = page.nextCursor;
    } catch (error) {
      loadError.value = errorMessage(error);
    } finally {
      isLoadingMore.value = false;
    }
  }

  function closeStream(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    source?.close();
    source = null;
  }

  function scheduleReconnect(): void {
    liveState.value = 'offline';
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      openStream();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  function openStream(): void {
    closeStream();
    const id = groupId.value;
    if (!id || typeof EventSource === 'undefined') return;
    liveState.value = 'connecting';
    const stream = new EventSource(feedStreamUrl(id));
    source = stream;
    stream.onopen = () => {
      liveState.value = 'live';
      retryDelay = RETRY_MIN_MS;
      // The browser's own reconnects send Last-Event-ID and get a replay; ours (after a refusal) do not.
      if (hasBeenLive) void loadFirstPage();
      hasBeenLive = true;
    };
    stream.onmessage = (event: MessageEvent<string>) => {
      try {
        const item: unknown = JSON.parse(event.data);
        if (isFeedItem(item) && item.groupId === groupId.value) items.value = merge(items.value, [item]);
      } catch {
        // A keep-alive or a malformed event: nothing to show.
      }
    };
    // Too much was missed to replay: start again from the newest page.
    stream.addEventListener('reset', () => {
      items.value = [];
      nextCursor.value = null;
      hasFirstPage = false;
      void loadFirstPage();
    });
    stream.onerror = () => {
      if (source !== stream) return;
      // The browser retries by itself unless the server refused (an HTTP error closes the stream).
      if (stream.readyState === EventSource.CLOSED) scheduleReconnect();
      else liveState.value = 'reconnecting';
    };
  }

  /** Reconnect now (the user pressed the button). */
  function reconnect(): void {
    retryDelay = RETRY_MIN_MS;
    openStream();
  }

  /** Put an item the user just posted in place, without waiting for the stream. */
  function add(item: TFeedItem): void {
    if (isFeedItem(item)) items.value = merge(items.value, [item]);
  }

  watch(
    groupId,
    (id) => {
      closeStream();
      sequence++;
      items.value = [];
      nextCursor.value = null;
      loadError.value = '';
      hasBeenLive = false;
      hasFirstPage = false;
      liveState.value = 'offline';
      if (!id) return;
      void loadFirstPage();
      openStream();
    },
    { immediate: true },
  );

  onScopeDispose(closeStream);

  return { items, nextCursor, isLoading, isLoadingMore, loadError, liveState, loadFirstPage, loadOlder, reconnect, add };
}
