import { z } from 'zod';
import { defineJob } from '../../kernel/jobs';
import type { TServices } from '../../kernel/services';
import { postLedgerCheckpointNotice } from '../feed';
import { makeCheckpoint } from './ledger.service';

/** `ledger.checkpoint`: sign a new checkpoint when the log grew (every LEDGER_CHECKPOINT_MINUTES) and post it to the groups daily. */
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
        // Villagers keep copies the operator cannot recall (DESIGN §10): the feed module posts the
        // latest checkpoint to every group at most once a day, in daytime, deduplicated across processes.
        if (made.size > 0) {
          await postLedgerCheckpointNotice(services, { size: made.size, note: made.note })
            .catch((err: unknown) => services.log.warn({ err }, 'posting the checkpoint to the groups failed'));
        }
      },
    }),
  ];
}
