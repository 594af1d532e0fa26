import type { TAssignRoleRequest, TCreateUserRequest, TListUsersQuery, TUpdateUserRequest, TUser, TUserPage } from '@cunwu/contract';
import { http } from '@/api/http';

/** `GET /users`: one cursor page of users matching the filters (admin only). */
export function findUsers(query: Partial<TListUsersQuery>, signal?: AbortSignal): Promise<TUserPage> {
  return http.get<TUserPage>('/users', { ...query }, { signal });
}

/** `POST /users`: create an official with at least one role. */
export function createUser(body: TCreateUserRequest): Promise<TUser> {
  return http.post<TUser>('/users', body);
}

/** `POST /users/{id}/roles`: add a role assignment. */
export function assignRole(userId: string, body: TAssignRoleRequest): Promise<TUser> {
  return http.post<TUser>(`/users/${encodeURIComponent(userId)}/roles`, body);
}

/** `DELETE /users/{id}/roles/{assignmentId}`: remove a role assignment. */
export function removeRole(userId: string, assignmentId: string): Promise<TUser> {
  return http.delete<TUser>(`/users/${encodeURIComponent(userId)}/roles/${encodeURIComponent(assignmentId)}`);
}

/** `PATCH /users/{id}`: activate, deactivate or unlock. */
export function updateUser(userId: string, body: TUpdateUserRequest): Promise<TUser> {
  return http.patch<TUser>(`/users/${encodeURIComponent(userId)}`, body);
}
