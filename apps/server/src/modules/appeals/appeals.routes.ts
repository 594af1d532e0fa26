import type { MultipartFile } from '@fastify/multipart';
import { z } from 'zod';
import {
  APPEAL_LIMITS, IMAGE_MIME_TYPES, VOICE_MIME_TYPES, ZAppeal, ZAppealActionRequest, ZAppealCategory, ZAppealFeedbackRequest, ZAppealPage, ZAppealStats,
  ZAppealStatsQuery, ZDepartment, ZListAppealsQuery, ZRegionCode, ZSubmitAppealRequest, ZSubmitAppealResponse,
} from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { AppError, invalid } from '../../kernel/errors';
import { auditContext, optionalActor, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import { storeUpload } from '../../kernel/uploads';
import { statsWorkbook } from './appeals.export';
import * as service from './appeals.service';

const ZIdParams = z.object({ id: z.uuid() });
const ZIdempotencyHeaders = z.object({ 'idempotency-key': z.string().trim().min(8).max(100).regex(/^[\w.:-]+$/).optional() }).loose();

/** Routes for appeals (群众诉求). */
export function appealsRoutes(app: TApp, services: TServices): void {
  app.get('/appeals/categories', {
    schema: { tags: ['appeals'], summary: '诉求分类 Categories (also the Open311 service codes)', response: { 200: z.array(ZAppealCategory) } },
  }, async () => service.listCategories(services));

  app.get('/departments', {
    schema: { tags: ['appeals'], summary: '职能部门 Departments of a region and above', querystring: z.object({ region: ZRegionCode }), response: { 200: z.array(ZDepartment) } },
  }, async (request) => {
    requireActor(request);
    return service.listDepartments(services, request.query.region);
  });

  app.post('/appeals', {
    schema: { tags: ['appeals'], summary: '提交诉求 Submit an appeal (Idempotency-Key header recommended)', headers: ZIdempotencyHeaders, body: ZSubmitAppealRequest, response: { 200: ZSubmitAppealResponse } },
  }, async (request) => service.submitAppeal(services, requireActor(request), auditContext(request), request.body, { idempotencyKey: request.headers['idempotency-key'], raw: request.body }));

  app.get('/appeals', {
    schema: { tags: ['appeals'], summary: '诉求列表 Appeals (worklist, mine, public, region)', querystring: ZListAppealsQuery, response: { 200: ZAppealPage } },
  }, async (request) => service.listAppeals(services, requireActor(request), request.query));

  app.get('/appeals/stats', {
    schema: { tags: ['appeals'], summary: '诉求统计 Statistics of a region', querystring: ZAppealStatsQuery, response: { 200: ZAppealStats } },
  }, async (request) => service.appealStats(services, requireActor(request), request.query));

  app.get('/appeals/stats/export', {
    schema: { tags: ['appeals'], summary: '导出统计 Excel Statistics as an .xlsx workbook', querystring: ZAppealStatsQuery },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const stats = await service.appealStats(services, actor, request.query);
    const body = await statsWorkbook(stats, await service.regionName(services, request.query.region));
    const file = `appeal-stats-${request.query.region}-${stats.from}-${stats.to}.xlsx`;
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`诉求统计-${stats.from}-${stats.to}.xlsx`)}`)
      .send(body);
  });

  app.get('/appeals/:id', {
    schema: { tags: ['appeals'], summary: '诉求详情与办理过程 An appeal with its timeline', params: ZIdParams, response: { 200: ZAppeal } },
  }, async (request) => service.getAppeal(services, optionalActor(request), request.params.id));

  app.get('/appeals/:id/similar', {
    schema: { tags: ['appeals'], summary: '相似诉求（分拣、合并） Similar open appeals of the village', params: ZIdParams, response: { 200: ZSubmitAppealResponse.shape.similar } },
  }, async (request) => service.similarAppeals(services, requireActor(request), request.params.id));

  app.post('/appeals/:id/actions', {
    schema: { tags: ['appeals'], summary: '办理 Act on an appeal', params: ZIdParams, body: ZAppealActionRequest, response: { 200: ZAppeal } },
  }, async (request) => service.actOnAppeal(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.post('/appeals/:id/follow', {
    schema: { tags: ['appeals'], summary: '关注 Follow an appeal', params: ZIdParams, response: { 200: ZAppeal } },
  }, async (request) => service.setFollowing(services, requireActor(request), auditContext(request), request.params.id, true));

  app.delete('/appeals/:id/follow', {
    schema: { tags: ['appeals'], summary: '取消关注 Stop following', params: ZIdParams, response: { 200: ZAppeal } },
  }, async (request) => service.setFollowing(services, requireActor(request), auditContext(request), request.params.id, false));

  app.post('/appeals/:id/feedback', {
    schema: { tags: ['appeals'], summary: '评价 The submitter rates the result', params: ZIdParams, body: ZAppealFeedbackRequest, response: { 200: ZAppeal } },
  }, async (request) => service.rateAppeal(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.post('/appeals/:id/files', {
    schema: { tags: ['appeals'], summary: '补充语音、照片 Attach voice (field voice) and photos (field photo)', params: ZIdParams, consumes: ['multipart/form-data'], response: { 200: ZAppeal } },
  }, async (request) => {
    const actor = requireActor(request);
    if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data / 请以表单方式上传');
    const files: { sha256: string; sizeBytes: number; mimeType: string; kind: 'voice' | 'photo' }[] = [];
    for await (const part of request.parts({ limits: { fileSize: APPEAL_LIMITS.fileBytesMax, files: APPEAL_LIMITS.filesMax } })) {
      if (part.type !== 'file') continue;
      const file = part as MultipartFile;
      if (file.fieldname !== 'voice' && file.fieldname !== 'photo') {
        file.file.resume();
        throw invalid(file.fieldname, 'use the fields voice or photo / 文件字段须为 voice 或 photo');
      }
      const stored = await storeUpload(services.files, file.file, { allowed: file.fieldname === 'voice' ? VOICE_MIME_TYPES : IMAGE_MIME_TYPES, maxBytes: APPEAL_LIMITS.fileBytesMax, normaliseAudio: file.fieldname === 'voice' });
      files.push({ ...stored, kind: file.fieldname });
    }
    if (files.length === 0) throw invalid('files', 'no file received / 没有收到文件');
    return service.attachFiles(services, actor, auditContext(request), request.params.id, files);
  });

  app.get('/appeals/:id/files/:sha256', {
    schema: { tags: ['appeals'], summary: '诉求附件 A file of an appeal', params: ZIdParams.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }) },
  }, async (request, reply) => {
    const file = await service.openAppealFile(services, requireActor(request), request.params.id, request.params.sha256);
    return reply.type(file.mimeType).header('cache-control', 'private, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(file.stream);
  });
}
