import { ZHealth } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { AppError } from '../../kernel/errors';
import type { TServices } from '../../kernel/services';
import { VERSION } from '../../kernel/version';
import { pingDatabase } from './system.repo';

/** `GET /health`: answers 200 only when the database answers too (load balancers rely on it). */
export function systemRoutes(app: TApp, services: TServices): void {
  app.get('/health', {
    schema: { tags: ['system'], summary: '健康检查 Health', response: { 200: ZHealth } },
  }, async () => {
    const ok = await pingDatabase(services.db).catch(() => false);
    if (!ok) throw new AppError('INTERNAL', 'database unavailable');
    return { status: 'ok' as const, version: VERSION, database: 'ok' as const, time: new Date().toISOString() };
  });
}
