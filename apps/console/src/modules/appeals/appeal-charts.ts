import { getInstanceByDom, use, type ComposeOption } from 'echarts/core';
import { LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { MarkLineComponent, type GridComponentOption, type LegendComponentOption, type MarkLineComponentOption, type TooltipComponentOption } from 'echarts/components';
import type { TAppealStats } from '@cunwu/contract';

// The console's shared echarts setup registers bars only; the monthly trend draws its rate as a line
// with a 90% target mark, so this module registers those two parts itself (echarts' `use` is global
// and idempotent; they land in this module's lazy chunk, not in the shared one).
use([LineChart, MarkLineComponent]);

/** Options the appeal charts pass: bars, lines and a mark line on a grid. */
export type TAppealChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | MarkLineComponentOption
>;

export { getInstanceByDom };

/** Counters every breakdown row carries. */
export type TCounts = TAppealStats['totals'];

/** One statistics row: a month, a category or a child region with its counters. */
export interface TStatsRow {
  key: string;
  label: string;
  counts: TCounts;
}

/** Share as a percentage 0–100, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}

/** 5个工作日内办结率: resolved within the deadline over everything resolved. */
export function withinDaysRate(c: Pick<TCounts, 'resolvedWithinDays' | 'resolved'>): number | null {
  return ratio(c.resolvedWithinDays, c.resolved);
}

/** 满意率: satisfied and basically satisfied over every rating given. */
export function satisfactionRate(c: Pick<TCounts, 'satisfied' | 'basically' | 'unsatisfied'>): number | null {
  return ratio(c.satisfied + c.basically, c.satisfied + c.basically + c.unsatisfied);
}

/** 87.5% / —. */
export function formatPercent(value: number | null): string {
  if (value === null) return '—';
  return `${value >= 99.95 || value === 0 ? value.toFixed(0) : value.toFixed(1)}%`;
}

/** The seed article's benchmark: 90% closed within 5 working days. */
export const WITHIN_DAYS_TARGET = 90;

/** Green at or above the 90% benchmark, orange from 60%, red below; grey without data. */
export function rateColor(value: number | null): string {
  if (value === null) return '#94a3b8';
  if (value >= WITHIN_DAYS_TARGET) return '#16a34a';
  if (value >= 60) return '#d97706';
  return '#dc2626';
}

/** Colours of the series, the same on every chart. */
export const SERIES_COLORS = {
  received: '#1d5fbf',
  resolved: '#16a34a',
  rate: '#d97706',
  overdue: '#dc2626',
  escalated: '#7c3aed',
  diverted: '#0891b2',
} as const;

/** Escape text for the HTML tooltips ECharts renders. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
