import { ref, shallowRef } from 'vue';
import type { TLedgerLine, TLedgerMonth } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { fetchLedgerMonth } from './api';

/** One month of one village's ledger; a newer request cancels the one before (quick month switching). */
export function useLedgerMonth() {
  const data = shallowRef<TLedgerMonth | null>(null);
  const isLoading = ref(false);
  const error = ref('');
  let controller: AbortController | null = null;

  async function load(villageCode: string, month: string): Promise<void> {
    controller?.abort();
    if (!villageCode) {
      data.value = null;
      error.value = '';
      return;
    }
    const current = new AbortController();
    controller = current;
    isLoading.value = true;
    try {
      const fresh = await fetchLedgerMonth(villageCode, month, current.signal);
      if (current.signal.aborted) return;
      data.value = fresh;
      error.value = '';
    } catch (caught) {
      if (current.signal.aborted) return;
      data.value = null;
      error.value = errorMessage(caught);
    } finally {
      if (controller === current) isLoading.value = false;
    }
  }

  /** Show a saved line at once (the totals follow with the reload the page does next). */
  function replaceLine(line: TLedgerLine): void {
    const month = data.value;
    if (!month) return;
    const index = month.lines.findIndex((l) => l.id === line.id);
    if (index === -1) return;
    data.value = { ...month, lines: month.lines.map((l) => (l.id === line.id ? line : l)) };
  }

  return { data, isLoading, error, load, replaceLine };
}
