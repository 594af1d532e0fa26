import { sql } from 'kysely';
import type { TTx } from '../../kernel/db';



/** Number of committed entries visible to this transaction. */
export async function findSize(tx: TTx): Promise<number> {
  const row = await tx.selectFrom('ledgerEntries').select(sql<number>`coalesce(max(idx) + 1, 0)::bigint`.as('size')).executeTakeFirstOrThrow();
  return Number(row.size);
}

/** Append one entry through `ledger_append` (lock, index, leaf and completed subtrees in one round trip). */
export async function appendRow(tx: TTx, row: { entry: string; type: string; ref: string }): Promise<{ idx: number; leafHash: Buffer }> {
  const result = await sql<{ idx: number; leafHash: Buffer }>`SELECT idx, leaf_hash AS "leafHash" FROM ledger_append(${row.entry}, ${row.type}, ${row.ref})`.execute(tx);
  return result.rows[0]!;
}



/**
 * Hashes of stored perfect subtrees keyed `level:index`; level 0 reads leaf hashes. Two indexed
 * queries whatever the number of subtrees asked for.
 */
export async function findSubtreeHashes(tx: TTx, wanted: { level: number; index: number }[]): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  const leaves = wanted.filter((w) => w.level === 0).map((w) => w.index);
  const nodes = wanted.filter((w) => w.level > 0);
  if (leaves.length) {
    const rows = await tx.selectFrom('ledgerEntries').select(['idx', 'leafHash']).where('idx', 'in', leaves).execute();
    for (const r of rows) found.set(`0:${r.idx}`, new Uint8Array(r.leafHash));
  }
  if (nodes.length) {
    const levels = nodes.map((n) => n.level);
    const indexes = nodes.map((n) => n.index);
    const rows = await sql<{ level: number; idx: number; hash: Buffer }>`
      SELECT n.level, n.idx, n.hash FROM ledger_nodes n
      JOIN unnest(${levels}::smallint[], ${indexes}::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`.execute(tx);
    for (const r of rows.rows) found.set(`${r.level}:${Number(r.idx)}`, new Uint8Array(r.hash));
  }
  return found;
}

/** Entries [start, end) in order. */
export async function findEntries(tx: TTx, start: number, end: number): Promise<{ idx: number; entry: string; leafHash: Buffer; createdAt: Date }[]> {
  return tx.selectFrom('ledgerEntries').select(['idx', 'entry', 'leafHash', 'createdAt']).where('idx', '>=', start).where('idx', '<', end).orderBy('idx').execute();
}

/** Entries about one reference, newest first. */
export async function findEntriesByRef(tx: TTx, ref: string, limit: number): Promise<{ idx: number; entry: string; leafHash: Buffer }[]> {
  return tx.selectFrom('ledgerEntries').select(['idx', 'entry', 'leafHash']).where('ref', '=', ref).orderBy('idx', 'desc').limit(limit).execute();
}

/** The newest checkpoint. */
export async function findLatestCheckpoint(tx: TTx): Promise<{ size: number; rootHash: Buffer; note: string; createdAt: Date } | undefined> {
  return tx.selectFrom('ledgerCheckpoints').select(['size', 'rootHash', 'note', 'createdAt']).orderBy('size', 'desc').limit(1).executeTakeFirst();
}

/** Every checkpoint, oldest first (for verification). */
export async function findAllCheckpoints(tx: TTx): Promise<{ size: number; rootHash: Buffer; note: string }[]> {
  return tx.selectFrom('ledgerCheckpoints').select(['size', 'rootHash', 'note']).orderBy('size').execute();
}

/** Store a checkpoint unless one of that size exists. */
export async function insertCheckpoint(tx: TTx, row: { size: number; rootHash: Uint8Array; note: string }): Promise<boolean> {
  const result = await tx
    .insertInto('ledgerCheckpoints')
    .values({ ...row, rootHash: Buffer.from(row.rootHash) })
    .onConflict((oc) => oc.column('size').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Store a published snapshot row. */
export async function insertSnapshot(tx: TTx, row: { kind: string; ref: string; content: unknown; digest: string; ledgerIdx: number }): Promise<string> {
  const inserted = await tx
    .insertInto('publishedSnapshots')
    .values({ kind: row.kind, ref: row.ref, content: JSON.stringify(row.content), digest: row.digest, ledgerIdx: row.ledgerIdx })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Snapshots in ledger order, in pages (verification reads them all). */
export async function findSnapshots(tx: TTx, afterIdx: number, limit: number): Promise<{ id: string; kind: string; ref: string; content: unknown; digest: string; ledgerIdx: number }[]> {
  return tx.selectFrom('publishedSnapshots').select(['id', 'kind', 'ref', 'content', 'digest', 'ledgerIdx']).where('ledgerIdx', '>', afterIdx).orderBy('ledgerIdx').limit(limit).execute();
}

/** The latest snapshot of a kind. */
export async function findLatestSnapshot(tx: TTx, kind: string): Promise<{ content: unknown; digest: string; ledgerIdx: number; createdAt: Date } | undefined> {
  return tx.selectFrom('publishedSnapshots').select(['content', 'digest', 'ledgerIdx', 'createdAt']).where('kind', '=', kind).orderBy('ledgerIdx', 'desc').limit(1).executeTakeFirst();
}
