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
  for (const file of process.argv.slice(2)) {
    const text = readFileSync(file, 'utf8');
    const times: number[] = [];
    let rows = 0;
    for (let k = 0; k < 9; k++) {
      const t0 = performance.now();
      const r = await client.query(text);
      times.push(performance.now() - t0);
      rows = (Array.isArray(r) ? r[r.length - 1] : r).rowCount ?? 0;
    }
    times.sort((a, b) => a - b);
    console.log(file, 'rows', rows, 'median', times[4]!.toFixed(1), 'min', times[0]!.toFixed(1));
  }
} finally {
  await client.end().catch(() => {});
  await runtime.close();
}
