export { insertHouseholds, insertMembers } from './households.repo';
