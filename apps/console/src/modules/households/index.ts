/** What other modules may use from the households module. */
export { findHouseholds } from './api';
export { default as RegionPicker } from './RegionPicker.vue';
export { default as CoverageTag } from './CoverageTag.vue';
export { HOUSEHOLD_READ_ROLES, HOUSEHOLD_EDIT_ROLES, useHouseholdPermissions } from './permissions';
