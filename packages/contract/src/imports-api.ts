import { z } from 'zod';
import { ZImportCreated, ZImportJob } from './imports';

/** Answer to an upload. */
export type TImportCreated = z.infer<typeof ZImportCreated>;

/** Params naming an import job. */
export const ZImportParams = z.object({ id: z.uuid() });

/** `GET /imports?limit=&cursor=`: the requester's own jobs, newest first. */
export const ZListImportsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** List imports query. */
export type TListImportsQuery = z.input<typeof ZListImportsQuery>;

/** A job in the list: everything but the row errors (open the job for those). */
export const ZImportJobSummary = ZImportJob.omit({ errors: true });
/** Import job summary DTO. */
export type TImportJobSummary = z.infer<typeof ZImportJobSummary>;

/** Page of import jobs. */
export const ZImportJobPage = z.object({ items: z.array(ZImportJobSummary), nextCursor: z.string().nullable() });
/** Import job page DTO. */
export type TImportJobPage = z.infer<typeof ZImportJobPage>;

/** Formats the household import template is offered in. */
export const IMPORT_TEMPLATE_FORMATS = ['xlsx', 'csv'] as const;

/** `GET /imports/households/template?format=xlsx|csv`. */
export const ZImportTemplateQuery = z.object({ format: z.enum(IMPORT_TEMPLATE_FORMATS).default('xlsx') });
/** Template query. */
export type TImportTemplateQuery = z.input<typeof ZImportTemplateQuery>;

/** The example row of the template (an illustrative village; the ID number has a valid check digit). */
export const HOUSEHOLD_IMPORT_EXAMPLE = {
  villageCode: '350524107201',
  householdNo: '0001',
  headName: '陈志明',
  name: '林秀英',
  relation: '配偶',
  phone: '13912345678',
  idNumber: '350524199001010024',
  groupName: '溪美村监督群',
} as const;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character of the first 17 digits of a resident ID number. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * What is wrong with an 18-character ID number that already matches `ZIdNumber`, or null: the birth
 * date must be a real date (1900 … today) and the last character the GB 11643 check character.
 * Numbers that Excel rounded (…000 at the end) almost always fail one of these.
 */
export function idNumberProblem(idNumber: string, today = new Date()): string | null {
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const isRealDate = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!isRealDate || year < 1900 || birth.getTime() > today.getTime()) return '身份证号中的出生日期无效 / the birth date in the ID number is not valid';
  if (idNumberCheckChar(idNumber) !== idNumber[17]) return '身份证号校验位不正确 / the ID number check digit is wrong';
  return null;
}
