import { computed, shallowRef } from 'vue';
import { isWithinRegion, type TLoginRequest, type TMe, type TRole } from '@cunwu/contract';
import { isApiError, setCsrfToken } from '@/api/http';
import * as authApi from './api';

const me = shallowRef<TMe | null>(null);
let pending: Promise<TMe | null> | null = null;
// Set once the server has said "no session", so the login page does not ask again on every navigation.
let isKnownAnonymous = false;

/** Ask the server who is logged in; null when there is no session. Concurrent callers share one request. */
export function loadSession(): Promise<TMe | null> {
  pending ??= authApi
    .fetchMe()
    .then((value) => {
      me.value = value;
      isKnownAnonymous = false;
      setCsrfToken(value.csrfToken);
      return value;
    })
    .catch((error: unknown) => {
      if (isApiError(error) && error.status === 401) {
        me.value = null;
        isKnownAnonymous = true;
        return null;
      }
      throw error;
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** The known session, or load it once. */
export async function ensureSession(): Promise<TMe | null> {
  if (me.value) return me.value;
  return isKnownAnonymous ? null : loadSession();
}

/** Log in with a password, then load the full session. */
export async function signIn(body: TLoginRequest): Promise<TMe | null> {
  const token = await authApi.login(body);
  setCsrfToken(token.csrfToken);
  return loadSession();
}

/** Log out on the server (best effort) and forget the session locally. */
export async function signOut(): Promise<void> {
  try {
    await authApi.logout();
  } finally {
    clearSession();
  }
}

/** Forget the session locally (after a 401). */
export function clearSession(): void {
  me.value = null;
  isKnownAnonymous = true;
  setCsrfToken(null);
}

/** Whether the session user holds any of the roles. */
export function hasAnyRole(user: TMe | null, roles: readonly TRole[] | undefined): boolean {
  if (!roles || roles.length === 0) return true;
  return !!user && user.roles.some((r) => roles.includes(r.role));
}

/** Reactive view of the session for components. */
export function useSession() {
  return {
    me: computed(() => me.value),
    user: computed(() => me.value?.user ?? null),
    roles: computed(() => me.value?.roles ?? []),
    scopes: computed(() => me.value?.scopes ?? []),
    /** Whether the user holds any of these roles. */
    hasRole: (...roles: TRole[]) => hasAnyRole(me.value, roles),
    /**
     * Whether the user holds one of `roles` in a region covering `regionCode`, e.g. drafts disclosures
     * of this village. Only hides buttons: the server checks role and scope on every request anyway.
     */
    holdsRoleIn: (roles: readonly TRole[], regionCode: string) =>
      (me.value?.roles ?? []).some((r) => roles.includes(r.role) && isWithinRegion(regionCode, r.regionCode)),
    /** Whether a region lies within one of the user's scopes (a region above them would only answer 404). */
    isInScope: (regionCode: string) => (me.value?.scopes ?? []).some((s) => isWithinRegion(regionCode, s.code)),
  };
}
