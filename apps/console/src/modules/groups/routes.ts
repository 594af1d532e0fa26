import type { RouteRecordRaw } from 'vue-router';
import { GROUP_READ_ROLES } from './group-roles';

/** Routes of the supervision groups module (监督群). */
export const groupRoutes: RouteRecordRaw[] = [
  {
    path: '/groups',
    name: 'groups',
    component: () => import('./GroupList.vue'),
    meta: { title: 'groups.title', roles: GROUP_READ_ROLES, menuIcon: 'groups', menuOrder: 40, quickLink: 'groups.quickLink' },
  },
];
