import type { RouteRecordRaw } from 'vue-router';

/** Routes of the regions module (inside the main layout). */
export const regionRoutes: RouteRecordRaw[] = [
  {
    path: '/regions',
    name: 'regions',
    component: () => import('./RegionTreePage.vue'),
    meta: { title: 'regions.title', menuIcon: 'regions', menuOrder: 20 },
  },
];
