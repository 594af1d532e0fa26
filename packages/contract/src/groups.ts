import { z } from 'zod';
import { ZRegionCode } from './regions';

/** Where a supervision group lives. */
export const GROUP_PLATFORMS = ['wechat', 'wecom', 'web'] as const;
/** Zod enum of platforms. */
export const ZGroupPlatform = z.enum(GROUP_PLATFORMS);

/** A supervision group (微信监督群). The webhook URL is a credential: only whether it is set is shown. */
export const ZGroup = z.object({
  id: z.string(),
  regionCode: ZRegionCode,
  villageName: z.string(),
  name: z.string(),
  platform: ZGroupPlatform,
  externalName: z.string().nullable(),
  hasWebhook: z.boolean(),
  isActive: z.boolean(),
  memberCount: z.number().int(),
  admins: z.array(z.object({ id: z.string(), name: z.string() })),
  createdAt: z.string(),
});
/** Group DTO. */
export type TGroup = z.infer<typeof ZGroup>;

/** The 企业微信 group-robot webhook address. */
export const ZWecomWebhookUrl = z.url().max(500).refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL / 须为 http(s) 地址');

/** `POST /groups`. */
export const ZCreateGroupRequest = z.object({
  villageCode: ZRegionCode,
  name: z.string().trim().min(1).max(64),
  platform: ZGroupPlatform,
  externalName: z.string().trim().max(64).optional(),
  wecomWebhookUrl: ZWecomWebhookUrl.optional(),
  adminUserIds: z.array(z.uuid()).max(10).optional(),
});
/** Create group request. */
export type TCreateGroupRequest = z.infer<typeof ZCreateGroupRequest>;

/** `PATCH /groups/{id}`: `wecomWebhookUrl: null` removes the webhook. */
export const ZUpdateGroupRequest = z.object({
  name: z.string().trim().min(1).max(64).optional(),
  platform: ZGroupPlatform.optional(),
  externalName: z.string().trim().max(64).nullable().optional(),
  wecomWebhookUrl: ZWecomWebhookUrl.nullable().optional(),
  isActive: z.boolean().optional(),
  adminUserIds: z.array(z.uuid()).max(10).optional(),
});
/** Update group request. */
export type TUpdateGroupRequest = z.infer<typeof ZUpdateGroupRequest>;

/** `GET /groups?region=`. */
export const ZListGroupsQuery = z.object({ region: ZRegionCode });

/** `POST /groups/{id}/members`. */
export const ZAddGroupMembersRequest = z.object({ memberIds: z.array(z.uuid()).min(1).max(500) });
/** Add members request. */
export type TAddGroupMembersRequest = z.infer<typeof ZAddGroupMembersRequest>;

/** A member line of a group's member list. */
export const ZGroupMember = z.object({ id: z.string(), name: z.string(), phoneMasked: z.string().nullable(), relation: z.string().nullable(), householdNo: z.string(), joinedAt: z.string() });
/** Page of group members (`GET /groups/{id}/members?after=&limit=`). */
export const ZGroupMemberPage = z.object({ items: z.array(ZGroupMember), nextCursor: z.string().nullable() });
/** Group members query. */
export const ZGroupMembersQuery = z.object({ after: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
/** Answer of adding members. */
export const ZAddGroupMembersResult = z.object({ added: z.number().int(), group: ZGroup });
