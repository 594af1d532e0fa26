import type { RouteRecordRaw } from 'vue-router';

/** Routes of the 我的 module (children of the tab layout). */
export const meRoutes: RouteRecordRaw[] = [
  { path: 'me', name: 'me', component: () => import('./MePage.vue'), meta: { titleKey: 'nav.me' } },
];
