import type { RouteRecordRaw } from 'vue-router';

/** Appeal ids are UUIDs; the pattern keeps `/appeals/new` from being read as an id. */
const ID = ':id([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

/**
 * Routes of the 群众诉求 module (children of the tab layout); lazy, so the recorder and the ledger
 * proofs load only here. One parent path without a component, so the 诉求 tab stays lit on every page.
 */
export const appealsRoutes: RouteRecordRaw[] = [
  {
    path: 'appeals',
    children: [
      { path: '', name: 'appeals', component: () => import('./AppealListPage.vue'), meta: { titleKey: 'appeals.titles.list' } },
      { path: 'new', name: 'appeal-new', component: () => import('./AppealSubmitPage.vue'), meta: { titleKey: 'appeals.titles.new', isCached: false } },
      { path: `${ID}/submitted`, name: 'appeal-submitted', component: () => import('./AppealSubmittedPage.vue'), props: true, meta: { titleKey: 'appeals.titles.submitted', isCached: false } },
      { path: ID, name: 'appeal', component: () => import('./AppealDetailPage.vue'), props: true, meta: { titleKey: 'appeals.titles.detail', isCached: false } },
    ],
  },
];
