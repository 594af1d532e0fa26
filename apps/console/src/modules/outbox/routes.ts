import type { RouteRecordRaw } from 'vue-router';
import { OUTBOX_READ_ROLES } from './outbox-labels';

/** Routes of the outbox module (消息投递). */
export const outboxRoutes: RouteRecordRaw[] = [
  {
    path: '/outbox',
    name: 'outbox',
    component: () => import('./OutboxList.vue'),
    meta: { title: 'outbox.title', roles: OUTBOX_READ_ROLES, menuIcon: 'outbox', menuOrder: 80, quickLink: 'outbox.quickLink' },
  },
];
