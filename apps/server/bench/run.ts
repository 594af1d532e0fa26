// `npm run bench`: performance figures, each next to a baseline measured in the same run.
// Runs against its own embedded PostgreSQL in a temporary directory; never touches ./data.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openRuntime } from '../src/bootstrap';
import { loadConfig } from '../src/kernel/config';
import { createLogger } from '../src/kernel/logger';
import { findFreePort } from '../src/kernel/postgres';
import { benchHttp } from './http.bench';
import { benchLedger } from './ledger.bench';

const { values } = parseArgs({ options: { only: { type: 'string' }, seconds: { type: 'string' }, leaves: { type: 'string' }, import: { type: 'boolean' }, rows: { type: 'string' }, appeals: { type: 'string' } } });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cunwu-bench-'));
chmodSync(dataDir, 0o755);
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, PG_PORT: String(await findFreePort()), LOG_LEVEL: 'silent', JOBS: 'false', DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '' });
const runtime = await openRuntime(config, { log: createLogger('silent'), withJobs: false, poolSize: 10 });
try {
  console.log(`村务监督 benchmarks — ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`);
  if (!values.only || values.only === 'http') await benchHttp(runtime.services, { seconds: Number(values.seconds ?? 5) });
  if (!values.only || values.only === 'ledger') await benchLedger(runtime.services, runtime.database.url, { maxLeaves: Number(values.leaves ?? 1_000_000) });
  if (!values.only || values.only === 'appeals') await (await import('./appeals.bench')).benchAppeals(runtime.services, { seconds: Number(values.seconds ?? 5), appeals: Number(values.appeals ?? 1_000_000) });
  if (!values.only || values.only === 'disclosure-page') await (await import('./disclosure-page.bench')).benchDisclosurePage(runtime.services, { seconds: Number(values.seconds ?? 5) });
  if (!values.only || values.only === 'disclosures') await (await import('./disclosures.bench')).benchDisclosures(runtime.services);
  if (values.only === 'import' || (!values.only && values.import)) await (await import('./import.bench')).benchImport(runtime.services, runtime.database.url, { rows: Number(values.rows ?? 1_790_000), xlsxRows: Math.min(200_000, Number(values.rows ?? 200_000)) });
} finally {
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
}
