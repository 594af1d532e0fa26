import { z } from 'zod';
import { LIMITS } from './limits';
import { ZRole } from './roles';
import { ZRegionCode } from './regions';

/** A mainland mobile number, 11 digits starting with 1. */
export const ZPhone = z.string().trim().regex(/^1[3-9]\d{9}$/, 'phone must be an 11-digit mobile number / 手机号须为11位');

/** `POST /auth/login` — officials, login (username or phone) + password. */
export const ZLoginRequest = z.object({
  login: z.string().trim().min(1).max(LIMITS.loginMax),
  password: z.string().min(1).max(LIMITS.passwordMax),
});
/** Login request. */
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

/** A session token answer (also set as the HttpOnly cookie). */
export const ZTokenResponse = z.object({
  token: z.string(),
  /** Value to echo in the `x-csrf-token` header when using the cookie. */
  csrfToken: z.string(),
  expiresAt: z.string(),
});
/** Token response. */
export type TTokenResponse = z.infer<typeof ZTokenResponse>;

/** `POST /auth/otp/request`. */
export const ZOtpRequest = z.object({ phone: ZPhone });
/** OTP request. */
export type TOtpRequest = z.infer<typeof ZOtpRequest>;

/** Answer to an OTP request: never reveals the code. */
export const ZOtpRequestResponse = z.object({
  sent: z.literal(true),
  phoneMasked: z.string(),
  expiresInSeconds: z.number().int(),
});

/** `POST /auth/otp/verify`. */
export const ZOtpVerify = z.object({
  phone: ZPhone,
  code: z.string().trim().regex(/^\d{6}$/, 'code must be 6 digits / 验证码须为6位数字'),
});
/** OTP verify request. */
export type TOtpVerify = z.infer<typeof ZOtpVerify>;

/** One role assignment as the API shows it. */
export const ZRoleAssignment = z.object({
  id: z.string(),
  role: ZRole,
  regionCode: ZRegionCode,
  regionName: z.string(),
});
/** Role assignment DTO. */
export type TRoleAssignment = z.infer<typeof ZRoleAssignment>;

/** `GET /me`. */
export const ZMe = z.object({
  user: z.object({
    id: z.string(),
    kind: z.enum(['official', 'villager']),
    name: z.string(),
    login: z.string().nullable(),
    phoneMasked: z.string().nullable(),
  }),
  roles: z.array(ZRoleAssignment),
  /** Distinct region scopes, widest first. */
  scopes: z.array(z.object({ code: ZRegionCode, name: z.string() })),
  csrfToken: z.string().nullable(),
});
/** Me DTO. */
export type TMe = z.infer<typeof ZMe>;
