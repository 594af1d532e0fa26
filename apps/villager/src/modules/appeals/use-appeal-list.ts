/** One appeal list (mine / following / public), page by page, newest first. */
import type { TAppealListItem } from '@cunwu/contract';
import { useCursorList, type TCursorList } from '@/composables/use-cursor-list';
import { fetchAppeals, type TAppealView } from './api';

/** State of one list, driven by Vant's List (load more on scroll) and PullRefresh. */
export function useAppealList(view: TAppealView): TCursorList<TAppealListItem> {
  return useCursorList((cursor) => fetchAppeals(view, { cursor }));
}
