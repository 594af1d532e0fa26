import { maskName, type TFeedItem } from '@cunwu/contract';
import type { TFeedRow, TMyGroupRow } from './feed.repo';

/** Who is looking at a feed: villagers see other people's names masked. */
export interface TFeedViewer {
  userId: string;
  isVillager: boolean;
}

/** One feed item for a viewer. */
export function presentFeedItem(row: TFeedRow, viewer: TFeedViewer): TFeedItem {
  const isMine = row.authorUserId !== null && row.authorUserId === viewer.userId;
  return {
    id: row.id,
    groupId: row.groupId,
    kind: row.kind,
    topic: row.topic,
    title: row.title,
    body: row.body,
    link: row.link,
    authorName: row.authorName === null ? null : viewer.isVillager && !isMine && !row.authorIsOfficial ? maskName(row.authorName) : row.authorName,
    isMine,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A group in "my groups" (never whether or where its robot webhook points). */
export function presentMyGroup(row: TMyGroupRow): { id: string; name: string; regionCode: string; villageName: string; platform: string } {
  return { id: row.id, name: row.name, regionCode: row.regionCode, villageName: row.villageName, platform: row.platform };
}
