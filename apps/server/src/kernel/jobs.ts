import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Logger } from './logger';

/** A typed background job: a name like `ledger.checkpoint`, a payload schema, a handler, maybe a cron. */
export interface TJobDefinition<P extends z.ZodType = z.ZodType> {
  name: string;
  payload: P;
  /** Cron in pg-boss syntax (minute resolution), e.g. every five minutes. */
  cron?: string;
  handler(payload: z.infer<P>): Promise<void>;
}

/** Define a job with its payload type inferred. */
export function defineJob<P extends z.ZodType>(definition: TJobDefinition<P>): TJobDefinition<P> {
  return definition;
}

/** The running job system. */
export interface TJobs {
  send<P extends z.ZodType>(job: TJobDefinition<P>, payload: z.infer<P>): Promise<void>;
  stop(): Promise<void>;
}

/** Start pg-boss in its own schema and register every job's worker and schedule. */
export async function startJobs(url: string, definitions: TJobDefinition[], log: Logger): Promise<TJobs> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4 });
  boss.on('error', (error: Error & { code?: string }) => {
    // 57P01 admin_shutdown: the database was told to stop (Ctrl-C reaches the embedded PostgreSQL too).
    if (error.code === '57P01') log.info('database stopping: job connections closed');
    else log.error({ err: error }, 'pg-boss error');
  });
  await boss.start();
  for (const job of definitions) {
    await boss.createQueue(job.name);
    await boss.work<unknown>(job.name, async (batch) => {
      for (const item of batch) {
        const payload = job.payload.parse(item.data ?? {});
        await job.handler(payload);
      }
    });
    if (job.cron) await boss.schedule(job.name, job.cron, {});
  }
  return {
    async send(job, payload) {
      await boss.send(job.name, job.payload.parse(payload) as object);
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
