import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OUTBOX_MAX_ATTEMPTS } from '@cunwu/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, loginAs } from '../../../test/factories';
import type { TServices } from '../../kernel/services';
import { createWecomAdapter, defaultAdapters, type TAdapters } from './adapters';
import { backoffMs, BACKOFF_BASE_MS, deliverDueMessages } from './outbox.delivery';
import { outboxJobs } from './outbox.jobs';
import { enqueueForGroup, enqueueOutbound } from './outbox.service';
import * as repo from './outbox.repo';

/** What the fake robot received. */
interface TReceived {
  method: string;
  path: string;
  body: Record<string, unknown>;
}
type TAnswer = { status?: number; json?: unknown; delayMs?: number };

/**
 * A local stand-in for the 企业微信 robot: records every request and answers from a per-path script
 * (then `{"errcode":0}` once the script is used up).
 */
async function startRobot(): Promise<{ url(path: string): string; received: TReceived[]; script(path: string, answers: TAnswer[]): void; close(): Promise<void> }> {
  const received: TReceived[] = [];
  const scripts = new Map<string, TAnswer[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      received.push({ method: req.method ?? '', path, body });
      const answer = scripts.get(path)?.shift() ?? { json: { errcode: 0, errmsg: 'ok' } };
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.json ?? {}));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}?key=SECRET-${path.replace(/\W/g, '')}`,
    received,
    script: (path, answers) => void scripts.set(path, answers),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
let robot: Awaited<ReturnType<typeof startRobot>>;
let nowMs = 0;
/** Services whose clock the tests move forward (back-off without waiting). */
let timed: TServices;

beforeAll(async () => {
  t = await createTestContext();
  world = await createWorld(t.services);
  robot = await startRobot();
  timed = { ...t.services, clock: { now: () => new Date(nowMs) } };
});
afterAll(async () => {
  await robot.close();
  await t.close();
});
// Leftovers of one test must not be delivered (or counted) in the next.
afterEach(async () => {
  await t.services.db.updateTable('outboxMessages').set({ status: 'dead' }).where('status', 'in', ['pending', 'failed', 'sending']).execute();
});

let groupCounter = 0;
async function createGroup(villageCode: string, webhookUrl: string | null) {
  groupCounter++;
  const row = await t.services.db
    .insertInto('supervisionGroups')
    .values({ regionCode: villageCode, name: `监督群${groupCounter}`, platform: webhookUrl ? 'wecom' : 'wechat', wecomWebhookUrl: webhookUrl })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, regionCode: villageCode, hasWebhook: webhookUrl !== null };
}

async function rowsOf(groupId: string) {
  return t.services.db.selectFrom('outboxMessages').selectAll().where('groupId', '=', groupId).orderBy('createdAt').orderBy('channel').execute();
}

async function notice(group: { id: string; regionCode: string; hasWebhook: boolean }, key: string, extra: { phones?: string[]; format?: 'markdown' | 'text' | 'news'; link?: string } = {}) {
  const isNew = await t.services.db.transaction().execute((tx) =>
    enqueueForGroup(tx, { ...group, feedMessageId: crypto.randomUUID() }, { dedupeKey: key, topic: 'platform.notice', title: '停水通知', body: `5月16日8:00—12:00 村里停水检修（${key}）`, ...extra }),
  );
  // Rows are due from the database's now(); the test clock must not lag behind it.
  nowMs = Math.max(nowMs, Date.now() + 1000);
  return isNew;
}

describe('enqueue', () => {
  it('queues a business change once per channel, whatever the number of calls', async () => {
    const group = await createGroup(world.villageA.code, robot.url('/dedupe'));
    const input = { regionCode: group.regionCode, groupId: group.id, channel: 'wecom' as const, dedupeKey: 'disclosure:42', payload: { title: '公开', body: '四月收支已公开' } };
    const first = await enqueueOutbound(t.services.db, input);
    const second = await enqueueOutbound(t.services.db, input);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBeNull();
    expect(await enqueueOutbound(t.services.db, { ...input, channel: 'web' })).not.toBeNull();

    expect(await notice(group, 'notice:1')).toBe(true);
    expect(await notice(group, 'notice:1')).toBe(false);
    const rows = (await rowsOf(group.id)).filter((r) => r.dedupeKey.startsWith('notice:1'));
    expect(rows.map((r) => r.channel).sort()).toEqual(['web', 'wecom']);
  });

  it('sends SMS only to the addressees given, once per phone; the phone stays out of keys and summaries', async () => {
    const group = await createGroup(world.villageA.code, null);
    const phone = world.villageA.phones[0]!;
    await notice(group, 'notice:sms', { phones: [phone, phone] });
    await notice(group, 'notice:sms', { phones: [phone] });
    const sms = (await rowsOf(group.id)).filter((r) => r.channel === 'sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.dedupeKey).not.toContain(phone);
    const report = await deliverDueMessages(timed);
    expect(report.delivered).toBeGreaterThanOrEqual(2); // web + sms
    expect(t.sms.filter((m) => m.phone === phone && m.text.includes('停水通知'))).toHaveLength(1);
    const official = await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }]);
    const page = await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.villageA.code}&channel=sms`, headers: await loginAs(t.app, official.login) });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(phone);
    expect(page.json().items[0]).toMatchObject({ channel: 'sms', status: 'delivered', summary: expect.stringContaining('停水通知') });
  });
});

describe('delivery to the 企业微信 robot', () => {
  it('retries 45009 twice and HTTP 500 once with growing back-off, then delivers the same message', async () => {
    const group = await createGroup(world.villageA.code, robot.url('/flaky'));
    robot.script('/flaky', [{ json: { errcode: 45009, errmsg: 'api freq out of limit' } }, { json: { errcode: 45009, errmsg: 'api freq out of limit' } }, { status: 500, json: {} }]);
    await notice(group, 'notice:flaky');
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await deliverDueMessages(timed);
      const row = (await rowsOf(group.id)).find((r) => r.channel === 'wecom')!;
      expect(row).toMatchObject({ status: 'failed', attempts: attempt });
      expect(row.lastError).toMatch(attempt < 3 ? /errcode 45009/ : /HTTP 500/);
      expect(row.lastError).not.toContain('SECRET');
      waits.push(row.nextAttemptAt.getTime() - nowMs);
      // Not due yet: a run now sends nothing.
      await deliverDueMessages(timed);
      expect(robot.received.filter((r) => r.path === '/flaky')).toHaveLength(attempt);
      nowMs = row.nextAttemptAt.getTime() + 1;
    }
    // The frequency limit is per minute: no retry sooner than that.
    expect(waits[0]).toBeGreaterThanOrEqual(60_000);
    expect(waits[1]).toBeGreaterThanOrEqual(60_000);
    expect(waits[2]).toBeGreaterThanOrEqual(BACKOFF_BASE_MS * 4 * 0.8);
    await deliverDueMessages(timed);
    const done = (await rowsOf(group.id)).find((r) => r.channel === 'wecom')!;
    expect(done).toMatchObject({ status: 'delivered', attempts: 4, lastError: null });
    expect(done.deliveredAt).not.toBeNull();
    const calls = robot.received.filter((r) => r.path === '/flaky');
    expect(calls).toHaveLength(4);
    for (const call of calls) {
      expect(call.method).toBe('POST');
      expect(call.body).toEqual(calls[0]!.body);
    }
    expect(calls[0]!.body).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('**停水通知**') } });
  });

  it('gives up at once on an invalid robot key (dead), and never stores the key', async () => {
    const group = await createGroup(world.villageA.code, robot.url('/invalid'));
    robot.script('/invalid', [{ json: { errcode: 93000, errmsg: 'invalid webhook url, hint: [key=SECRET-invalid]' } }]);
    await notice(group, 'notice:invalid');
    await deliverDueMessages(timed);
    const row = (await rowsOf(group.id)).find((r) => r.channel === 'wecom')!;
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
    expect(row.lastError).toContain('errcode 93000');
    expect(row.lastError).not.toContain('SECRET');
    nowMs += 3_600_000;
    await deliverDueMessages(timed);
    expect(robot.received.filter((r) => r.path === '/invalid')).toHaveLength(1);
  });

  it('backs off exponentially (30 s · 2^n, jittered, capped at an hour) and is dead after the last attempt', async () => {
    expect(backoffMs(1, () => 0.5)).toBe(30_000);
    expect(backoffMs(2, () => 0.5)).toBe(60_000);
    expect(backoffMs(5, () => 0.5)).toBe(480_000);
    expect(backoffMs(12, () => 1)).toBe(3_600_000);
    expect(backoffMs(1, () => 0)).toBe(24_000);

    const group = await createGroup(world.villageA.code, robot.url('/down'));
    robot.script('/down', Array.from({ length: OUTBOX_MAX_ATTEMPTS }, () => ({ status: 503 })));
    await notice(group, 'notice:down');
    const waits: number[] = [];
    for (let attempt = 1; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
      await deliverDueMessages(timed);
      const row = (await rowsOf(group.id)).find((r) => r.channel === 'wecom')!;
      expect(row.attempts).toBe(attempt);
      if (attempt < OUTBOX_MAX_ATTEMPTS) {
        expect(row.status).toBe('failed');
        waits.push(row.nextAttemptAt.getTime() - nowMs);
        nowMs = row.nextAttemptAt.getTime() + 1;
      } else {
        expect(row.status).toBe('dead');
        expect(row.lastError).toBe('HTTP 503');
      }
    }
    for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThan(waits[i - 1]!);
    expect(Math.max(...waits)).toBeLessThanOrEqual(3_600_000);
    expect(robot.received.filter((r) => r.path === '/down')).toHaveLength(OUTBOX_MAX_ATTEMPTS);
  });

  it('treats a timeout and a refused connection as retryable', async () => {
    const slow = await createGroup(world.villageA.code, robot.url('/slow'));
    robot.script('/slow', [{ delayMs: 1500 }]);
    const refused = await createGroup(world.villageA.code, 'http://127.0.0.1:1/robot?key=SECRET-refused');
    await notice(slow, 'notice:slow');
    await notice(refused, 'notice:refused');
    const adapters: TAdapters = { ...defaultAdapters(), wecom: createWecomAdapter({ timeoutMs: 200 }) };
    await deliverDueMessages(timed, { adapters });
    const slowRow = (await rowsOf(slow.id)).find((r) => r.channel === 'wecom')!;
    expect(slowRow).toMatchObject({ status: 'failed', lastError: 'timeout after 200 ms' });
    const refusedRow = (await rowsOf(refused.id)).find((r) => r.channel === 'wecom')!;
    expect(refusedRow.status).toBe('failed');
    expect(refusedRow.lastError).toMatch(/^network: /);
    expect(refusedRow.lastError).not.toContain('SECRET');
  });

  it('never delivers a message twice when two workers run at once', async () => {
    const group = await createGroup(world.villageA.code, robot.url('/concurrent'));
    robot.script('/concurrent', Array.from({ length: 12 }, () => ({ delayMs: 30, json: { errcode: 0, errmsg: 'ok' } })));
    for (let i = 0; i < 12; i++) await notice(group, `notice:concurrent:${i}`);
    const [a, b] = await Promise.all([deliverDueMessages(timed), deliverDueMessages(timed)]);
    expect(a.delivered + b.delivered).toBe(24); // 12 web + 12 wecom
    const calls = robot.received.filter((r) => r.path === '/concurrent');
    expect(calls).toHaveLength(12);
    const contents = calls.map((c) => (c.body as { markdown: { content: string } }).markdown.content);
    expect(new Set(contents).size).toBe(12);
    expect((await rowsOf(group.id)).every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });

  it('keeps to the robot limit of 20 a minute: the rest waits without spending an attempt', async () => {
    const group = await createGroup(world.villageA.code, robot.url('/burst'));
    for (let i = 0; i < 23; i++) await notice(group, `notice:burst:${i}`);
    const adapters: TAdapters = { ...defaultAdapters(), wecom: createWecomAdapter() };
    await deliverDueMessages(timed, { adapters });
    expect(robot.received.filter((r) => r.path === '/burst')).toHaveLength(20);
    const waiting = (await rowsOf(group.id)).filter((r) => r.channel === 'wecom' && r.status !== 'delivered');
    expect(waiting).toHaveLength(3);
    for (const row of waiting) {
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(nowMs);
    }
    nowMs += 60_000;
    await deliverDueMessages(timed, { adapters });
    expect(robot.received.filter((r) => r.path === '/burst')).toHaveLength(23);
  });

  it('re-claims a row whose worker died only after its lease, and a late worker cannot finish it', async () => {
    const group = await createGroup(world.villageA.code, robot.url('/lease'));
    await notice(group, 'notice:lease');
    const [claimed] = (await repo.claimDue(t.services.db, { now: new Date(nowMs), leaseUntil: new Date(nowMs + 300_000), limit: 10 })).filter((m) => m.channel === 'wecom');
    expect(claimed).toBeDefined();
    // The first worker "dies" here. Within the lease nobody touches the row.
    await deliverDueMessages(timed);
    expect(robot.received.filter((r) => r.path === '/lease')).toHaveLength(0);
    nowMs += 300_001;
    await deliverDueMessages(timed);
    expect(robot.received.filter((r) => r.path === '/lease')).toHaveLength(1);
    const row = (await rowsOf(group.id)).find((r) => r.channel === 'wecom')!;
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
    // The first worker wakes up: its claim (attempt 1) is no longer the row's.
    expect(await repo.finishClaim(t.services.db, { id: claimed!.id, attempts: claimed!.attempts }, { status: 'failed', now: new Date(nowMs), error: 'late', nextAttemptAt: new Date(nowMs) })).toBe(false);
    expect((await rowsOf(group.id)).find((r) => r.channel === 'wecom')!.status).toBe('delivered');
  });

  it('gives up on a message whose worker died during its last allowed attempt', async () => {
    const group = await createGroup(world.villageA.code, robot.url('/crash'));
    await notice(group, 'notice:crash');
    await t.services.db.updateTable('outboxMessages').set({ status: 'sending', attempts: OUTBOX_MAX_ATTEMPTS, nextAttemptAt: new Date(nowMs - 1) }).where('groupId', '=', group.id).where('channel', '=', 'wecom').execute();
    await deliverDueMessages(timed);
    const row = (await rowsOf(group.id)).find((r) => r.channel === 'wecom')!;
    expect(row.status).toBe('dead');
    expect(row.lastError).toContain('worker lost');
    expect(robot.received.filter((r) => r.path === '/crash')).toHaveLength(0);
  });

  it('sends a signed note as text and a link as an absolute URL', async () => {
    const group = await createGroup(world.villageA.code, robot.url('/text'));
    await notice(group, 'notice:text', { format: 'text', link: '/ledger' });
    await deliverDueMessages(timed);
    const [call] = robot.received.filter((r) => r.path === '/text');
    expect(call!.body).toMatchObject({ msgtype: 'text', text: { content: expect.stringMatching(/^停水通知\n.*\nhttp:\/\/localhost:\d+\/ledger$/s) } });
  });
});

describe('the delivery job', () => {
  it('runs every minute, and is kicked right after a transaction that queued messages commits', async () => {
    const sent: string[] = [];
    const withJobs: TServices = { ...timed, jobs: { send: async (job) => void sent.push(job.name), stop: async () => {} } };
    const [job] = outboxJobs(withJobs);
    expect(job).toMatchObject({ name: 'outbox.deliver', cron: '* * * * *' });
    await new Promise((r) => setTimeout(r, 300)); // the listener is set up in the background
    const group = await createGroup(world.villageA.code, robot.url('/kick'));
    await t.services.db.transaction().execute(async (tx) => {
      await enqueueOutbound(tx, { regionCode: group.regionCode, groupId: group.id, channel: 'wecom', dedupeKey: 'kick:1', payload: { body: '踢一下' } });
      await new Promise((r) => setTimeout(r, 400));
      expect(sent).toEqual([]); // nothing before commit
    });
    nowMs = Math.max(nowMs, Date.now() + 1000);
    await expect.poll(() => sent, { timeout: 3000 }).toEqual(['outbox.deliver']);
    await job!.handler({});
    expect(robot.received.filter((r) => r.path === '/kick')).toHaveLength(1);
  });
});

describe('outbox routes', () => {
  it('lists a region with counts and a cursor; officials elsewhere get 404, roles without the permission 403', async () => {
    const group = await createGroup(world.villageB.code, robot.url('/list'));
    for (let i = 0; i < 3; i++) await notice(group, `notice:list:${i}`);
    const cadre = await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageB.code }]);
    const auth = await loginAs(t.app, cadre.login);
    const first = await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.villageB.code}&channel=wecom&limit=2`, headers: auth });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items).toHaveLength(2);
    expect(page.counts.pending).toBeGreaterThanOrEqual(6);
    expect(page.items[0]).toMatchObject({ groupId: group.id, groupName: expect.any(String), channel: 'wecom', status: 'pending', attempts: 0 });
    expect(first.body).not.toContain('SECRET');
    const second = (await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.villageB.code}&channel=wecom&limit=2&cursor=${page.nextCursor}`, headers: auth })).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...page.items, ...second.items].map((i: { id: string }) => i.id)).size).toBe(3);

    const otherCounty = await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.otherCounty }]);
    const otherAuth = await loginAs(t.app, otherCounty.login);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.villageB.code}`, headers: otherAuth })).statusCode).toBe(404);
    const ownCounty = (await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.otherCounty}`, headers: otherAuth })).json();
    expect(ownCounty.items).toHaveLength(0);
    const otherVillageCadre = await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.villageB.code}`, headers: await loginAs(t.app, otherVillageCadre.login) })).statusCode).toBe(404);
    const inspector = await createOfficial(t.services, [{ role: 'discipline_officer', regionCode: world.county }]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.villageB.code}`, headers: await loginAs(t.app, inspector.login) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.villageB.code}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/outbox?region=${world.villageB.code}&cursor=nonsense`, headers: auth })).statusCode).toBe(400);
  });

  it('retries only failed or dead messages, in scope, audited', async () => {
    const group = await createGroup(world.villageB.code, robot.url('/retry'));
    robot.script('/retry', [{ json: { errcode: 93000, errmsg: 'invalid webhook url' } }]);
    await notice(group, 'notice:retry');
    await deliverDueMessages(timed);
    const dead = (await rowsOf(group.id)).find((r) => r.channel === 'wecom')!;
    const web = (await rowsOf(group.id)).find((r) => r.channel === 'web')!;
    expect(dead.status).toBe('dead');
    expect(web.status).toBe('delivered');

    const townOfficer = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townB }]);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${dead.id}/retry`, headers: await loginAs(t.app, townOfficer.login) })).statusCode).toBe(403);
    const elsewhere = await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageA.code }]);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${dead.id}/retry`, headers: await loginAs(t.app, elsewhere.login) })).statusCode).toBe(404);

    const admin = await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageB.code }]);
    const auth = await loginAs(t.app, admin.login);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${web.id}/retry`, headers: auth })).json().code).toBe('CONFLICT');
    const retried = await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${dead.id}/retry`, headers: auth });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id: dead.id, status: 'pending', attempts: 0 });
    expect(await t.services.db.selectFrom('auditEvents').select(['action', 'actorId']).where('entityId', '=', dead.id).execute()).toEqual([{ action: 'outbox.retry', actorId: admin.id }]);
    await deliverDueMessages(timed);
    expect((await rowsOf(group.id)).find((r) => r.channel === 'wecom')!.status).toBe('delivered');
    expect(robot.received.filter((r) => r.path === '/retry')).toHaveLength(2);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/outbox/${crypto.randomUUID()}/retry`, headers: auth })).statusCode).toBe(404);
  });
});
