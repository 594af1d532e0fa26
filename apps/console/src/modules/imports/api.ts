import type { IMPORT_TEMPLATE_FORMATS, TImportCreated, TImportJob, TImportJobPage } from '@cunwu/contract';
import { API_BASE, http } from '@/api/http';

/** Formats of the household import template. */
export type TTemplateFormat = (typeof IMPORT_TEMPLATE_FORMATS)[number];

/** `POST /imports/households`: upload one .xlsx or .csv file; the import runs as a job. */
export function uploadHouseholdImport(file: File): Promise<TImportCreated> {
  const form = new FormData();
  form.append('file', file, file.name);
  return http.post<TImportCreated>('/imports/households', form);
}

/** `GET /imports/{id}`: progress, counts and the first row errors of one import job. */
export function fetchImportJob(id: string, signal?: AbortSignal): Promise<TImportJob> {
  return http.get<TImportJob>(`/imports/${encodeURIComponent(id)}`, undefined, { signal });
}

/** `GET /imports?limit=&cursor=`: the user's own import jobs, newest first (without row errors). */
export function findRecentImports(limit: number, cursor?: string, signal?: AbortSignal): Promise<TImportJobPage> {
  return http.get<TImportJobPage>('/imports', { limit, cursor }, { signal });
}

/** Address of the template download (a plain link: the browser saves the file). */
export function templateUrl(format: TTemplateFormat): string {
  return `${API_BASE}/imports/households/template?format=${format}`;
}
