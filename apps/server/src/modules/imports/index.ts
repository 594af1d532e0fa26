export { importsRoutes } from './imports.routes';
export { importsJobs, importSettled } from './imports.jobs';
export { runHouseholdImport } from './imports.runner';
export { createHouseholdImport, importHouseholdFile } from './imports.service';
