import { ref, shallowRef, watch, type Ref, type WatchSource } from 'vue';
import type { TRegion } from '@cunwu/contract';
import { errorMessage, isApiError } from '@/api/http';
import { fetchRegion } from './api';

/**
 * A report about a region (statistics, compliance): the region itself, for its path and level, and the
 * report, loaded together whenever the region or one of `alsoWatch` (the period) changes. A newer load
 * cancels the one before, so quick drilling never shows a stale answer.
 */
export function useRegionReport<T>(region: Ref<string | null>, fetchReport: (code: string, signal: AbortSignal) => Promise<T>, alsoWatch: WatchSource[] = []) {
  const report = shallowRef<T | null>(null);
  const regionInfo = shallowRef<TRegion | null>(null);
  const isLoading = ref(false);
  const loadError = ref('');
  const isMissing = ref(false);
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    loadError.value = '';
    isMissing.value = false;
    const code = region.value;
    if (!code) return;
    const current = new AbortController();
    controller = current;
    isLoading.value = true;
    try {
      const [info, numbers] = await Promise.all([fetchRegion(code, current.signal), fetchReport(code, current.signal)]);
      regionInfo.value = info;
      report.value = numbers;
    } catch (error) {
      if (current.signal.aborted) return;
      report.value = null;
      isMissing.value = isApiError(error) && error.status === 404;
      loadError.value = errorMessage(error);
    } finally {
      if (controller === current) isLoading.value = false;
    }
  }

  watch([region, ...alsoWatch], () => void load(), { immediate: true });

  return { report, regionInfo, isLoading, loadError, isMissing, load };
}
