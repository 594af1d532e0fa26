import type { RouteRecordRaw } from 'vue-router';

/** Routes of the home module (children of the tab layout). */
export const homeRoutes: RouteRecordRaw[] = [
  { path: '', name: 'home', component: () => import('./HomePage.vue'), meta: { titleKey: 'nav.home' } },
];
