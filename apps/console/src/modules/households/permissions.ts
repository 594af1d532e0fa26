import type { TRole } from '@cunwu/contract';
import { useSession } from '@/modules/auth/use-session';

/** Roles that may read the household registry (the server's `households.read`). */
export const HOUSEHOLD_READ_ROLES = [
  'group_admin',
  'village_cadre',
  'resident_cadre',
  'town_officer',
  'county_officer',
  'city_officer',
  'discipline_officer',
  'admin',
] as const satisfies readonly TRole[];

/** Roles that may edit households and members of their village (`households.manage`). */
export const HOUSEHOLD_EDIT_ROLES = ['group_admin', 'village_cadre'] as const satisfies readonly TRole[];

/** Roles that may read a full phone number, audited (`personal.reveal`). */
export const PHONE_REVEAL_ROLES = ['group_admin', 'village_cadre'] as const satisfies readonly TRole[];

/**
 * What the session may do with the households of a region. Only hides buttons: the server checks
 * role and scope on every request anyway.
 */
export function useHouseholdPermissions() {
  const session = useSession();

  return {
    /** Whether the user may add and edit households and members in this village. */
    canEdit: (regionCode: string) => session.holdsRoleIn(HOUSEHOLD_EDIT_ROLES, regionCode),
    /** Whether the user may reveal full phone numbers of this village's members. */
    canReveal: (regionCode: string) => session.holdsRoleIn(PHONE_REVEAL_ROLES, regionCode),
    /** Whether the user may edit anywhere at all (the page shows an explanation otherwise). */
    canEditSomewhere: () => session.hasRole(...HOUSEHOLD_EDIT_ROLES),
  };
}
