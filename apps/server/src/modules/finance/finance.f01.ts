import { ledgerTotals, type TF01Structured } from '@cunwu/contract';
import type { TTx } from '../../kernel/db';
import { invalid } from '../../kernel/errors';
import { listsLedgerLines } from './finance.policy';
import { presentPublishedLine } from './finance.present';
import * as repo from './finance.repo';
import type { TReviewRow } from './finance.repo';

// How the village ledger plugs into disclosures (disclosures.hooks.ts calls these): the F01 disclosure
// (村级财务收支明细及原始票据) lists ledger lines of its village and period, cannot be published while an
// expense is unapproved, publishes the lines (masked) with their invoices, and fixes them for good.

/** What the disclosure side knows about the disclosure whose lines are set. */
export interface TLedgerDisclosure {
  id: string;
  regionCode: string;
  itemCode: string;
  periodStart: string;
  periodEnd: string;
}

/**
 * Set the lines a disclosure lists. Non-F01 items take none (a clear 400). On create, omitted
 * `lineIds` list every line of the village in the period that no other disclosure lists; on an edit,
 * omitted ids keep the list (unless the period moved: then the new period's lines are listed);
 * given ids replace the unpublished part of the list (published lines stay, so a correction adds,
 * e.g., a reversing line). Returns whether the list changed.
 */
export async function setListedLines(tx: TTx, disclosure: TLedgerDisclosure, lineIds: string[] | undefined, options: { mode: 'create' | 'edit' | 'correct'; periodChanged?: boolean }): Promise<boolean> {
  if (!listsLedgerLines(disclosure.itemCode)) {
    if (lineIds && lineIds.length > 0) throw invalid('lineIds', `only the income and expenditure disclosure (F01) lists ledger lines, not ${disclosure.itemCode} / 只有村级财务收支公开（F01）可以列入收支明细`);
    return false;
  }
  const listed = await repo.findListedLineIds(tx, disclosure.id);
  const published = new Set(listed.filter((l) => l.isPublished).map((l) => l.lineId));
  let wanted: string[];
  if (lineIds === undefined) {
    if (options.mode === 'correct' || (options.mode === 'edit' && !options.periodChanged)) return false;
    await repo.unlistLines(tx, disclosure.id, listed.filter((l) => !l.isPublished).map((l) => l.lineId));
    wanted = await repo.findUnlistedLines(tx, disclosure.regionCode, disclosure.periodStart, disclosure.periodEnd);
    await repo.listLines(tx, disclosure, wanted);
    return true;
  }
  wanted = [...new Set(lineIds)];
  const rows = new Map((await repo.lockLinesForListing(tx, wanted)).map((r) => [r.id, r]));
  for (const id of wanted) {
    const row = rows.get(id);
    if (!row || row.regionCode !== disclosure.regionCode) throw invalid('lineIds', `no such ledger line in this village: ${id} / 本村没有该收支明细`);
    if (row.lineDate < disclosure.periodStart || row.lineDate > disclosure.periodEnd) {
      throw invalid('lineIds', `line ${id} is dated ${row.lineDate}, outside the period ${disclosure.periodStart}–${disclosure.periodEnd} / 该收支明细的日期不在公开期间内`);
    }
    if (row.listedIn !== null && row.listedIn !== disclosure.id) throw invalid('lineIds', `line ${id} is listed in another disclosure / 该收支明细已列入其他公开`);
  }
  const wantedSet = new Set(wanted);
  const current = new Set(listed.map((l) => l.lineId));
  const dropped = listed.filter((l) => !published.has(l.lineId) && !wantedSet.has(l.lineId)).map((l) => l.lineId);
  const added = wanted.filter((id) => !current.has(id));
  await repo.unlistLines(tx, disclosure.id, dropped);
  await repo.listLines(tx, disclosure, added);
  return dropped.length > 0 || added.length > 0;
}

/**
 * On submission an F01 takes every line of its period that no disclosure lists yet: the month's accounts
 * are published whole, so a line entered after the draft was started is not left out. Returns how many.
 */
export async function listRestOfPeriod(tx: TTx, disclosure: TLedgerDisclosure): Promise<number> {
  if (!listsLedgerLines(disclosure.itemCode)) return 0;
  const rest = await repo.findUnlistedLines(tx, disclosure.regionCode, disclosure.periodStart, disclosure.periodEnd);
  await repo.listLines(tx, disclosure, rest);
  return rest.length;
}

/**
 * Why an F01 disclosure cannot be published now: it lists no line, or an expense it lists is not
 * approved in the joint review (how many, and the first voucher number to look for). Null when it can.
 */
export async function ledgerPublishRefusal(tx: TTx, disclosure: Pick<TLedgerDisclosure, 'id' | 'itemCode'>): Promise<string | null> {
  if (!listsLedgerLines(disclosure.itemCode)) return null;
  const lines = await repo.findListedLines(tx, disclosure.id);
  if (lines.length === 0) return 'an income and expenditure disclosure must list at least one ledger line / 财务收支公开须至少列入一条收支明细';
  const unapproved = lines.filter((l) => l.direction === 'expense' && l.reviewStatus !== 'approved');
  if (unapproved.length === 0) return null;
  const first = unapproved[0]!.voucherNo;
  return `${unapproved.length} expense line(s) not yet approved in the joint review, e.g. voucher ${first} / 还有 ${unapproved.length} 笔支出未经驻村干部联审通过（如凭证号 ${first}）`;
}

/** The newest approval of each line. */
function latestApprovals(reviews: TReviewRow[]): Map<string, TReviewRow> {
  const out = new Map<string, TReviewRow>();
  for (const r of reviews) if (r.decision === 'approve' && !out.has(r.subjectId)) out.set(r.subjectId, r);
  return out;
}

/**
 * What an F01 version publishes besides its text (schema 'f01/1'): the listed lines with person
 * counterparties masked, their invoices by content hash, each expense's approving unit and time, and
 * the totals. Null for items that list no lines.
 */
export async function ledgerStructuredContent(tx: TTx, disclosure: Pick<TLedgerDisclosure, 'id' | 'itemCode'>): Promise<TF01Structured | null> {
  if (!listsLedgerLines(disclosure.itemCode)) return null;
  const lines = await repo.findListedLines(tx, disclosure.id);
  const ids = lines.map((l) => l.id);
  const [invoices, reviews] = await Promise.all([repo.findInvoices(tx, { lineIds: ids }), repo.findLineReviews(tx, ids)]);
  const approvals = latestApprovals(reviews);
  const published = lines.map((l) => presentPublishedLine(l, invoices.filter((i) => i.lineId === l.id), approvals.get(l.id) ?? null));
  return { schema: 'f01/1', lines: published, totals: ledgerTotals(published) };
}

/** Fix the listed lines as published by the disclosure (same transaction as its version). */
export async function markLedgerLinesPublished(tx: TTx, disclosure: Pick<TLedgerDisclosure, 'id' | 'itemCode'>, now: Date): Promise<void> {
  if (!listsLedgerLines(disclosure.itemCode)) return;
  await repo.markLinesPublished(tx, disclosure.id, now);
}
