import type { RouteRecordRaw } from 'vue-router';
import type { TRole } from '@cunwu/contract';

/** Roles that may import the registry (the server's `households.import`). */
export const IMPORT_ROLES = ['group_admin', 'village_cadre', 'admin'] as const satisfies readonly TRole[];

/** Routes of the registry import module (批量导入). */
export const importRoutes: RouteRecordRaw[] = [
  {
    path: '/imports',
    name: 'imports',
    component: () => import('./ImportPage.vue'),
    meta: { title: 'imports.title', roles: IMPORT_ROLES, menuIcon: 'imports', menuOrder: 34, quickLink: 'imports.quickLink' },
  },
];
