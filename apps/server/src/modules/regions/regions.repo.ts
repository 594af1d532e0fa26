import { sql } from 'kysely';
import type { TRegionLevel } from '@cunwu/contract';
import type { TTx } from '../../kernel/db';
import type { TScope } from '../../kernel/policy';
import { inScope, scopeSql } from '../../kernel/scope';

/** A region row with its aggregate counts. */
export interface TRegionRow {
  code: string;
  name: string;
  level: TRegionLevel;
  parentCode: string | null;
  isIllustrative: boolean;
  children: number;
  villages: number;
  households: number;
  members: number;
}

/** One region inside the scope, with counts over everything below it; undefined when absent or out of scope. */
export async function findRegionInScope(tx: TTx, code: string, prefix: string, scope: TScope): Promise<TRegionRow | undefined> {
  const like = `${prefix}%`;
  const row = await tx
    .selectFrom('regions as r')
    .select([
      'r.code', 'r.name', 'r.level', 'r.parentCode', 'r.isIllustrative',
      sql<number>`(SELECT count(*)::int FROM regions c WHERE c.parent_code = r.code)`.as('children'),
      sql<number>`(SELECT count(*)::int FROM regions v WHERE v.level = 'village' AND v.code LIKE ${like})`.as('villages'),
      sql<number>`(SELECT coalesce(sum(households), 0)::int FROM village_stats s WHERE s.region_code LIKE ${like})`.as('households'),
      sql<number>`(SELECT coalesce(sum(members), 0)::int FROM village_stats s WHERE s.region_code LIKE ${like})`.as('members'),
    ])
    .where('r.code', '=', code)
    .where((eb) => inScope(eb, 'r.code', scope))
    .executeTakeFirst();
  return row as TRegionRow | undefined;
}

/**
 * Children of a region with their counts, in one statement: each aggregate groups the rows below the
 * parent by the children's prefix length. Households and members come from the trigger-kept
 * per-village counts, so a city-wide page reads ~2,500 rows, not 1.8 million members.
 */
export async function findChildrenInScope(tx: TTx, parentCode: string, parentPrefix: string, childPrefixLength: number, scope: TScope): Promise<TRegionRow[]> {
  const like = `${parentPrefix}%`;
  const n = childPrefixLength;
  const result = await sql<TRegionRow>`
    WITH grand AS (SELECT left(parent_code, ${n}) AS p, count(*)::int AS n FROM regions WHERE parent_code LIKE ${like} AND parent_code <> ${parentCode} GROUP BY 1),
         vil AS (SELECT left(code, ${n}) AS p, count(*)::int AS n FROM regions WHERE level = 'village' AND code LIKE ${like} GROUP BY 1),
         stats AS (SELECT left(region_code, ${n}) AS p, sum(households)::int AS households, sum(members)::int AS members FROM village_stats WHERE region_code LIKE ${like} GROUP BY 1)
    SELECT k.code, k.name, k.level, k.parent_code AS "parentCode", k.is_illustrative AS "isIllustrative",
           coalesce(grand.n, 0) AS children, coalesce(vil.n, 0) AS villages, coalesce(stats.households, 0) AS households, coalesce(stats.members, 0) AS members
    FROM regions k
    LEFT JOIN grand ON grand.p = left(k.code, ${n})
    LEFT JOIN vil ON vil.p = left(k.code, ${n})
    LEFT JOIN stats ON stats.p = left(k.code, ${n})
    WHERE k.parent_code = ${parentCode} AND ${scopeSql('k.code', scope)}
    ORDER BY k.code`.execute(tx);
  return result.rows;
}

/** Names of the given codes (for name paths). */
export async function findNames(tx: TTx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await tx.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Which of these codes exist. */
export async function findExistingCodes(tx: TTx, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await tx.selectFrom('regions').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/** Insert or rename regions (parents first); returns how many were inserted and updated. */
export async function upsertRegions(tx: TTx, rows: { code: string; name: string; level: TRegionLevel; parentCode: string | null; isIllustrative: boolean }[]): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    const result = await tx
      .insertInto('regions')
      .values(batch)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({ name: (eb) => eb.ref('excluded.name'), isIllustrative: (eb) => eb.ref('excluded.isIllustrative'), updatedAt: sql`now()` })
          .where((eb) => eb.or([eb('regions.name', '<>', eb.ref('excluded.name')), eb('regions.isIllustrative', '<>', eb.ref('excluded.isIllustrative'))])),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('isInsert'))
      .execute();
    for (const r of result) {
      if (r.isInsert) inserted++;
      else updated++;
    }
  }
  return { inserted, updated };
}

/** The whole registry in code order (what the ledger snapshot digests). */
export async function findAllRegions(tx: TTx): Promise<{ code: string; name: string; isIllustrative: boolean }[]> {
  return tx.selectFrom('regions').select(['code', 'name', 'isIllustrative']).orderBy('code').execute();
}
