/**
 * Category colours of the 村务公开 pages. No value imports from the contract here: the list page
 * loads this, and the contract's finance and disclosure files would bring their schemas (and zod).
 */

/** Colours of the catalogue's categories (党务 red as the party's, 村务 blue, 财务 amber). */
export const CATEGORY_STYLES: Record<string, { color: string; background: string; icon: string }> = {
  party: { color: '#b3261e', background: '#fdecea', icon: 'flag-o' },
  village: { color: '#1553a0', background: '#e8f1fc', icon: 'wap-home-o' },
  finance: { color: '#8a5300', background: '#fff4e5', icon: 'balance-o' },
};
const OTHER_STYLE = { color: '#4a4c50', background: '#eceef1', icon: 'notes-o' };

/** Colour and icon of a category, grey for one the app does not know. */
export function categoryStyleOf(category: string): { color: string; background: string; icon: string } {
  return CATEGORY_STYLES[category] ?? OTHER_STYLE;
}
