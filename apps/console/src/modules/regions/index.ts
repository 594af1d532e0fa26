/** What other modules may use from the regions module. */
export { fetchRegion, fetchRegionChildren } from './api';
export { default as RegionBreadcrumb } from './RegionBreadcrumb.vue';
export { default as RegionLevelTag } from './RegionLevelTag.vue';
export { default as RegionCountCards } from './RegionCountCards.vue';
export { default as RegionCodeInput } from './RegionCodeInput.vue';
export { useRegion } from './use-region';
export { useRegionReport } from './use-region-report';
