import type { Router } from 'vue-router';
import { ElMessage } from 'element-plus';
import { setCsrfRefresher, setUnauthenticatedHandler } from '@/api/http';
import { translate } from '@/i18n';
import { clearSession, ensureSession, hasAnyRole, loadSession } from './use-session';

/** Only same-app paths are accepted as a post-login destination (no open redirect). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

/** Install the session guard: pages need a session (from `GET /me`) and, where declared, a role. */
export function installAuthGuard(router: Router): void {
  setUnauthenticatedHandler(() => {
    clearSession();
    const current = router.currentRoute.value;
    if (current.meta.isPublic) return;
    ElMessage.warning(translate('auth.sessionEnded'));
    void router.replace({ name: 'login', query: { redirect: current.fullPath } });
  });
  setCsrfRefresher(async () => (await loadSession())?.csrfToken ?? null);

  router.beforeEach(async (to) => {
    if (to.meta.isPublic) {
      if (to.name === 'login') {
        const me = await ensureSession().catch(() => null);
        if (me) return safeRedirect(to.query.redirect);
      }
      return true;
    }
    const me = await ensureSession().catch(() => null);
    if (!me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (!hasAnyRole(me, to.matched.flatMap((r) => r.meta.roles ?? []))) {
      ElMessage.error(translate('errors.forbiddenPage'));
      return { name: 'home' };
    }
    return true;
  });

  router.afterEach((to) => {
    const title = to.meta.title ? translate(to.meta.title) : '';
    const app = translate('app.name');
    document.title = title && title !== app ? `${title} - ${app}` : app;
  });
}
