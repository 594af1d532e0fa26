import type {
  TCreateHouseholdRequest,
  TCreateMemberRequest,
  THousehold,
  THouseholdPage,
  TMember,
  TUpdateHouseholdRequest,
  TUpdateMemberRequest,
} from '@cunwu/contract';
import { http } from '@/api/http';

/** Filters of `GET /households` as the console sends them (booleans become `true`/`false`). */
export interface THouseholdQuery {
  region: string;
  q?: string;
  uncovered?: boolean;
  includeInactive?: boolean;
  cursor?: string;
  limit?: number;
}

/** `GET /households`: one cursor page of households of a village or a wider region. */
export function findHouseholds(query: THouseholdQuery, signal?: AbortSignal): Promise<THouseholdPage> {
  return http.get<THouseholdPage>('/households', { ...query }, { signal });
}

/** `GET /households/{id}`: one household with all its members, inactive ones included. */
export function fetchHousehold(id: string, signal?: AbortSignal): Promise<THousehold> {
  return http.get<THousehold>(`/households/${encodeURIComponent(id)}`, undefined, { signal });
}

/** `POST /households`: register a household (户) in a village. */
export function createHousehold(body: TCreateHouseholdRequest): Promise<THousehold> {
  return http.post<THousehold>('/households', body);
}

/** `PATCH /households/{id}`: change the household number or the head's name. */
export function updateHousehold(id: string, body: TUpdateHouseholdRequest): Promise<THousehold> {
  return http.patch<THousehold>(`/households/${encodeURIComponent(id)}`, body);
}

/** `POST /households/{id}/deactivate`: retire a household and its members; the reason is audited. */
export function deactivateHousehold(id: string, reason: string): Promise<THousehold> {
  return http.post<THousehold>(`/households/${encodeURIComponent(id)}/deactivate`, { reason });
}

/** `POST /members`: add a member (村民) to a household, optionally into groups of the village. */
export function createMember(body: TCreateMemberRequest): Promise<TMember> {
  return http.post<TMember>('/members', body);
}

/** `PATCH /members/{id}`: edit a member; `phone: null` removes the phone. */
export function updateMember(id: string, body: TUpdateMemberRequest): Promise<TMember> {
  return http.patch<TMember>(`/members/${encodeURIComponent(id)}`, body);
}

/** `POST /members/{id}/move`: move a member to another household of the same village. */
export function moveMember(id: string, householdId: string): Promise<TMember> {
  return http.post<TMember>(`/members/${encodeURIComponent(id)}/move`, { householdId });
}

/** `POST /members/{id}/deactivate`: retire a member; the reason is audited. */
export function deactivateMember(id: string, reason: string): Promise<TMember> {
  return http.post<TMember>(`/members/${encodeURIComponent(id)}/deactivate`, { reason });
}

/** `POST /members/{id}/reveal-phone`: the full number; the server records who read it. */
export function revealMemberPhone(id: string): Promise<{ phone: string | null }> {
  return http.post<{ phone: string | null }>(`/members/${encodeURIComponent(id)}/reveal-phone`);
}
