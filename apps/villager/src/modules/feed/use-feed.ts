/** One group's feed: pages, live additions, and messages sent from this phone (shown before the server confirms). */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { TFeedItem, TFeedPage } from '@cunwu/contract';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { fetchFeedPage, postFeedMessage } from './api';
import { mergeItems } from './feed-items';

/** A message sent from this phone that the server has not confirmed yet. */
export interface TPendingMessage {
  localId: string;
  body: string;
  createdAt: string;
}

/** What a catch-up with the newest page changed. */
export interface TSyncResult {
  /** Items that were not shown before. */
  added: TFeedItem[];
  /** The gap since the last look was larger than a page: the list now starts over from the newest page. */
  isReset: boolean;
}

/** Outcome of sending one message. */
export type TSendResult = { ok: true } | { ok: false; message: string };

const NOTHING_NEW: TSyncResult = { added: [], isReset: false };

/** Not a member (any more), or the group is gone: the server answers 403 or 404. */
function isNotMember(error: unknown): boolean {
  return isApiError(error) && (error.status === 403 || error.status === 404);
}

function messageOf(error: unknown): string {
  if (!isApiError(error)) return i18n.global.t('common.unknownError');
  return error.fieldErrors[0]?.reason ?? error.message;
}

/** Feed state of the group `groupId` points at; the page calls `load` when the group changes. */
export function useFeed(groupId: Ref<string | null>): {
  /** Confirmed items, oldest first (the page shows the newest at the bottom). */
  items: ShallowRef<TFeedItem[]>;
  pending: ShallowRef<TPendingMessage[]>;
  isLoading: Ref<boolean>;
  hasLoaded: Ref<boolean>;
  errorMessage: Ref<string>;
  hasEarlier: Ref<boolean>;
  isLoadingEarlier: Ref<boolean>;
  earlierErrorMessage: Ref<string>;
  load: () => Promise<void>;
  loadEarlier: () => Promise<void>;
  syncLatest: (options?: { ifOlderThanMs?: number }) => Promise<TSyncResult>;
  receive: (item: TFeedItem) => boolean;
  send: (body: string) => Promise<TSendResult>;
} {
  const items = shallowRef<TFeedItem[]>([]);
  const pending = shallowRef<TPendingMessage[]>([]);
  const olderCursor = ref<string | null>(null);
  const hasEarlier = ref(false);
  const isLoading = ref(false);
  const hasLoaded = ref(false);
  const errorMessage = ref('');
  const isLoadingEarlier = ref(false);
  const earlierErrorMessage = ref('');
  /** Bumped whenever the list starts over, so answers about the old list are dropped. */
  let epoch = 0;
  let lastSyncAt = 0;
  let syncInFlight: Promise<TSyncResult> | null = null;
  let localSeq = 0;

  function startFrom(page: TFeedPage): void {
    items.value = mergeItems([], page.items);
    olderCursor.value = page.nextCursor;
    hasEarlier.value = page.nextCursor !== null;
  }

  /** Open the group: its newest page. */
  async function load(): Promise<void> {
    const id = groupId.value;
    const current = ++epoch;
    items.value = [];
    pending.value = [];
    olderCursor.value = null;
    hasEarlier.value = false;
    hasLoaded.value = false;
    errorMessage.value = '';
    earlierErrorMessage.value = '';
    if (id === null) {
      isLoading.value = false;
      return;
    }
    isLoading.value = true;
    try {
      lastSyncAt = Date.now();
      const page = await fetchFeedPage(id);
      if (current !== epoch) return;
      startFrom(page);
      hasLoaded.value = true;
    } catch (error) {
      if (current === epoch) errorMessage.value = isNotMember(error) ? i18n.global.t('feed.errors.notMemberRead') : messageOf(error);
    } finally {
      if (current === epoch) isLoading.value = false;
    }
  }

  /** Put the next older page above the items shown. */
  async function loadEarlier(): Promise<void> {
    const id = groupId.value;
    if (id === null || isLoadingEarlier.value || olderCursor.value === null) return;
    const current = epoch;
    isLoadingEarlier.value = true;
    earlierErrorMessage.value = '';
    try {
      const page = await fetchFeedPage(id, { before: olderCursor.value });
      if (current !== epoch) return;
      items.value = mergeItems(page.items, items.value);
      olderCursor.value = page.nextCursor;
      hasEarlier.value = page.nextCursor !== null;
    } catch (error) {
      if (current === epoch) earlierErrorMessage.value = messageOf(error);
    } finally {
      isLoadingEarlier.value = false;
    }
  }

  function mergeLatest(page: TFeedPage): TSyncResult {
    const known = new Set(items.value.map((item) => item.id));
    const added = page.items.filter((item) => !known.has(item.id));
    if (added.length === 0) return NOTHING_NEW;
    // No overlap with what is shown and more pages behind: items in between are unknown, so the
    // list starts over rather than showing a silent hole.
    if (added.length === page.items.length && page.nextCursor !== null && items.value.length > 0) {
      epoch++;
      startFrom(page);
      return { added, isReset: true };
    }
    items.value = mergeItems(items.value, added);
    if (items.value.length === added.length) {
      olderCursor.value = page.nextCursor;
      hasEarlier.value = page.nextCursor !== null;
    }
    dropConfirmedPending(added);
    return { added, isReset: false };
  }

  /**
   * Catch up with the newest page (stream reconnected, polling tick, pull to refresh). With
   * `ifOlderThanMs`, skipped when the newest page was fetched that recently. Rejects with ApiError.
   */
  function syncLatest(options: { ifOlderThanMs?: number } = {}): Promise<TSyncResult> {
    const id = groupId.value;
    if (id === null || !hasLoaded.value) return Promise.resolve(NOTHING_NEW);
    if (options.ifOlderThanMs !== undefined && Date.now() - lastSyncAt < options.ifOlderThanMs) return Promise.resolve(NOTHING_NEW);
    if (syncInFlight !== null) return syncInFlight;
    const current = epoch;
    lastSyncAt = Date.now();
    const request = fetchFeedPage(id)
      .then((page) => (current === epoch && groupId.value === id ? mergeLatest(page) : NOTHING_NEW))
      .finally(() => {
        syncInFlight = null;
      });
    syncInFlight = request;
    return request;
  }

  /** My own messages coming back (stream or page) replace their greyed copies. */
  function dropConfirmedPending(arrived: readonly TFeedItem[]): void {
    let rest = pending.value;
    for (const item of arrived) {
      if (!item.isMine) continue;
      const index = rest.findIndex((p) => p.body === item.body);
      if (index >= 0) rest = rest.filter((_, i) => i !== index);
    }
    if (rest !== pending.value) pending.value = rest;
  }

  /** Add one item from the live stream; false when it was already shown or is for another group. */
  function receive(item: TFeedItem): boolean {
    if (item.groupId !== groupId.value || !hasLoaded.value) return false;
    if (items.value.some((shown) => shown.id === item.id)) return false;
    items.value = mergeItems(items.value, [item]);
    dropConfirmedPending([item]);
    return true;
  }

  /** Show the message at once, then replace it with the server's item (or take it back on failure). */
  async function send(body: string): Promise<TSendResult> {
    const id = groupId.value;
    const text = body.trim();
    if (id === null || text === '') return { ok: true };
    const localId = `local-${++localSeq}`;
    pending.value = [...pending.value, { localId, body: text, createdAt: new Date().toISOString() }];
    const dropPending = (): void => {
      pending.value = pending.value.filter((p) => p.localId !== localId);
    };
    try {
      const item = await postFeedMessage(id, text);
      if (groupId.value !== id) return { ok: true };
      dropPending();
      if (!items.value.some((shown) => shown.id === item.id)) items.value = mergeItems(items.value, [item]);
      return { ok: true };
    } catch (error) {
      dropPending();
      return { ok: false, message: isNotMember(error) ? i18n.global.t('feed.errors.notMemberSend') : messageOf(error) };
    }
  }

  return {
    items,
    pending,
    isLoading,
    hasLoaded,
    errorMessage,
    hasEarlier,
    isLoadingEarlier,
    earlierErrorMessage,
    load,
    loadEarlier,
    syncLatest,
    receive,
    send,
  };
}
