import { z } from 'zod';
import { LIMITS } from './limits';
import { ZRegionCode } from './regions';
import { ZPhone } from './auth';

/** A mainland resident ID number (18 characters, last may be X); only its keyed hash and last 4 are kept. */
export const ZIdNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{17}[\dX]$/, 'ID number must be 18 characters / 身份证号须为18位');

/** Relation to the head of household (与户主关系), free text with common values offered by the forms. */
export const RELATIONS = ['户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳', '女婿', '兄弟姐妹', '其他'] as const;

const name = z.string().trim().min(1).max(LIMITS.nameMax);
const householdNo = z.string().trim().min(1).max(32).regex(/^[0-9A-Za-z-]+$/, 'household number: digits, letters or - / 户号只能含数字、字母或-');

/** A group a member belongs to (id and name). */
export const ZGroupRef = z.object({ id: z.string(), name: z.string() });

/** A member (村民) as officials of his village see him: phone and ID masked. */
export const ZMember = z.object({
  id: z.string(),
  householdId: z.string(),
  regionCode: ZRegionCode,
  name: z.string(),
  relation: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  idLast4: z.string().nullable(),
  isActive: z.boolean(),
  hasAccount: z.boolean(),
  groups: z.array(ZGroupRef),
});
/** Member DTO. */
export type TMember = z.infer<typeof ZMember>;

/** A household with its members. */
export const ZHousehold = z.object({
  id: z.string(),
  regionCode: ZRegionCode,
  villageName: z.string(),
  householdNo: z.string(),
  headName: z.string(),
  isActive: z.boolean(),
  memberCount: z.number().int(),
  /** True when at least one active member is in a supervision group. */
  isCovered: z.boolean(),
  members: z.array(ZMember),
  updatedAt: z.string(),
});
/** Household DTO. */
export type THousehold = z.infer<typeof ZHousehold>;

/** `GET /households?village=&q=&uncovered=&includeInactive=&cursor=&limit=` — village or wider region code. */
export const ZListHouseholdsQuery = z.object({
  region: ZRegionCode,
  q: z.string().trim().max(64).optional(),
  /** Only households with no member in any group (whom to visit). */
  uncovered: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  includeInactive: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSizeDefault),
});
/** List households query. */
export type TListHouseholdsQuery = z.input<typeof ZListHouseholdsQuery>;

/** Page of households. */
export const ZHouseholdPage = z.object({ items: z.array(ZHousehold), nextCursor: z.string().nullable() });
/** Household page DTO. */
export type THouseholdPage = z.infer<typeof ZHouseholdPage>;

/** `POST /households`. */
export const ZCreateHouseholdRequest = z.object({ villageCode: ZRegionCode, householdNo, headName: name });
/** Create household request. */
export type TCreateHouseholdRequest = z.infer<typeof ZCreateHouseholdRequest>;

/** `PATCH /households/{id}`. */
export const ZUpdateHouseholdRequest = z
  .object({ householdNo: householdNo.optional(), headName: name.optional() })
  .refine((v) => v.householdNo !== undefined || v.headName !== undefined, { message: 'nothing to change / 没有要修改的内容' });
/** Update household request. */
export type TUpdateHouseholdRequest = z.infer<typeof ZUpdateHouseholdRequest>;

/** `POST /members`. */
export const ZCreateMemberRequest = z.object({
  householdId: z.uuid(),
  name,
  relation: z.string().trim().max(16).optional(),
  phone: ZPhone.optional(),
  idNumber: ZIdNumber.optional(),
  groupIds: z.array(z.uuid()).max(20).optional(),
});
/** Create member request. */
export type TCreateMemberRequest = z.infer<typeof ZCreateMemberRequest>;

/** `PATCH /members/{id}`: `phone: null` removes the phone. */
export const ZUpdateMemberRequest = z
  .object({ name: name.optional(), relation: z.string().trim().max(16).nullable().optional(), phone: ZPhone.nullable().optional(), idNumber: ZIdNumber.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change / 没有要修改的内容' });
/** Update member request. */
export type TUpdateMemberRequest = z.infer<typeof ZUpdateMemberRequest>;

/** `POST /members/{id}/move` — to another household of the same village. */
export const ZMoveMemberRequest = z.object({ householdId: z.uuid() });
/** Move member request. */
export type TMoveMemberRequest = z.infer<typeof ZMoveMemberRequest>;

/** `POST /members/{id}/deactivate` and `/households/{id}/deactivate`: a reason is kept in the audit log. */
export const ZDeactivateRequest = z.object({ reason: z.string().trim().min(1).max(200) });
/** Deactivate request. */
export type TDeactivateRequest = z.infer<typeof ZDeactivateRequest>;

/** `POST /members/{id}/reveal-phone` answer: the full number, read is audited. */
export const ZRevealedPhone = z.object({ phone: z.string().nullable() });

/** Coverage (households and members in groups) of any region. */
export const ZCoverage = z.object({
  households: z.number().int(),
  householdsInGroups: z.number().int(),
  members: z.number().int(),
  membersInGroups: z.number().int(),
  groups: z.number().int(),
});
/** Coverage DTO. */
export type TCoverage = z.infer<typeof ZCoverage>;

/** Coverage of each child region (table and chart). */
export const ZChildCoverage = z.array(ZCoverage.extend({ code: ZRegionCode, name: z.string(), level: z.string() }));
/** Child coverage DTO. */
export type TChildCoverage = z.infer<typeof ZChildCoverage>;
