import type { RouteRecordRaw } from 'vue-router';
import { APPEAL_HANDLE_PAGE_ROLES, APPEAL_READ_ROLES, APPEAL_REGISTER_ROLES } from './appeal-roles';

/** Routes of the appeals module (群众诉求): the worklist with its detail drawer, registration, statistics. */
export const appealRoutes: RouteRecordRaw[] = [
  {
    path: '/appeals',
    name: 'appeals',
    component: () => import('./AppealWorklistPage.vue'),
    meta: { title: 'appeals.title', roles: APPEAL_HANDLE_PAGE_ROLES, menuIcon: 'appeals', menuOrder: 12, quickLink: 'appeals.quickLink' },
  },
  {
    path: '/appeals/register',
    name: 'appeal-register',
    component: () => import('./AppealRegisterPage.vue'),
    meta: { title: 'appeals.register.title', roles: APPEAL_REGISTER_ROLES, menuIcon: 'appealRegister', menuOrder: 13, quickLink: 'appeals.register.quickLink' },
  },
  {
    path: '/appeals/stats',
    name: 'appeal-stats',
    component: () => import('./AppealStatsPage.vue'),
    meta: { title: 'appeals.stats.title', roles: APPEAL_READ_ROLES, menuIcon: 'appealStats', menuOrder: 14, quickLink: 'appeals.stats.quickLink' },
  },
];
