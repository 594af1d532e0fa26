import type { RouteRecordRaw } from 'vue-router';

/** Routes of the user administration module (admin only). */
export const adminUserRoutes: RouteRecordRaw[] = [
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('./UserList.vue'),
    meta: { title: 'users.title', roles: ['admin'], menuIcon: 'users', menuOrder: 90 },
  },
];
