import type { RouteRecordRaw } from 'vue-router';
import { FINANCE_READ_ROLES, FINANCE_REVIEW_ROLES } from './finance-roles';

/** Routes of the village finance module: the ledger (收支明细) and the resident cadre's joint review (联审). */
export const financeRoutes: RouteRecordRaw[] = [
  {
    path: '/finance/ledger',
    name: 'finance-ledger',
    component: () => import('./LedgerPage.vue'),
    meta: { title: 'finance.ledger.title', roles: FINANCE_READ_ROLES, menuIcon: 'finance', menuOrder: 50, quickLink: 'finance.ledger.quickLink' },
  },
  {
    path: '/finance/reviews',
    name: 'finance-reviews',
    component: () => import('./ReviewQueuePage.vue'),
    meta: { title: 'finance.reviews.title', roles: FINANCE_REVIEW_ROLES, menuIcon: 'financeReview', menuOrder: 51, quickLink: 'finance.reviews.quickLink' },
  },
];
