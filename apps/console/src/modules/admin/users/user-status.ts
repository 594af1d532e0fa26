import type { TUser } from '@cunwu/contract';

/** What the status tag shows: a lockout wins over the active flag because it blocks login now. */
export type TUserStatus = 'active' | 'inactive' | 'locked';

/** Whether the user's login is locked at this moment. */
export function isLocked(user: TUser, now: number = Date.now()): boolean {
  return !!user.lockedUntil && Date.parse(user.lockedUntil) > now;
}

/** The status to display for a user. */
export function userStatus(user: TUser, now: number = Date.now()): TUserStatus {
  if (isLocked(user, now)) return 'locked';
  return user.isActive ? 'active' : 'inactive';
}
