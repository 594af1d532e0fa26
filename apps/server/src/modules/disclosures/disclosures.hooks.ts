import { AppError } from '../../kernel/errors';
import type { TTx } from '../../kernel/db';
import { ledgerPublishRefusal, ledgerStructuredContent, listRestOfPeriod, markLedgerLinesPublished, setListedLines } from '../finance';
import type { TDisclosureRow } from './disclosures.repo';

// Where the village ledger (收支明细), invoices and the joint review (联审) plug into disclosures. Each
// function is called at the one place its rule applies; the finance module owns the rules.

/**
 * A check before publication that depends on data, e.g. "every expense line of this F01 has been
 * approved by the resident cadre". Returns why publication is refused, or null.
 */
export type TPublishGate = (tx: TTx, disclosure: TDisclosureRow) => Promise<string | null>;

/** The gates every publication (and correction) passes, in order. */
export const PUBLISH_GATES: TPublishGate[] = [
  // F01: at least one line, and no expense line that the resident cadre has not approved.
  (tx, disclosure) => ledgerPublishRefusal(tx, disclosure),
];

/** Run the publish gates; the first refusal is a 409 with its reason. */
export async function checkPublishGates(tx: TTx, disclosure: TDisclosureRow): Promise<void> {
  for (const gate of PUBLISH_GATES) {
    const reason = await gate(tx, disclosure);
    if (reason) throw new AppError('CONFLICT', reason);
  }
}

/**
 * Set the village-ledger lines a disclosure lists (create, edit, correct): F01 only, lines of the same
 * village dated in the period and listed nowhere else; omitted on create, every such line of the
 * period. Other items refuse line ids with a 400. Returns whether the list changed.
 */
export async function attachLines(
  tx: TTx,
  disclosure: Pick<TDisclosureRow, 'id' | 'regionCode' | 'itemCode' | 'periodStart' | 'periodEnd'>,
  lineIds: string[] | undefined,
  options: { mode: 'create' | 'edit' | 'correct'; periodChanged?: boolean },
): Promise<boolean> {
  return setListedLines(tx, disclosure, lineIds, options);
}

/** On submission: F01 lists the lines of its period entered since the draft was started. */
export async function beforeSubmit(tx: TTx, disclosure: Pick<TDisclosureRow, 'id' | 'regionCode' | 'itemCode' | 'periodStart' | 'periodEnd'>): Promise<void> {
  await listRestOfPeriod(tx, disclosure);
}

/**
 * The structured data a version publishes besides title and body (F01: its ledger lines, masked, with
 * invoices and totals by subject). Part of the version's digest.
 */
export async function structuredContent(tx: TTx, disclosure: TDisclosureRow): Promise<Record<string, unknown>> {
  return (await ledgerStructuredContent(tx, disclosure)) ?? {};
}

/** After a version is written: the lines it published are fixed for good (same transaction). */
export async function afterPublish(tx: TTx, disclosure: TDisclosureRow, now: Date): Promise<void> {
  await markLedgerLinesPublished(tx, disclosure, now);
}
