import type { TCoverage } from '@cunwu/contract';

/** Share of `part` in `whole` as a percentage (0–100), or null when there is nothing to measure. */
export function rate(part: number, whole: number): number | null {
  if (!whole) return null;
  return Math.min(100, (part / whole) * 100);
}

/** Household coverage (户覆盖率): households with a member in a group / households. */
export function householdRate(c: TCoverage): number | null {
  return rate(c.householdsInGroups, c.households);
}

/** Member coverage (人覆盖率): members in a group / members. */
export function memberRate(c: TCoverage): number | null {
  return rate(c.membersInGroups, c.members);
}

/** 87.25 → 87.3%; null → —. Whole numbers drop the decimal (100%, 0%). */
export function formatRate(value: number | null): string {
  if (value === null) return '—';
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

/** Traffic-light colour of a coverage rate, shared by the chart, the bars and the cards. */
export function rateColor(value: number | null): string {
  if (value === null) return '#a8abb2';
  if (value >= 90) return '#16a34a';
  if (value >= 60) return '#d97706';
  return '#dc2626';
}
