import type { RouteRecordRaw } from 'vue-router';
import { CATALOG_ADMIN_ROLES, COMPLIANCE_READ_ROLES, DISCLOSURE_READ_ROLES } from './disclosure-labels';

/** Routes of the disclosures module (公开): a village's disclosures, one disclosure, compliance (全覆盖), the catalogue. */
export const disclosureRoutes: RouteRecordRaw[] = [
  {
    path: '/disclosures',
    name: 'disclosures',
    component: () => import('./DisclosureListPage.vue'),
    meta: { title: 'disclosures.title', roles: DISCLOSURE_READ_ROLES, menuIcon: 'disclosures', menuOrder: 47, quickLink: 'disclosures.quickLink' },
  },
  {
    path: '/disclosures/:id',
    name: 'disclosure-detail',
    component: () => import('./DisclosureDetailPage.vue'),
    meta: { title: 'disclosures.detail.title', roles: DISCLOSURE_READ_ROLES },
  },
  {
    path: '/compliance',
    name: 'compliance',
    component: () => import('./CompliancePage.vue'),
    meta: { title: 'compliance.title', roles: COMPLIANCE_READ_ROLES, menuIcon: 'compliance', menuOrder: 48, quickLink: 'compliance.quickLink' },
  },
  {
    path: '/disclosure-catalog',
    name: 'disclosure-catalog',
    component: () => import('./CatalogPage.vue'),
    meta: { title: 'disclosures.catalog.title', roles: CATALOG_ADMIN_ROLES, menuIcon: 'catalog', menuOrder: 88 },
  },
];
