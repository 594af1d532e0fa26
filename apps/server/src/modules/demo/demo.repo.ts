import { sql } from 'kysely';
import type { TTx } from '../../kernel/db';

// Bulk writes of the demo loader only. Everything it writes is what the services would have written
// (published versions with their ledger entries); it skips the per-row round trips and group notices
// of a year of history that happened "before the platform".

/** Officials created together with one role each; the same password hash for all (demo accounts). */
export async function insertOfficialsBulk(tx: TTx, rows: { login: string; name: string; role: string; regionCode: string }[], passwordHash: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const inserted = await tx
    .insertInto('users')
    .values(rows.map((r) => ({ kind: 'official', login: r.login, name: r.name, passwordHash })))
    .returning(['id', 'login'])
    .execute();
  for (const r of inserted) ids.set(r.login!, r.id);
  await tx
    .insertInto('roleAssignments')
    .values(rows.map((r) => ({ userId: ids.get(r.login)!, role: r.role, regionCode: r.regionCode })))
    .execute();
  return ids;
}

/** Catalogue items with their timing (the demo decides which periods are owed). */
export async function findCatalogItems(tx: TTx) {
  return tx.selectFrom('disclosureItems').select(['code', 'nameZh', 'frequency', 'dueDays', 'isActive']).execute();
}

/** A published disclosure with its first version, as publishDisclosure would have left it. */
export interface TPublishedDemoDisclosure {
  id: string;
  regionCode: string;
  itemCode: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  title: string;
  body: string;
  createdBy: string;
  publisherName: string;
  publishedAt: Date;
  digest: string;
  ledgerIdx: number;
}

/** Insert published disclosures and their version 1 rows (ledger entries already appended). */
export async function insertPublishedDisclosures(tx: TTx, rows: TPublishedDemoDisclosure[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    await tx
      .insertInto('disclosures')
      .values(batch.map((r) => ({
        id: r.id, regionCode: r.regionCode, itemCode: r.itemCode, period: r.period, periodStart: r.periodStart, periodEnd: r.periodEnd,
        status: 'published', title: r.title, body: r.body, currentVersion: 1, createdBy: r.createdBy, submittedBy: r.createdBy,
        submittedAt: r.publishedAt, firstPublishedAt: r.publishedAt, lastPublishedAt: r.publishedAt, createdAt: r.publishedAt, updatedAt: r.publishedAt,
      })))
      .execute();
    await tx
      .insertInto('disclosureVersions')
      .values(batch.map((r) => ({
        disclosureId: r.id, version: 1, regionCode: r.regionCode, title: r.title, body: r.body, structured: '{}', reason: null,
        publishedAt: r.publishedAt, publishedBy: r.createdBy, publisherName: r.publisherName, digest: r.digest, ledgerIdx: r.ledgerIdx,
      })))
      .execute();
  }
}

/** New ids for rows the loader inserts (the digest covers the id, so it is known before the insert). */
export async function newIds(tx: TTx, count: number): Promise<string[]> {
  const result = await sql<{ id: string }>`SELECT gen_random_uuid() AS id FROM generate_series(1, ${count})`.execute(tx);
  return result.rows.map((r) => r.id);
}

/** The demo's places existed long before the platform: they owe disclosures for every recent period. */
export async function backdateRegions(tx: TTx, codes: string[], createdAt: Date): Promise<void> {
  await tx.updateTable('regions').set({ createdAt }).where('code', 'in', codes).execute();
}
