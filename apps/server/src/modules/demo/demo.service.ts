import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyedHash } from '../../kernel/auth';
import type { TServices } from '../../kernel/services';
import { insertHouseholds, insertMembers } from '../households';
import { makeCheckpoint } from '../ledger';
import { importRegions } from '../regions';
import { findMeta, upsertMeta } from '../system';
import { createUser } from '../users';
import { buildDemoWorld, readRegistry, type TDemoWorld } from './demo.data';

/** Reference data shipped with the server (copied from the project's shared data). */
export const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed');
/** Password of every demo official; printed at start. Demo data only, never a production account. */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Demo@2026';

const operator = { actorId: null, requestId: 'demo-seed', ip: null };

/** Load the demo world unless it was loaded before; returns the world when it did. */
export async function seedDemoIfEmpty(services: TServices, log: (line: string) => void = () => {}): Promise<TDemoWorld | null> {
  if (await findMeta(services.db, 'demo.seededAt')) return null;
  const world = buildDemoWorld(readRegistry(path.join(SEED_DIR, 'quanzhou-regions.json')));
  log(`loading demo data: ${world.regions.length} regions, ${world.households.length} households …`);
  await importRegions(services, operator, world.regions);
  for (const official of world.officials) {
    await createUser(services, null, operator, { login: official.login, name: official.name, password: DEMO_PASSWORD, roles: official.roles });
  }
  await services.db.transaction().execute(async (tx) => {
    const ids = await insertHouseholds(tx, world.households.map((h) => ({ regionCode: h.regionCode, householdNo: h.householdNo, headName: h.headName })));
    const members = world.households.flatMap((h, i) =>
      h.members.map((m) => ({
        regionCode: h.regionCode,
        householdId: ids[i]!,
        name: m.name,
        relation: m.relation,
        phone: m.phone,
        idHash: keyedHash(services.secrets.secretKey, 'id-number', m.idNumber),
        idLast4: m.idNumber.slice(-4),
      })),
    );
    await insertMembers(tx, members);
    await upsertMeta(tx, 'demo.seededAt', new Date().toISOString());
  });
  await makeCheckpoint(services);
  return world;
}

/** Lines for the start banner: the demo logins. */
export function demoLoginLines(world: Pick<TDemoWorld, 'officials' | 'featuredVillagers'>): string[] {
  return [
    `  控制台 Console logins (password ${DEMO_PASSWORD}):`,
    ...world.officials.map((o) => `    ${o.login.padEnd(18)} ${o.what}`),
    '  村民 Villager logins (phone + one-time code; the code is printed in this log):',
    ...world.featuredVillagers.map((v) => `    ${v.phone}  ${v.name}（${v.village}）${v.story}`),
  ];
}
