import { isScopeAllowedForRole, ROLE_SCOPE_LEVELS, type TAssignRoleRequest, type TCreateUserRequest, type TListUsersQuery, type TUser, type TUserPage } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { decodeTimeCursor, encodeTimeCursor } from '../../kernel/cursor';
import { hashPassword } from '../../kernel/auth';
import type { TTx } from '../../kernel/db';
import { AppError, type TFieldError } from '../../kernel/errors';
import { authorize, isInScope, type TActor, type TScope } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { presentUser } from './users.present';
import * as repo from './users.repo';



/** Check each requested role fits its region level, the region exists and lies in the admin's scope. */
async function checkRoles(tx: TTx, scope: TScope, roles: { role: TCreateUserRequest['roles'][number]['role']; regionCode: string }[]): Promise<void> {
  const errors: TFieldError[] = [];
  roles.forEach((r, i) => {
    if (!isScopeAllowedForRole(r.role, r.regionCode)) errors.push({ field: `roles.${i}.regionCode`, reason: `${r.role} must be scoped to ${ROLE_SCOPE_LEVELS[r.role].join('/')} / 该角色须对应 ${ROLE_SCOPE_LEVELS[r.role].join('/')} 级区划` });
    else if (!isInScope(scope, r.regionCode)) errors.push({ field: `roles.${i}.regionCode`, reason: 'outside your scope / 超出您的管辖范围' });
  });
  const missing = await repo.findMissingRegions(tx, [...new Set(roles.map((r) => r.regionCode))]);
  roles.forEach((r, i) => {
    if (missing.includes(r.regionCode)) errors.push({ field: `roles.${i}.regionCode`, reason: `region ${r.regionCode} does not exist / 区划不存在` });
  });
  if (errors.length) throw new AppError('VALIDATION_FAILED', errors.map((e) => e.reason).join('; '), errors);
}

const toCreatedAt = (c: { at: string; id: string }) => ({ createdAt: c.at, id: c.id });

/** Page through officials in the admin's scope. */
export async function listUsers(services: TServices, actor: TActor, query: TListUsersQuery): Promise<TUserPage> {
  const scope = authorize(actor, 'users.manage');
  const rows = await repo.findUsers(services.db, scope, { q: query.q, region: query.region, role: query.role, after: query.cursor ? toCreatedAt(decodeTimeCursor(query.cursor)) : undefined, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return { items: page.map(presentUser), nextCursor: rows.length > query.limit ? encodeTimeCursor({ at: page[page.length - 1]!.createdAt, id: page[page.length - 1]!.id }) : null };
}

async function loadInScope(tx: TTx, scope: TScope, id: string): Promise<NonNullable<Awaited<ReturnType<typeof repo.findUser>>>> {
  const row = await repo.findUser(tx, id);
  // Users with no role yet are visible to every admin; otherwise one role must lie in scope.
  if (!row || row.kind !== 'official' || (row.roles.length > 0 && !row.roles.some((r) => isInScope(scope, r.regionCode)))) throw new AppError('NOT_FOUND', `user ${id}`);
  return row;
}

/** Create an official with roles. */
export async function createUser(services: TServices, actor: TActor | null, ctx: TAuditContext, input: TCreateUserRequest, options: { departmentId?: string | null } = {}): Promise<TUser> {
  const scope = actor ? authorize(actor, 'users.manage') : { prefixes: [''] }; // null actor = operator CLI
  const passwordHash = await hashPassword(input.password);
  return services.db.transaction().execute(async (tx) => {
    await checkRoles(tx, scope, input.roles);
    const id = await repo.insertOfficial(tx, { login: input.login.toLowerCase(), name: input.name, phone: input.phone ?? null, passwordHash, departmentId: options.departmentId ?? null });
    for (const r of input.roles) await repo.insertRole(tx, id, r.role, r.regionCode);
    await recordAudit(tx, ctx, { action: 'users.create', entityType: 'user', entityId: id, regionCode: input.roles[0]?.regionCode, details: { login: input.login.toLowerCase(), roles: input.roles } });
    return presentUser((await repo.findUser(tx, id))!);
  });
}

/** Add a role to an official. */
export async function assignRole(services: TServices, actor: TActor, ctx: TAuditContext, userId: string, input: TAssignRoleRequest): Promise<TUser> {
  const scope = authorize(actor, 'users.manage');
  return services.db.transaction().execute(async (tx) => {
    await loadInScope(tx, scope, userId);
    await checkRoles(tx, scope, [input]);
    await repo.insertRole(tx, userId, input.role, input.regionCode);
    await recordAudit(tx, ctx, { action: 'users.assign_role', entityType: 'user', entityId: userId, regionCode: input.regionCode, details: { ...input } });
    return presentUser((await repo.findUser(tx, userId))!);
  });
}

/** Remove a role from an official. */
export async function removeRole(services: TServices, actor: TActor, ctx: TAuditContext, userId: string, assignmentId: string): Promise<TUser> {
  const scope = authorize(actor, 'users.manage');
  return services.db.transaction().execute(async (tx) => {
    const user = await loadInScope(tx, scope, userId);
    const target = user.roles.find((r) => r.id === assignmentId);
    if (!target || !isInScope(scope, target.regionCode)) throw new AppError('NOT_FOUND', `role ${assignmentId}`);
    if (userId === actor.userId && target.role === 'admin') throw new AppError('CONFLICT', 'you cannot remove your own admin role / 不能移除自己的管理员角色');
    await repo.deleteRole(tx, userId, assignmentId);
    await recordAudit(tx, ctx, { action: 'users.remove_role', entityType: 'user', entityId: userId, regionCode: target.regionCode, details: { role: target.role } });
    return presentUser((await repo.findUser(tx, userId))!);
  });
}

/** Activate, deactivate or unlock an official. */
export async function updateUserStatus(services: TServices, actor: TActor, ctx: TAuditContext, userId: string, changes: { isActive?: boolean; unlock?: boolean }): Promise<TUser> {
  const scope = authorize(actor, 'users.manage');
  return services.db.transaction().execute(async (tx) => {
    await loadInScope(tx, scope, userId);
    if (userId === actor.userId && changes.isActive === false) throw new AppError('CONFLICT', 'you cannot deactivate yourself / 不能停用自己');
    await repo.updateUserStatus(tx, userId, changes);
    await recordAudit(tx, ctx, { action: 'users.update_status', entityType: 'user', entityId: userId, details: { ...changes } });
    return presentUser((await repo.findUser(tx, userId))!);
  });
}
