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

/**
 * The village a village page shows (公开管理, 收支明细), kept in `?village=` so links from other pages
 * and reloads keep it. A user whose scope is one village gets it without asking; others pick one.
 * Codes that are not villages of the user's scopes count as not chosen.
 */
export function useRouteVillage() {
  const route = useRoute();
  const router = useRouter();
  const { roots, singleVillage } = useScopeRoots();

  const village = computed<string>(() => {
    const asked = route.query.village;
    if (typeof asked === 'string' && /^\d{12}$/.test(asked) && regionLevelOf(asked) === 'village' && roots.value.some((r) => isWithinRegion(asked, r.code))) return asked;
    return singleVillage.value?.code ?? '';
  });

  function setVillage(code: string): void {
    if (code === village.value) return;
    const query = { ...route.query };
    if (code) query.village = code;
    else delete query.village;
    void router.replace({ query });
  }

  return { village, setVillage, roots, singleVillage };
}
