import { z } from 'zod';
import { defineJob } from '../../kernel/jobs';
import type { TServices } from '../../kernel/services';
import { processDeadlines } from './appeals.service';

/** `appeals.deadlines`: every minute, warn before breaches, count breaches, urge and auto-escalate. */
export function appealsJobs(services: TServices) {
  return [
    defineJob({
      name: 'appeals.deadlines',
      payload: z.object({}),
      cron: '* * * * *',
      handler: async () => {
        const counts = await processDeadlines(services);
        if (counts.warned || counts.breached || counts.escalated) services.log.info(counts, 'appeal deadlines processed');
      },
    }),
  ];
}
