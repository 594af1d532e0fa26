import { ref, shallowRef, watch } from 'vue';
import type { TGroup } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { findGroups, useScopeRoots } from '@/modules/groups';

/** The active groups in the user's scopes, for the registration form's group picker. */
export function useMyGroups() {
  const { roots } = useScopeRoots();
  const groups = shallowRef<TGroup[]>([]);
  const isLoading = ref(false);
  const loadError = ref('');

  async function load(): Promise<void> {
    isLoading.value = true;
    try {
      const lists = await Promise.all(roots.value.map((r) => findGroups(r.code)));
      groups.value = lists.flat().filter((g) => g.isActive);
      loadError.value = '';
    } catch (error) {
      loadError.value = errorMessage(error);
    } finally {
      isLoading.value = false;
    }
  }

  watch(() => roots.value.map((r) => r.code).join(), () => void load(), { immediate: true });

  return { groups, isLoading, loadError, reload: load };
}
