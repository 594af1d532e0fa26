import type { RouteRecordRaw } from 'vue-router';

/** Routes of the auth module: the villager login page. */
export const authRoutes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./LoginPage.vue'),
    meta: { isPublic: true, titleKey: 'nav.login' },
  },
];
