export { appealsRoutes } from './appeals.routes';
export { appealsJobs } from './appeals.jobs';
export { syncWorkCalendar, workCalendar } from './appeals.calendar';
export { submitAppeal, submitAppealFromIntegration, actOnAppeal, rateAppeal, getAppeal, listCategories, listAppeals, processDeadlines } from './appeals.service';
export { findDepartmentByName, insertDepartments } from './appeals.repo';
