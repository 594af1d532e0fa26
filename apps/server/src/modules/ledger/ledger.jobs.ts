import { z } from 'zod';
import { defineJob } from '../../kernel/jobs';
import type { TServices } from '../../kernel/services';
import { makeCheckpoint } from './ledger.service';

/** `ledger.checkpoint`: sign a new checkpoint when the log grew, every LEDGER_CHECKPOINT_MINUTES. */
export function ledgerJobs(services: TServices) {
  const minutes = services.config.ledgerCheckpointMinutes;
  return [
    defineJob({
      name: 'ledger.checkpoint',
      payload: z.object({}),
      cron: minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`,
      handler: async () => {
        const made = await makeCheckpoint(services);
        if (made.isNew) services.log.info({ size: made.size }, 'ledger checkpoint signed');
      },
    }),
  ];
}
