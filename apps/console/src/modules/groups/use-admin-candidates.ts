import { ref, shallowRef, watch, type Ref } from 'vue';
import type { TUser } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { findOfficials } from './api';
import { GROUP_ADMIN_CANDIDATE_ROLES } from './group-roles';

/** One choice of the group-admin picker. */
export interface TAdminCandidate {
  id: string;
  name: string;
  detail: string;
}

/**
 * Officials of a village who can keep its group (网格员, 村干部), for the admin-only picker.
 * `GET /users` is an admin endpoint, so only call this with `enabled` true for the platform admin.
 */
export function useAdminCandidates(village: Ref<string>, enabled: Ref<boolean>) {
  const candidates = shallowRef<TUser[]>([]);
  const isLoading = ref(false);
  const loadError = ref('');
  let controller: AbortController | null = null;

  async function load(code: string): Promise<void> {
    controller?.abort();
    candidates.value = [];
    loadError.value = '';
    if (!enabled.value || !/^\d{12}$/.test(code)) return;
    const current = new AbortController();
    controller = current;
    isLoading.value = true;
    try {
      const pages = await Promise.all(GROUP_ADMIN_CANDIDATE_ROLES.map((role) => findOfficials(role, code, current.signal)));
      const byId = new Map<string, TUser>();
      for (const user of pages.flatMap((p) => p.items)) if (user.isActive) byId.set(user.id, user);
      candidates.value = [...byId.values()];
    } catch (error) {
      if (!current.signal.aborted) loadError.value = errorMessage(error);
    } finally {
      if (controller === current) isLoading.value = false;
    }
  }

  watch([village, enabled], ([code]) => void load(code), { immediate: true });

  return { candidates, isLoading, loadError };
}
