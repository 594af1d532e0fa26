import { computed, ref, shallowRef } from 'vue';
import type { TDisclosureCatalog, TDisclosureCatalogItem, TDisclosureCategory } from '@cunwu/contract';
import { errorMessage } from '@/api/http';
import { fetchCatalog } from './api';

// One copy per page load: the catalogue changes a few times a year, and every disclosure page needs it.
const catalog = shallowRef<TDisclosureCatalog | null>(null);
const isLoading = ref(false);
const loadError = ref('');
let pending: Promise<void> | null = null;

async function load(force: boolean): Promise<void> {
  if (catalog.value && !force) return;
  pending ??= (async () => {
    isLoading.value = true;
    try {
      catalog.value = await fetchCatalog();
      loadError.value = '';
    } catch (error) {
      loadError.value = errorMessage(error);
    } finally {
      isLoading.value = false;
      pending = null;
    }
  })();
  return pending;
}

/** A category of the catalogue with its items in catalogue order. */
export interface TCatalogGroup {
  category: TDisclosureCategory;
  items: TDisclosureCatalogItem[];
}

/** The disclosure catalogue (公开目录), loaded once and shared; `reload` after an admin edit. */
export function useCatalog() {
  void load(false);
  const items = computed(() => [...(catalog.value?.items ?? [])].sort((a, b) => a.sort - b.sort));
  const groups = computed<TCatalogGroup[]>(() =>
    (catalog.value?.categories ?? []).map((category) => ({ category, items: items.value.filter((i) => i.category === category.code) })),
  );
  const byCode = computed(() => new Map(items.value.map((i) => [i.code, i])));
  const categoryOf = (code: string) => catalog.value?.categories.find((c) => c.code === code) ?? null;
  return {
    catalog,
    items,
    groups,
    byCode,
    categoryOf,
    isLoading,
    loadError,
    reload: () => load(true),
    /** Replace one item after an edit, without asking again. */
    patchItem(item: TDisclosureCatalogItem, snapshot: { ledgerIndex: number | null; digest: string | null }): void {
      if (!catalog.value) return;
      catalog.value = {
        ...catalog.value,
        items: catalog.value.items.map((i) => (i.code === item.code ? item : i)),
        ledgerIndex: snapshot.ledgerIndex ?? catalog.value.ledgerIndex,
        digest: snapshot.digest ?? catalog.value.digest,
        publishedAt: snapshot.ledgerIndex !== catalog.value.ledgerIndex ? new Date().toISOString() : catalog.value.publishedAt,
      };
    },
  };
}
