import { maskPhone, type TGroup } from '@cunwu/contract';
import type { TGroupRow } from './groups.repo';

/** A group: the webhook (a credential) is reduced to whether it is set. */
export function presentGroup(row: TGroupRow): TGroup {
  return {
    id: row.id,
    regionCode: row.regionCode,
    villageName: row.villageName,
    name: row.name,
    platform: row.platform,
    externalName: row.externalName,
    hasWebhook: row.wecomWebhookUrl !== null,
    isActive: row.isActive,
    memberCount: row.memberCount,
    admins: row.admins,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** A group member line: phone masked. */
export function presentGroupMember(row: { id: string; name: string; phone: string | null; relation: string | null; householdNo: string; joinedAt: Date }) {
  return { id: row.id, name: row.name, phoneMasked: row.phone ? maskPhone(row.phone) : null, relation: row.relation, householdNo: row.householdNo, joinedAt: new Date(row.joinedAt).toISOString() };
}
