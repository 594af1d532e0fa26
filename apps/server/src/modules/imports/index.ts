export { importsRoutes } from './imports.routes';
export { importsJobs, importSettled } from './imports.jobs';
export { runHouseholdImport } from './imports.runner';
export { createHouseholdImport, importHouseholdFile } from './imports.service';
export { checkFileKind, ImportFailure, MAX_XLSX_RATIO, openImportSource, readHead } from './imports.sources';
export type { TCell, TRawRow } from './imports.rows';
export { sanitizeFileName } from './imports.service';
export type { TDownload } from './imports.template';
