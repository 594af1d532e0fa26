import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/kernel/db';
import { migrateUp } from '../src/kernel/migrate';
import { syncWorkCalendar } from '../src/modules/appeals';
import { syncDisclosureCatalog } from '../src/modules/disclosures';
import { findFreePort, openDatabase } from '../src/kernel/postgres';

export const TEMPLATE_DB = 'cunwu_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

/**
 * One PostgreSQL for the whole run (embedded, or DATABASE_URL), with a migrated template database;
 * each test file clones it (CREATE DATABASE … TEMPLATE), so files run in parallel and nothing is truncated.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cunwu-test-pg-'));
  chmodSync(dataDir, 0o755); // initdb runs as the postgres user when we are root
  const handle = await openDatabase(process.env.DATABASE_URL, { dataDir, port: await findFreePort(), password: 'test', database: 'postgres' });
  const admin = new URL(handle.url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await client.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await client.end();
  const templateUrl = new URL(admin.toString());
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  await migrateUp(templateUrl.toString());
  // Reference data every test database needs (the working-day calendar, the disclosure catalogue), loaded once into the template.
  const db = createDb(templateUrl.toString(), { max: 1 });
  await db.transaction().execute((tx) => syncWorkCalendar(tx));
  await db.transaction().execute((tx) => syncDisclosureCatalog(tx));
  await db.destroy();
  project.provide('pgAdminUrl', admin.toString());
  project.provide('pgTemplate', TEMPLATE_DB);
  return async () => {
    await handle.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
