import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import { z } from 'zod';
import { CHAT_FILE_KINDS, CHAT_POST_LIMITS, IMAGE_MIME_TYPES, VOICE_MIME_TYPES, ZChatPost, ZChatPostFields, ZChatPostPage, ZListChatPostsQuery, ZUpdateChatPostRequest } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { AppError, invalid } from '../../kernel/errors';
import { auditContext, parseOrThrow, requireActor } from '../../kernel/http';
import { authorize } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { storeUpload } from '../../kernel/uploads';
import * as service from './chat-posts.service';

const ZIdParams = z.object({ id: z.uuid() });

/** Keep a client's file name readable but harmless (no paths, no control characters). */
function sanitiseFileName(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').trim().slice(0, 120);
  return cleaned || null;
}

/** Routes for chat posts registered by group admins (群消息登记). */
export function chatPostsRoutes(app: TApp, services: TServices): void {
  app.post('/chat-posts', {
    schema: {
      tags: ['chat-posts'],
      summary: '登记群消息 Register a chat post (multipart: groupId, authorName, authorMemberId?, postedAt, originalText?; files voice, photo, screenshot)',
      consumes: ['multipart/form-data'],
      response: { 200: ZChatPost },
    },
  }, async (request) => {
    const actor = requireActor(request);
    authorize(actor, 'chat_posts.register'); // refuse before reading any bytes
    if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data / 请以表单方式上传');
    const fields: Record<string, string> = {};
    const files: service.TChatFile[] = [];
    for await (const part of request.parts({ limits: { fileSize: CHAT_POST_LIMITS.fileBytesMax, files: CHAT_POST_LIMITS.filesMax } })) {
      if (part.type === 'field') {
        fields[part.fieldname] = String((part as MultipartValue).value);
        continue;
      }
      const file = part as MultipartFile;
      const kind = file.fieldname as (typeof CHAT_FILE_KINDS)[number];
      if (!CHAT_FILE_KINDS.includes(kind)) {
        file.file.resume();
        throw invalid(file.fieldname, `unknown file field; use ${CHAT_FILE_KINDS.join(', ')} / 未知的文件字段`);
      }
      const stored = await storeUpload(services.files, file.file, {
        allowed: kind === 'voice' ? VOICE_MIME_TYPES : IMAGE_MIME_TYPES,
        maxBytes: CHAT_POST_LIMITS.fileBytesMax,
        normaliseAudio: kind === 'voice',
      });
      if (file.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `${file.fieldname} exceeds ${CHAT_POST_LIMITS.fileBytesMax} bytes`);
      files.push({ ...stored, kind, fileName: sanitiseFileName(file.filename) });
    }
    const parsed = parseOrThrow(ZChatPostFields, fields);
    return service.registerChatPost(services, actor, auditContext(request), parsed, files);
  });

  app.get('/chat-posts', {
    schema: { tags: ['chat-posts'], summary: '群消息登记列表 Registered chat posts', querystring: ZListChatPostsQuery, response: { 200: ZChatPostPage } },
  }, async (request) => service.listChatPosts(services, requireActor(request), request.query.region, request.query.cursor, request.query.limit));

  app.get('/chat-posts/:id', {
    schema: { tags: ['chat-posts'], summary: '群消息登记详情 A chat post', params: ZIdParams, response: { 200: ZChatPost } },
  }, async (request) => service.getChatPost(services, requireActor(request), request.params.id));

  app.patch('/chat-posts/:id', {
    schema: { tags: ['chat-posts'], summary: '修改整理后的文字 Edit the cleaned-up text', params: ZIdParams, body: ZUpdateChatPostRequest, response: { 200: ZChatPost } },
  }, async (request) => service.editChatPost(services, requireActor(request), auditContext(request), request.params.id, request.body.editedText));

  app.get('/chat-posts/:id/files/:sha256', {
    schema: { tags: ['chat-posts'], summary: '附件 A file of a chat post', params: ZIdParams.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }) },
  }, async (request, reply) => {
    const file = await service.openChatPostFile(services, requireActor(request), request.params.id, request.params.sha256);
    // Content-addressed bytes never change: cache privately for a long time.
    return reply
      .type(file.mimeType)
      .header('content-length', String(file.sizeBytes))
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(file.stream);
  });
}
