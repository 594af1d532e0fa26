import { z } from 'zod';
import { ZAssignRoleRequest, ZCreateUserRequest, ZListUsersQuery, ZUpdateUserRequest, ZUser, ZUserPage } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { auditContext, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import * as service from './users.service';

const ZUserParams = z.object({ id: z.uuid() });

/** Admin routes under /api/v1/users. */
export function usersRoutes(app: TApp, services: TServices): void {
  app.get('/users', {
    schema: { tags: ['users'], summary: '官员账号列表 List officials', querystring: ZListUsersQuery, response: { 200: ZUserPage } },
  }, async (request) => service.listUsers(services, requireActor(request), request.query));

  app.post('/users', {
    schema: { tags: ['users'], summary: '新建官员账号 Create an official', body: ZCreateUserRequest, response: { 200: ZUser } },
  }, async (request) => service.createUser(services, requireActor(request), auditContext(request), request.body));

  app.post('/users/:id/roles', {
    schema: { tags: ['users'], summary: '分配角色 Assign a role', params: ZUserParams, body: ZAssignRoleRequest, response: { 200: ZUser } },
  }, async (request) => service.assignRole(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.delete('/users/:id/roles/:assignmentId', {
    schema: { tags: ['users'], summary: '移除角色 Remove a role', params: ZUserParams.extend({ assignmentId: z.uuid() }), response: { 200: ZUser } },
  }, async (request) => service.removeRole(services, requireActor(request), auditContext(request), request.params.id, request.params.assignmentId));

  app.patch('/users/:id', {
    schema: { tags: ['users'], summary: '启用/停用/解锁 Activate, deactivate, unlock', params: ZUserParams, body: ZUpdateUserRequest, response: { 200: ZUser } },
  }, async (request) => service.updateUserStatus(services, requireActor(request), auditContext(request), request.params.id, request.body));
}
