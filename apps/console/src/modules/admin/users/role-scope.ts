import { ROLE_SCOPE_LEVELS, isScopeAllowedForRole, regionLevelOf, type TRole } from '@cunwu/contract';
import { translate } from '@/i18n';
import { levelName, roleName } from '@/utils/labels';

/** A role assignment being edited; empty strings while the admin has not chosen yet. */
export interface TRoleDraft {
  role: TRole | '';
  regionCode: string;
}

/** Levels a role may be scoped at, as words (村（社区）、乡镇（街道）). */
export function allowedLevelsText(role: TRole): string {
  return ROLE_SCOPE_LEVELS[role].map(levelName).join(translate('common.listSeparator'));
}

/** Why this role cannot sit at this region, or '' when the pairing is allowed or not yet complete. */
export function scopeProblem(draft: TRoleDraft): string {
  if (!draft.role || !/^\d{12}$/.test(draft.regionCode)) return '';
  if (isScopeAllowedForRole(draft.role, draft.regionCode)) return '';
  return translate('users.scopeNotAllowed', {
    role: roleName(draft.role),
    levels: allowedLevelsText(draft.role),
    level: levelName(regionLevelOf(draft.regionCode)),
  });
}
