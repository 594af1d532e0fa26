import type { RouteRecordRaw } from 'vue-router';

/** Routes of the 群动态 module (children of the tab layout); lazy, so the feed code loads only here. */
export const feedRoutes: RouteRecordRaw[] = [
  { path: 'feed', name: 'feed', component: () => import('./FeedPage.vue'), meta: { titleKey: 'nav.feed' } },
];
