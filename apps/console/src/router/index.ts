import { createRouter, createWebHistory } from 'vue-router';
import AppLayout from '@/layout/AppLayout.vue';
import { adminUserRoutes } from '@/modules/admin/users/routes';
import { authRoutes } from '@/modules/auth/routes';
import { installAuthGuard } from '@/modules/auth/guard';
import { homeRoutes } from '@/modules/home/routes';
import { coverageRoutes } from '@/modules/coverage/routes';
import { householdRoutes } from '@/modules/households/routes';
import { importRoutes } from '@/modules/imports/routes';
import { regionRoutes } from '@/modules/regions/routes';
import { groupRoutes } from '@/modules/groups/routes';
import { chatPostRoutes } from '@/modules/chat-posts/routes';
import { outboxRoutes } from '@/modules/outbox/routes';
import { appealRoutes } from '@/modules/appeals/routes';
import { financeRoutes } from '@/modules/finance/routes';
import { disclosureRoutes } from '@/modules/disclosures/routes';

/** The console router: public auth pages, then every module's pages inside the main layout. */
export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    ...authRoutes,
    {
      path: '/',
      component: AppLayout,
      children: [
        ...homeRoutes,
        ...appealRoutes,
        ...financeRoutes,
        ...disclosureRoutes,
        ...regionRoutes,
        ...householdRoutes,
        ...coverageRoutes,
        ...importRoutes,
        ...groupRoutes,
        ...chatPostRoutes,
        ...outboxRoutes,
        ...adminUserRoutes,
        {
          path: '/:pathMatch(.*)*',
          name: 'not-found',
          component: () => import('@/components/NotFoundPage.vue'),
          meta: { title: 'notFound.title' },
        },
      ],
    },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

installAuthGuard(router);
