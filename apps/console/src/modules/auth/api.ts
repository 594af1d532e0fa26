import type { TLoginRequest, TMe, TTokenResponse } from '@cunwu/contract';
import { http } from '@/api/http';

/** `POST /auth/login`: password login; the server also sets the session cookie. */
export function login(body: TLoginRequest): Promise<TTokenResponse> {
  return http.post<TTokenResponse>('/auth/login', body, { isAuthProbe: true });
}

/** `POST /auth/logout`: end the session. */
export function logout(): Promise<void> {
  return http.post<void>('/auth/logout', undefined, { isAuthProbe: true });
}

/** `GET /me`: who is logged in, with roles, scopes and the CSRF token. */
export function fetchMe(): Promise<TMe> {
  return http.get<TMe>('/me', undefined, { isAuthProbe: true });
}
