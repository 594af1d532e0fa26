import {
  addCalendarDays, diffLines, frequencyOfPeriod, parseDisclosurePeriod, type TDisclosure, type TDisclosureAction, type TDisclosureCatalogItem,
  type TDisclosureDiff, type TDisclosureFrequency, type TDisclosureListItem, type TDisclosureStatus, type TDisclosureVersion, type TReviewRecord,
} from '@cunwu/contract';
import type * as repo from './disclosures.repo';

type TDetailRow = NonNullable<Awaited<ReturnType<typeof repo.findDisclosure>>>;
type TVersionRow = Awaited<ReturnType<typeof repo.findVersions>>[number];
type TListRow = Awaited<ReturnType<typeof repo.findVillageDisclosures>>[number];

/** A catalogue item for the API and the ledger snapshot. */
export function presentCatalogItem(row: repo.TItemRow): TDisclosureCatalogItem {
  return { code: row.code, category: row.category, zh: row.nameZh, en: row.nameEn, frequency: row.frequency as TDisclosureFrequency, dueDays: row.dueDays, isActive: row.isActive, sort: row.sort };
}

/** 2025年4月, 2025年第二季度 … read from how the period is written (the item's frequency may have changed since). */
export function periodLabel(period: string): string {
  const parsed = parseDisclosurePeriod(frequencyOfPeriod(period) ?? 'immediate', period);
  return parsed.ok ? parsed.value.label : period;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Versions newest first, each with the time the next one superseded it. */
function presentVersions(rows: TVersionRow[]): TDisclosureVersion[] {
  return rows.map((v, i) => ({
    version: v.version,
    title: v.title,
    body: v.body,
    structured: JSON.parse(v.structuredJson) as Record<string, unknown>,
    reason: v.reason,
    publishedAt: new Date(v.publishedAt).toISOString(),
    publisherName: v.publisherName,
    digest: v.digest,
    ledgerIndex: v.ledgerIdx,
    supersededAt: i === 0 ? null : new Date(rows[i - 1]!.publishedAt).toISOString(),
  }));
}

/** Line diffs between consecutive versions, newest change first. */
function presentDiffs(rows: TVersionRow[]): TDisclosureDiff[] {
  const diffs: TDisclosureDiff[] = [];
  for (let i = 0; i + 1 < rows.length; i++) {
    const to = rows[i]!;
    const from = rows[i + 1]!;
    const lines = diffLines(from.body, to.body);
    diffs.push({
      fromVersion: from.version,
      toVersion: to.version,
      title: from.title === to.title ? null : { from: from.title, to: to.title },
      lines,
      added: lines.filter((l) => l.op === 'add').length,
      removed: lines.filter((l) => l.op === 'remove').length,
    });
  }
  return diffs;
}

/** A disclosure for its viewer, with every version, the diffs and what the viewer may do. */
export function presentDisclosure(row: TDetailRow, versions: TVersionRow[], viewer: { allowedActions: TDisclosureAction[]; needsReview: boolean; reviews: TReviewRecord[]; preview: Record<string, unknown> | null }): TDisclosure {
  const current = versions[0];
  return {
    id: row.id,
    villageCode: row.regionCode,
    villageName: row.villageName,
    itemCode: row.itemCode,
    itemName: row.itemName,
    category: row.category,
    frequency: row.frequency as TDisclosureFrequency,
    period: row.period,
    periodLabel: periodLabel(row.period),
    eventRef: row.eventRef,
    dueOn: addCalendarDays(row.periodEnd, row.dueDays),
    status: row.status as TDisclosureStatus,
    title: row.title,
    body: row.body,
    currentVersion: current?.version ?? null,
    ledgerIndex: current?.ledgerIdx ?? null,
    digest: current?.digest ?? null,
    needsReview: viewer.needsReview,
    allowedActions: viewer.allowedActions,
    createdAt: new Date(row.createdAt).toISOString(),
    submittedAt: iso(row.submittedAt),
    firstPublishedAt: iso(row.firstPublishedAt),
    versions: presentVersions(versions),
    diffs: presentDiffs(versions),
    reviews: viewer.reviews,
    preview: viewer.preview,
  };
}

/** A row of a village's list. */
export function presentListItem(row: TListRow): TDisclosureListItem {
  return {
    id: row.id,
    villageCode: row.regionCode,
    itemCode: row.itemCode,
    itemName: row.itemName,
    category: row.category,
    period: row.period,
    periodLabel: periodLabel(row.period),
    eventRef: row.eventRef,
    status: row.status as TDisclosureStatus,
    title: row.title,
    currentVersion: row.currentVersion > 0 ? row.currentVersion : null,
    isCorrected: row.currentVersion > 1,
    firstPublishedAt: iso(row.firstPublishedAt),
    lastPublishedAt: iso(row.lastPublishedAt),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
