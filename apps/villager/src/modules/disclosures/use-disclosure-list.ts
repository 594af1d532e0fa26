/** The village's published disclosures, page by page, newest first. */
import type { TDisclosureListItem } from '@cunwu/contract';
import { useCursorList, type TCursorList } from '@/composables/use-cursor-list';
import { fetchVillageDisclosures } from './api';

/**
 * State of the list, driven by Vant's List (load more on scroll) and PullRefresh. The API pages by
 * time only, so category filtering happens on the loaded rows (a village publishes a few dozen a year).
 * Without a village there is nothing to list.
 */
export function useDisclosureList(villageCode: () => string | null): TCursorList<TDisclosureListItem> {
  return useCursorList((cursor) => {
    const code = villageCode();
    return code === null ? null : fetchVillageDisclosures(code, { cursor });
  });
}
