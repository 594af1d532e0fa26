import { ZRegion, ZRegionChildren, ZRegionImportRequest, ZRegionImportResult, ZRegionParams } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { auditContext, optionalActor, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import * as service from './regions.service';

/** Routes under /api/v1/regions. */
export function regionsRoutes(app: TApp, services: TServices): void {
  app.get('/regions/:code', {
    schema: { tags: ['regions'], summary: '区划详情 Region with counts', params: ZRegionParams, response: { 200: ZRegion } },
  }, async (request) => service.getRegion(services, optionalActor(request), request.params.code));

  app.get('/regions/:code/children', {
    schema: { tags: ['regions'], summary: '下级区划 Child regions with counts', params: ZRegionParams, response: { 200: ZRegionChildren } },
  }, async (request) => service.getChildren(services, optionalActor(request), request.params.code));

  app.post('/regions/import', {
    bodyLimit: 10 * 1024 * 1024,
    schema: { tags: ['regions'], summary: '导入区划 Import regions (admin)', body: ZRegionImportRequest, response: { 200: ZRegionImportResult } },
  }, async (request) => service.importRegionsAsAdmin(services, requireActor(request), auditContext(request), request.body.rows));
}
