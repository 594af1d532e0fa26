import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, TEST_PASSWORD } from '../../../test/factories';

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
beforeAll(async () => {
  t = await createTestContext();
  world = await createWorld(t.services);
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, payload: payload as object, headers });

describe('official login', () => {
  it('logs in with login + password, sets an HttpOnly cookie and returns a bearer token that /me accepts', async () => {
    const official = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }], '吴镇干');
    const response = await post('/auth/login', { login: official.login.toUpperCase(), password: TEST_PASSWORD });
    expect(response.statusCode).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/sid=.+HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const { token } = response.json<{ token: string }>();
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { name: '吴镇干', kind: 'official' }, roles: [{ role: 'town_officer', regionCode: world.townA }], scopes: [{ code: world.townA }] });
  });

  it('refuses a wrong password and an unknown login alike, in Chinese and English', async () => {
    const official = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }]);
    for (const body of [{ login: official.login, password: 'wrong-password' }, { login: 'nobody-here', password: 'whatever1' }]) {
      const response = await post('/auth/login', body);
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '账号或密码错误', messageEn: 'Wrong login or password' });
    }
  });

  it('locks the account after 5 failures, even for the right password, and an admin unlock releases it', async () => {
    const official = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }]);
    for (let i = 0; i < 5; i++) expect((await post('/auth/login', { login: official.login, password: 'bad-password' })).statusCode).toBe(401);
    const locked = await post('/auth/login', { login: official.login, password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('ACCOUNT_LOCKED');
    await t.services.db.updateTable('users').set({ lockedUntil: null }).where('id', '=', official.id).execute();
    expect((await post('/auth/login', { login: official.login, password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('answers malformed JSON, missing fields and oversized bodies with 4xx problems', async () => {
    const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"login":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('MALFORMED_JSON');
    const missing = await post('/auth/login', { login: 'x' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: expect.stringContaining('password') })] });
    const huge = await post('/auth/login', { login: 'x', password: 'y'.repeat(2_000_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a disabled account', async () => {
    const official = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }]);
    await t.services.db.updateTable('users').set({ isActive: false }).where('id', '=', official.id).execute();
    expect((await post('/auth/login', { login: official.login, password: TEST_PASSWORD })).json().code).toBe('ACCOUNT_DISABLED');
  });
});

describe('villager login by one-time code', () => {
  const codeFor = (phone: string) => {
    const message = [...t.sms].reverse().find((m) => m.phone === phone);
    return /(\d{6})/.exec(message?.text ?? '')?.[1] ?? '';
  };

  it('sends a code, logs in once with it, creates the account with the villager role, and refuses reuse', async () => {
    const phone = world.villageA.phones[0]!;
    const requested = await post('/auth/otp/request', { phone });
    expect(requested.statusCode).toBe(200);
    expect(requested.json()).toEqual({ sent: true, phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}`, expiresInSeconds: 300 });
    const code = codeFor(phone);
    expect(code).toMatch(/^\d{6}$/);
    const verified = await post('/auth/otp/verify', { phone, code });
    expect(verified.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${verified.json().token}` } });
    expect(me.json()).toMatchObject({ user: { kind: 'villager' }, roles: [{ role: 'villager', regionCode: world.villageA.code }] });
    const reused = await post('/auth/otp/verify', { phone, code });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().code).toBe('OTP_INVALID');
  });

  it('refuses an unknown phone, a malformed phone, a wrong code, an expired code and a second request within a minute', async () => {
    expect((await post('/auth/otp/request', { phone: '13000000000' })).json().code).toBe('PHONE_NOT_REGISTERED');
    const malformed = await post('/auth/otp/request', { phone: '12345' });
    expect(malformed.statusCode).toBe(400);
    const phone = world.villageB.phones[0]!;
    expect((await post('/auth/otp/request', { phone })).statusCode).toBe(200);
    const again = await post('/auth/otp/request', { phone });
    expect(again.json().code).toBe('RATE_LIMITED');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    const good = codeFor(phone);
    const wrong = good === '000000' ? '111111' : '000000';
    expect((await post('/auth/otp/verify', { phone, code: wrong })).json().code).toBe('OTP_INVALID');
    const attempts = await t.services.db.selectFrom('otpCodes').select('attempts').where('phone', '=', phone).where('usedAt', 'is', null).executeTakeFirstOrThrow();
    expect(attempts.attempts).toBe(1);
    await t.services.db.updateTable('otpCodes').set({ expiresAt: new Date(Date.now() - 1000) }).where('phone', '=', phone).execute();
    expect((await post('/auth/otp/verify', { phone, code: good })).json().code).toBe('OTP_INVALID');
    expect(await t.services.db.selectFrom('users').select('id').where('phone', '=', phone).execute()).toHaveLength(0);
  });
});

describe('cookie sessions and CSRF', () => {
  it('requires the CSRF header for cookie-authenticated writes, not for bearer clients, and logout revokes', async () => {
    const official = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }]);
    const login = await post('/auth/login', { login: official.login, password: TEST_PASSWORD });
    const { csrfToken, token } = login.json<{ csrfToken: string; token: string }>();
    const cookie = `sid=${token}`;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json().csrfToken).toBe(csrfToken);
    const forged = await post('/auth/logout', undefined, { cookie });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('CSRF_FAILED');
    // A stale cookie without its token does not block public writes such as a code request.
    expect((await post('/auth/otp/request', { phone: world.villageA.phones[1]! }, { cookie })).statusCode).toBe(200);
    const out = await post('/auth/logout', undefined, { cookie, 'x-csrf-token': csrfToken });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).json().code).toBe('UNAUTHENTICATED');
  });

  it('audits logins in the same transaction', async () => {
    const official = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }]);
    await post('/auth/login', { login: official.login, password: TEST_PASSWORD });
    const events = await t.services.db.selectFrom('auditEvents').select('action').where('entityId', '=', official.id).execute();
    expect(events.map((e) => e.action)).toContain('auth.login');
  });
});
