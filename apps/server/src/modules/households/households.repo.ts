import type { TTx } from '../../kernel/db';

/** Insert households in bulk; returns their ids in input order. */
export async function insertHouseholds(tx: TTx, rows: { regionCode: string; householdNo: string; headName: string }[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await tx.insertInto('households').values(rows.slice(i, i + 1000)).returning('id').execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/** Insert members in bulk. */
export async function insertMembers(tx: TTx, rows: { regionCode: string; householdId: string; name: string; relation: string | null; phone: string | null; idHash: Buffer | null; idLast4: string | null }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('members').values(rows.slice(i, i + 1000)).execute();
}
