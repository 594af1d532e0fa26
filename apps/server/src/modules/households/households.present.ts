import { maskPhone, type THousehold, type TMember } from '@cunwu/contract';
import type { THouseholdRow, TMemberRow } from './households.repo';

/** A member for officials of his village: phone masked (a full number needs the audited reveal). */
export function presentMember(row: TMemberRow): TMember {
  return {
    id: row.id,
    householdId: row.householdId,
    regionCode: row.regionCode,
    name: row.name,
    relation: row.relation,
    phoneMasked: row.phone ? maskPhone(row.phone) : null,
    idLast4: row.idLast4,
    isActive: row.isActive,
    hasAccount: row.userId !== null,
    groups: row.groups,
  };
}

/** A household with its members. */
export function presentHousehold(row: THouseholdRow): THousehold {
  const members = row.members.map(presentMember);
  const active = members.filter((m) => m.isActive);
  return {
    id: row.id,
    regionCode: row.regionCode,
    villageName: row.villageName,
    householdNo: row.householdNo,
    headName: row.headName,
    isActive: row.isActive,
    memberCount: active.length,
    isCovered: active.some((m) => m.groups.length > 0),
    members,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
