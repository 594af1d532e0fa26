import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ZRegionImportRow, type TRegionImportRow } from '@cunwu/contract';
import { AppError, type TFieldError } from '../../kernel/errors';

/**
 * Parse a regions file: CSV with a header `code,name[,isIllustrative]`, a JSON array of such objects,
 * or the shared `quanzhou-regions.json` shape (city + counties). Every bad row is reported.
 */
export async function readRegionFile(file: string): Promise<TRegionImportRow[]> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const ext = path.extname(file).toLowerCase();
  let raw: unknown[];
  if (ext === '.json') {
    const parsed = JSON.parse(text) as unknown;
    raw = Array.isArray(parsed) ? parsed : fromRegistryShape(parsed);
  } else if (ext === '.csv') {
    raw = parseCsv(text);
  } else {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `regions file must be .csv or .json, got ${ext || 'no extension'}`);
  }
  const rows: TRegionImportRow[] = [];
  const errors: TFieldError[] = [];
  raw.forEach((item, i) => {
    const result = ZRegionImportRow.safeParse(item);
    if (result.success) rows.push(result.data);
    else for (const issue of result.error.issues) errors.push({ field: `row ${i + 2}.${issue.path.join('.')}`, reason: issue.message });
  });
  if (errors.length) throw new AppError('VALIDATION_FAILED', `${errors.length} bad rows`, errors.slice(0, 100));
  return rows;
}

function parseCsv(text: string): Record<string, unknown>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  if (!header.includes('code') || !header.includes('name')) throw new AppError('VALIDATION_FAILED', 'CSV header must contain code,name', [{ field: 'header', reason: 'needs code,name' }]);
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    const row: Record<string, unknown> = {};
    header.forEach((h, i) => (row[h] = cells[i]));
    if (typeof row.isIllustrative === 'string') row.isIllustrative = ['true', '1', 'yes', '是'].includes(row.isIllustrative);
    return row;
  });
}

function fromRegistryShape(value: unknown): unknown[] {
  const data = value as { city?: { code: string; name: string }; counties?: { code: string; name: string }[] };
  if (!data.city || !Array.isArray(data.counties)) throw new AppError('VALIDATION_FAILED', 'JSON must be an array of {code,name} or the registry shape {city, counties}');
  return [
    { code: data.city.code, name: data.city.name },
    ...data.counties.map((c) => ({ code: c.code.padEnd(12, '0'), name: c.name })),
  ];
}
