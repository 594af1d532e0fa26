import type { TRole } from '@cunwu/contract';

/*
 * Which console roles may do what with appeals. They mirror the server (kernel/policy.ts and the
 * appeals service); the server still decides, these only hide what would be refused.
 */

/** Roles that hold appeals and so have a worklist: the cadre of the village, the officer of each level, the department's handler. */
export const APPEAL_WORKLIST_ROLES = ['village_cadre', 'town_officer', 'county_officer', 'city_officer', 'department_handler'] as const satisfies readonly TRole[];

/** May read every appeal of his region (`appeals.read`): the 辖区全部 view and the statistics. */
export const APPEAL_READ_ROLES = [
  'group_admin',
  'village_cadre',
  'resident_cadre',
  'town_officer',
  'county_officer',
  'city_officer',
  'discipline_officer',
] as const satisfies readonly TRole[];

/** May open the 诉求办理 page: holders, and discipline officers who supervise (督办) without holding. */
export const APPEAL_HANDLE_PAGE_ROLES = [...APPEAL_WORKLIST_ROLES, 'discipline_officer'] as const satisfies readonly TRole[];

/** May register a call, a visit or a chat post as an appeal (`appeals.register`). */
export const APPEAL_REGISTER_ROLES = ['group_admin', 'village_cadre', 'town_officer', 'county_officer', 'city_officer'] as const satisfies readonly TRole[];
