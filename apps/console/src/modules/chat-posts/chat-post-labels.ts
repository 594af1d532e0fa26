import type { TChatPost, TRole } from '@cunwu/contract';

/** May register what villagers posted in a group (`chat_posts.register`). */
export const CHAT_POST_REGISTER_ROLES: readonly TRole[] = ['group_admin', 'village_cadre'];
/** May read registered posts (`chat_posts.read`). */
export const CHAT_POST_READ_ROLES: readonly TRole[] = ['group_admin', 'village_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer'];

/** Tag colour of each post status. */
export const CHAT_POST_STATUS_TYPES: Record<TChatPost['status'], 'primary' | 'success' | 'info'> = {
  registered: 'primary',
  converted: 'success',
  dismissed: 'info',
};

/** 1.2 MB, 830 KB: file sizes for people. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** A Date as ISO 8601 with the browser's UTC offset (2026-05-16T14:05:00+08:00), as the API asks. */
export function toIsoWithOffset(date: Date): string {
  const pad = (n: number): string => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}
