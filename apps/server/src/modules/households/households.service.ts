import {
  LEVEL_PREFIX_LENGTH, REGION_LEVELS, regionLevelOf, regionPrefix,
  type TChildCoverage, type TCoverage, type TCreateHouseholdRequest, type TCreateMemberRequest, type THousehold, type THouseholdPage,
  type TMember, type TUpdateHouseholdRequest, type TUpdateMemberRequest, ZListHouseholdsQuery,
} from '@cunwu/contract';
import type { z } from 'zod';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { keyedHash } from '../../kernel/auth';
import { decodeKeyCursor, encodeKeyCursor } from '../../kernel/cursor';
import type { TTx } from '../../kernel/db';
import { AppError, invalid, registerConstraintField } from '../../kernel/errors';
import { authorize, isInScope, type TActor, type TScope } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { ensureGroupByName } from '../groups';
import { presentHousehold, presentMember } from './households.present';
import * as repo from './households.repo';

registerConstraintField('members_active_phone_key', 'phone', 'this phone belongs to another active villager / 该手机号已登记给其他村民');
registerConstraintField('members_id_hash_key', 'idNumber', 'this ID number is already registered in the village / 该身份证号已在本村登记');
registerConstraintField('households_region_code_household_no_key', 'householdNo', 'this household number exists in the village / 本村已有该户号');

/** The actor's scope for a permission, or everyone (null actor = the operator's CLI). */
function scopeOf(actor: TActor | null, permission: Parameters<typeof authorize>[1]): TScope {
  return actor ? authorize(actor, permission) : { prefixes: [''] };
}



/** A household list position from a cursor: village code, household number, id. */
function householdPosition([regionCode, householdNo, id]: string[]): { regionCode: string; householdNo: string; id: string } {
  if (!/^\d{12}$/.test(regionCode!) || !/^[0-9a-f-]{36}$/.test(id!)) throw invalid('cursor', 'not a cursor from this API / 游标无效');
  return { regionCode: regionCode!, householdNo: householdNo!, id: id! };
}

/** Hash + last 4 of an ID number; never the number itself. */
export function idFields(services: TServices, idNumber: string): { idHash: Buffer; idLast4: string } {
  return { idHash: keyedHash(services.secrets.secretKey, 'id-number', idNumber), idLast4: idNumber.slice(-4) };
}

/** Page through households of a region (a village or wider) in the actor's scope. */
export async function listHouseholds(services: TServices, actor: TActor, query: z.infer<typeof ZListHouseholdsQuery>): Promise<THouseholdPage> {
  const scope = authorize(actor, 'households.read');
  if (!isInScope(scope, query.region) && !scope.prefixes.some((p) => p.startsWith(regionPrefix(query.region)))) throw new AppError('NOT_FOUND', `region ${query.region}`);
  const rows = await repo.findHouseholds(services.db, scope, {
    prefix: regionPrefix(query.region),
    q: query.q,
    uncovered: query.uncovered,
    includeInactive: query.includeInactive,
    after: query.cursor ? householdPosition(decodeKeyCursor(query.cursor, 3)) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { items: page.map(presentHousehold), nextCursor: rows.length > query.limit ? encodeKeyCursor([page[page.length - 1]!.regionCode, page[page.length - 1]!.householdNo, page[page.length - 1]!.id]) : null };
}

/** One household in scope. */
export async function getHousehold(services: TServices, actor: TActor, id: string): Promise<THousehold> {
  const row = await repo.findHousehold(services.db, authorize(actor, 'households.read'), id);
  if (!row) throw new AppError('NOT_FOUND', `household ${id}`);
  return presentHousehold(row);
}

async function requireHousehold(tx: TTx, scope: TScope, id: string) {
  const row = await repo.findHousehold(tx, scope, id);
  if (!row) throw new AppError('NOT_FOUND', `household ${id}`);
  return row;
}

async function requireMember(tx: TTx, scope: TScope, id: string) {
  const row = await repo.findMember(tx, scope, id);
  if (!row) throw new AppError('NOT_FOUND', `member ${id}`);
  return row;
}

/** Register a household in a village of the actor's scope. */
export async function createHousehold(services: TServices, actor: TActor | null, ctx: TAuditContext, input: TCreateHouseholdRequest): Promise<THousehold> {
  const scope = scopeOf(actor, 'households.manage');
  if (!isInScope(scope, input.villageCode)) throw new AppError('NOT_FOUND', `village ${input.villageCode}`);
  return services.db.transaction().execute(async (tx) => {
    if (!(await repo.isVillage(tx, input.villageCode))) throw invalid('villageCode', 'not a village / 不是村（社区）级区划');
    const id = await repo.insertHousehold(tx, { regionCode: input.villageCode, householdNo: input.householdNo, headName: input.headName });
    await recordAudit(tx, ctx, { action: 'households.create', entityType: 'household', entityId: id, regionCode: input.villageCode, details: { householdNo: input.householdNo } });
    return presentHousehold(await requireHousehold(tx, scope, id));
  });
}

/** Change a household's number or head. */
export async function updateHousehold(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TUpdateHouseholdRequest): Promise<THousehold> {
  const scope = authorize(actor, 'households.manage');
  return services.db.transaction().execute(async (tx) => {
    const before = await requireHousehold(tx, scope, id);
    await repo.updateHousehold(tx, id, input);
    await recordAudit(tx, ctx, { action: 'households.update', entityType: 'household', entityId: id, regionCode: before.regionCode, details: { fields: Object.keys(input) } });
    return presentHousehold(await requireHousehold(tx, scope, id));
  });
}

/** Deactivate a household and its members (they leave their groups). */
export async function deactivateHousehold(services: TServices, actor: TActor, ctx: TAuditContext, id: string, reason: string): Promise<THousehold> {
  const scope = authorize(actor, 'households.manage');
  return services.db.transaction().execute(async (tx) => {
    const before = await requireHousehold(tx, scope, id);
    if (!before.isActive) throw new AppError('CONFLICT', 'household is already inactive / 该户已停用');
    for (const m of before.members.filter((x) => x.isActive)) await repo.removeMemberFromGroups(tx, m.id);
    await repo.deactivateMembersOfHousehold(tx, id);
    await repo.updateHousehold(tx, id, { isActive: false });
    await recordAudit(tx, ctx, { action: 'households.deactivate', entityType: 'household', entityId: id, regionCode: before.regionCode, details: { reason } });
    return presentHousehold(await requireHousehold(tx, scope, id));
  });
}

/** Add a member to a household (and to groups of his village). */
export async function createMember(services: TServices, actor: TActor | null, ctx: TAuditContext, input: TCreateMemberRequest): Promise<TMember> {
  const scope = scopeOf(actor, 'households.manage');
  return services.db.transaction().execute(async (tx) => {
    const household = await requireHousehold(tx, scope, input.householdId);
    if (!household.isActive) throw invalid('householdId', 'household is inactive / 该户已停用');
    const groupIds = await repo.findGroupIdsInVillage(tx, household.regionCode, input.groupIds ?? []);
    if (groupIds.length !== (input.groupIds?.length ?? 0)) throw invalid('groupIds', 'groups must be active groups of the same village / 只能加入本村的监督群');
    const id = await repo.insertMember(tx, {
      regionCode: household.regionCode,
      householdId: household.id,
      name: input.name,
      relation: input.relation ?? null,
      phone: input.phone ?? null,
      ...(input.idNumber ? idFields(services, input.idNumber) : { idHash: null, idLast4: null }),
    });
    await repo.addMemberToGroups(tx, id, household.regionCode, groupIds);
    await recordAudit(tx, ctx, { action: 'members.create', entityType: 'member', entityId: id, regionCode: household.regionCode, details: { householdId: household.id, groups: groupIds.length } });
    return presentMember(await requireMember(tx, scope, id));
  });
}

/** Edit a member. */
export async function updateMember(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TUpdateMemberRequest): Promise<TMember> {
  const scope = authorize(actor, 'households.manage');
  return services.db.transaction().execute(async (tx) => {
    const before = await requireMember(tx, scope, id);
    const { idNumber, ...rest } = input;
    await repo.updateMember(tx, id, { ...rest, ...(idNumber ? idFields(services, idNumber) : {}) });
    await recordAudit(tx, ctx, { action: 'members.update', entityType: 'member', entityId: id, regionCode: before.regionCode, details: { fields: Object.keys(input) } });
    return presentMember(await requireMember(tx, scope, id));
  });
}

/** Move a member to another household of the same village. */
export async function moveMember(services: TServices, actor: TActor, ctx: TAuditContext, id: string, householdId: string): Promise<TMember> {
  const scope = authorize(actor, 'households.manage');
  return services.db.transaction().execute(async (tx) => {
    const member = await requireMember(tx, scope, id);
    const target = await requireHousehold(tx, scope, householdId);
    if (target.regionCode !== member.regionCode) throw invalid('householdId', 'only within the same village / 只能在本村内迁移');
    if (!target.isActive) throw invalid('householdId', 'household is inactive / 目标户已停用');
    if (target.id === member.householdId) throw invalid('householdId', 'already in this household / 已在该户');
    await repo.updateMember(tx, id, { householdId: target.id });
    await recordAudit(tx, ctx, { action: 'members.move', entityType: 'member', entityId: id, regionCode: member.regionCode, details: { from: member.householdId, to: target.id } });
    return presentMember(await requireMember(tx, scope, id));
  });
}

/** Deactivate a member (moved away, deceased): he leaves his groups; history stays. */
export async function deactivateMember(services: TServices, actor: TActor, ctx: TAuditContext, id: string, reason: string): Promise<TMember> {
  const scope = authorize(actor, 'households.manage');
  return services.db.transaction().execute(async (tx) => {
    const member = await requireMember(tx, scope, id);
    if (!member.isActive) throw new AppError('CONFLICT', 'member is already inactive / 该村民已停用');
    await repo.removeMemberFromGroups(tx, id);
    await repo.updateMember(tx, id, { isActive: false });
    await recordAudit(tx, ctx, { action: 'members.deactivate', entityType: 'member', entityId: id, regionCode: member.regionCode, details: { reason } });
    return presentMember(await requireMember(tx, scope, id));
  });
}

/** The full phone number of a member, for a group admin who must call him; every read is audited. */
export async function revealPhone(services: TServices, actor: TActor, ctx: TAuditContext, id: string): Promise<{ phone: string | null }> {
  const scope = authorize(actor, 'personal.reveal');
  return services.db.transaction().execute(async (tx) => {
    const row = await repo.findMemberPhone(tx, scope, id);
    if (!row) throw new AppError('NOT_FOUND', `member ${id}`);
    await recordAudit(tx, ctx, { action: 'members.reveal_phone', entityType: 'member', entityId: id, regionCode: row.regionCode });
    return { phone: row.phone };
  });
}

/** Coverage of any region in the actor's scope. */
export async function getCoverage(services: TServices, actor: TActor, code: string): Promise<TCoverage> {
  const scope = authorize(actor, 'coverage.read');
  if (!isInScope(scope, code)) throw new AppError('NOT_FOUND', `region ${code}`);
  return repo.findCoverage(services.db, regionPrefix(code));
}

/** Coverage of each child of a region in the actor's scope. */
export async function getChildCoverage(services: TServices, actor: TActor, code: string): Promise<TChildCoverage> {
  const scope = authorize(actor, 'coverage.read');
  if (!isInScope(scope, code)) throw new AppError('NOT_FOUND', `region ${code}`);
  const childLevel = REGION_LEVELS[REGION_LEVELS.indexOf(regionLevelOf(code)) + 1];
  if (!childLevel) return [];
  return repo.findChildCoverage(services.db, code, regionPrefix(code), LEVEL_PREFIX_LENGTH[childLevel], scope);
}

/** Operator registration of one villager (CLI `member:create`): household and group created when missing, one transaction. */
export async function registerMember(
  services: TServices,
  ctx: TAuditContext,
  input: { villageCode: string; name: string; phone?: string; householdNo?: string; groupName?: string; relation?: string },
): Promise<{ member: TMember; householdNo: string; groupId: string | null }> {
  return services.db.transaction().execute(async (tx) => {
    if (!(await repo.isVillage(tx, input.villageCode))) throw invalid('village', `${input.villageCode} is not a village / 不是村（社区）级区划`);
    const householdNo = input.householdNo ?? (await repo.findNextHouseholdNo(tx, input.villageCode));
    const existing = await repo.findHouseholdByNo(tx, input.villageCode, householdNo);
    const householdId = existing?.id ?? (await repo.insertHousehold(tx, { regionCode: input.villageCode, householdNo, headName: input.name }));
    const id = await repo.insertMember(tx, {
      regionCode: input.villageCode,
      householdId,
      name: input.name,
      relation: input.relation ?? (existing ? null : '户主'),
      phone: input.phone ?? null,
      idHash: null,
      idLast4: null,
    });
    const groupId = input.groupName ? await ensureGroupByName(services, tx, input.villageCode, input.groupName) : null;
    if (groupId) await repo.addMemberToGroups(tx, id, input.villageCode, [groupId]);
    await recordAudit(tx, ctx, { action: 'members.create', entityType: 'member', entityId: id, regionCode: input.villageCode, details: { householdNo, via: 'cli', group: groupId } });
    return { member: presentMember((await repo.findMember(tx, { prefixes: [''] }, id))!), householdNo, groupId };
  });
}
