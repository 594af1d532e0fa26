import type {
  TAddGroupMembersRequest,
  TCreateGroupRequest,
  TFeedItem,
  TFeedPage,
  TGroup,
  THouseholdPage,
  TPostNoticeRequest,
  TUpdateGroupRequest,
  TUserPage,
  TRole,
} from '@cunwu/contract';
import { API_BASE, http } from '@/api/http';

/** One member line of `GET /groups/{id}/members` (the contract exports the schema, not the type). */
export interface TGroupMemberRow {
  id: string;
  name: string;
  phoneMasked: string | null;
  relation: string | null;
  householdNo: string;
  joinedAt: string;
}

/** A page of group members. */
export interface TGroupMemberPage {
  items: TGroupMemberRow[];
  nextCursor: string | null;
}

/** Answer of `POST /groups/{id}/members`. */
export interface TAddGroupMembersResult {
  added: number;
  group: TGroup;
}

const groupPath = (id: string): string => `/groups/${encodeURIComponent(id)}`;

/** `GET /groups?region=`: the groups of a village or any wider region in the user's scope. */
export function findGroups(region: string, signal?: AbortSignal): Promise<TGroup[]> {
  return http.get<TGroup[]>('/groups', { region }, { signal });
}

/** `GET /groups/{id}`: one group. */
export function fetchGroup(id: string, signal?: AbortSignal): Promise<TGroup> {
  return http.get<TGroup>(groupPath(id), undefined, { signal });
}

/** `POST /groups`: create a group in a village (a 企业微信 group needs its robot webhook). */
export function createGroup(body: TCreateGroupRequest): Promise<TGroup> {
  return http.post<TGroup>('/groups', body);
}

/** `PATCH /groups/{id}`: edit; `wecomWebhookUrl: null` removes the webhook. */
export function updateGroup(id: string, body: TUpdateGroupRequest): Promise<TGroup> {
  return http.patch<TGroup>(groupPath(id), body);
}

/** `GET /groups/{id}/members`: members in join order, paged by the last member id. */
export function findGroupMembers(id: string, after: string | undefined, limit: number, signal?: AbortSignal): Promise<TGroupMemberPage> {
  return http.get<TGroupMemberPage>(`${groupPath(id)}/members`, { after, limit }, { signal });
}

/** `POST /groups/{id}/members`: add villagers of the group's village. */
export function addGroupMembers(id: string, body: TAddGroupMembersRequest): Promise<TAddGroupMembersResult> {
  return http.post<TAddGroupMembersResult>(`${groupPath(id)}/members`, body);
}

/** `DELETE /groups/{id}/members/{memberId}`: take a member out of the group. */
export function removeGroupMember(id: string, memberId: string): Promise<TGroup> {
  return http.delete<TGroup>(`${groupPath(id)}/members/${encodeURIComponent(memberId)}`);
}

/** Query of {@link searchHouseholds}. */
export interface THouseholdSearch {
  region: string;
  q?: string;
  /** Only households with no member in any group. */
  uncovered?: boolean;
  cursor?: string;
  limit?: number;
}

/** `GET /households?region=&q=`: households (with members) of a village matching a name or household number. */
export function searchHouseholds(query: THouseholdSearch, signal?: AbortSignal): Promise<THouseholdPage> {
  const { uncovered, ...rest } = query;
  return http.get<THouseholdPage>('/households', { ...rest, uncovered: uncovered ? 'true' : undefined }, { signal });
}

/** `GET /users?role=&region=`: officials holding a role exactly at a region (admin only). */
export function findOfficials(role: TRole, region: string, signal?: AbortSignal): Promise<TUserPage> {
  return http.get<TUserPage>('/users', { role, region, limit: 100 }, { signal });
}

/** `GET /groups/{id}/feed?before=`: the group's web feed, newest first. */
export function findFeed(id: string, before: string | undefined, limit: number, signal?: AbortSignal): Promise<TFeedPage> {
  return http.get<TFeedPage>(`${groupPath(id)}/feed`, { before, limit }, { signal });
}

/** `POST /groups/{id}/notices`: post a notice to the web feed and the group's outside channels. */
export function postNotice(id: string, body: TPostNoticeRequest): Promise<TFeedItem> {
  return http.post<TFeedItem>(`${groupPath(id)}/notices`, body);
}

/** Address of the feed's Server-Sent Events stream (`event: message`, data: a feed item). */
export function feedStreamUrl(id: string): string {
  return `${API_BASE}${groupPath(id)}/feed/stream`;
}
