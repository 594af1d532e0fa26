import { computed, shallowRef } from 'vue';
import type { TMe } from '@cunwu/contract';
import { setCsrfToken } from '@/api/http';
import { fetchMe, logout } from './api';

/** The logged-in villager as `GET /me` last described him; null when unknown or logged out. */
const me = shallowRef<TMe | null>(null);

/** Load (or reload) the session from the server; rejects with ApiError (401 when logged out). */
export async function loadSession(options?: { skipAuthRedirect?: boolean }): Promise<TMe> {
  const answer = await fetchMe(options);
  me.value = answer;
  setCsrfToken(answer.csrfToken);
  return answer;
}

/** Forget the session locally (after logout or when the server says it expired). */
export function clearSession(): void {
  me.value = null;
  setCsrfToken(null);
}

/** Log out on the server, then forget the session even if the server call failed. */
export async function endSession(): Promise<void> {
  try {
    await logout();
  } finally {
    clearSession();
  }
}

/** The villager's own village: the region of his villager role, else his first scope. */
function villageOf(session: TMe | null): { code: string; name: string } | null {
  if (session === null) return null;
  const role = session.roles.find((r) => r.role === 'villager');
  if (role) return { code: role.regionCode, name: role.regionName };
  return session.scopes[0] ?? null;
}

/** Reactive session state for pages. */
export function useSession() {
  return {
    me,
    village: computed(() => villageOf(me.value)),
  };
}
