import { createRouter, createWebHistory, START_LOCATION, type LocationQueryValue } from 'vue-router';
import { isApiError, onUnauthenticated } from '@/api/http';
import TabLayout from '@/layouts/TabLayout.vue';
import { appealsRoutes } from '@/modules/appeals/routes';
import { authRoutes } from '@/modules/auth/routes';
import { clearSession, loadSession, useSession } from '@/modules/auth/use-session';
import { disclosuresRoutes } from '@/modules/disclosures/routes';
import { feedRoutes } from '@/modules/feed/routes';
import { homeRoutes } from '@/modules/home/routes';
import { ledgerRoutes } from '@/modules/ledger/routes';
import { meRoutes } from '@/modules/me/routes';

/** The app's router: login outside, logged-in pages inside the tab layout. */
export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    ...authRoutes,
    { path: '/', component: TabLayout, children: [...homeRoutes, ...feedRoutes, ...appealsRoutes, ...meRoutes, ...ledgerRoutes, ...disclosuresRoutes] },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
  // Back to a list returns to where he was reading; anything else opens at the top.
  scrollBehavior: (_to, _from, savedPosition) => savedPosition ?? { top: 0 },
});

/** Only same-app paths are followed after login (no `//evil.example` open redirects). */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const path = Array.isArray(value) ? value[0] : value;
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/';
}

const { me } = useSession();

router.beforeEach(async (to, from) => {
  if (to.meta.isPublic) {
    if (to.name !== 'login') return true;
    // Someone still logged in (cookie alive) goes straight home; the probe also fetches the CSRF
    // token that the code request would otherwise be refused without. Only on the first page
    // load: inside the app the session state is already known (e.g. right after logging out).
    if (me.value === null && from === START_LOCATION) await loadSession({ skipAuthRedirect: true }).catch(() => null);
    return me.value ? { path: safeRedirect(to.query.redirect) } : true;
  }
  if (me.value) return true;
  try {
    await loadSession({ skipAuthRedirect: true });
    return true;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    // No answer (weak signal): open the page anyway; it shows the error with a retry button.
    return true;
  }
});

onUnauthenticated(() => {
  clearSession();
  const current = router.currentRoute.value;
  if (!current.meta.isPublic) {
    void router.replace({ name: 'login', query: current.fullPath === '/' ? {} : { redirect: current.fullPath } });
  }
});
