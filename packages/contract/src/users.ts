import { z } from 'zod';
import { LIMITS } from './limits';
import { ZRole } from './roles';
import { ZRegionCode } from './regions';
import { ZPhone, ZRoleAssignment } from './auth';

/** `POST /users` — the admin creates an official. */
export const ZCreateUserRequest = z.object({
  login: z.string().trim().min(2).max(LIMITS.loginMax).regex(/^[A-Za-z0-9_.@-]+$/, 'login: letters, digits, _ . @ - / 登录名只能含字母数字和 _ . @ -'),
  name: z.string().trim().min(1).max(LIMITS.nameMax),
  password: z.string().min(LIMITS.passwordMin).max(LIMITS.passwordMax),
  phone: ZPhone.optional(),
  roles: z.array(z.object({ role: ZRole, regionCode: ZRegionCode })).min(1).max(20),
});
/** Create user request. */
export type TCreateUserRequest = z.infer<typeof ZCreateUserRequest>;

/** `POST /users/{id}/roles`. */
export const ZAssignRoleRequest = z.object({ role: ZRole, regionCode: ZRegionCode });
/** Assign role request. */
export type TAssignRoleRequest = z.infer<typeof ZAssignRoleRequest>;

/** An official as the admin pages list them. */
export const ZUser = z.object({
  id: z.string(),
  login: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['official', 'villager']),
  phoneMasked: z.string().nullable(),
  isActive: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  roles: z.array(ZRoleAssignment),
});
/** User DTO. */
export type TUser = z.infer<typeof ZUser>;

/** `GET /users?q=&region=&role=&cursor=&limit=`. */
export const ZListUsersQuery = z.object({
  q: z.string().trim().max(64).optional(),
  region: ZRegionCode.optional(),
  role: ZRole.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSizeDefault),
});
/** List users query. */
export type TListUsersQuery = z.infer<typeof ZListUsersQuery>;

/** Cursor page of users. */
export const ZUserPage = z.object({ items: z.array(ZUser), nextCursor: z.string().nullable() });
/** Page of users. */
export type TUserPage = z.infer<typeof ZUserPage>;

/** `GET /health`. */
export const ZHealth = z.object({
  status: z.literal('ok'),
  version: z.string(),
  database: z.literal('ok'),
  time: z.string(),
});

/** `PATCH /users/{id}`. */
export const ZUpdateUserRequest = z
  .object({ isActive: z.boolean().optional(), unlock: z.literal(true).optional() })
  .refine((v) => v.isActive !== undefined || v.unlock !== undefined, { message: 'nothing to change / 没有要修改的内容' });
/** Update user request. */
export type TUpdateUserRequest = z.infer<typeof ZUpdateUserRequest>;
