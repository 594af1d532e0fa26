import type { RouteRecordRaw } from 'vue-router';

/** Routes of the home module (inside the main layout). */
export const homeRoutes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'home',
    component: () => import('./HomePage.vue'),
    meta: { title: 'home.title', menuIcon: 'home', menuOrder: 10 },
  },
];
