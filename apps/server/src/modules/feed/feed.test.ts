import { request as httpRequest, createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, loginAs } from '../../../test/factories';
import { buildApp } from '../../app';
import type { TApp } from '../../kernel/app-types';
import { createDb } from '../../kernel/db';
import { createNotifier, notify } from '../../kernel/notify';
import type { TServices } from '../../kernel/services';
import { deliverDueMessages } from '../outbox';
import { feedChannel, postLedgerCheckpointNotice, postPlatformNotice } from './feed.service';
import { createFeedHub } from './feed.stream';

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
/** A second server process on the same database (its own pool, its own listener). */
let other: { app: TApp; services: TServices };
let baseUrl: string;

type TAuth = { authorization: string };
let member: TAuth & { userId: string; name: string };
let neighbour: TAuth & { userId: string };
let otherMember: TAuth & { userId: string };
let cadre: TAuth & { id: string };
let groupA: string;
let groupA2: string;
let inactiveGroup: string;
let groupOther: string;

async function villagerLogin(app: TApp, phone: string): Promise<TAuth & { userId: string; name: string }> {
  expect((await app.inject({ method: 'POST', url: '/api/v1/auth/otp/request', payload: { phone } })).statusCode).toBe(200);
  const message = [...t.sms].reverse().find((m) => m.phone === phone)!;
  const code = /(\d{6})/.exec(message.text)![1]!;
  const verified = await app.inject({ method: 'POST', url: '/api/v1/auth/otp/verify', payload: { phone, code } });
  const user = await t.services.db.selectFrom('users').select(['id', 'name']).where('phone', '=', phone).where('kind', '=', 'villager').executeTakeFirstOrThrow();
  return { authorization: `Bearer ${verified.json<{ token: string }>().token}`, userId: user.id, name: user.name };
}

async function createGroup(villageCode: string, name: string, options: { webhookUrl?: string; isActive?: boolean } = {}): Promise<string> {
  const row = await t.services.db
    .insertInto('supervisionGroups')
    .values({ regionCode: villageCode, name, platform: options.webhookUrl ? 'wecom' : 'wechat', wecomWebhookUrl: options.webhookUrl ?? null, isActive: options.isActive ?? true })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function addMember(groupId: string, villageCode: string, phone: string): Promise<void> {
  const m = await t.services.db.selectFrom('members').select('id').where('phone', '=', phone).executeTakeFirstOrThrow();
  await t.services.db.insertInto('groupMembers').values({ groupId, memberId: m.id, regionCode: villageCode }).execute();
}

/** Only the bearer header (the auth objects also carry ids and names for assertions). */
const bearer = (auth?: TAuth): Record<string, string> => (auth ? { authorization: auth.authorization } : {});
const get = (url: string, auth?: TAuth) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(auth) });
const post = (url: string, auth: TAuth, payload: object, app: TApp = t.app) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers: bearer(auth), payload });

beforeAll(async () => {
  t = await createTestContext();
  world = await createWorld(t.services);
  groupA = await createGroup(world.villageA.code, '一组监督群', { webhookUrl: 'http://127.0.0.1:1/robot?key=never-called' });
  groupA2 = await createGroup(world.villageA.code, '二组监督群');
  inactiveGroup = await createGroup(world.villageA.code, '旧群', { isActive: false });
  groupOther = await createGroup(world.otherVillage.code, '外县监督群');
  await addMember(groupA, world.villageA.code, world.villageA.phones[0]!);
  await addMember(inactiveGroup, world.villageA.code, world.villageA.phones[0]!);
  await addMember(groupOther, world.otherVillage.code, world.otherVillage.phones[0]!);
  member = await villagerLogin(t.app, world.villageA.phones[0]!);
  neighbour = await villagerLogin(t.app, world.villageA.phones[1]!);
  otherMember = await villagerLogin(t.app, world.otherVillage.phones[0]!);
  const official = await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }], '王建国');
  cadre = { ...(await loginAs(t.app, official.login)), id: official.id };

  const services: TServices = { ...t.services, db: createDb(t.url, { max: 3 }), notifier: createNotifier(t.url, t.services.log) };
  other = { services, app: await buildApp(services, { serveApps: false }) };
  await other.app.ready();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await other.app.close();
  await other.services.notifier?.close();
  await other.services.db.destroy();
  await t.close();
});

describe('my groups', () => {
  it("a villager sees the active groups his member record is in; an official those of his scope; others' none", async () => {
    const mine = (await get('/me/groups', member)).json();
    expect(mine).toEqual([{ id: groupA, name: '一组监督群', regionCode: world.villageA.code, villageName: expect.any(String), platform: 'wecom' }]);
    expect((await get('/me/groups', neighbour)).json()).toEqual([]);
    const official = (await get('/me/groups', cadre)).json();
    expect(official.map((g: { id: string }) => g.id).sort()).toEqual([groupA, groupA2].sort());
    const admin = await createOfficial(t.services, [{ role: 'admin', regionCode: '350500000000' }]);
    expect((await get('/me/groups', await loginAs(t.app, admin.login))).json()).toEqual([]);
    expect((await get('/me/groups')).statusCode).toBe(401);
  });
});

describe('reading and posting', () => {
  it('members and officials of the village post and read; officials answer under their name, villagers are masked to other villagers', async () => {
    const posted = await post(`/groups/${groupA}/messages`, member, { body: '  306路公交车一年没开了  ' });
    expect(posted.statusCode).toBe(200);
    expect(posted.json()).toMatchObject({ kind: 'message', body: '306路公交车一年没开了', authorName: member.name, isMine: true, groupId: groupA });
    const reply = await post(`/groups/${groupA}/messages`, cadre, { body: '已登记，正在联系交通局' });
    expect(reply.statusCode).toBe(200);

    const seenByMember = (await get(`/groups/${groupA}/feed`, member)).json();
    expect(seenByMember.items.slice(0, 2)).toMatchObject([
      { body: '已登记，正在联系交通局', authorName: '王建国', isMine: false },
      { body: '306路公交车一年没开了', authorName: member.name, isMine: true },
    ]);
    // The neighbour reads the member's message with the name masked; the cadre reads it in full.
    await addMember(groupA, world.villageA.code, world.villageA.phones[1]!);
    const seenByNeighbour = (await get(`/groups/${groupA}/feed`, neighbour)).json();
    expect(seenByNeighbour.items.find((i: { body: string }) => i.body === '306路公交车一年没开了')).toMatchObject({ authorName: expect.stringMatching(/^\S\*+$/), isMine: false });
    await t.services.db.deleteFrom('groupMembers').where('groupId', '=', groupA).where('memberId', 'in', t.services.db.selectFrom('members').select('id').where('phone', '=', world.villageA.phones[1]!)).execute();
    const seenByCadre = (await get(`/groups/${groupA}/feed`, cadre)).json();
    expect(seenByCadre.items.slice(0, 2)).toMatchObject([
      { authorName: '王建国', isMine: true },
      { authorName: member.name, isMine: false },
    ]);
    const audit = await t.services.db.selectFrom('auditEvents').select(['action', 'actorId', 'details']).where('entityId', '=', posted.json().id).execute();
    expect(audit).toEqual([{ action: 'feed.post_message', actorId: member.userId, details: { groupId: groupA } }]);
    expect(JSON.stringify(audit)).not.toContain('306');
  });

  it('refuses outsiders: a villager not in the group, another county, roles without the permission', async () => {
    expect((await get(`/groups/${groupA}/feed`, neighbour)).statusCode).toBe(404);
    expect((await post(`/groups/${groupA}/messages`, neighbour, { body: '我也想说' })).statusCode).toBe(404);
    expect((await get(`/groups/${groupA}/feed`, otherMember)).statusCode).toBe(404);
    expect((await get(`/groups/${groupOther}/feed`, otherMember)).statusCode).toBe(200);
    expect((await get(`/groups/${groupOther}/feed`, member)).statusCode).toBe(404);

    const otherCounty = await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.otherCounty }]);
    const otherAuth = await loginAs(t.app, otherCounty.login);
    expect((await get(`/groups/${groupA}/feed`, otherAuth)).statusCode).toBe(404);
    expect((await post(`/groups/${groupA}/notices`, otherAuth, { title: '通知', body: '内容' })).statusCode).toBe(404);
    const otherCadre = await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageB.code }]);
    const otherCadreAuth = await loginAs(t.app, otherCadre.login);
    expect((await post(`/groups/${groupA}/messages`, otherCadreAuth, { body: '串门' })).statusCode).toBe(404);
    expect((await post(`/groups/${groupA}/notices`, otherCadreAuth, { title: '通知', body: '内容' })).statusCode).toBe(404);

    const town = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }]);
    const townAuth = await loginAs(t.app, town.login);
    expect((await get(`/groups/${groupA}/feed`, townAuth)).statusCode).toBe(200);
    expect((await post(`/groups/${groupA}/messages`, townAuth, { body: '镇里说两句' })).statusCode).toBe(403);
    expect((await post(`/groups/${groupA}/notices`, member, { title: '通知', body: '内容' })).statusCode).toBe(403);
    const admin = await createOfficial(t.services, [{ role: 'admin', regionCode: '350500000000' }]);
    expect((await get(`/groups/${groupA}/feed`, await loginAs(t.app, admin.login))).statusCode).toBe(403);
    expect((await get(`/groups/${groupA}/feed`)).statusCode).toBe(401);
    expect((await get(`/groups/not-a-uuid/feed`, cadre)).statusCode).toBe(400);
  });

  it('refuses posts to an inactive group, empty or too long bodies, and floods', async () => {
    expect((await post(`/groups/${inactiveGroup}/messages`, member, { body: '还有人吗' })).json().code).toBe('CONFLICT');
    expect((await get(`/groups/${inactiveGroup}/feed`, member)).statusCode).toBe(200);
    expect((await post(`/groups/${groupA}/messages`, member, { body: '   ' })).statusCode).toBe(400);
    expect((await post(`/groups/${groupA}/messages`, member, { body: '字'.repeat(1001) })).statusCode).toBe(400);
    const flooder = await createGroup(world.villageA.code, '刷屏测试群');
    await addMember(flooder, world.villageA.code, world.villageA.phones[0]!);
    for (let i = 0; i < 10; i++) expect((await post(`/groups/${flooder}/messages`, member, { body: `第${i}条` })).statusCode).toBe(200);
    expect((await post(`/groups/${flooder}/messages`, member, { body: '第11条' })).json().code).toBe('RATE_LIMITED');
  });

  it('pages newest first with an exact cursor, even for items written in the same instant', async () => {
    const group = await createGroup(world.villageB.code, '分页测试群');
    const at = new Date('2026-05-16T08:00:00.123Z');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const row = await t.services.db.insertInto('groupMessages').values({ groupId: group, regionCode: world.villageB.code, kind: 'message', body: `消息${i}`, createdAt: i < 3 ? at : sql`${at}::timestamptz + interval '1 microsecond' * ${i}` }).returning('id').executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    const viewer = await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townB }]);
    const auth = await loginAs(t.app, viewer.login);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await get(`/groups/${group}/feed?limit=2${cursor ? `&before=${cursor}` : ''}`, auth)).json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen.slice(0, 2)).toEqual([ids[4], ids[3]]);
    expect((await get(`/groups/${group}/feed?before=garbage`, auth)).json().errors[0].field).toBe('before');
  });
});

describe('notices', () => {
  it('an official posts a notice: feed row, outbox rows for web and the robot, notification, audit — in one transaction', async () => {
    const posted = await post(`/groups/${groupA}/notices`, cadre, { title: '四月财务公开', body: '四月收支明细已公开，请查看。', link: '/disclosures/2026-04' });
    expect(posted.statusCode).toBe(200);
    const item = posted.json();
    expect(item).toMatchObject({ kind: 'notice', topic: 'platform.notice', title: '四月财务公开', link: '/disclosures/2026-04', isMine: true });
    const outbox = await t.services.db.selectFrom('outboxMessages').select(['channel', 'status', 'dedupeKey', 'payload']).where('groupId', '=', groupA).where('dedupeKey', 'like', 'notice:%').execute();
    expect(outbox.map((r) => r.channel).sort()).toEqual(['web', 'wecom']);
    expect(JSON.stringify(outbox)).not.toContain('never-called');
    expect(outbox.find((r) => r.channel === 'web')!.payload).toMatchObject({ feedMessageId: item.id });
    const audit = await t.services.db.selectFrom('auditEvents').select(['action', 'regionCode']).where('entityId', '=', item.id).execute();
    expect(audit).toEqual([{ action: 'feed.post_notice', regionCode: world.villageA.code }]);
    expect((await post(`/groups/${groupA}/notices`, cadre, { title: '坏链接', body: '内容', link: 'javascript:alert(1)' })).json().errors[0].field).toBe('link');
    expect((await post(`/groups/${inactiveGroup}/notices`, cadre, { title: '旧群', body: '内容' })).json().code).toBe('CONFLICT');
    const feed = (await get(`/groups/${groupA}/feed`, member)).json();
    expect(feed.items[0]).toMatchObject({ id: item.id, authorName: '王建国' });
  });

  it('other modules post platform notices to every active group under a region, once per business change', async () => {
    const groupB = await createGroup(world.villageB.code, '乙村监督群', { webhookUrl: 'http://127.0.0.1:1/robot?key=b' });
    const first = await t.services.db.transaction().execute((tx) =>
      postPlatformNotice(tx, t.services, { regionCode: world.county, topic: 'disclosure.published', title: '公开', body: '四月收支已公开', link: '/disclosures/1', dedupeKey: 'disclosure:1' }),
    );
    // groupA, groupA2, the flood-test group of village A, groupB and the paging group of village B; not the inactive one, not the other county's.
    expect(first.groups).toBe(5);
    const again = await t.services.db.transaction().execute((tx) =>
      postPlatformNotice(tx, t.services, { regionCode: world.county, topic: 'disclosure.published', title: '公开', body: '四月收支已公开', link: '/disclosures/1', dedupeKey: 'disclosure:1' }),
    );
    expect(again.groups).toBe(0);
    const rows = await t.services.db.selectFrom('groupMessages').select(['groupId', 'authorUserId']).where('topic', '=', 'disclosure.published').execute();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.authorUserId === null)).toBe(true);
    expect(rows.map((r) => r.groupId)).not.toContain(groupOther);
    const robots = await t.services.db.selectFrom('outboxMessages').select('groupId').where('channel', '=', 'wecom').where('dedupeKey', 'like', 'disclosure:1:%').execute();
    expect(robots.map((r) => r.groupId).sort()).toEqual([groupA, groupB].sort());
    // A rolled-back business change leaves nothing behind.
    await t.services.db.transaction().execute(async (tx) => {
      await postPlatformNotice(tx, t.services, { regionCode: world.villageA.code, topic: 'meeting.started', title: '会议', body: '村民代表会议开始', dedupeKey: 'meeting:9' });
      throw new Error('rollback');
    }).catch(() => {});
    expect(await t.services.db.selectFrom('outboxMessages').select('id').where('dedupeKey', 'like', 'meeting:9%').execute()).toHaveLength(0);
  });

  it('posts a ledger checkpoint to every group once a day, in daytime, verbatim as text', async () => {
    const note = 'cunwu.quanzhou/ledger\n42\nq6Ff4J1xK0bM9aL2Rk1Zc0WmT3YtH5oPq8Nw4Ej7sUA=\n\n— cunwu.quanzhou/ledger AbCdEf==\n';
    const at = (iso: string): TServices => ({ ...t.services, clock: { now: () => new Date(iso) } });
    expect(await postLedgerCheckpointNotice(at('2026-05-16T15:00:00Z'), { size: 42, note })).toEqual({ groups: 0, skipped: 'quiet_hours' }); // 23:00 in 泉州
    const posted = await postLedgerCheckpointNotice(at('2026-05-16T02:00:00Z'), { size: 42, note }); // 10:00
    expect(posted.groups).toBeGreaterThanOrEqual(6);
    expect(await postLedgerCheckpointNotice(at('2026-05-16T05:00:00Z'), { size: 57, note })).toEqual({ groups: 0, skipped: 'already_posted' });
    expect(await postLedgerCheckpointNotice(at('2026-05-17T02:00:00Z'), { size: 0, note: '' })).toEqual({ groups: 0, skipped: 'empty' });
    const feed = (await get(`/groups/${groupOther}/feed`, otherMember)).json();
    expect(feed.items[0]).toMatchObject({ kind: 'notice', topic: 'ledger.checkpoint', authorName: null, link: '/ledger' });
    expect(feed.items[0].body).toContain(note.trimEnd());
    const robot = await t.services.db.selectFrom('outboxMessages').select('payload').where('channel', '=', 'wecom').where('dedupeKey', '=', `ledger.checkpoint:2026-05-16:${groupA}`).executeTakeFirstOrThrow();
    expect(robot.payload).toMatchObject({ format: 'text', topic: 'ledger.checkpoint' });
  });

  it('the web channel needs no sending: its rows are marked delivered', async () => {
    await deliverDueMessages({ ...t.services, clock: { now: () => new Date(Date.now() + 5000) } }, { limit: 500 });
    const web = await t.services.db.selectFrom('outboxMessages').select(['status']).where('channel', '=', 'web').execute();
    expect(web.length).toBeGreaterThan(0);
    expect(web.every((r) => r.status === 'delivered')).toBe(true);
  });
});

/** An open SSE connection and the events it has received. */
interface TOpenStream {
  status: number;
  headers: IncomingMessage['headers'];
  events: { id?: string; event?: string; data: string }[];
  raw: string;
  close(): void;
  waitFor(predicate: (events: TOpenStream['events']) => boolean, ms?: number): Promise<void>;
}

function openStream(groupId: string, auth: TAuth, lastEventId?: string): Promise<TOpenStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}/api/v1/groups/${groupId}/feed/stream`, { headers: { ...bearer(auth), accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } }, (res) => {
      const stream: TOpenStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        raw: '',
        close: () => req.destroy(),
        waitFor: (predicate, ms = 5000) =>
          new Promise((ok, fail) => {
            const started = Date.now();
            const check = () => {
              if (predicate(stream.events)) return ok();
              if (Date.now() - started > ms) return fail(new Error(`timed out; got ${stream.raw}`));
              setTimeout(check, 20);
            };
            check();
          }),
      };
      let buffer = '';
      let isReady = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        stream.raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block === ': ready') isReady = true;
          const event: { id?: string; event?: string; data: string } = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data += line.slice(6);
          }
          if (event.event) stream.events.push(event);
        }
        if (isReady) resolve(stream);
      });
      res.on('end', () => resolve(stream));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live feed (Server-Sent Events)', () => {
  it('streams a message posted through another server process, presented for the viewer', async () => {
    const stream = await openStream(groupA, member);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['cache-control']).toContain('no-cache');
      expect(stream.headers['x-accel-buffering']).toBe('no');
      expect(stream.headers['x-content-type-options']).toBe('nosniff');
      const cadreOnOther = await loginAs(other.app, (await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageA.code }], '李网格')).login);
      const posted = await post(`/groups/${groupA}/messages`, cadreOnOther, { body: '明天上午村委会开会' }, other.app);
      expect(posted.statusCode).toBe(200);
      await stream.waitFor((events) => events.some((e) => e.id === posted.json().id));
      const event = stream.events.find((e) => e.id === posted.json().id)!;
      expect(event.event).toBe('message');
      expect(JSON.parse(event.data)).toMatchObject({ id: posted.json().id, body: '明天上午村委会开会', authorName: '李网格', isMine: false, kind: 'message' });
    } finally {
      stream.close();
    }
  });

  it('replays what was missed after Last-Event-ID, in order, then goes on live', async () => {
    const first = (await post(`/groups/${groupA}/messages`, cadre, { body: '第一条' })).json();
    const second = (await post(`/groups/${groupA}/messages`, cadre, { body: '第二条' })).json();
    const third = (await post(`/groups/${groupA}/messages`, cadre, { body: '第三条' })).json();
    const stream = await openStream(groupA, member, first.id);
    try {
      expect(stream.events.map((e) => e.id)).toEqual([second.id, third.id]);
      const fourth = (await post(`/groups/${groupA}/messages`, cadre, { body: '第四条' }, other.app)).json();
      await stream.waitFor((events) => events.some((e) => e.id === fourth.id));
      expect(stream.events.map((e) => e.id)).toEqual([second.id, third.id, fourth.id]);
    } finally {
      stream.close();
    }
  });

  it('refuses a villager who is not in the group with an ordinary 404', async () => {
    const response = await fetch(`${baseUrl}/api/v1/groups/${groupA}/feed/stream`, { headers: bearer(neighbour) });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('NOT_FOUND');
    expect((await fetch(`${baseUrl}/api/v1/groups/${groupA}/feed/stream`)).status).toBe(401);
  });

  it('catches up after the listening connection was lost and re-established', async () => {
    const stream = await openStream(groupA, cadre);
    try {
      await t.services.db.executeQuery(sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cunwu-notify' AND datname = current_database()`.compile(t.services.db));
      // Posted while this process hears nothing: the stream finds it once the listener is back.
      const missed = (await post(`/groups/${groupA}/messages`, member, { body: '断线时发的' }, other.app)).json();
      await stream.waitFor((events) => events.some((e) => e.id === missed.id), 10_000);
      const live = (await post(`/groups/${groupA}/messages`, member, { body: '重连后发的' }, other.app)).json();
      await stream.waitFor((events) => events.some((e) => e.id === live.id), 10_000);
    } finally {
      stream.close();
    }
  });

  it('limits how many streams one user holds open', async () => {
    const streams = await Promise.all(Array.from({ length: 8 }, () => openStream(groupA2, cadre)));
    try {
      const refused = await fetch(`${baseUrl}/api/v1/groups/${groupA2}/feed/stream`, { headers: bearer(cadre) });
      expect(refused.status).toBe(429);
      expect(streams.every((s) => s.status === 200)).toBe(true);
    } finally {
      streams.forEach((s) => s.close());
    }
    await expect.poll(async () => {
      const again = await openStream(groupA2, cadre);
      again.close();
      return again.status;
    }).toBe(200);
  });

  it('ends open streams when the server shuts down, so it can', async () => {
    const services: TServices = { ...t.services, db: createDb(t.url, { max: 2 }), notifier: createNotifier(t.url, t.services.log) };
    const app = await buildApp(services, { serveApps: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const ended = new Promise<void>((resolve) => {
      httpRequest(`http://127.0.0.1:${port}/api/v1/groups/${groupA}/feed/stream`, { headers: bearer(cadre) }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('close', resolve);
      }).end();
    });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await app.close();
    await ended;
    expect(Date.now() - started).toBeLessThan(3000);
    await services.notifier?.close();
    await services.db.destroy();
  });

  it('drops the subscription when the client goes away', async () => {
    const hub = createFeedHub(t.services);
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      void hub.open(res, groupA2, { userId: cadre.id, isVillager: false }, undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const clients = await Promise.all([0, 1].map(() => new Promise<IncomingMessage>((resolve) => httpRequest(url, resolve).end())));
      await new Promise((r) => setTimeout(r, 200));
      expect(hub.size()).toBe(2);
      clients.forEach((c) => c.destroy());
      await new Promise((r) => setTimeout(r, 200));
      expect(hub.size()).toBe(0);
    } finally {
      hub.closeAll();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('notifier', () => {
  it('delivers only committed notifications, to subscribers of that channel, until they unsubscribe', async () => {
    const notifier = createNotifier(t.url, t.services.log);
    try {
      const heard: string[] = [];
      const unsubscribe = await notifier.subscribe('test.alpha', (payload) => heard.push(payload));
      const otherHeard: string[] = [];
      await notifier.subscribe('test.beta', (payload) => otherHeard.push(payload));
      await t.services.db.transaction().execute((tx) => notify(tx, 'test.alpha', { id: 'committed' }));
      await t.services.db.transaction().execute(async (tx) => {
        await notify(tx, 'test.alpha', { id: 'rolled-back' });
        throw new Error('rollback');
      }).catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual(['{"id":"committed"}']);
      expect(otherHeard).toEqual([]);
      unsubscribe();
      await t.services.db.transaction().execute((tx) => notify(tx, 'test.alpha', 'after'));
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toHaveLength(1);
      await expect(notify(t.services.db, 'test.alpha', 'x'.repeat(8000))).rejects.toThrow(/too large/);
      await expect(notifier.subscribe('bad channel; DROP', () => {})).rejects.toThrow(/invalid/);
      expect(feedChannel(groupA)).toBe(`feed.${groupA}`);
    } finally {
      await notifier.close();
    }
  });
});
