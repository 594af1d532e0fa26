import { randomInt } from 'node:crypto';
import { LIMITS, maskPhone, type TLoginRequest, type TOtpVerify } from '@cunwu/contract';
import { recordAudit, type TAuditContext } from '../../kernel/audit';
import { burnPasswordCheck, csrfTokenFor, keyedHash, newToken, safeEqual, tokenHash, verifyPassword } from '../../kernel/auth';
import { AppError } from '../../kernel/errors';
import type { TServices } from '../../kernel/services';
import * as repo from './auth.repo';

/** A freshly opened session. */
export interface TOpenedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  userId: string;
}

/** Official login with password; counts failures and locks after LIMITS.loginMaxFailures. */
export async function loginWithPassword(services: TServices, input: TLoginRequest, ctx: TAuditContext & { userAgent: string | null }): Promise<TOpenedSession> {
  const { db, clock } = services;
  const account = await repo.findOfficialByLogin(db, input.login);
  if (!account || !account.passwordHash) {
    await burnPasswordCheck(input.password);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (account.lockedUntil && account.lockedUntil > clock.now()) {
    throw new AppError('ACCOUNT_LOCKED', `locked until ${account.lockedUntil.toISOString()}`);
  }
  const isValid = await verifyPassword(account.passwordHash, input.password);
  if (!isValid) {
    // The failure count must survive the error response, so it is written on its own.
    await db.transaction().execute(async (tx) => {
      await repo.recordFailedLogin(tx, account.id, LIMITS.loginMaxFailures, LIMITS.loginLockMinutes);
      await recordAudit(tx, { ...ctx, actorId: null }, { action: 'auth.login_failed', entityType: 'user', entityId: account.id });
    });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!account.isActive) throw new AppError('ACCOUNT_DISABLED');
  return db.transaction().execute(async (tx) => {
    await repo.clearFailedLogins(tx, account.id);
    const session = await openSession(services, tx, account.id, LIMITS.sessionTtlHours * 3600, ctx);
    await recordAudit(tx, { ...ctx, actorId: account.id }, { action: 'auth.login', entityType: 'user', entityId: account.id });
    return session;
  });
}

async function openSession(services: TServices, tx: Parameters<typeof repo.insertSession>[0], userId: string, ttlSeconds: number, ctx: { ip: string | null; userAgent: string | null }): Promise<TOpenedSession> {
  const token = newToken();
  const expiresAt = new Date(services.clock.now().getTime() + ttlSeconds * 1000);
  await repo.insertSession(tx, { userId, tokenHash: tokenHash(token), expiresAt, ip: ctx.ip, userAgent: ctx.userAgent?.slice(0, 300) ?? null });
  return { token, csrfToken: csrfTokenFor(services.secrets.secretKey, token), expiresAt, userId };
}

/** Send a one-time code to a registered villager's phone (at most one per minute per phone). */
export async function requestOtp(services: TServices, phone: string, ctx: TAuditContext): Promise<{ phoneMasked: string; expiresInSeconds: number }> {
  const { db, clock, secrets } = services;
  const member = await repo.findMemberByPhone(db, phone);
  if (!member) throw new AppError('PHONE_NOT_REGISTERED');
  const code = String(randomInt(0, 10 ** LIMITS.otpLength)).padStart(LIMITS.otpLength, '0');
  await db.transaction().execute(async (tx) => {
    const last = await repo.findLastOtpAt(tx, phone);
    const waited = last ? clock.now().getTime() - last.getTime() : Number.POSITIVE_INFINITY;
    if (waited < 60_000) throw new AppError('RATE_LIMITED', 'one code per minute / 每分钟只能获取一次验证码', undefined, (60_000 - waited) / 1000);
    await repo.insertOtp(tx, phone, keyedHash(secrets.secretKey, 'otp', `${phone}:${code}`), LIMITS.otpTtlSeconds);
    await recordAudit(tx, ctx, { action: 'auth.otp_requested', entityType: 'member', entityId: member.id, regionCode: member.regionCode });
  });
  await services.sms.send(phone, `【村务监督】您的登录验证码是 ${code}，${LIMITS.otpTtlSeconds / 60} 分钟内有效。`);
  return { phoneMasked: maskPhone(phone), expiresInSeconds: LIMITS.otpTtlSeconds };
}

/** Exchange a one-time code for a session; creates the villager's account on first login. */
export async function verifyOtp(services: TServices, input: TOtpVerify, ctx: TAuditContext & { userAgent: string | null }): Promise<TOpenedSession> {
  const { db, secrets } = services;
  const expected = keyedHash(secrets.secretKey, 'otp', `${input.phone}:${input.code}`).toString('base64');
  const outcome = await db.transaction().execute(async (tx) => {
    const live = await repo.findLiveOtp(tx, input.phone);
    if (!live || live.attempts >= LIMITS.otpMaxAttempts) return { ok: false as const };
    if (!safeEqual(live.codeHash.toString('base64'), expected)) {
      await repo.incrementOtpAttempts(tx, live.id);
      return { ok: false as const };
    }
    await repo.markOtpUsed(tx, live.id);
    const member = await repo.findMemberByPhone(tx, input.phone);
    if (!member) throw new AppError('PHONE_NOT_REGISTERED');
    const userId = member.userId ?? (await repo.createVillagerAccount(tx, member, input.phone));
    const session = await openSession(services, tx, userId, LIMITS.villagerSessionTtlDays * 86_400, ctx);
    await recordAudit(tx, { ...ctx, actorId: userId }, { action: 'auth.otp_login', entityType: 'user', entityId: userId, regionCode: member.regionCode });
    return { ok: true as const, session };
  });
  // A wrong code is committed (attempt counted) before the error is answered.
  if (!outcome.ok) throw new AppError('OTP_INVALID');
  return outcome.session;
}

/** Revoke the current session. */
export async function logout(services: TServices, sessionId: string, ctx: TAuditContext): Promise<void> {
  await services.db.transaction().execute(async (tx) => {
    await repo.revokeSession(tx, sessionId);
    await recordAudit(tx, ctx, { action: 'auth.logout', entityType: 'session', entityId: sessionId });
  });
}
