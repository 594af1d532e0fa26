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
