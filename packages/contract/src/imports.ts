import { z } from 'zod';

/** Header of the household import template: Chinese header, English alias, required? One row per member. */
export const HOUSEHOLD_IMPORT_COLUMNS = [
  { zh: '村代码', en: 'villageCode', isRequired: true },
  { zh: '户号', en: 'householdNo', isRequired: true },
  { zh: '户主姓名', en: 'headName', isRequired: true },
  { zh: '姓名', en: 'name', isRequired: true },
  { zh: '与户主关系', en: 'relation', isRequired: false },
  { zh: '手机号', en: 'phone', isRequired: false },
  { zh: '身份证号', en: 'idNumber', isRequired: false },
  { zh: '监督群', en: 'groupName', isRequired: false },
] as const;

/** Upload limits of registry imports. */
export const IMPORT_LIMITS = {
  /** Largest upload (a city's 1.79 M members as CSV is ~150 MB). */
  maxFileBytes: 300 * 1024 * 1024,
  /** Largest uncompressed size of any part inside an .xlsx (zip bomb guard). */
  maxXlsxEntryBytes: 1024 * 1024 * 1024,
  /** Most errors kept per job (the count is always exact). */
  maxStoredErrors: 1000,
} as const;

/** A row-level problem: file row number (header = 1), column header, reason. */
export const ZImportError = z.object({ row: z.number().int(), column: z.string(), reason: z.string() });
/** Import error DTO. */
export type TImportError = z.infer<typeof ZImportError>;

/** `GET /imports/{id}`. */
export const ZImportJob = z.object({
  id: z.string(),
  kind: z.literal('households'),
  fileName: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number().int().nullable(),
  processed: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errorCount: z.number().int(),
  errors: z.array(ZImportError),
  failure: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
/** Import job DTO. */
export type TImportJob = z.infer<typeof ZImportJob>;

/** `POST /imports/households` answer. */
export const ZImportCreated = z.object({ id: z.string() });
