import { buildApp } from './app';
import { openRuntime } from './bootstrap';
import { ConfigError, loadConfig } from './kernel/config';
import { createLogger } from './kernel/logger';
import { buildDemoWorld, demoLoginLines, readRegistry, SEED_DIR, seedDemoIfEmpty } from './modules/demo';
import path from 'node:path';

/** Start the platform: database, migrations, demo data on first run, HTTP, jobs; stop cleanly on signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, { log, withJobs: config.jobs });
  const { services } = runtime;
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(services, (line) => log.info(line));
    if (seeded) log.info('demo data loaded');
  }
  const app = await buildApp(services, { logRequests: config.logLevel === 'debug' || config.logLevel === 'trace' });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close().catch((error: unknown) => log.error({ err: error }, 'closing HTTP failed'));
    await runtime.close().catch((error: unknown) => log.error({ err: error }, 'closing runtime failed'));
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://localhost:${port}`;
  const lines = [
    '',
    '  村务监督平台 is running',
    `  村民端 Villager app   ${url}/`,
    `  控制台 Console        ${url}/console/`,
    `  接口文档 API docs      ${url}/api/docs`,
    `  数据目录 Data dir      ${config.dataDir}${config.databaseUrl ? ' (database: DATABASE_URL)' : ' (embedded PostgreSQL)'}`,
  ];
  if (config.seedDemo) lines.push(...demoLoginLines(buildDemoWorld(readRegistry(path.join(SEED_DIR, 'quanzhou-regions.json')))));
  lines.push('  Ctrl-C stops the server and the database.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
