import { IMPORT_LIMITS, ZImportCreated, ZImportJob, ZImportJobPage, ZImportParams, ZImportTemplateQuery, ZListImportsQuery } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { AppError, invalid } from '../../kernel/errors';
import { auditContext, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import * as service from './imports.service';

// Multipart boundaries and part headers around the file.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Routes under /api/v1/imports. */
export function importsRoutes(app: TApp, services: TServices): void {
  app.post('/imports/households', {
    schema: {
      tags: ['imports'],
      summary: '导入户籍（.xlsx / .csv，multipart 文件字段）Import households and members',
      consumes: ['multipart/form-data'],
      response: { 200: ZImportCreated },
    },
  }, async (request) => {
    const actor = requireActor(request);
    // A declared size over the limit is refused before a byte is read; the store's meter catches the rest.
    if (Number(request.headers['content-length'] ?? 0) > IMPORT_LIMITS.maxFileBytes + MULTIPART_OVERHEAD_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', `file exceeds ${IMPORT_LIMITS.maxFileBytes} bytes / 文件超过 ${IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB`);
    }
    const part = await request.file({ limits: { fileSize: IMPORT_LIMITS.maxFileBytes + 1, files: 1, fields: 10, parts: 11 } });
    if (!part) throw invalid('file', '请选择要导入的文件 / choose a file to import');
    return service.createHouseholdImport(services, actor, auditContext(request), { stream: part.file, fileName: part.filename, isTruncated: () => part.file.truncated });
  });

  app.get('/imports/households/template', {
    schema: { tags: ['imports'], summary: '户籍导入模板 Household import template', querystring: ZImportTemplateQuery },
  }, async (request, reply) => {
    const file = await service.getHouseholdTemplate(requireActor(request), request.query.format);
    const ascii = `household-import-template.${request.query.format}`;
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('cache-control', 'private, max-age=300')
      .send(file.body);
  });

  app.get('/imports/:id', {
    schema: { tags: ['imports'], summary: '导入进度与错误 Import job progress and row errors', params: ZImportParams, response: { 200: ZImportJob } },
  }, async (request) => service.getImportJob(services, requireActor(request), request.params.id));

  app.get('/imports', {
    schema: { tags: ['imports'], summary: '我的导入 My recent imports', querystring: ZListImportsQuery, response: { 200: ZImportJobPage } },
  }, async (request) => service.listMyImportJobs(services, requireActor(request), request.query));
}
