import { ROLE_NAMES, type TRegionLevel, type TRole } from '@cunwu/contract';
import { isEnglish, translate } from '@/i18n';

/** Localized name of a role (村干部 / Village cadre). */
export function roleName(role: TRole): string {
  return ROLE_NAMES[role][isEnglish() ? 'en' : 'zh'];
}

/** Localized name of a region level (县（区） / County). */
export function levelName(level: TRegionLevel): string {
  return translate(`regions.level.${level}`);
}

/** Element Plus tag colour of each region level, widest to narrowest. */
export const LEVEL_TAG_TYPES: Record<TRegionLevel, 'danger' | 'warning' | 'primary' | 'success' | 'info'> = {
  province: 'danger',
  city: 'warning',
  county: 'primary',
  town: 'success',
  village: 'info',
};

const CJK = /[\u3400-\u9fff]/;

/** Whether a text has Chinese in it (a server sentence rather than a code or an English fallback). */
export function hasChinese(text: string): boolean {
  return CJK.test(text);
}

/**
 * One language of a server text written `中文 / english` or `english / 中文` (import row reasons and
 * QR messages come in both orders); other texts are returned as they are.
 */
export function localizedText(text: string | null | undefined): string {
  if (!text) return '';
  const parts = text.split(' / ');
  if (parts.length !== 2) return text;
  const [a, b] = parts as [string, string];
  const chinese = CJK.test(a) ? a : CJK.test(b) ? b : null;
  if (!chinese) return text;
  const english = chinese === a ? b : a;
  return (isEnglish() ? english : chinese).trim();
}
