/** What other modules may use from the groups module. */
export { findGroups, searchHouseholds, type THouseholdSearch } from './api';
export { default as GroupPlatformTag } from './GroupPlatformTag.vue';
export { default as RegionScopePicker } from './RegionScopePicker.vue';
export { useRouteRegion, useRouteVillage, useScopeRoots } from './use-scope-region';
