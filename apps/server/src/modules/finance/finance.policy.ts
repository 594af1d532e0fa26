import type { TLedgerLineAction } from '@cunwu/contract';
import { authorize, can, isInScope, type TActor, type TPermission, type TScope } from '../../kernel/policy';
import type { TLineRow } from './finance.repo';

// Who may do what with a village's ledger. Scope is by region prefix as everywhere: the bookkeeper and
// cadres of the village write; the resident cadre (驻村干部), whose role sits on the town, reviews the
// villages under it; officials above read.

/** Catalogue items whose disclosures list ledger lines (村级财务收支明细及原始票据). */
export const LEDGER_ITEMS: readonly string[] = ['F01'];

/** Whether disclosures of this item list ledger lines. */
export function listsLedgerLines(itemCode: string): boolean {
  return LEDGER_ITEMS.includes(itemCode);
}

/** The actor's scope for a permission, or an empty scope when he lacks it (matches nothing). */
export function scopeOf(actor: TActor | null, permission: TPermission): TScope {
  return actor && can(actor, permission) ? authorize(actor, permission) : { prefixes: [] };
}

/** What the actor may do in a village's ledger. */
export interface TFinanceRelation {
  canRead: boolean;
  canWrite: boolean;
  canReview: boolean;
}

/** How the actor relates to a village's ledger. */
export function relate(actor: TActor | null, villageCode: string): TFinanceRelation {
  return {
    canRead: isInScope(scopeOf(actor, 'finance.read'), villageCode),
    canWrite: isInScope(scopeOf(actor, 'finance.write'), villageCode),
    canReview: isInScope(scopeOf(actor, 'finance.review'), villageCode),
  };
}

/** Messages of the refusals below (English / 中文). */
export const FINANCE_REFUSALS = {
  published: 'a published ledger line cannot be changed; enter a reversing line and publish a correction / 已公开的收支明细不能修改，请录入冲销明细并发布更正',
  approved: 'an expense approved in the joint review cannot be changed; enter a reversing line instead / 已联审通过的支出不能修改，请录入冲销明细',
  underReview: 'the line is listed in a disclosure under joint review; wait for the decision / 该明细所在的财务公开正在联审，暂不能修改',
  ownEntry: 'nobody reviews his own entries: you entered this line or uploaded one of its invoices / 不能审核自己录入的明细或上传的票据',
} as const;

/**
 * Why a line cannot be edited now, or null. Editable while unpublished and not approved (an income
 * line needs no review and stays editable until published), and not while the disclosure listing it
 * is with the reviewer or approved (what was approved must be what is published) — except an expense
 * the reviewer rejected meanwhile: it is fixed and goes back to him, and the disclosure cannot be
 * published until he approves it (the publish gate), so nothing unreviewed slips through.
 */
export function lineEditRefusal(row: Pick<TLineRow, 'disclosureId' | 'reviewStatus' | 'listedStatus'>): string | null {
  if (row.disclosureId !== null || row.listedStatus === 'published') return FINANCE_REFUSALS.published;
  if (row.reviewStatus === 'approved') return FINANCE_REFUSALS.approved;
  if ((row.listedStatus === 'submitted' || row.listedStatus === 'approved') && row.reviewStatus !== 'rejected') return FINANCE_REFUSALS.underReview;
  return null;
}

/** Whether the actor entered the line or uploaded any of its invoices (then he may not review it). */
export function isOwnEntry(actor: TActor, row: Pick<TLineRow, 'createdBy'>, invoiceUploaders: readonly string[]): boolean {
  return row.createdBy === actor.userId || invoiceUploaders.includes(actor.userId);
}

/** Why the actor may not review the line now, or null (scope is checked by the caller). */
export function lineReviewRefusal(row: Pick<TLineRow, 'direction' | 'reviewStatus'>): string | null {
  if (row.direction === 'income') return 'income lines need no joint review / 收入明细无需联审';
  if (row.reviewStatus !== 'pending') return `only a pending expense is reviewed (this one is ${row.reviewStatus}) / 只有待联审的支出可以审核`;
  return null;
}

/** The buttons the actor gets for a line. */
export function lineActions(actor: TActor | null, row: TLineRow, invoiceUploaders: readonly string[]): TLedgerLineAction[] {
  const relation = relate(actor, row.regionCode);
  const actions: TLedgerLineAction[] = [];
  if (relation.canWrite && lineEditRefusal(row) === null) actions.push('edit');
  if (actor && relation.canReview && lineReviewRefusal(row) === null && !isOwnEntry(actor, row, invoiceUploaders)) actions.push('review');
  return actions;
}
