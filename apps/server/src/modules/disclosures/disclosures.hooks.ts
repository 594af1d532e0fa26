import { AppError, invalid } from '../../kernel/errors';
import type { TTx } from '../../kernel/db';
import type { TDisclosureRow } from './disclosures.repo';

// Where the second half of the disclosures feature plugs in: the village ledger (收支明细), invoices and
// the joint review (联审). Each function is called at the one place its rule applies; replacing its
// body is all it takes, the state machine (disclosures.machine.ts: REVIEWED_ITEMS) aside.

/**
 * A check before publication that depends on data, e.g. "every expense line of this F01 has been
 * approved by the resident cadre". Returns why publication is refused, or null.
 */
export type TPublishGate = (tx: TTx, disclosure: TDisclosureRow) => Promise<string | null>;

/** The gates every publication (and correction) passes, in order. None yet: joint review adds its own. */
export const PUBLISH_GATES: TPublishGate[] = [];

/** Run the publish gates; the first refusal is a 409 with its reason. */
export async function checkPublishGates(tx: TTx, disclosure: TDisclosureRow): Promise<void> {
  for (const gate of PUBLISH_GATES) {
    const reason = await gate(tx, disclosure);
    if (reason) throw new AppError('CONFLICT', reason);
  }
}

/**
 * Link village-ledger lines to a disclosure (create, edit, correct). The ledger of income and expense
 * lines does not exist yet, so any line id names nothing: refused with a clear answer rather than
 * stored dangling. The village ledger replaces this with "lines of this village, expenses reviewed".
 */
export async function attachLines(_tx: TTx, _disclosure: Pick<TDisclosureRow, 'id' | 'regionCode' | 'itemCode'>, lineIds: string[] | undefined): Promise<void> {
  if (lineIds && lineIds.length > 0) throw invalid('lineIds', `no such ledger line in this village: ${lineIds[0]} / 本村没有该收支明细`);
}

/**
 * The structured data a version publishes besides title and body (F01: its ledger lines with totals
 * by subject; V04: the recipient list, masked). Part of the version's digest. Empty until the
 * village ledger exists.
 */
export async function structuredContent(_tx: TTx, _disclosure: TDisclosureRow): Promise<Record<string, unknown>> {
  return {};
}
