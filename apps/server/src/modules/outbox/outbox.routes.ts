import { z } from 'zod';
import { ZListOutboxQuery, ZOutboxMessage, ZOutboxPage } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { auditContext, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import * as service from './outbox.service';

const ZOutboxParams = z.object({ id: z.uuid() });

/** Routes under /api/v1/outbox (officials watching outbound delivery). */
export function outboxRoutes(app: TApp, services: TServices): void {
  app.get('/outbox', {
    schema: { tags: ['outbox'], summary: '外发消息 Outbound messages of a region', querystring: ZListOutboxQuery, response: { 200: ZOutboxPage } },
  }, async (request) => service.listOutbox(services, requireActor(request), request.query));

  app.post('/outbox/:id/retry', {
    schema: { tags: ['outbox'], summary: '重发 Retry a failed or dead message', params: ZOutboxParams, response: { 200: ZOutboxMessage } },
  }, async (request) => service.retryMessage(services, requireActor(request), auditContext(request), request.params.id));
}
