import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { isWithinRegion, regionLevelOf } from '@cunwu/contract';
import { useSession } from '@/modules/auth/use-session';

/** The user's outermost scopes (a scope nested in another of his scopes would show twice). */
export function useScopeRoots() {
  const session = useSession();
  const roots = computed(() => {
    const scopes = session.scopes.value;
    return scopes.filter((s) => !scopes.some((o) => o.code !== s.code && isWithinRegion(s.code, o.code)));
  });
  /** A user whose whole scope is one village (网格员, 村干部) never needs to pick a region. */
  const singleVillage = computed(() => {
    const only = roots.value.length === 1 ? roots.value[0] : undefined;
    return only && regionLevelOf(only.code) === 'village' ? only : null;
  });
  return { roots, singleVillage };
}

/**
 * The region a list page shows, kept in `?region=` so a reload or a shared link keeps it; defaults to
 * the user's first scope. Codes outside the user's scopes fall back to the default.
 */
export function useRouteRegion() {
  const route = useRoute();
  const router = useRouter();
  const { roots, singleVillage } = useScopeRoots();

  const region = computed<string>(() => {
    const asked = route.query.region;
    if (typeof asked === 'string' && /^\d{12}$/.test(asked) && roots.value.some((r) => isWithinRegion(asked, r.code))) return asked;
    return roots.value[0]?.code ?? '';
  });

  function setRegion(code: string): void {
    if (code === region.value) return;
    void router.replace({ query: { ...route.query, region: code } });
  }

  return { region, setRegion, roots, singleVillage };
}
