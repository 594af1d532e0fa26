import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openRuntime } from '../src/bootstrap';
import { loadConfig } from '../src/kernel/config';
import { createLogger } from '../src/kernel/logger';
import { findFreePort } from '../src/kernel/postgres';
const config = loadConfig({ ...process.env, DATA_DIR: '/tmp/discbench', PG_PORT: String(await findFreePort()), LOG_LEVEL: 'silent', JOBS: 'false', DATABASE_URL: '' });
const runtime = await openRuntime(config, { log: createLogger('silent'), withJobs: false, migrate: false });
const client = new pg.Client({ connectionString: runtime.database.url });
client.on('error', () => {});
await client.connect();
try {
  const text = readFileSync(process.argv[2]!, 'utf8');
  await client.query(text);
  const r = await client.query(text);
  const last = Array.isArray(r) ? r[r.length - 1] : r;
  console.log(last.rows.map((x: Record<string, string>) => x['QUERY PLAN']).join('\n'));
} finally { await client.end().catch(() => {}); await runtime.close(); }
