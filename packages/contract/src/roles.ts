import { z } from 'zod';
import { regionLevelOf, type TRegionLevel } from './regions';

/** Roles a user may hold, each assigned with a region scope (DESIGN §1). */
export const ROLES = [
  'villager',
  'group_admin',
  'bookkeeper',
  'village_cadre',
  'resident_cadre',
  'town_officer',
  'county_officer',
  'city_officer',
  'department_handler',
  'discipline_officer',
  'admin',
] as const;
/** A role code. */
export type TRole = (typeof ROLES)[number];
/** Zod enum of roles. */
export const ZRole = z.enum(ROLES);

/** Chinese and English names of each role. */
export const ROLE_NAMES: Record<TRole, { zh: string; en: string }> = {
  villager: { zh: '村民', en: 'Villager' },
  group_admin: { zh: '网格员', en: 'Group admin' },
  bookkeeper: { zh: '报账员', en: 'Bookkeeper' },
  village_cadre: { zh: '村干部', en: 'Village cadre' },
  resident_cadre: { zh: '驻村干部', en: 'Resident cadre' },
  town_officer: { zh: '乡镇干部', en: 'Town officer' },
  county_officer: { zh: '县级干部', en: 'County officer' },
  city_officer: { zh: '市级干部', en: 'City officer' },
  department_handler: { zh: '职能部门', en: 'Department handler' },
  discipline_officer: { zh: '纪检监察干部', en: 'Discipline officer' },
  admin: { zh: '平台管理员', en: 'Platform admin' },
};

/** Region levels at which each role may be scoped; a wrong pairing is refused on assignment. */
export const ROLE_SCOPE_LEVELS: Record<TRole, readonly TRegionLevel[]> = {
  villager: ['village'],
  group_admin: ['village'],
  bookkeeper: ['village'],
  village_cadre: ['village'],
  resident_cadre: ['town', 'village'],
  town_officer: ['town'],
  county_officer: ['county'],
  city_officer: ['city'],
  department_handler: ['city', 'county', 'town'],
  discipline_officer: ['city', 'county', 'town'],
  admin: ['province', 'city'],
};

/** Whether a role may be scoped to the given region code. */
export function isScopeAllowedForRole(role: TRole, regionCode: string): boolean {
  return ROLE_SCOPE_LEVELS[role].includes(regionLevelOf(regionCode));
}

/** Roles that use the console (everything but villager). */
export const OFFICIAL_ROLES = ROLES.filter((r) => r !== 'villager');
