import path from 'node:path';
import { systemClock } from './kernel/clock';
import type { TConfig } from './kernel/config';
import { createDb } from './kernel/db';
import { startJobs } from './kernel/jobs';
import { createLogger, type Logger } from './kernel/logger';
import { migrateUp } from './kernel/migrate';
import { createNotifier } from './kernel/notify';
import { openDatabase, type TDatabaseHandle } from './kernel/postgres';
import { loadSecrets } from './kernel/secrets';
import type { TServices } from './kernel/services';
import { createLogSmsSender } from './kernel/sms';
import { createLocalFileStore } from './kernel/storage';
import { moduleJobs, syncReferenceData } from './modules/registry';

/** A running set of services and how to stop them in the right order. */
export interface TRuntime {
  services: TServices;
  database: TDatabaseHandle;
  close(): Promise<void>;
}

/**
 * Open everything the server and the CLI need: secrets, the database (embedded or DATABASE_URL),
 * migrations, the pool, the file store, and (optionally) the job system with every module's jobs.
 */
export async function openRuntime(config: TConfig, options: { log?: Logger; withJobs?: boolean; migrate?: boolean; poolSize?: number } = {}): Promise<TRuntime> {
  const log = options.log ?? createLogger(config.logLevel);
  const secrets = loadSecrets(config);
  const database = await openDatabase(config.databaseUrl, {
    dataDir: config.dataDir,
    port: config.pgPort,
    password: secrets.embeddedPgPassword,
    database: 'cunwu',
    log: (line) => log.debug({ postgres: line.trim() }),
  });
  try {
    if (options.migrate !== false) {
      const applied = await migrateUp(database.url, (line) => log.info(line));
      if (applied.length) log.info({ applied }, 'migrations applied');
    }
    const db = createDb(database.url, { max: options.poolSize ?? 10 });
    const services: TServices = {
      config,
      secrets,
      db,
      log,
      files: createLocalFileStore(path.join(config.dataDir, 'files')),
      clock: systemClock,
      sms: createLogSmsSender(log),
      jobs: null,
      // Connects lazily on the first subscription, so CLI commands never open it.
      notifier: createNotifier(database.url, log),
    };
    if (options.migrate !== false) await syncReferenceData(services);
    if (options.withJobs) services.jobs = await startJobs(database.url, moduleJobs(services), log);
    return {
      services,
      database,
      async close() {
        await services.jobs?.stop().catch((error: unknown) => log.warn({ err: error }, 'stopping jobs failed'));
        await services.notifier?.close().catch((error: unknown) => log.warn({ err: error }, 'closing the notifier failed'));
        await db.destroy();
        await database.stop();
      },
    };
  } catch (error) {
    await database.stop().catch(() => {});
    throw error;
  }
}
