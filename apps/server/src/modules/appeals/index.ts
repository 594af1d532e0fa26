export { appealsRoutes } from './appeals.routes';
export { appealsJobs } from './appeals.jobs';
export { syncWorkCalendar, workCalendar } from './appeals.calendar';
export { submitAppeal, submitAppealFromIntegration, actOnAppeal, rateAppeal, getAppeal, listCategories, listAppeals, processDeadlines, listPublicAppeals, getPublicAppeal } from './appeals.service';
export type { TPublicAppeal, TPublicAppealEvent } from './appeals.present';
export { findDepartmentByName, insertDepartments } from './appeals.repo';
