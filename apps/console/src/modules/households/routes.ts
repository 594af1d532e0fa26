import type { RouteRecordRaw } from 'vue-router';
import { HOUSEHOLD_READ_ROLES } from './permissions';

/** Routes of the household registry module (户籍管理). */
export const householdRoutes: RouteRecordRaw[] = [
  {
    path: '/households',
    name: 'households',
    component: () => import('./HouseholdList.vue'),
    meta: {
      title: 'households.title',
      roles: HOUSEHOLD_READ_ROLES,
      menuIcon: 'households',
      menuOrder: 30,
      quickLink: 'households.quickLink',
    },
  },
];
