import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, loginAs } from '../../../test/factories';

let t: TTestContext;
let world: Awaited<ReturnType<typeof createWorld>>;
let adminA: { authorization: string };
let adminB: { authorization: string };
let groupId: string;
beforeAll(async () => {
  t = await createTestContext();
  world = await createWorld(t.services);
  adminA = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageA.code }], '李网格')).login);
  adminB = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'group_admin', regionCode: world.villageB.code }])).login);
  groupId = (await t.app.inject({ method: 'POST', url: '/api/v1/groups', headers: adminA, payload: { villageCode: world.villageA.code, name: '监督群', platform: 'wechat' } })).json().id;
});
afterAll(() => t.close());

// A 1×1 PNG and the first bytes of an MP3 (ID3 tag), enough for content sniffing.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e1bd3c0000000049454e44ae426082', 'hex');
const MP3 = Buffer.concat([Buffer.from('4944330300000000000a', 'hex'), Buffer.alloc(10, 0), Buffer.from('fffb9064', 'hex'), Buffer.alloc(400, 0x55)]);

function multipart(fields: Record<string, string>, files: { field: string; name: string; type: string; data: Buffer }[]) {
  const boundary = `----cunwu${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const post = (auth: Record<string, string>, body: ReturnType<typeof multipart>) => t.app.inject({ method: 'POST', url: '/api/v1/chat-posts', headers: { ...auth, ...body.headers }, payload: body.payload });

describe('registering a chat post', () => {
  const original = '306路公交车停了一年了，老人去镇上看病很不方便！！';

  it('keeps text, voice and photo verbatim with who registered it; files are served to officials in scope', async () => {
    const response = await post(adminA, multipart(
      { groupId, authorName: '夏丽华', postedAt: '2023-05-16T08:30:00+08:00', originalText: original },
      [{ field: 'photo', name: '../../站牌.png', type: 'application/octet-stream', data: PNG }, { field: 'voice', name: 'voice.mp3', type: 'audio/mpeg', data: MP3 }],
    ));
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ authorName: '夏丽华', originalText: original, editedText: null, status: 'registered', registeredBy: { name: '李网格' }, postedAt: '2023-05-16T00:30:00.000Z' });
    expect(body.files.map((f: { kind: string; mimeType: string }) => [f.kind, f.mimeType])).toEqual([['photo', 'image/png'], ['voice', 'audio/mpeg']]);
    const file = await t.app.inject({ method: 'GET', url: body.files[0].url, headers: adminA });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: body.files[0].url, headers: adminB })).statusCode).toBe(404);
    const names = await t.services.db.selectFrom('chatPostFiles').select('fileName').where('chatPostId', '=', body.id).execute();
    expect(names.map((n) => n.fileName)).toContain('站牌.png');

    const edited = await t.app.inject({ method: 'PATCH', url: `/api/v1/chat-posts/${body.id}`, headers: adminA, payload: { editedText: '反映306路公交停运一年，老人就医不便。' } });
    expect(edited.json()).toMatchObject({ originalText: original, editedText: '反映306路公交停运一年，老人就医不便。' });
    await expect(t.services.db.updateTable('chatPosts').set({ originalText: '改过的原文' }).where('id', '=', body.id).execute()).rejects.toThrow(/IMMUTABLE/);
  });

  it('refuses files whose content is not what they claim, empty posts, bad fields and other villages', async () => {
    const fake = await post(adminA, multipart({ groupId, authorName: '某', postedAt: '2023-05-16T08:30:00+08:00' }, [{ field: 'photo', name: 'x.png', type: 'image/png', data: Buffer.from('not really a png at all, just text') }]));
    expect(fake.statusCode).toBe(415);
    const empty = await post(adminA, multipart({ groupId, authorName: '某', postedAt: '2023-05-16T08:30:00+08:00' }, []));
    expect(empty.statusCode).toBe(400);
    const badTime = await post(adminA, multipart({ groupId, authorName: '某', postedAt: 'yesterday', originalText: 'x' }, []));
    expect(badTime.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'postedAt' })] });
    const foreign = await post(adminB, multipart({ groupId, authorName: '某', postedAt: '2023-05-16T08:30:00+08:00', originalText: 'x' }, []));
    expect(foreign.statusCode).toBe(404);
    const before = await t.services.db.selectFrom('chatPosts').select('id').where('groupId', '=', groupId).execute();
    expect(before).toHaveLength(1);
  });

  it('turns into an appeal once, keeping the original verbatim', async () => {
    const registered = (await post(adminA, multipart({ groupId, authorName: '夏丽华', postedAt: '2023-05-16T08:30:00+08:00', originalText: '306路公交车停了一年' }, []))).json();
    const cadre = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'village_cadre', regionCode: world.villageA.code }])).login);
    const appeal = await t.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: cadre, payload: { villageCode: world.villageA.code, category: 'traffic', content: '反映306路公交停运一年', channel: 'group', submitterName: '夏丽华', chatPostId: registered.id } });
    expect(appeal.statusCode, appeal.body).toBe(200);
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/chat-posts/${registered.id}`, headers: adminA })).json();
    expect(after).toMatchObject({ status: 'converted', convertedRef: `appeal:${appeal.json().trackingNo}`, originalText: '306路公交车停了一年' });
    const twice = await t.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: cadre, payload: { villageCode: world.villageA.code, category: 'traffic', content: '再登记一次同一条群消息', channel: 'group', submitterName: '夏丽华', chatPostId: registered.id } });
    expect(twice.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'chatPostId' })] });
  });

  it('lists posts of the village for its officials, not for another county; villagers may not register', async () => {
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/chat-posts?region=${world.villageA.code}`, headers: adminA });
    expect(list.json().items).toHaveLength(2);
    const county = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.otherCounty }])).login);
    const other = await t.app.inject({ method: 'GET', url: `/api/v1/chat-posts?region=${world.villageA.code}`, headers: county });
    expect(other.json().items).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/chat-posts/${list.json().items[0].id}`, headers: county })).statusCode).toBe(404);
    const town = await loginAs(t.app, (await createOfficial(t.services, [{ role: 'town_officer', regionCode: world.townA }])).login);
    expect((await post(town, multipart({ groupId, authorName: '某', postedAt: '2023-05-16T08:30:00+08:00', originalText: 'x' }, []))).statusCode).toBe(403);
  });
});
