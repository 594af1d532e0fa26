import type { TImportJob, TImportJobSummary } from '@cunwu/contract';
import type { TImportJobRow } from './imports.repo';

/** An import job as the console shows it: counters, the first row errors, the failure. */
export function presentImportJob(row: TImportJobRow): TImportJob {
  return { ...presentImportJobSummary(row), errors: row.errors };
}

/** An import job in a list (no row errors). */
export function presentImportJobSummary(row: TImportJobRow): TImportJobSummary {
  return {
    id: row.id,
    kind: 'households',
    fileName: row.fileName,
    status: row.status,
    total: row.total,
    processed: row.processed,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    errorCount: row.errorCount,
    failure: row.failure,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
