import type { TMe, TOtpRequest, TOtpVerify, TTokenResponse, ZOtpRequestResponse } from '@cunwu/contract';
import { http } from '@/api/http';

/** Answer to an OTP request. */
export type TOtpRequestResponse = ReturnType<(typeof ZOtpRequestResponse)['parse']>;

/** Ask the server to send a one-time login code to a registered villager's phone. */
export function requestOtp(body: TOtpRequest): Promise<TOtpRequestResponse> {
  return http.post<TOtpRequestResponse>('/auth/otp/request', body);
}

/** Exchange phone + code for a session (the server sets the HttpOnly cookie). */
export function verifyOtp(body: TOtpVerify): Promise<TTokenResponse> {
  return http.post<TTokenResponse>('/auth/otp/verify', body);
}

/** End the session on the server. */
export function logout(): Promise<void> {
  return http.post<void>('/auth/logout');
}

/** Who is logged in, with roles, scopes and the CSRF token. */
export function fetchMe(options?: { skipAuthRedirect?: boolean }): Promise<TMe> {
  return http.get<TMe>('/me', options);
}
