export { systemRoutes } from './system.routes';
export { findMeta, upsertMeta } from './system.repo';
