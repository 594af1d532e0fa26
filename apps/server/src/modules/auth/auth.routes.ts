import { z } from 'zod';
import { ZLoginRequest, ZMe, ZOtpRequest, ZOtpRequestResponse, ZOtpVerify, ZTokenResponse } from '@cunwu/contract';
import type { TApp } from '../../kernel/app-types';
import { clearSessionCookie, csrfTokenFor, setSessionCookie } from '../../kernel/auth';
import { auditContext, requireActor } from '../../kernel/http';
import type { TServices } from '../../kernel/services';
import { presentMe } from './auth.present';
import * as repo from './auth.repo';
import * as service from './auth.service';

// Login endpoints are rate limited per client address on top of the per-account lockout.
const loginRateLimit = { rateLimit: { max: 20, timeWindow: '1 minute' } };

/** Routes under /api/v1/auth and /api/v1/me. */
export function authRoutes(app: TApp, services: TServices): void {
  const secure = services.config.cookieSecure;

  app.post('/auth/login', {
    config: loginRateLimit,
    schema: { tags: ['auth'], summary: '官员登录 Official login', body: ZLoginRequest, response: { 200: ZTokenResponse } },
  }, async (request, reply) => {
    const session = await service.loginWithPassword(services, request.body, { ...auditContext(request), userAgent: request.headers['user-agent'] ?? null });
    setSessionCookie(reply, session.token, session.expiresAt, secure);
    return { token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  });

  app.post('/auth/otp/request', {
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { tags: ['auth'], summary: '获取验证码 Request a one-time code', body: ZOtpRequest, response: { 200: ZOtpRequestResponse } },
  }, async (request) => {
    const sent = await service.requestOtp(services, request.body.phone, auditContext(request));
    return { sent: true as const, ...sent };
  });

  app.post('/auth/otp/verify', {
    config: loginRateLimit,
    schema: { tags: ['auth'], summary: '验证码登录 Log in with the code', body: ZOtpVerify, response: { 200: ZTokenResponse } },
  }, async (request, reply) => {
    const session = await service.verifyOtp(services, request.body, { ...auditContext(request), userAgent: request.headers['user-agent'] ?? null });
    setSessionCookie(reply, session.token, session.expiresAt, secure);
    return { token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  });

  app.post('/auth/logout', {
    schema: { tags: ['auth'], summary: '退出 Log out', response: { 204: z.null() } },
  }, async (request, reply) => {
    requireActor(request);
    await service.logout(services, request.auth!.sessionId, auditContext(request));
    clearSessionCookie(reply, secure);
    return reply.status(204).send(null);
  });

  app.get('/me', {
    schema: { tags: ['auth'], summary: '当前用户 Current user', response: { 200: ZMe } },
  }, async (request) => {
    const actor = requireActor(request);
    const profile = await repo.findProfile(services.db, actor.userId);
    if (!profile) throw new Error('session user vanished');
    const names = await repo.findRegionNames(services.db, actor.roles.map((r) => r.regionCode));
    const csrf = request.auth!.via === 'cookie' ? csrfTokenFor(services.secrets.secretKey, request.auth!.token) : null;
    return presentMe(actor, profile, names, csrf);
  });
}

/** The session resolver the kernel's authentication hook uses. */
export function sessionResolver(services: TServices) {
  return (hash: Buffer) => repo.findActorBySessionHash(services.db, hash);
}
