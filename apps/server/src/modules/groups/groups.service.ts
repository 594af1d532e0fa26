import { isWithinRegion, regionPrefix, type TAddGroupMembersRequest, type TCreateGroupRequest, type TGroup, type TUpdateGroupRequest } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import type { TTx } from '../../kernel/db';
import { AppError, invalid, registerConstraintField } from '../../kernel/errors';
import { authorize, isInScope, type TActor, type TScope } from '../../kernel/policy';
import type { TServices } from '../../kernel/services';
import { presentGroup, presentGroupMember } from './groups.present';
import * as repo from './groups.repo';

registerConstraintField('supervision_groups_region_code_name_key', 'name', 'the village already has a group of this name / 本村已有同名监督群');

const everywhere: TScope = { prefixes: [''] };

/** The robot webhook must be https on an allowed host (no requests to internal addresses on a group admin's say). */
function checkWebhook(services: TServices, url: string | null | undefined): void {
  if (!url) return;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' || !services.config.wecomWebhookHosts.includes(parsed.hostname.toLowerCase())) {
    throw invalid('wecomWebhookUrl', `must be an https address on ${services.config.wecomWebhookHosts.join(', ')} / Webhook 须为企业微信官方地址`);
  }
}

async function requireGroup(tx: TTx, scope: TScope, id: string) {
  const row = await repo.findGroup(tx, scope, id);
  if (!row) throw new AppError('NOT_FOUND', `group ${id}`);
  return row;
}

async function checkAdmins(tx: TTx, regionCode: string, userIds: string[]): Promise<void> {
  const roles = await repo.findOfficialRoles(tx, userIds);
  const eligible = new Set(roles.filter((r) => ['group_admin', 'village_cadre', 'resident_cadre', 'town_officer'].includes(r.role) && isWithinRegion(regionCode, r.regionCode)).map((r) => r.userId));
  const wrong = userIds.filter((id) => !eligible.has(id));
  if (wrong.length) throw invalid('adminUserIds', 'admins must be officials (网格员/村干部/驻村干部/乡镇干部) of this village / 群管理员须为本村的网格员、村干部或驻村、乡镇干部');
}

/** Groups of a region (village or wider) in the actor's scope. */
export async function listGroups(services: TServices, actor: TActor, region: string): Promise<TGroup[]> {
  const scope = authorize(actor, 'groups.read');
  const rows = await repo.findGroups(services.db, scope, regionPrefix(region));
  return rows.map(presentGroup);
}

/** One group in scope. */
export async function getGroup(services: TServices, actor: TActor, id: string): Promise<TGroup> {
  return presentGroup(await requireGroup(services.db, authorize(actor, 'groups.read'), id));
}

/** Create a supervision group in a village. */
export async function createGroup(services: TServices, actor: TActor | null, ctx: TAuditContext, input: TCreateGroupRequest): Promise<TGroup> {
  const scope = actor ? authorize(actor, 'groups.manage') : everywhere;
  if (!isInScope(scope, input.villageCode)) throw new AppError('NOT_FOUND', `village ${input.villageCode}`);
  return services.db.transaction().execute(async (tx) => {
    if (!(await repo.isVillage(tx, input.villageCode))) throw invalid('villageCode', 'not a village / 不是村（社区）级区划');
    if (input.platform === 'wecom' && !input.wecomWebhookUrl) throw invalid('wecomWebhookUrl', 'a 企业微信 group needs its robot webhook / 企业微信群须填写群机器人 Webhook');
    checkWebhook(services, input.wecomWebhookUrl);
    await checkAdmins(tx, input.villageCode, input.adminUserIds ?? []);
    const id = await repo.insertGroup(tx, { regionCode: input.villageCode, name: input.name, platform: input.platform, externalName: input.externalName ?? null, wecomWebhookUrl: input.wecomWebhookUrl ?? null });
    await repo.replaceAdmins(tx, id, input.adminUserIds ?? []);
    await recordAudit(tx, ctx, { action: 'groups.create', entityType: 'group', entityId: id, regionCode: input.villageCode, details: { name: input.name, platform: input.platform } });
    return presentGroup(await requireGroup(tx, everywhere, id));
  });
}

/** Edit a group (name, platform, webhook, admins, active). */
export async function updateGroup(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TUpdateGroupRequest): Promise<TGroup> {
  const scope = authorize(actor, 'groups.manage');
  return services.db.transaction().execute(async (tx) => {
    const before = await requireGroup(tx, scope, id);
    const { adminUserIds, ...changes } = input;
    const platform = changes.platform ?? before.platform;
    const webhook = changes.wecomWebhookUrl === undefined ? before.wecomWebhookUrl : changes.wecomWebhookUrl;
    if (platform === 'wecom' && !webhook) throw invalid('wecomWebhookUrl', 'a 企业微信 group needs its robot webhook / 企业微信群须填写群机器人 Webhook');
    checkWebhook(services, changes.wecomWebhookUrl);
    if (adminUserIds) {
      await checkAdmins(tx, before.regionCode, adminUserIds);
      await repo.replaceAdmins(tx, id, adminUserIds);
    }
    await repo.updateGroup(tx, id, changes);
    // The webhook is a credential: the audit records that it changed, never its value.
    await recordAudit(tx, ctx, { action: 'groups.update', entityType: 'group', entityId: id, regionCode: before.regionCode, details: { fields: Object.keys(input) } });
    return presentGroup(await requireGroup(tx, everywhere, id));
  });
}

/** Add members of the village to a group. */
export async function addGroupMembers(services: TServices, actor: TActor, ctx: TAuditContext, id: string, input: TAddGroupMembersRequest): Promise<{ added: number; group: TGroup }> {
  const scope = authorize(actor, 'groups.manage');
  return services.db.transaction().execute(async (tx) => {
    const group = await requireGroup(tx, scope, id);
    if (!group.isActive) throw new AppError('CONFLICT', 'group is inactive / 该群已停用');
    const result = await repo.addMembers(tx, id, group.regionCode, [...new Set(input.memberIds)]);
    if (result.foreign.length) throw invalid('memberIds', `${result.foreign.length} member(s) are not active villagers of this village / 有村民不属于本村或已停用`);
    await recordAudit(tx, ctx, { action: 'groups.add_members', entityType: 'group', entityId: id, regionCode: group.regionCode, details: { added: result.added } });
    return { added: result.added, group: presentGroup(await requireGroup(tx, everywhere, id)) };
  });
}

/** Remove a member from a group. */
export async function removeGroupMember(services: TServices, actor: TActor, ctx: TAuditContext, id: string, memberId: string): Promise<TGroup> {
  const scope = authorize(actor, 'groups.manage');
  return services.db.transaction().execute(async (tx) => {
    const group = await requireGroup(tx, scope, id);
    if (!(await repo.removeMember(tx, id, memberId))) throw new AppError('NOT_FOUND', `member ${memberId} in group`);
    await recordAudit(tx, ctx, { action: 'groups.remove_member', entityType: 'group', entityId: id, regionCode: group.regionCode, details: { memberId } });
    return presentGroup(await requireGroup(tx, everywhere, id));
  });
}

/** Members of a group, paged. */
export async function listGroupMembers(services: TServices, actor: TActor, id: string, after: string | undefined, limit: number) {
  const scope = authorize(actor, 'groups.read');
  await requireGroup(services.db, scope, id);
  const rows = await repo.findGroupMembers(services.db, id, after ?? null, limit + 1);
  const page = rows.slice(0, limit);
  return { items: page.map(presentGroupMember), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** The group of a village with this name, created (platform wechat) when missing — for the CLI. */
export async function ensureGroupByName(services: TServices, tx: TTx, regionCode: string, name: string): Promise<string> {
  const found = await repo.findGroupByName(tx, regionCode, name);
  if (found) return found.id;
  void services;
  return repo.insertGroup(tx, { regionCode, name, platform: 'wechat', externalName: null, wecomWebhookUrl: null });
}
