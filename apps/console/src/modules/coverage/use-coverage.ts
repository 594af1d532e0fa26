import { ref, shallowRef, watch, type Ref } from 'vue';
import type { TChildCoverage, TCoverage, TRegion } from '@cunwu/contract';
import { errorMessage, isApiError } from '@/api/http';
import { fetchRegion } from '@/modules/regions';
import { fetchChildCoverage, fetchCoverage } from './api';

/** Load a region, its coverage and its children's coverage whenever `code` changes; stale answers are dropped. */
export function useCoverage(code: Ref<string | null>) {
  const region = shallowRef<TRegion | null>(null);
  const coverage = shallowRef<TCoverage | null>(null);
  const children = shallowRef<TChildCoverage>([]);
  const error = ref('');
  const isMissing = ref(false);
  const isLoading = ref(false);
  let controller: AbortController | null = null;

  async function load(value: string | null): Promise<void> {
    controller?.abort();
    error.value = '';
    isMissing.value = false;
    if (!value) {
      region.value = null;
      coverage.value = null;
      children.value = [];
      return;
    }
    const current = new AbortController();
    controller = current;
    isLoading.value = true;
    try {
      const [one, totals] = await Promise.all([fetchRegion(value, current.signal), fetchCoverage(value, current.signal)]);
      // A village has no children; asking would only cost a round trip.
      const many = one.level === 'village' ? [] : await fetchChildCoverage(value, current.signal);
      region.value = one;
      coverage.value = totals;
      children.value = many;
    } catch (caught) {
      if (current.signal.aborted) return;
      region.value = null;
      coverage.value = null;
      children.value = [];
      isMissing.value = isApiError(caught) && caught.status === 404;
      error.value = errorMessage(caught);
    } finally {
      if (controller === current) isLoading.value = false;
    }
  }

  watch(code, (value) => void load(value), { immediate: true });

  return { region, coverage, children, error, isMissing, isLoading, reload: () => load(code.value) };
}
