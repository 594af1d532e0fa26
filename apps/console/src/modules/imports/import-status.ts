import type { TImportJobSummary } from '@cunwu/contract';

/** An import job's status. */
export type TImportStatus = TImportJobSummary['status'];

/** Element Plus tag colour of each status. */
export const IMPORT_STATUS_TAGS: Record<TImportStatus, 'info' | 'primary' | 'success' | 'danger'> = {
  queued: 'info',
  running: 'primary',
  done: 'success',
  failed: 'danger',
};

/** Whether the job may still change (keep polling). */
export function isImportActive(job: Pick<TImportJobSummary, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'running';
}

/** Progress in percent, or null while the total row count is not known yet. */
export function importPercent(job: Pick<TImportJobSummary, 'status' | 'total' | 'processed'>): number | null {
  if (job.status === 'done') return 100;
  if (job.total === null || job.total <= 0) return null;
  return Math.min(100, Math.floor((job.processed / job.total) * 100));
}
