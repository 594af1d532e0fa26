/**
 * Live updates of the open feed: Server-Sent Events while the page is on screen, polling every 15 s
 * when the stream keeps failing (some proxies and older in-app browsers break long responses).
 * Nothing stays open while the page is hidden or another tab is shown: a phone in a pocket should not
 * hold a connection, and 1.79 million members would hold a lot of them.
 */
import { computed, onScopeDispose, readonly, ref, watch, type Ref } from 'vue';
import type { TFeedItem } from '@cunwu/contract';
import { feedStreamUrl } from './api';
import { parseStreamItem } from './feed-items';

/** Stream errors in a row (without a successful open between) before falling back to polling. */
const STREAM_FAILURES_BEFORE_POLLING = 3;
/** How often the newest page is fetched when the stream is unavailable. */
export const POLL_INTERVAL_MS = 15_000;
/** While polling, try the stream again after this many polls (5 minutes): the network may have changed. */
const POLLS_BEFORE_STREAM_RETRY = 20;
/** A reconnect within this long of the last fetch of the newest page needs no catch-up. */
const FRESH_MS = 5_000;

/** How the feed is kept current right now. */
export type TLiveMode = 'off' | 'connecting' | 'live' | 'polling';

/** Options of the live connection. */
export interface TFeedLiveOptions {
  groupId: Ref<string | null>;
  /** The page is shown and its first page loaded. */
  isEnabled: Ref<boolean>;
  /** A new item arrived on the stream. */
  onItem: (item: TFeedItem) => void;
  /** Fetch the newest page and merge it (after a (re)connect, and on each polling tick). */
  onSync: (options: { ifOlderThanMs?: number }) => Promise<unknown>;
}

/** Keep the feed current while the page is visible; returns the current mode and a manual retry. */
export function useFeedLive(options: TFeedLiveOptions): { mode: Readonly<Ref<TLiveMode>>; retryStream: () => void } {
  const mode = ref<TLiveMode>('off');
  const isDocumentVisible = ref(document.visibilityState !== 'hidden');
  const onVisibilityChange = (): void => {
    isDocumentVisible.value = document.visibilityState !== 'hidden';
  };
  document.addEventListener('visibilitychange', onVisibilityChange);

  let source: EventSource | null = null;
  let pollTimer: number | undefined;
  let pollsSinceStreamTry = 0;

  function sync(ifOlderThanMs?: number): void {
    // Failures are not shown: the next tick or reconnect tries again, and pull to refresh reports them.
    options.onSync(ifOlderThanMs === undefined ? {} : { ifOlderThanMs }).catch(() => undefined);
  }

  function closeStream(): void {
    source?.close();
    source = null;
  }

  function stopPolling(): void {
    window.clearInterval(pollTimer);
    pollTimer = undefined;
  }

  function stop(): void {
    closeStream();
    stopPolling();
    mode.value = 'off';
  }

  function startPolling(groupId: string): void {
    mode.value = 'polling';
    if (pollTimer !== undefined) return;
    pollsSinceStreamTry = 0;
    sync(FRESH_MS);
    pollTimer = window.setInterval(() => {
      sync();
      if (++pollsSinceStreamTry >= POLLS_BEFORE_STREAM_RETRY && source === null) {
        pollsSinceStreamTry = 0;
        openStream(groupId);
      }
    }, POLL_INTERVAL_MS);
  }

  function openStream(groupId: string): void {
    closeStream();
    if (typeof EventSource === 'undefined') {
      startPolling(groupId);
      return;
    }
    // While polling, a retried stream replaces polling only once it is open.
    if (mode.value !== 'polling') mode.value = 'connecting';
    const stream = new EventSource(feedStreamUrl(groupId));
    source = stream;
    let failures = 0;
    stream.addEventListener('open', () => {
      if (source !== stream) return;
      failures = 0;
      stopPolling();
      mode.value = 'live';
      // Items posted while no stream was open (first open, or back from the background) are fetched
      // once; the browser's own reconnects also send Last-Event-ID, and duplicates are dropped by id.
      sync(FRESH_MS);
    });
    stream.addEventListener('message', (event: MessageEvent) => {
      if (source !== stream) return;
      const item = parseStreamItem(event.data);
      if (item !== null && item.groupId === groupId) options.onItem(item);
    });
    stream.addEventListener('error', () => {
      if (source !== stream) return;
      failures++;
      // CLOSED: the browser gave up (an error status or not an event stream); otherwise it retries
      // by itself, and after a few failures in a row polling takes over.
      if (stream.readyState === EventSource.CLOSED || failures >= STREAM_FAILURES_BEFORE_POLLING) {
        closeStream();
        startPolling(groupId);
      } else if (mode.value !== 'polling') {
        mode.value = 'connecting';
      }
    });
  }

  const target = computed(() => (options.isEnabled.value && isDocumentVisible.value ? options.groupId.value : null));
  watch(
    target,
    (groupId) => {
      stop();
      if (groupId !== null) openStream(groupId);
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    document.removeEventListener('visibilitychange', onVisibilityChange);
    stop();
  });

  /** Pull to refresh: if polling, give the stream another chance now. */
  function retryStream(): void {
    const groupId = target.value;
    if (groupId !== null && mode.value === 'polling' && source === null) openStream(groupId);
  }

  return { mode: readonly(mode), retryStream };
}
