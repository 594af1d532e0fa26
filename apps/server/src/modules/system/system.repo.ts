import { sql } from 'kysely';
import type { TTx } from '../../kernel/db';

/** One round trip that proves the database answers. */
export async function pingDatabase(tx: TTx): Promise<boolean> {
  const result = await sql<{ ok: number }>`SELECT 1 AS ok`.execute(tx);
  return result.rows[0]?.ok === 1;
}

/** Read an installation fact. */
export async function findMeta(tx: TTx, key: string): Promise<unknown> {
  const row = await tx.selectFrom('appMeta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Write an installation fact. */
export async function upsertMeta(tx: TTx, key: string, value: unknown): Promise<void> {
  await tx
    .insertInto('appMeta')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updatedAt: sql`now()` }))
    .execute();
}
