import { z } from 'zod';
import { ZAddGroupMembersRequest, ZAddGroupMembersResult, ZCreateGroupRequest, ZGroup, ZGroupMemberPage, ZGroupMembersQuery, ZListGroupsQuery, ZUpdateGroupRequest } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { auditContext, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import * as service from './groups.service';

const ZIdParams = z.object({ id: z.uuid() });

/** Routes for supervision groups (微信监督群). */
export function groupsRoutes(app: TApp, services: TServices): void {
  app.get('/groups', {
    schema: { tags: ['groups'], summary: '监督群列表 Groups of a region', querystring: ZListGroupsQuery, response: { 200: z.array(ZGroup) } },
  }, async (request) => service.listGroups(services, requireActor(request), request.query.region));

  app.get('/groups/:id', {
    schema: { tags: ['groups'], summary: '监督群 Group', params: ZIdParams, response: { 200: ZGroup } },
  }, async (request) => service.getGroup(services, requireActor(request), request.params.id));

  app.post('/groups', {
    schema: { tags: ['groups'], summary: '新建监督群 Create a group', body: ZCreateGroupRequest, response: { 200: ZGroup } },
  }, async (request) => service.createGroup(services, requireActor(request), auditContext(request), request.body));

  app.patch('/groups/:id', {
    schema: { tags: ['groups'], summary: '修改监督群 Edit a group', params: ZIdParams, body: ZUpdateGroupRequest, response: { 200: ZGroup } },
  }, async (request) => service.updateGroup(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.get('/groups/:id/members', {
    schema: { tags: ['groups'], summary: '群成员 Members of a group', params: ZIdParams, querystring: ZGroupMembersQuery, response: { 200: ZGroupMemberPage } },
  }, async (request) => service.listGroupMembers(services, requireActor(request), request.params.id, request.query.after, request.query.limit));

  app.post('/groups/:id/members', {
    schema: { tags: ['groups'], summary: '拉人入群 Add members', params: ZIdParams, body: ZAddGroupMembersRequest, response: { 200: ZAddGroupMembersResult } },
  }, async (request) => service.addGroupMembers(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.delete('/groups/:id/members/:memberId', {
    schema: { tags: ['groups'], summary: '移出群 Remove a member', params: ZIdParams.extend({ memberId: z.uuid() }), response: { 200: ZGroup } },
  }, async (request) => service.removeGroupMember(services, requireActor(request), auditContext(request), request.params.id, request.params.memberId));
}
