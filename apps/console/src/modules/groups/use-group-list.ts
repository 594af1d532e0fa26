import { computed, reactive, ref, shallowRef, watch, type Ref } from 'vue';
import type { TGroup } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { findGroups } from './api';

/** Client-side filters: a region's groups come back in one answer (a village has a handful, a county hundreds). */
export interface TGroupFilters {
  q: string;
  platform: TGroup['platform'] | '';
  status: 'active' | 'inactive' | '';
}

/** The groups of the selected region, reloaded when it changes, filtered in the browser. */
export function useGroupList(region: Ref<string>) {
  const filters = reactive<TGroupFilters>({ q: '', platform: '', status: '' });
  const all = shallowRef<TGroup[]>([]);
  const isLoading = ref(false);
  const loadError = ref('');
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    if (!region.value) {
      all.value = [];
      return;
    }
    const current = new AbortController();
    controller = current;
    isLoading.value = true;
    try {
      const groups = await findGroups(region.value, current.signal);
      // A stable order (village, then name) so rows do not jump between reloads.
      all.value = [...groups].sort((x, y) => x.villageName.localeCompare(y.villageName, 'zh-CN') || x.name.localeCompare(y.name, 'zh-CN'));
      loadError.value = '';
    } catch (error) {
      if (current.signal.aborted) return;
      all.value = [];
      loadError.value = errorMessage(error);
    } finally {
      if (controller === current) isLoading.value = false;
    }
  }

  const items = computed(() => {
    const q = filters.q.trim();
    return all.value.filter(
      (g) =>
        (!q || g.name.includes(q) || g.villageName.includes(q) || (g.externalName ?? '').includes(q)) &&
        (!filters.platform || g.platform === filters.platform) &&
        (!filters.status || g.isActive === (filters.status === 'active')),
    );
  });

  /** Put a created or edited group in place (new ones first). */
  function upsert(group: TGroup): void {
    const index = all.value.findIndex((g) => g.id === group.id);
    all.value = index === -1 ? [group, ...all.value] : all.value.map((g) => (g.id === group.id ? group : g));
  }

  function resetFilters(): void {
    filters.q = '';
    filters.platform = '';
    filters.status = '';
  }

  watch(region, () => void load(), { immediate: true });

  return { filters, all, items, isLoading, loadError, load, upsert, resetFilters };
}
