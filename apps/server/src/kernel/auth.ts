import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TActor } from './policy';

/** Cookie carrying the session token (HttpOnly). */
export const SESSION_COOKIE = 'sid';
/** Header that must echo the CSRF token on cookie-authenticated writes. */
export const CSRF_HEADER = 'x-csrf-token';

// argon2id, OWASP's second recommended profile (19 MiB, t=2, p=1): ~25 ms here, fine for logins.
const ARGON_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** argon2id hash of a password (PHC string). */
export function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON_OPTIONS);
}

/** Check a password against its PHC hash. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(phc, password);
  } catch {
    return false;
  }
}

// A fixed hash to verify against when the login is unknown, so timing does not reveal which logins exist.
let dummyHash: Promise<string> | null = null;
/** Spend the same time as a real verification. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}

/** A new random session token (URL-safe, 256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token: what the sessions table stores. */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** CSRF token bound to a session token: HMAC, so nothing extra is stored. */
export function csrfTokenFor(secretKey: Buffer, token: string): string {
  return createHmac('sha256', secretKey).update(`csrf:${token}`).digest('base64url');
}

/** Keyed hash for low-entropy secrets (OTP codes, ID numbers) so a database leak does not reveal them. */
export function keyedHash(secretKey: Buffer, purpose: string, value: string): Buffer {
  return createHmac('sha256', secretKey).update(`${purpose}:${value}`).digest();
}

/** Constant-time string equality. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** How the request proved who it is. */
export interface TAuthResult {
  actor: TActor;
  sessionId: string;
  token: string;
  via: 'cookie' | 'bearer';
}

/** Looks a token hash up; provided by the auth module so the kernel holds no SQL about users. */
export type TSessionResolver = (hash: Buffer) => Promise<{ actor: TActor; sessionId: string } | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticate a request from `Authorization: Bearer` or the session cookie. Cookie-authenticated
 * writes must carry the CSRF header; bearer clients are not exposed to CSRF and need none.
 */
export async function authenticate(request: FastifyRequest, resolve: TSessionResolver, secretKey: Buffer): Promise<TAuthResult | 'csrf_failed' | null> {
  const header = request.headers.authorization;
  let token: string | undefined;
  let via: 'cookie' | 'bearer' = 'cookie';
  if (header?.startsWith('Bearer ')) {
    token = header.slice(7).trim();
    via = 'bearer';
  } else {
    token = request.cookies?.[SESSION_COOKIE];
  }
  if (!token || token.length > 200) return null;
  const found = await resolve(tokenHash(token));
  if (!found) return null;
  if (via === 'cookie' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    // A stale cookie must not block public writes (login, code requests): the request simply
    // counts as anonymous, and routes that need the actor answer CSRF_FAILED.
    if (typeof sent !== 'string' || !safeEqual(sent, csrfTokenFor(secretKey, token))) return 'csrf_failed';
  }
  return { ...found, token, via };
}

/** Set the session cookie. */
export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
}

/** Clear the session cookie. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
