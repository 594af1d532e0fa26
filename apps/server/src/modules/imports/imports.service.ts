import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { IMPORT_LIMITS, type TImportCreated, type TImportJob, type TImportJobPage } from '@cunwu/contract';
import type { TAuditContext } from '../../kernel/audit';
import { decodeTimeCursor, encodeTimeCursor } from '../../kernel/cursor';
import { AppError } from '../../kernel/errors';
import { authorize, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { queueHouseholdImport } from './imports.jobs';
import { importJobReader } from './imports.policy';
import { presentImportJob, presentImportJobSummary } from './imports.present';
import * as repo from './imports.repo';
import { runHouseholdImport, type TRunOptions } from './imports.runner';
import { readHead, sniffMime } from './imports.sources';
import { householdTemplateCsv, householdTemplateXlsx, type TDownload } from './imports.template';

/** An uploaded file as a stream, with the name the client gave it. */
export interface TUpload {
  stream: Readable;
  fileName: string;
  /** True when the transport cut the file at its own limit (multipart `fileSize`). */
  isTruncated?: () => boolean;
}

/** A client's file name without directories or control characters. */
export function sanitizeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'upload').slice(-200);
}

/**
 * Store an upload and create its import job, scoped to where the requester may import (a null actor
 * is the operator CLI: everywhere). The caller decides whether the job is queued.
 */
async function storeUpload(services: TServices, actor: TActor | null, upload: TUpload, maxFileBytes: number): Promise<string> {
  const scope = actor ? authorize(actor, 'households.import') : { prefixes: [''] };
  const stored = await services.files.put(upload.stream, { maxBytes: maxFileBytes });
  if (upload.isTruncated?.()) throw new AppError('PAYLOAD_TOO_LARGE', `file exceeds ${maxFileBytes} bytes / 文件超过 ${Math.round(maxFileBytes / 1024 / 1024)} MB`);
  if (stored.sizeBytes === 0) throw new AppError('VALIDATION_FAILED', 'file: empty / 文件是空的', [{ field: 'file', reason: '文件是空的 / the file is empty' }]);
  const mimeType = await sniffMime(await readHead(services.files.get(stored.sha256)));
  return services.db.transaction().execute(async (tx) => {
    await repo.insertFile(tx, { sha256: stored.sha256, sizeBytes: stored.sizeBytes, mimeType });
    return repo.insertImportJob(tx, { scopePrefixes: scope.prefixes, requestedBy: actor?.userId ?? null, fileSha256: stored.sha256, fileName: sanitizeFileName(upload.fileName) });
  });
}

/** `POST /imports/households`: store the file, queue the job, answer at once with its id. */
export async function createHouseholdImport(services: TServices, actor: TActor, ctx: TAuditContext, upload: TUpload, options: { maxFileBytes?: number } = {}): Promise<TImportCreated> {
  const id = await storeUpload(services, actor, upload, options.maxFileBytes ?? IMPORT_LIMITS.maxFileBytes);
  await queueHouseholdImport(services, { jobId: id, requestId: ctx.requestId, ip: ctx.ip });
  return { id };
}

/** The operator CLI: import a file from disk with the same rules, in this process, to the end. */
export async function importHouseholdFile(services: TServices, ctx: TAuditContext, filePath: string, options: TRunOptions = {}): Promise<TImportJob> {
  const id = await storeUpload(services, null, { stream: createReadStream(filePath), fileName: path.basename(filePath) }, IMPORT_LIMITS.maxFileBytes);
  const job = await runHouseholdImport(services, id, { audit: { requestId: ctx.requestId, ip: ctx.ip }, ...options });
  return presentImportJob(job!);
}

/** `GET /imports/{id}`: the requester's job, or one an admin's scope covers; 404 otherwise. */
export async function getImportJob(services: TServices, actor: TActor, id: string): Promise<TImportJob> {
  const row = await repo.findReadableImportJob(services.db, id, importJobReader(actor));
  if (!row) throw new AppError('NOT_FOUND', `import ${id}`);
  return presentImportJob(row);
}

/** `GET /imports`: the requester's recent jobs. */
export async function listMyImportJobs(services: TServices, actor: TActor, query: { cursor?: string; limit: number }): Promise<TImportJobPage> {
  authorize(actor, 'households.import');
  const { limit } = query;
  const after = query.cursor ? decodeTimeCursor(query.cursor) : undefined;
  const rows = await repo.findRecentImportJobs(services.db, actor.userId, { after: after && { createdAt: after.at, id: after.id }, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { items: page.map(presentImportJobSummary), nextCursor: rows.length > limit ? encodeTimeCursor({ at: page[page.length - 1]!.createdAt, id: page[page.length - 1]!.id }) : null };
}

/** `GET /imports/households/template`: for any logged-in official. */
export async function getHouseholdTemplate(actor: TActor, format: 'xlsx' | 'csv'): Promise<TDownload> {
  if (actor.kind !== 'official') throw new AppError('FORBIDDEN', 'officials only / 仅限工作人员');
  return format === 'csv' ? householdTemplateCsv() : householdTemplateXlsx();
}
