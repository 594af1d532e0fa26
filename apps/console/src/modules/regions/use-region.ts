import { ref, shallowRef, watch, type Ref } from 'vue';
import type { TRegion } from '@cunwu/contract';
import { isApiError, type ApiError } from '@/api/http';
import { fetchRegion, fetchRegionChildren } from './api';

/** Load a region and its children whenever `code` changes; stale answers are dropped. */
export function useRegion(code: Ref<string | null>) {
  const region = shallowRef<TRegion | null>(null);
  const children = shallowRef<TRegion[]>([]);
  const error = shallowRef<ApiError | Error | null>(null);
  const isLoading = ref(false);
  let controller: AbortController | null = null;

  async function load(value: string | null): Promise<void> {
    controller?.abort();
    region.value = null;
    children.value = [];
    error.value = null;
    if (!value) return;
    const current = new AbortController();
    controller = current;
    isLoading.value = true;
    try {
      const [one, many] = await Promise.all([fetchRegion(value, current.signal), fetchRegionChildren(value, current.signal)]);
      region.value = one;
      children.value = many;
    } catch (caught) {
      if (current.signal.aborted) return;
      error.value = isApiError(caught) ? caught : caught instanceof Error ? caught : new Error(String(caught));
    } finally {
      if (controller === current) isLoading.value = false;
    }
  }

  watch(code, (value) => void load(value), { immediate: true });

  return { region, children, error, isLoading, reload: () => load(code.value) };
}
