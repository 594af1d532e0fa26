import type { RouteRecordRaw } from 'vue-router';
import type { TRole } from '@cunwu/contract';

/** Roles that may read coverage (the server's `coverage.read`): every official with a territory. */
export const COVERAGE_READ_ROLES = [
  'group_admin',
  'village_cadre',
  'resident_cadre',
  'town_officer',
  'county_officer',
  'city_officer',
  'discipline_officer',
  'admin',
] as const satisfies readonly TRole[];

/** Routes of the coverage module (入群覆盖率). */
export const coverageRoutes: RouteRecordRaw[] = [
  {
    path: '/coverage',
    name: 'coverage',
    component: () => import('./CoveragePage.vue'),
    meta: { title: 'coverage.title', roles: COVERAGE_READ_ROLES, menuIcon: 'coverage', menuOrder: 32, quickLink: 'coverage.quickLink' },
  },
];
