import { chinaDate } from '@cunwu/contract';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyedHash } from '../../kernel/auth';
import type { TActor } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { findDepartmentByName, insertDepartments } from '../appeals';
import { insertDemoGroup, insertGroupMembersBulk } from '../groups';
import { insertHouseholds, insertMembers } from '../households';
import { makeCheckpoint } from '../ledger';
import { importRegions } from '../regions';
import { findMeta, upsertMeta } from '../system';
import { createUser } from '../users';
import { seedDisclosureHistory } from './demo.disclosures';
import { seedVillageAccounts } from './demo.finance';
import { backdateRegions } from './demo.repo';
import { buildDemoWorld, createRandom, DEMO_DEPARTMENTS, readRegistry, type TDemoWorld } from './demo.data';

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
  // The registry is new to the platform, not the places: villages owe disclosures for the periods before today.
  await backdateRegions(services.db, world.regions.map((r) => r.code), new Date('2020-01-01T00:00:00+08:00'));
  const existingCadres = new Map<string, string>();
  const actors = new Map<string, TActor>();
  for (const official of world.officials) {
    const user = await createUser(services, null, operator, { login: official.login, name: official.name, password: DEMO_PASSWORD, roles: official.roles });
    actors.set(official.login, { userId: user.id, kind: 'official', name: user.name, roles: user.roles.map((r) => ({ id: r.id, role: r.role, regionCode: r.regionCode })) });
    for (const role of official.roles) if (role.role === 'village_cadre') existingCadres.set(role.regionCode, user.id);
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
    const memberIds = await insertMembers(tx, members);
    // One supervision group per village; most heads of household (and some others) have joined,
    // so coverage pages show real gaps to chase.
    const villages = [...new Set(world.households.map((h) => h.regionCode))];
    const names = new Map(world.regions.map((r) => [r.code, r.name]));
    const groupIds = new Map<string, string>();
    for (const code of villages) groupIds.set(code, await insertDemoGroup(tx, code, `${names.get(code)}村务监督群`.replace('村村务', '村务')));
    const random = createRandom(4242);
    const memberships = members
      .map((m, i) => ({ m, id: memberIds[i]! }))
      .filter(({ m }) => (m.relation === '户主' ? random() < 0.86 : random() < 0.35) || world.featuredVillagers.some((v) => v.phone === m.phone))
      .map(({ m, id }) => ({ groupId: groupIds.get(m.regionCode)!, memberId: id, regionCode: m.regionCode }));
    await insertGroupMembersBulk(tx, memberships);
    await insertDepartments(tx, world.regions.filter((r) => /^\d{6}000000$/.test(r.code) && !r.code.endsWith('00000000')).flatMap((county) => DEMO_DEPARTMENTS.map((d) => ({ regionCode: county.code, name: `${county.name}${d.name}`, categories: [...d.categories] }))));
    await upsertMeta(tx, 'demo.seededAt', new Date().toISOString());
  });
  for (const handler of world.departmentHandlers) {
    const department = await findDepartmentByName(services.db, handler.departmentName);
    if (department) await createUser(services, null, operator, { login: handler.login, name: handler.name, password: DEMO_PASSWORD, roles: [{ role: 'department_handler', regionCode: department.regionCode }] }, { departmentId: department.id });
  }
  const villageCodes = [...new Set(world.households.map((h) => h.regionCode))];
  const regionNames = new Map(world.regions.map((r) => [r.code, r.name]));
  const exemplary = new Set(Object.values(world.articleVillages));
  const cadreNames = new Map(villageCodes.map((code) => [code, world.households.find((h) => h.regionCode === code && h.householdNo === '0002')?.headName ?? '村干部']));
  for (const official of world.officials) for (const role of official.roles) if (role.role === 'village_cadre') cadreNames.set(role.regionCode, official.name);
  const history = await services.db.transaction().execute((tx) => seedDisclosureHistory(tx, villageCodes.map((code) => ({ code, name: regionNames.get(code)!, isExemplary: exemplary.has(code) })), {
    now: services.clock.now(), password: DEMO_PASSWORD, cadreNames, existingCadres,
  }));
  log(`demo disclosures: ${history.published} published, ${history.cadres} village cadre accounts (cadre_<村代码>)`);
  // 蓉溪村 (scenario 2): the last months' accounts with invoices, reviewed and published; April is left for the story.
  const rongxi = world.articleVillages['蓉溪村'];
  if (rongxi) {
    const accounts = await seedVillageAccounts(services, {
      villageCode: rongxi, villageName: '蓉溪村', bookkeeper: actors.get('rongxi_bookkeeper')!, resident: actors.get('meishan_resident')!, cadre: actors.get('rongxi_cadre')!,
    }, { months: 3, skip: [`${chinaDate(services.clock.now()).slice(0, 4)}-04`] });
    log(`demo accounts of 蓉溪村: ${accounts.lines} lines with invoices in ${accounts.months.join(', ')}, reviewed and published`);
  }
  await makeCheckpoint(services);
  return world;
}

/** Lines for the start banner: the demo logins. */
export function demoLoginLines(world: Pick<TDemoWorld, 'officials' | 'featuredVillagers' | 'departmentHandlers'>): string[] {
  return [
    `  控制台 Console logins (password ${DEMO_PASSWORD}):`,
    ...world.officials.map((o) => `    ${o.login.padEnd(18)} ${o.what}`),
    ...world.departmentHandlers.map((o) => `    ${o.login.padEnd(18)} ${o.departmentName} · 职能部门`),
    `    ${'cadre_<12位村代码>'.padEnd(18)} 其余每个村的村干部（发布公开）`,
    '  村民 Villager logins (phone + one-time code; the code is printed in this log):',
    ...world.featuredVillagers.map((v) => `    ${v.phone}  ${v.name}（${v.village}）${v.story}`),
  ];
}
