export { insertHouseholds, insertMembers } from './households.repo';
export { householdsRoutes } from './households.routes';
export { createHousehold, createMember, idFields, registerMember } from './households.service';
