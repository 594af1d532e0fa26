import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app';
import type { TApp } from '../src/kernel/app-types';
import { systemClock } from '../src/kernel/clock';
import { loadConfig } from '../src/kernel/config';
import { createDb } from '../src/kernel/db';
import { createLogger } from '../src/kernel/logger';
import { createNotifier } from '../src/kernel/notify';
import type { TServices } from '../src/kernel/services';
import type { TSmsSender } from '../src/kernel/sms';
import { createLocalFileStore } from '../src/kernel/storage';

/** What a test file gets: its own database, services, the HTTP app and the SMS messages sent. */
export interface TTestContext {
  services: TServices;
  app: TApp;
  url: string;
  sms: { phone: string; text: string }[];
  close(): Promise<void>;
}

/** Clone the migrated template into a fresh database for this file and build the app on it. */
export async function createTestContext(): Promise<TTestContext> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cunwu-test-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: url.toString(), LOG_LEVEL: 'silent', JOBS: 'false', SEED_DEMO: 'false', REGION_CACHE_SECONDS: '0' });
  const sms: { phone: string; text: string }[] = [];
  const recordingSms: TSmsSender = { send: async (phone, text) => void sms.push({ phone, text }) };
  const log = createLogger('silent');
  const services: TServices = {
    config,
    secrets: { secretKey: randomBytes(32), ledgerSeed: new Uint8Array(randomBytes(32)), embeddedPgPassword: '' },
    db: createDb(url.toString(), { max: 5 }),
    log,
    files: createLocalFileStore(path.join(dataDir, 'files')),
    clock: systemClock,
    sms: recordingSms,
    jobs: null,
    notifier: createNotifier(url.toString(), log),
  };
  const app = await buildApp(services, { serveApps: false });
  await app.ready();
  return {
    services,
    app,
    url: url.toString(),
    sms,
    async close() {
      await app.close();
      await services.notifier?.close();
      await services.db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
