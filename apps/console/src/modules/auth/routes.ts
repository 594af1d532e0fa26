import type { RouteRecordRaw } from 'vue-router';

/** Routes of the auth module (outside the main layout). */
export const authRoutes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./LoginPage.vue'),
    meta: { title: 'auth.title', isPublic: true },
  },
];
