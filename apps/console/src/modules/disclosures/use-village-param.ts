import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { isWithinRegion, regionLevelOf, type TRole } from '@cunwu/contract';
import { useSession } from '@/modules/auth/use-session';
import { useScopeRoots } from '@/modules/groups';

/**
 * The village a disclosure page is about, kept in `?village=` so links from the compliance page and
 * reloads keep it. A user whose scope is one village gets it without asking; others pick one.
 */
export function useVillageParam() {
  const route = useRoute();
  const router = useRouter();
  const session = useSession();
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

  /** Whether the user holds one of `roles` over the village (buttons only; the server decides). */
  function holdsIn(roles: readonly TRole[], code: string): boolean {
    return session.roles.value.some((r) => roles.includes(r.role) && isWithinRegion(code, r.regionCode));
  }

  return { village, setVillage, singleVillage, roots, holdsIn };
}
