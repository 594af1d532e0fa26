import type { TChatPost } from '@cunwu/contract';
import type { TChatPostRow } from './chat-posts.repo';

/** A chat post for officials; files are served through the post so the post's scope applies. */
export function presentChatPost(row: TChatPostRow): TChatPost {
  return {
    id: row.id,
    regionCode: row.regionCode,
    groupId: row.groupId,
    groupName: row.groupName,
    authorName: row.authorName,
    authorMemberId: row.authorMemberId,
    postedAt: new Date(row.postedAt).toISOString(),
    originalText: row.originalText,
    editedText: row.editedText,
    status: row.status,
    convertedRef: row.convertedRef,
    registeredBy: { id: row.registeredById, name: row.registeredByName },
    files: row.files.map((f) => ({ ...f, url: `/api/v1/chat-posts/${row.id}/files/${f.sha256}` })),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
