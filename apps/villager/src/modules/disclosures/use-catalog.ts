/** Names of the catalogue's categories and items in the reader's language (the API's rows carry Chinese). */
import { computed, shallowRef, type ComputedRef } from 'vue';
import type { TDisclosureCatalog } from '@cunwu/contract';
import { i18n } from '@/i18n';
import { fetchCatalog } from './api';

const catalog = shallowRef<TDisclosureCatalog | null>(null);

/** The catalogue once loaded (shared by every page of the module), and name look-ups that fall back to what the row says. */
export function useCatalog(): {
  categories: ComputedRef<{ code: string; name: string }[]>;
  categoryName: (code: string) => string | null;
  itemName: (code: string, fallback: string) => string;
  load: () => Promise<void>;
} {
  const isEnglish = computed(() => i18n.global.locale.value === 'en');
  const categories = computed(() => (catalog.value?.categories ?? []).map((c) => ({ code: c.code, name: isEnglish.value ? c.en : c.zh })));
  const items = computed(() => new Map((catalog.value?.items ?? []).map((item) => [item.code, isEnglish.value ? item.en : item.zh])));

  return {
    categories,
    categoryName: (code) => categories.value.find((c) => c.code === code)?.name ?? null,
    itemName: (code, fallback) => items.value.get(code) ?? fallback,
    /** Fetch once; without it the pages still work, with Chinese item names and no category tabs. */
    load: async () => {
      if (catalog.value !== null) return;
      try {
        catalog.value = await fetchCatalog();
      } catch {
        // Names fall back to the rows' own.
      }
    },
  };
}
