import { LEVEL_PREFIX_LENGTH, REGION_LEVELS, parentRegionCode, regionLevelOf, regionPrefix, type TRegion, type TRegionImportRow } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import type { TTx } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { authorize, isInScope, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { publishSnapshot } from '../ledger';
import { presentRegion } from './regions.present';
import * as repo from './regions.repo';

/** Codes of every ancestor of a region, city first. */
export function ancestorCodes(code: string): string[] {
  const chain: string[] = [];
  let parent = parentRegionCode(code);
  while (parent) {
    chain.unshift(parent);
    parent = parentRegionCode(parent);
  }
  return chain;
}

// Region pages are read far more often than counts change: a few seconds of staleness in the counts
// buys a city-wide dashboard one in-memory lookup instead of four aggregates per request. The scope
// check stays per request; it needs no database (a region inside the scope has all its children inside).
type TCache = Map<string, { at: number; value: Promise<TRegion | null> | Promise<TRegion[]> }>;
const caches = new WeakMap<TServices, TCache>();

function cached<T extends TRegion | null | TRegion[]>(services: TServices, key: string, load: () => Promise<T>): Promise<T> {
  const ttl = services.config.regionCacheSeconds * 1000;
  if (ttl === 0) return load();
  let cache = caches.get(services);
  if (!cache) caches.set(services, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < ttl) return hit.value as Promise<T>;
  if (cache.size > 10_000) cache.clear();
  const value = load();
  cache.set(key, { at: now, value: value as Promise<TRegion | null> });
  value.catch(() => cache.delete(key));
  return value;
}

/** Forget cached region pages (after an import). */
export function clearRegionCache(services: TServices): void {
  caches.get(services)?.clear();
}

const everywhere = { prefixes: [''] };

/** One region in the actor's scope; NOT_FOUND when outside it (no hint that it exists). */
export async function getRegion(services: TServices, actor: TActor | null, code: string): Promise<TRegion> {
  const scope = authorize(actor, 'regions.read');
  if (!isInScope(scope, code)) throw new AppError('NOT_FOUND', `region ${code}`);
  const region = await cached(services, `r:${code}`, async () => {
    const row = await repo.findRegionInScope(services.db, code, regionPrefix(code), everywhere);
    if (!row) return null;
    const ancestors = ancestorCodes(code);
    return presentRegion(row, await repo.findNames(services.db, ancestors), ancestors);
  });
  if (!region) throw new AppError('NOT_FOUND', `region ${code}`);
  return region;
}

/** Children of a region in the actor's scope. */
export async function getChildren(services: TServices, actor: TActor | null, code: string): Promise<TRegion[]> {
  const parent = await getRegion(services, actor, code);
  return cached(services, `c:${code}`, async () => {
    const childLevel = REGION_LEVELS[REGION_LEVELS.indexOf(parent.level) + 1];
    if (!childLevel) return [];
    const rows = await repo.findChildrenInScope(services.db, code, regionPrefix(code), LEVEL_PREFIX_LENGTH[childLevel], everywhere);
    const ancestors = [...ancestorCodes(code), code];
    const names = new Map(parent.path.map((p) => [p.code, p.name]));
    return rows.map((row) => presentRegion(row, names, ancestors));
  });
}

/**
 * Import regions (insert new, rename changed), parents before children; every parent must exist in
 * the file or the database. Appends the new registry snapshot to the ledger in the same transaction.
 */
export async function importRegions(services: TServices, ctx: TAuditContext, rows: TRegionImportRow[]): Promise<{ inserted: number; updated: number; total: number; ledgerIndex: number | null }> {
  const byCode = new Map<string, TRegionImportRow>();
  for (const row of rows) byCode.set(row.code, row);
  const ordered = [...byCode.values()].sort((a, b) => regionPrefix(a.code).length - regionPrefix(b.code).length || a.code.localeCompare(b.code));
  return services.db.transaction().execute(async (tx) => {
    const parents = ordered.map((r) => parentRegionCode(r.code)).filter((p): p is string => p !== null && !byCode.has(p));
    const existing = await repo.findExistingCodes(tx, [...new Set(parents)]);
    const problems = ordered
      .map((row, i) => ({ row, i, parent: parentRegionCode(row.code) }))
      .filter(({ parent }) => parent !== null && !byCode.has(parent) && !existing.has(parent) && regionLevelOf(parent) !== 'province')
      .map(({ row, i, parent }) => ({ field: `rows[${i}].code`, reason: `parent ${parent} of ${row.code} is neither in the file nor in the registry / 上级区划不存在` }));
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems.slice(0, 5).map((p) => p.reason).join('; '), problems.slice(0, 50));
    const counts = await repo.upsertRegions(
      tx,
      ordered.map((r) => {
        const parent = parentRegionCode(r.code);
        const keepParent = parent !== null && (byCode.has(parent) || existing.has(parent));
        return { code: r.code, name: r.name, level: regionLevelOf(r.code), parentCode: keepParent ? parent : null, isIllustrative: r.isIllustrative };
      }),
    );
    let ledgerIndex: number | null = null;
    if (counts.inserted + counts.updated > 0) ledgerIndex = await publishRegistry(tx);
    await recordAudit(tx, ctx, { action: 'regions.import', entityType: 'region', details: { ...counts, total: ordered.length, ledgerIndex } });
    clearRegionCache(services);
    return { ...counts, total: ordered.length, ledgerIndex };
  });
}

/** The admin's import: every row must lie inside his scope. */
export async function importRegionsAsAdmin(services: TServices, actor: TActor, ctx: TAuditContext, rows: TRegionImportRow[]) {
  const scope = authorize(actor, 'regions.import');
  const outside = rows.map((r, i) => ({ r, i })).filter(({ r }) => !isInScope(scope, r.code));
  if (outside.length) {
    throw new AppError('VALIDATION_FAILED', 'rows outside your scope / 超出管辖范围', outside.slice(0, 50).map(({ r, i }) => ({ field: `rows.${i}.code`, reason: `${r.code} is outside your scope / 超出管辖范围` })));
  }
  return importRegions(services, ctx, rows);
}

/** Publish the whole registry as a snapshot whose digest goes into the ledger. */
async function publishRegistry(tx: TTx): Promise<number> {
  const regions = await repo.findAllRegions(tx);
  const published = await publishSnapshot(tx, { kind: 'region.registry', ref: 'regions', content: { regions } });
  return published.index;
}
