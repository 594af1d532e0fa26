import type { TRole } from '@cunwu/contract';

/*
 * Which console roles may do what with groups, feeds and the outbox. They mirror the server's
 * permission table (apps/server/src/kernel/policy.ts); the server still decides, these only hide
 * what would be refused.
 */

/** May open the groups page (`groups.read`). */
export const GROUP_READ_ROLES: readonly TRole[] = ['group_admin', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer', 'admin'];
/** May create and edit groups and their members (`groups.manage`). */
export const GROUP_MANAGE_ROLES: readonly TRole[] = ['group_admin', 'village_cadre', 'admin'];
/** May read a group's feed (`feed.read`; the platform admin may not). */
export const FEED_READ_ROLES: readonly TRole[] = ['group_admin', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer'];
/** May post a notice to a group (`feed.post_notice`). */
export const NOTICE_POST_ROLES: readonly TRole[] = ['group_admin', 'village_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer', 'admin'];
/** Roles that can be made admins of a group and are offered by the picker. */
export const GROUP_ADMIN_CANDIDATE_ROLES: readonly TRole[] = ['group_admin', 'village_cadre'];
