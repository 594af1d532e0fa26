import type { RouteRecordRaw } from 'vue-router';

/** Disclosure ids are UUIDs (feed notices link to `/disclosures/{id}`). */
const ID = ':id([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

/**
 * Routes of the 村务公开 module (children of the tab layout); lazy, so the ledger proofs and the
 * accounts view load only here. One parent path without a component, so the 公开 tab stays lit on a
 * disclosure's page too.
 */
export const disclosuresRoutes: RouteRecordRaw[] = [
  {
    path: 'disclosures',
    children: [
      { path: '', name: 'disclosures', component: () => import('./DisclosureListPage.vue'), meta: { titleKey: 'disclosures.titles.list' } },
      { path: ID, name: 'disclosure', component: () => import('./DisclosureDetailPage.vue'), props: true, meta: { titleKey: 'disclosures.titles.detail', isCached: false } },
    ],
  },
];
