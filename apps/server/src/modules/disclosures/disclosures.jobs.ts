import { z } from 'zod';
import { defineJob } from '../../kernel/jobs';
import type { TServices } from '../../kernel/services';
import { announceOverdueDisclosures } from './disclosures.compliance';

/** `disclosures.compliance`: daily at 09:30 China time, announce late and missing disclosures to each village and its resident cadre. */
export function disclosuresJobs(services: TServices) {
  return [
    defineJob({
      name: 'disclosures.compliance',
      payload: z.object({}),
      // pg-boss cron runs in UTC: 01:30 UTC is 09:30 in China, during office hours.
      cron: '30 1 * * *',
      handler: async () => {
        const result = await announceOverdueDisclosures(services);
        if (result.obligations) services.log.info(result, 'overdue disclosures announced');
      },
    }),
  ];
}
