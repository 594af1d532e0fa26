import { z } from 'zod';
import { defineJob } from '../../kernel/jobs';
import type { TServices } from '../../kernel/services';
import { runHouseholdImport } from './imports.runner';

/** Payload of `imports.households`: the job, and where its upload came from (for the audit event). */
const ZHouseholdImportPayload = z.object({ jobId: z.uuid(), requestId: z.string().nullable(), ip: z.string().nullable() });
type THouseholdImportPayload = z.infer<typeof ZHouseholdImportPayload>;

function householdImportJob(services: TServices) {
  return defineJob({
    name: 'imports.households',
    payload: ZHouseholdImportPayload,
    handler: async ({ jobId, requestId, ip }) => {
      await runHouseholdImport(services, jobId, { audit: { requestId, ip } });
    },
  });
}

/** `imports.households`: process an uploaded household registry file in the background. */
export function importsJobs(services: TServices) {
  return [householdImportJob(services)];
}

const inProcess = new Map<string, Promise<void>>();

/**
 * Queue a job: through pg-boss when jobs run in this deployment, otherwise in this process right
 * after the upload has answered (tests, a server started with JOBS=false).
 */
export async function queueHouseholdImport(services: TServices, payload: THouseholdImportPayload): Promise<void> {
  if (services.jobs) {
    await services.jobs.send(householdImportJob(services), payload);
    return;
  }
  const running = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => runHouseholdImport(services, payload.jobId, { audit: { requestId: payload.requestId, ip: payload.ip } }))
    .then(
      () => undefined,
      (error: unknown) => services.log.error({ err: error, importJobId: payload.jobId }, 'household import crashed'),
    )
    .finally(() => inProcess.delete(payload.jobId));
  inProcess.set(payload.jobId, running);
}

/** Resolves when an import queued in this process has finished (at once when none is running). */
export function importSettled(jobId: string): Promise<void> {
  return inProcess.get(jobId) ?? Promise.resolve();
}
