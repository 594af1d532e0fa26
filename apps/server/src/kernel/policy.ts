import { regionPrefix, type TRole } from '@cunwu/contract';
import { AppError } from './errors';

/** The authenticated user as every service sees him. */
export interface TActor {
  userId: string;
  kind: 'official' | 'villager';
  name: string;
  roles: { id: string; role: TRole; regionCode: string }[];
}

/** A data scope: the region-code prefixes whose rows the actor may touch for one permission. */
export interface TScope {
  prefixes: string[];
}

/**
 * Which roles grant each permission. Declarative so that a reviewer reads one table; a permission
 * not listed here is granted to nobody (fails closed).
 */
export const PERMISSIONS = {
  'regions.read': ['villager', 'group_admin', 'bookkeeper', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'department_handler', 'discipline_officer', 'admin'],
  'regions.import': ['admin'],
  'users.manage': ['admin'],
  'audit.read': ['admin', 'discipline_officer'],
  'ledger.checkpoint': ['admin'],
  'households.read': ['group_admin', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer', 'admin'],
  'households.manage': ['group_admin', 'village_cadre'],
  'households.import': ['group_admin', 'village_cadre', 'admin'],
  /** Reading a full phone number (audited). */
  'personal.reveal': ['group_admin', 'village_cadre'],
  'coverage.read': ['group_admin', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer', 'admin'],
  'groups.read': ['group_admin', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer', 'admin'],
  'groups.manage': ['group_admin', 'village_cadre', 'admin'],
  /** Members read their own groups' feeds; officials read the feeds of their scope. */
  'feed.read': ['villager', 'group_admin', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer'],
  'feed.post_message': ['villager', 'group_admin', 'village_cadre'],
  'feed.post_notice': ['group_admin', 'village_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer', 'admin'],
  'outbox.read': ['group_admin', 'village_cadre', 'town_officer', 'county_officer', 'city_officer', 'admin'],
  'outbox.retry': ['group_admin', 'village_cadre', 'admin'],
  'appeals.submit': ['villager'],
  /** An official registers an appeal from a chat post, a call or a visit. */
  'appeals.register': ['group_admin', 'village_cadre', 'town_officer', 'county_officer', 'city_officer'],
  'appeals.read': ['group_admin', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer'],
  'chat_posts.register': ['group_admin', 'village_cadre'],
  'chat_posts.read': ['group_admin', 'village_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer'],
  /** Published disclosures (公开): villagers of the village, officials in scope. */
  'disclosures.read': ['villager', 'group_admin', 'bookkeeper', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer', 'admin'],
  /** Draft, edit and submit disclosures of the village (and read its unpublished ones). */
  'disclosures.draft': ['bookkeeper', 'village_cadre'],
  'disclosures.publish': ['village_cadre'],
  'disclosures.catalog': ['admin'],
  /** The village ledger (收支明细) and its invoices, unpublished lines included: the village's bookkeeper and cadres, reviewers, supervisors. */
  'finance.read': ['bookkeeper', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer'],
  /** Enter and edit income and expense lines, upload and confirm invoices, import sheets. */
  'finance.write': ['bookkeeper', 'village_cadre'],
  /** Joint review (联审) of expenses and F01 disclosures: the resident cadre of the village's town. */
  'finance.review': ['resident_cadre'],
  'disclosures.compliance': ['bookkeeper', 'village_cadre', 'resident_cadre', 'town_officer', 'county_officer', 'city_officer', 'discipline_officer', 'admin'],
} as const satisfies Record<string, readonly TRole[]>;
/** A permission name. */
export type TPermission = keyof typeof PERMISSIONS;

/**
 * The scope in which `actor` holds `permission`, or FORBIDDEN. Nested scopes collapse to the widest
 * so queries stay short.
 */
export function authorize(actor: TActor | null, permission: TPermission): TScope {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const allowed: readonly TRole[] = PERMISSIONS[permission];
  const prefixes = actor.roles.filter((r) => allowed.includes(r.role)).map((r) => regionPrefix(r.regionCode));
  if (prefixes.length === 0) throw new AppError('FORBIDDEN', `requires ${permission}`);
  return { prefixes: collapsePrefixes(prefixes) };
}

/** Whether the actor holds the permission at all. */
export function can(actor: TActor | null, permission: TPermission): boolean {
  if (!actor) return false;
  const allowed: readonly TRole[] = PERMISSIONS[permission];
  return actor.roles.some((r) => allowed.includes(r.role));
}

/** Whether a region code lies in the scope. */
export function isInScope(scope: TScope, regionCode: string): boolean {
  return scope.prefixes.some((p) => regionCode.startsWith(p));
}

/** Drop prefixes covered by a shorter one: ['3505', '350524'] → ['3505']. */
export function collapsePrefixes(prefixes: string[]): string[] {
  const sorted = [...new Set(prefixes)].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}
