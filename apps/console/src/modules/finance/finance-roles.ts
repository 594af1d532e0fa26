import type { TRole } from '@cunwu/contract';

/*
 * Which console roles may do what with the village ledger. They mirror the server's permissions
 * (kernel/policy.ts: finance.read, finance.write, finance.review); the server still decides, these
 * only hide what would be refused. Per-line buttons follow each line's `allowedActions`.
 */

/** May read a village's ledger with unpublished lines and invoices (`finance.read`). */
export const FINANCE_READ_ROLES = [
  'bookkeeper',
  'village_cadre',
  'resident_cadre',
  'town_officer',
  'county_officer',
  'city_officer',
  'discipline_officer',
] as const satisfies readonly TRole[];

/** May enter, edit and import lines and upload invoices (`finance.write`). */
export const FINANCE_WRITE_ROLES = ['bookkeeper', 'village_cadre'] as const satisfies readonly TRole[];

/** Joint review (联审) of expenses and F01 disclosures (`finance.review`). */
export const FINANCE_REVIEW_ROLES = ['resident_cadre'] as const satisfies readonly TRole[];
