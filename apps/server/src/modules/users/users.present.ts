import { maskPhone, type TUser } from '@cunwu/contract';
import type { TUserRow } from './users.repo';

/** A user for the admin pages: phone masked, no hashes. */
export function presentUser(row: TUserRow): TUser {
  return {
    id: row.id,
    login: row.login,
    name: row.name,
    kind: row.kind === 'villager' ? 'villager' : 'official',
    phoneMasked: row.phone ? maskPhone(row.phone) : null,
    isActive: row.isActive,
    lockedUntil: row.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    roles: row.roles,
  };
}
