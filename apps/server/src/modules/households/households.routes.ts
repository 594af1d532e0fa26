import { z } from 'zod';
import {
  ZChildCoverage, ZCoverage, ZCreateHouseholdRequest, ZCreateMemberRequest, ZDeactivateRequest, ZHousehold, ZHouseholdPage,
  ZListHouseholdsQuery, ZMember, ZMoveMemberRequest, ZRegionParams, ZRevealedPhone, ZUpdateHouseholdRequest, ZUpdateMemberRequest,
} from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { auditContext, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import * as service from './households.service';

const ZIdParams = z.object({ id: z.uuid() });

/** Routes for households (户), members (村民) and coverage. */
export function householdsRoutes(app: TApp, services: TServices): void {
  app.get('/households', {
    schema: { tags: ['households'], summary: '户籍列表 Households of a region', querystring: ZListHouseholdsQuery, response: { 200: ZHouseholdPage } },
  }, async (request) => service.listHouseholds(services, requireActor(request), request.query));

  app.get('/households/:id', {
    schema: { tags: ['households'], summary: '户详情 Household', params: ZIdParams, response: { 200: ZHousehold } },
  }, async (request) => service.getHousehold(services, requireActor(request), request.params.id));

  app.post('/households', {
    schema: { tags: ['households'], summary: '新增户 Add a household', body: ZCreateHouseholdRequest, response: { 200: ZHousehold } },
  }, async (request) => service.createHousehold(services, requireActor(request), auditContext(request), request.body));

  app.patch('/households/:id', {
    schema: { tags: ['households'], summary: '修改户 Edit a household', params: ZIdParams, body: ZUpdateHouseholdRequest, response: { 200: ZHousehold } },
  }, async (request) => service.updateHousehold(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.post('/households/:id/deactivate', {
    schema: { tags: ['households'], summary: '停用户 Deactivate a household', params: ZIdParams, body: ZDeactivateRequest, response: { 200: ZHousehold } },
  }, async (request) => service.deactivateHousehold(services, requireActor(request), auditContext(request), request.params.id, request.body.reason));

  app.post('/members', {
    schema: { tags: ['households'], summary: '新增村民 Add a member', body: ZCreateMemberRequest, response: { 200: ZMember } },
  }, async (request) => service.createMember(services, requireActor(request), auditContext(request), request.body));

  app.patch('/members/:id', {
    schema: { tags: ['households'], summary: '修改村民 Edit a member', params: ZIdParams, body: ZUpdateMemberRequest, response: { 200: ZMember } },
  }, async (request) => service.updateMember(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.post('/members/:id/move', {
    schema: { tags: ['households'], summary: '迁户 Move to another household', params: ZIdParams, body: ZMoveMemberRequest, response: { 200: ZMember } },
  }, async (request) => service.moveMember(services, requireActor(request), auditContext(request), request.params.id, request.body.householdId));

  app.post('/members/:id/deactivate', {
    schema: { tags: ['households'], summary: '停用村民 Deactivate a member', params: ZIdParams, body: ZDeactivateRequest, response: { 200: ZMember } },
  }, async (request) => service.deactivateMember(services, requireActor(request), auditContext(request), request.params.id, request.body.reason));

  app.post('/members/:id/reveal-phone', {
    schema: { tags: ['households'], summary: '查看完整手机号（留痕） Reveal the full phone (audited)', params: ZIdParams, response: { 200: ZRevealedPhone } },
  }, async (request) => service.revealPhone(services, requireActor(request), auditContext(request), request.params.id));

  app.get('/regions/:code/coverage', {
    schema: { tags: ['households'], summary: '入群覆盖率 Coverage of a region', params: ZRegionParams, response: { 200: ZCoverage } },
  }, async (request) => service.getCoverage(services, requireActor(request), request.params.code));

  app.get('/regions/:code/coverage/children', {
    schema: { tags: ['households'], summary: '下级入群覆盖率 Coverage of each child region', params: ZRegionParams, response: { 200: ZChildCoverage } },
  }, async (request) => service.getChildCoverage(services, requireActor(request), request.params.code));
}
