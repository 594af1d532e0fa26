export { groupsRoutes } from './groups.routes';
export { createGroup, ensureGroupByName } from './groups.service';
export { insertDemoGroup, insertGroupMembersBulk } from './groups.repo';
