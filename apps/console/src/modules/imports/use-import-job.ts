import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { TImportJob } from '@cunwu/contract';
import { errorMessage, isApiError } from '@/api/http';
import { fetchImportJob } from './api';
import { isImportActive } from './import-status';

/** How often a running job is asked for progress. */
const POLL_MS = 1000;
/** After a failed poll, wait longer before asking again (the server may be restarting). */
const RETRY_MS = 3000;

/**
 * Follow one import job: load it, then poll `GET /imports/{id}` every second until it is done or
 * failed. `onFinished` runs once when a job seen running comes to an end.
 */
export function useImportJob(id: Ref<string | null>, onFinished?: (job: TImportJob) => void) {
  const job = shallowRef<TImportJob | null>(null);
  const error = ref('');
  const isMissing = ref(false);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let controller: AbortController | null = null;

  function stop(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    controller?.abort();
    controller = null;
  }

  async function poll(value: string, wasActive: boolean): Promise<void> {
    const current = new AbortController();
    controller = current;
    try {
      const fresh = await fetchImportJob(value, current.signal);
      if (current.signal.aborted) return;
      job.value = fresh;
      error.value = '';
      const isActive = isImportActive(fresh);
      if (isActive) timer = setTimeout(() => void poll(value, true), POLL_MS);
      else if (wasActive) onFinished?.(fresh);
    } catch (caught) {
      if (current.signal.aborted) return;
      if (isApiError(caught) && caught.status === 404) {
        isMissing.value = true;
        job.value = null;
        return;
      }
      error.value = errorMessage(caught);
      timer = setTimeout(() => void poll(value, wasActive), RETRY_MS);
    }
  }

  watch(
    id,
    (value) => {
      stop();
      job.value = null;
      error.value = '';
      isMissing.value = false;
      if (value) void poll(value, false);
    },
    { immediate: true },
  );

  onBeforeUnmount(stop);

  return { job, error, isMissing };
}
