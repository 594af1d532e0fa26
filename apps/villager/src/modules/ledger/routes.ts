import type { RouteRecordRaw } from 'vue-router';

/** Routes of the 透明账本 module (children of the tab layout); lazy, so the crypto code loads only here. */
export const ledgerRoutes: RouteRecordRaw[] = [
  { path: 'ledger', name: 'ledger', component: () => import('./LedgerPage.vue'), meta: { titleKey: 'ledger.title' } },
];
