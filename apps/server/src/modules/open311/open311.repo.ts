import type { TTx } from '../../kernel/db';

/** An active API client by the SHA-256 of its key. */
export async function findActiveClientByKeyHash(tx: TTx, keyHash: Buffer): Promise<{ id: string; name: string; regionCode: string } | undefined> {
  return tx.selectFrom('open311Clients').select(['id', 'name', 'regionCode']).where('keyHash', '=', keyHash).where('isActive', '=', true).executeTakeFirst();
}

/** Note when a client was last seen (at most one write a minute per client). */
export async function touchClient(tx: TTx, id: string, at: Date): Promise<void> {
  await tx
    .updateTable('open311Clients')
    .set({ lastUsedAt: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', new Date(at.getTime() - 60_000))]))
    .execute();
}

/** Register a client (only the key's hash is stored). */
export async function insertClient(tx: TTx, values: { name: string; keyHash: Buffer; regionCode: string }): Promise<{ id: string; createdAt: Date }> {
  return tx.insertInto('open311Clients').values(values).returning(['id', 'createdAt']).executeTakeFirstOrThrow();
}

/** A region by code (the scope a client is issued for). */
export async function findRegion(tx: TTx, code: string): Promise<{ code: string; name: string; level: string } | undefined> {
  return tx.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}
