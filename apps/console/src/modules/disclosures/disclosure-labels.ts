import {
  DISCLOSURE_LABELS,
  type TComplianceStatus,
  type TDisclosureCategory,
  type TDisclosureFrequency,
  type TDisclosureStatus,
  type TRole,
} from '@cunwu/contract';
import { isEnglish } from '@/i18n';

/*
 * Names of frequencies, states and compliance outcomes. Chinese comes from the contract's
 * DISCLOSURE_LABELS (the words the villager app and the server's notices use); English is kept here.
 */

const FREQUENCY_EN: Record<TDisclosureFrequency, string> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  semiannual: 'Half-yearly',
  annual: 'Yearly',
  immediate: 'Immediately',
  on_change: 'On change',
  per_stage: 'Per stage',
};

const STATUS_EN: Record<TDisclosureStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  approved: 'Approved',
  rejected: 'Sent back',
  published: 'Published',
};

const COMPLIANCE_EN: Record<TComplianceStatus, string> = {
  on_time: 'On time',
  late: 'Late',
  missing: 'Missing',
  pending: 'Not yet due',
};

/** Localized name of a frequency (每月 / Monthly). */
export function frequencyName(frequency: TDisclosureFrequency): string {
  return isEnglish() ? FREQUENCY_EN[frequency] : DISCLOSURE_LABELS.frequency[frequency];
}

/** Localized name of a disclosure state (已公开 / Published). */
export function statusName(status: TDisclosureStatus): string {
  return isEnglish() ? STATUS_EN[status] : DISCLOSURE_LABELS.status[status];
}

/** Localized name of a compliance outcome (逾期未公开 / Missing). */
export function complianceName(status: TComplianceStatus): string {
  return isEnglish() ? COMPLIANCE_EN[status] : DISCLOSURE_LABELS.compliance[status];
}

/** A catalogue item's or category's name in the console's language. */
export function localName(entry: { zh: string; en: string } | TDisclosureCategory): string {
  return isEnglish() ? entry.en : entry.zh;
}

/** Tag colour of each state: work in progress grey/blue, review green or red, published green. */
export const STATUS_TAG_TYPES: Record<TDisclosureStatus, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  draft: 'info',
  submitted: 'warning',
  approved: 'primary',
  rejected: 'danger',
  published: 'success',
};

/** Colours of compliance outcomes, the same in cards, chart and tables. */
export const COMPLIANCE_COLORS: Record<TComplianceStatus, string> = {
  on_time: '#16a34a',
  late: '#d97706',
  missing: '#dc2626',
  pending: '#94a3b8',
};

/** Officials who read a village's disclosures (the server's `disclosures.read`, villagers aside). */
export const DISCLOSURE_READ_ROLES = [
  'group_admin',
  'bookkeeper',
  'village_cadre',
  'resident_cadre',
  'town_officer',
  'county_officer',
  'city_officer',
  'discipline_officer',
  'admin',
] as const satisfies readonly TRole[];

/** Who drafts, edits and submits a village's disclosures (`disclosures.draft`). */
export const DISCLOSURE_DRAFT_ROLES = ['bookkeeper', 'village_cadre'] as const satisfies readonly TRole[];

/** Who reads compliance (`disclosures.compliance`). */
export const COMPLIANCE_READ_ROLES = [
  'bookkeeper',
  'village_cadre',
  'resident_cadre',
  'town_officer',
  'county_officer',
  'city_officer',
  'discipline_officer',
  'admin',
] as const satisfies readonly TRole[];

/** Who edits the catalogue (`disclosures.catalog`). */
export const CATALOG_ADMIN_ROLES = ['admin'] as const satisfies readonly TRole[];

/** 0.8765 → 87.7%; null → —. Whole numbers drop the decimal. */
export function formatShare(value: number | null): string {
  if (value === null) return '—';
  const percent = Math.round(value * 1000) / 10;
  return `${Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** Traffic-light colour of a compliance rate (0–1): ≥ 95% green, ≥ 80% orange, below red; grey without data. */
export function shareColor(value: number | null): string {
  if (value === null) return '#a8abb2';
  if (value >= 0.95) return '#16a34a';
  if (value >= 0.8) return '#d97706';
  return '#dc2626';
}
