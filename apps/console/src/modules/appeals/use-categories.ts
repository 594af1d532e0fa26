import { ref, shallowRef } from 'vue';
import type { TAppealCategory } from '@cunwu/contract';
import { isEnglish } from '@/i18n';
import { fetchCategories } from './api';

// One list for the whole console session: categories change only by configuration.
const categories = shallowRef<TAppealCategory[]>([]);
const isLoaded = ref(false);
let pending: Promise<void> | null = null;

function load(): Promise<void> {
  pending ??= fetchCategories()
    .then((list) => {
      categories.value = list;
      isLoaded.value = true;
    })
    .catch(() => {
      // Lists still show the server's Chinese names; the filter stays empty until the next try.
      pending = null;
    });
  return pending;
}

/** The appeal categories (交通出行, 环境卫生 …), loaded once, with localized names. */
export function useAppealCategories() {
  void load();
  /** Localized name of a category code; `fallback` (the server's Chinese name) until the list is in. */
  function categoryName(code: string, fallback?: string): string {
    const found = categories.value.find((c) => c.code === code);
    if (!found) return fallback ?? code;
    return isEnglish() ? found.nameEn : found.name;
  }
  return { categories, isLoaded, categoryName, reload: load };
}
