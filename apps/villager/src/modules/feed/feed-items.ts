/** Pure helpers of the group feed: ordering, stream payloads, notice topics, notice links. */
import type { TFeedItem } from '@cunwu/contract';

/** Newer-than-this gaps between items get their own time line (as WeChat does). */
export const TIME_GAP_MS = 5 * 60_000;

function timeOf(item: TFeedItem): number {
  const time = Date.parse(item.createdAt);
  return Number.isNaN(time) ? 0 : time;
}

/** Items of both lists once each (by id; the later list wins), oldest first. */
export function mergeItems(current: readonly TFeedItem[], incoming: readonly TFeedItem[]): TFeedItem[] {
  const byId = new Map<string, TFeedItem>();
  for (const item of current) byId.set(item.id, item);
  for (const item of incoming) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => timeOf(a) - timeOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Whether a value parsed from the stream looks like a feed item (the stream is not trusted blindly). */
export function isFeedItem(value: unknown): value is TFeedItem {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.groupId === 'string' &&
    (v.kind === 'notice' || v.kind === 'message') &&
    typeof v.body === 'string' &&
    typeof v.createdAt === 'string' &&
    typeof v.isMine === 'boolean'
  );
}

/** A stream event's data as a feed item, or null when it is not one. */
export function parseStreamItem(data: unknown): TFeedItem | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    return isFeedItem(value) ? value : null;
  } catch {
    return null;
  }
}

/** The families of notice topics the app labels (公开/会议/调查/账本/诉求/通知). */
export type TTopicKind = 'disclosure' | 'meeting' | 'survey' | 'ledger' | 'appeal' | 'notice';

/** Label, icon and colour of each topic family. */
export const TOPIC_STYLES: Record<TTopicKind, { icon: string; color: string; background: string }> = {
  disclosure: { icon: 'notes-o', color: '#1553a0', background: '#e8f1fc' },
  meeting: { icon: 'video-o', color: '#8a4100', background: '#fff1e0' },
  survey: { icon: 'todo-list-o', color: '#6a2c91', background: '#f4ebfa' },
  ledger: { icon: 'shield-o', color: '#17703a', background: '#e6f4ea' },
  appeal: { icon: 'comment-o', color: '#8a2b4f', background: '#fbeaf1' },
  notice: { icon: 'volume-o', color: '#00695c', background: '#e0f2ef' },
};

/** 'disclosure.published' → 'disclosure'; unknown or missing topics are plain notices. */
export function topicKindOf(topic: string | null): TTopicKind {
  const family = topic?.split('.')[0];
  return family === 'disclosure' || family === 'meeting' || family === 'survey' || family === 'ledger' || family === 'appeal' ? family : 'notice';
}

const TOPIC_HINT_KEYS: Record<string, string> = {
  'disclosure.published': 'disclosurePublished',
  'meeting.started': 'meetingStarted',
  'survey.opened': 'surveyOpened',
  'ledger.checkpoint': 'ledgerCheckpoint',
  'appeal.update': 'appealUpdate',
  'platform.notice': 'platformNotice',
};

/** i18n key of the short line that says what happened (hidden in elder mode). */
export function topicHintKey(topic: string | null): string {
  return `feed.topicHints.${(topic !== null && TOPIC_HINT_KEYS[topic]) || topicKindOf(topic)}`;
}

/** Where a notice's link leads: a page of this app, or a web address opened as such. */
export type TNoticeLink = { kind: 'internal'; path: string } | { kind: 'external'; href: string };

/**
 * Read a notice link. Paths and same-site addresses open inside the app (`/ledger`); other http(s)
 * addresses open as links; anything else (`javascript:` and the like) is not shown at all.
 */
export function readNoticeLink(link: string | null, origin: string = window.location.origin): TNoticeLink | null {
  if (!link) return null;
  let url: URL;
  try {
    url = new URL(link, origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // The officials' console is another app on the same site: a full page load, not a route here.
  if (url.origin === origin && !url.pathname.startsWith('/console')) return { kind: 'internal', path: url.pathname + url.search + url.hash };
  return { kind: 'external', href: url.href };
}

/** First character of a (masked) name for the round avatar: 夏** → 夏. */
export function avatarCharOf(name: string | null): string {
  return Array.from(name ?? '')[0] ?? '';
}
