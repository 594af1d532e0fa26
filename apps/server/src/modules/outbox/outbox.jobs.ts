import { z } from 'zod';
import { defineJob, type TJobDefinition } from '../../kernel/jobs';
import type { TServices } from '../../kernel/services';
import { deliverDueMessages } from './outbox.delivery';
import { OUTBOX_DUE_CHANNEL } from './outbox.service';

/** Messages one job run delivers at most; the next run (a minute later, or the next kick) goes on. */
const RUN_LIMIT = 1000;
// Enqueues within this window start one delivery, not one each.
const KICK_DEBOUNCE_MS = 200;

/**
 * `outbox.deliver`: every minute, and right after any transaction that queued messages commits —
 * enqueues NOTIFY `outbox.due` in the business transaction; each process that runs jobs listens
 * and sends this job, so delivery starts within a second or two instead of at the next minute.
 */
export function outboxJobs(services: TServices): TJobDefinition[] {
  const deliver = defineJob({
    name: 'outbox.deliver',
    payload: z.object({}),
    cron: '* * * * *',
    handler: async () => {
      const report = await deliverDueMessages(services, { limit: RUN_LIMIT });
      if (report.delivered + report.failed + report.dead > 0) services.log.info({ outbox: report }, 'outbox delivery run');
    },
  });
  if (services.notifier) {
    let timer: NodeJS.Timeout | null = null;
    const kick = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void services.jobs?.send(deliver, {}).catch((error: unknown) => services.log.warn({ err: error }, 'outbox kick failed'));
      }, KICK_DEBOUNCE_MS);
      timer.unref();
    };
    // A reconnect may have swallowed notifications: one extra run costs nothing.
    services.notifier.subscribe(OUTBOX_DUE_CHANNEL, kick, { onReconnect: kick }).catch((error: unknown) => services.log.warn({ err: error }, 'outbox kick listener failed'));
  }
  return [deliver];
}
