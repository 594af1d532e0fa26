import { z } from 'zod';
import { ZFeedItem, ZFeedPage, ZFeedQuery, ZMyGroups, ZPostMessageRequest, ZPostNoticeRequest } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { AppError } from '../../kernel/errors';
import { auditContext, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import * as service from './feed.service';
import { createFeedHub, MAX_STREAMS_PER_USER } from './feed.stream';

const ZGroupParams = z.object({ id: z.uuid() });

/** Routes of the group feed: my groups, the feed page, posting, and the live stream (SSE). */
export function feedRoutes(app: TApp, services: TServices): void {
  const hub = createFeedHub(services);
  // Open streams would keep the server from closing; end them first (clients reconnect elsewhere).
  app.addHook('preClose', async () => hub.closeAll());

  app.get('/me/groups', {
    schema: { tags: ['feed'], summary: '我的群 Groups I can open', response: { 200: ZMyGroups } },
  }, async (request) => service.listMyGroups(services, requireActor(request)));

  app.get('/groups/:id/feed', {
    schema: { tags: ['feed'], summary: '群消息 A group\'s feed, newest first', params: ZGroupParams, querystring: ZFeedQuery, response: { 200: ZFeedPage } },
  }, async (request) => service.getFeed(services, requireActor(request), request.params.id, request.query));

  app.post('/groups/:id/messages', {
    schema: { tags: ['feed'], summary: '发言 Post a message to the feed', params: ZGroupParams, body: ZPostMessageRequest, response: { 200: ZFeedItem } },
  }, async (request) => service.postMessage(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.post('/groups/:id/notices', {
    schema: { tags: ['feed'], summary: '发布通知 Post a notice (feed + the group\'s outside channels)', params: ZGroupParams, body: ZPostNoticeRequest, response: { 200: ZFeedItem } },
  }, async (request) => service.postNotice(services, requireActor(request), auditContext(request), request.params.id, request.body));

  app.get('/groups/:id/feed/stream', {
    schema: {
      tags: ['feed'],
      summary: '实时消息 Live feed (Server-Sent Events: `event: message` per new item; Last-Event-ID replays what was missed)',
      params: ZGroupParams,
    },
  }, async (request, reply) => {
    // Authorization happens before the response starts, so refusals are ordinary problem+json.
    const { group, viewer } = await service.openGroupForReading(services, requireActor(request), request.params.id);
    if (hub.streamsOf(viewer.userId) >= MAX_STREAMS_PER_USER) throw new AppError('RATE_LIMITED', 'too many open live feeds / 打开的实时页面过多');
    const lastEventId = request.headers['last-event-id'];
    reply.hijack();
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    reply.raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies must pass events through at once, not buffer them.
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    reply.raw.flushHeaders();
    await hub.open(reply.raw, group.id, viewer, typeof lastEventId === 'string' ? lastEventId.trim().slice(0, 64) : undefined);
  });
}
