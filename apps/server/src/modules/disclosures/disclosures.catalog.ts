import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DISCLOSURE_FREQUENCIES, contentDigest, type TDisclosureCatalog, type TUpdateCatalogItemRequest } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import type { TTx } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import { authorize, type TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { publishSnapshot } from '../ledger';
import { presentCatalogItem } from './disclosures.present';
import * as repo from './disclosures.repo';

/** The catalogue shipped with the server (a deployment may edit it). */
export const CATALOG_SEED = path.resolve(import.meta.dirname, '../../../seed/disclosure-catalog.json');

const ZSeed = z.object({
  categories: z.array(z.object({ code: z.string().regex(/^[a-z_]{2,32}$/), zh: z.string().min(1), en: z.string().min(1) })).min(1),
  items: z.array(z.object({
    code: z.string().regex(/^[A-Z][A-Z0-9]{1,9}$/),
    category: z.string(),
    zh: z.string().min(1),
    en: z.string().min(1),
    frequency: z.enum(DISCLOSURE_FREQUENCIES),
    dueDays: z.number().int().min(0).max(366),
  })).min(1),
});

/** The catalogue as published: what the ledger snapshot's digest covers and the API returns. */
function catalogContent(catalog: Awaited<ReturnType<typeof repo.findCatalog>>) {
  return {
    categories: catalog.categories.map((c) => ({ code: c.code, zh: c.nameZh, en: c.nameEn })),
    items: catalog.items.map(presentCatalogItem),
  };
}

/**
 * Publish the catalogue as a ledger snapshot (`disclosure.catalog`) when it differs from the last
 * one published; unchanged, nothing is appended. Returns the snapshot now in force.
 */
async function publishCatalogIfChanged(tx: TTx, reason: string, now: Date): Promise<{ ledgerIndex: number; digest: string; isNew: boolean }> {
  const content = catalogContent(await repo.findCatalog(tx));
  const digest = contentDigest(content);
  const latest = await repo.findLatestCatalogVersion(tx);
  if (latest?.digest === digest) return { ledgerIndex: latest.ledgerIdx, digest, isNew: false };
  const published = await publishSnapshot(tx, { kind: 'disclosure.catalog', ref: 'disclosure-catalog', content });
  await repo.insertCatalogVersion(tx, { ledgerIdx: published.index, digest: published.digest, reason, createdAt: now });
  return { ledgerIndex: published.index, digest: published.digest, isNew: true };
}

/**
 * Load (or refresh) the catalogue from the seed file; idempotent, run at every start. Names, category
 * and order follow the file; frequency, due days and activity too, unless an admin edited the item.
 * Items dropped from the file stay (disclosures refer to them); deactivate them instead.
 */
export async function syncDisclosureCatalog(tx: TTx, file = CATALOG_SEED): Promise<{ ledgerIndex: number; isNew: boolean }> {
  const seed = ZSeed.parse(JSON.parse(readFileSync(file, 'utf8')));
  await repo.lockCatalog(tx);
  await repo.upsertCategories(tx, seed.categories.map((c, i) => ({ code: c.code, nameZh: c.zh, nameEn: c.en, sort: (i + 1) * 10 })));
  await repo.upsertItems(tx, seed.items.map((it, i) => ({ code: it.code, category: it.category, nameZh: it.zh, nameEn: it.en, frequency: it.frequency, dueDays: it.dueDays, isActive: true, sort: (i + 1) * 10 })));
  const published = await publishCatalogIfChanged(tx, 'seed', new Date());
  return { ledgerIndex: published.ledgerIndex, isNew: published.isNew };
}

/** The catalogue with the ledger snapshot that holds it (public reference data). */
export async function getCatalog(services: TServices): Promise<TDisclosureCatalog> {
  const [catalog, latest] = await Promise.all([repo.findCatalog(services.db), repo.findLatestCatalogVersion(services.db)]);
  return {
    ...catalogContent(catalog),
    ledgerIndex: latest?.ledgerIdx ?? null,
    digest: latest?.digest ?? null,
    publishedAt: latest?.createdAt.toISOString() ?? null,
  };
}

/** The admin changes an item's frequency, due days or activity: audited, published as a new snapshot. */
export async function updateCatalogItem(services: TServices, actor: TActor, ctx: TAuditContext, code: string, input: TUpdateCatalogItemRequest) {
  authorize(actor, 'disclosures.catalog');
  return services.db.transaction().execute(async (tx) => {
    await repo.lockCatalog(tx);
    const item = await repo.findItem(tx, code, { forUpdate: true });
    if (!item) throw new AppError('NOT_FOUND', `catalogue item ${code}`);
    const now = services.clock.now();
    const patch = { frequency: input.frequency, dueDays: input.dueDays, isActive: input.isActive };
    const before = { frequency: item.frequency, dueDays: item.dueDays, isActive: item.isActive };
    await repo.updateItem(tx, code, patch, now);
    const published = await publishCatalogIfChanged(tx, `edit ${code}`, now);
    await recordAudit(tx, ctx, { action: 'disclosures.catalog.update', entityType: 'disclosure_item', entityId: code, details: { before, after: { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) }, ledgerIndex: published.ledgerIndex } });
    const updated = (await repo.findItem(tx, code))!;
    return { item: presentCatalogItem(updated), ledgerIndex: published.ledgerIndex, digest: published.digest };
  });
}
