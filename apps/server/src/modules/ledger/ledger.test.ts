import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canonicalJson, contentDigest, fromHex, hex, leafHash, openNote, rootFromLeafHashes, utf8, verifyConsistency, verifyInclusion, verifyReceipt,
} from '@cunwu/contract';
import { createTestContext, type TTestContext } from '../../../test/harness';
import { createOfficial, createWorld, loginAs } from '../../../test/factories';
import { appendEntry, makeCheckpoint, publishSnapshot, verifyLedger } from './index';
import { ledgerSigner } from './ledger.signer';

let t: TTestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}` });
const digestOf = (i: number) => contentDigest({ n: i });

async function allLeafHashes(): Promise<Uint8Array[]> {
  const rows = await t.services.db.selectFrom('ledgerEntries').select(['idx', 'entry']).orderBy('idx').execute();
  rows.forEach((r, i) => expect(r.idx).toBe(i));
  return rows.map((r) => leafHash(utf8(r.entry)));
}

describe('appending', () => {
  it('many parallel appends produce a gap-free log whose stored root matches a recomputation', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => t.services.db.transaction().execute((tx) => appendEntry(tx, { type: 'test.parallel', ref: `test:${i}`, digest: digestOf(i) }))));
    const leaves = await allLeafHashes();
    expect(leaves.length).toBeGreaterThanOrEqual(40);
    const made = await makeCheckpoint(t.services);
    const opened = openNote(made.note, ledgerSigner(t.services).verifierKey);
    expect(opened.ok && hex(opened.rootHash)).toBe(hex(rootFromLeafHashes(leaves)));
  });

  it('a rolled-back business transaction leaves no entry and no gap', async () => {
    const before = (await allLeafHashes()).length;
    await expect(t.services.db.transaction().execute(async (tx) => {
      await appendEntry(tx, { type: 'test.rollback', ref: 'test:rb', digest: digestOf(-1) });
      throw new Error('business failure');
    })).rejects.toThrow('business failure');
    await t.services.db.transaction().execute((tx) => appendEntry(tx, { type: 'test.after', ref: 'test:after', digest: digestOf(-2) }));
    expect((await allLeafHashes()).length).toBe(before + 1);
  });

  it('entries are canonical JSON holding type, ref, digest and time', async () => {
    const [row] = await t.services.db.selectFrom('ledgerEntries').select('entry').orderBy('idx', 'desc').limit(1).execute();
    const parsed = JSON.parse(row!.entry) as Record<string, unknown>;
    expect(canonicalJson(parsed)).toBe(row!.entry);
    expect(Object.keys(parsed).sort()).toEqual(['at', 'digest', 'ref', 'type']);
  });
});

describe('public endpoints', () => {
  it('serve a checkpoint that verifies with the published key, and inclusion proofs for every entry', async () => {
    await makeCheckpoint(t.services);
    const note = (await get('/ledger/checkpoint')).body;
    const key = (await get('/ledger/public-key')).json<{ verifierKey: string; publicKey: string }>();
    const opened = openNote(note, key.verifierKey);
    if (!opened.ok) throw new Error(opened.reason);
    const entries = (await get(`/ledger/entries?start=0&end=${opened.size}`)).json<{ entries: { index: number; entry: string; leafHash: string }[] }>().entries;
    expect(entries).toHaveLength(opened.size);
    for (const e of entries) {
      expect(e.leafHash).toBe(hex(leafHash(utf8(e.entry))));
      const proof = (await get(`/ledger/proof/inclusion?index=${e.index}&size=${opened.size}`)).json<{ proof: string[]; rootHash: string }>();
      expect(proof.rootHash).toBe(hex(opened.rootHash));
      expect(verifyInclusion({ leafHash: fromHex(e.leafHash), index: e.index, size: opened.size, proof: proof.proof.map(fromHex), root: opened.rootHash })).toBe(true);
    }
  });

  it('serve consistency proofs between any two sizes', async () => {
    const size = (await allLeafHashes()).length;
    for (const [from, to] of [[1, size], [7, size], [size - 1, size], [3, 17], [size, size]] as const) {
      const body = (await get(`/ledger/proof/consistency?from=${from}&to=${to}`)).json<{ proof: string[]; fromRoot: string; toRoot: string }>();
      expect(verifyConsistency({ oldSize: from, newSize: to, oldRoot: fromHex(body.fromRoot), newRoot: fromHex(body.toRoot), proof: body.proof.map(fromHex) })).toBe(true);
    }
  });

  it('give a receipt that verifies offline against the pinned key', async () => {
    const response = await get('/ledger/receipts/5');
    expect(response.headers['content-disposition']).toContain('ledger-receipt-5.json');
    expect(verifyReceipt(response.json(), ledgerSigner(t.services).verifierKey)).toMatchObject({ ok: true });
  });

  it('answer bad ranges with 400 and unknown entries with 404', async () => {
    expect((await get('/ledger/entries?start=5&end=2')).statusCode).toBe(400);
    expect((await get('/ledger/entries?start=0&end=5000')).statusCode).toBe(400);
    expect((await get('/ledger/proof/inclusion?index=0&size=999999')).statusCode).toBe(400);
    expect((await get('/ledger/proof/inclusion?index=abc&size=1')).statusCode).toBe(400);
    expect((await get('/ledger/receipts/999999')).statusCode).toBe(404);
  });

  it('let only an admin force a checkpoint', async () => {
    const world = await createWorld(t.services);
    const officer = await createOfficial(t.services, [{ role: 'county_officer', regionCode: world.county }]);
    const auth = await loginAs(t.app, officer.login);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/ledger/checkpoints', headers: auth })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/ledger/checkpoints' })).statusCode).toBe(401);
  });
});

describe('immutability and tampering', () => {
  it('the database refuses UPDATE, DELETE and TRUNCATE of logged rows', async () => {
    await t.services.db.transaction().execute((tx) => publishSnapshot(tx, { kind: 'test.fixed', ref: 'fixed:1', content: { a: 1 } }));
    await expect(t.services.db.updateTable('ledgerEntries').set({ entry: '{}' }).where('idx', '=', 0).execute()).rejects.toThrow(/IMMUTABLE/);
    await expect(t.services.db.deleteFrom('ledgerEntries').where('idx', '=', 0).execute()).rejects.toThrow(/IMMUTABLE/);
    await expect(t.services.db.updateTable('publishedSnapshots').set({ digest: '0'.repeat(64) }).execute()).rejects.toThrow(/IMMUTABLE/);
    await expect(t.services.db.deleteFrom('auditEvents').execute()).rejects.toThrow(/IMMUTABLE/);
    await expect(new Promise((resolve, reject) => {
      const client = new pg.Client({ connectionString: t.url });
      client.connect().then(() => client.query('TRUNCATE ledger_entries CASCADE')).then(resolve, reject).finally(() => void client.end());
    })).rejects.toThrow(/IMMUTABLE/);
  });

  it('tamper drill: with full rights a published content and an entry are rewritten; verification names both and the saved checkpoint no longer matches', async () => {
    const snapshot = await t.services.db.transaction().execute((tx) => publishSnapshot(tx, { kind: 'test.notice', ref: 'notice:1', content: { title: '四月收支', totalFen: 128000 } }));
    const saved = await makeCheckpoint(t.services);
    const file = path.join(os.tmpdir(), `saved-checkpoint-${Date.now()}.txt`);
    writeFileSync(file, saved.note);
    expect((await verifyLedger(t.services, { savedCheckpoint: saved.note })).problems).toEqual([]);

    const superuser = new pg.Client({ connectionString: t.url });
    await superuser.connect();
    await superuser.query('SET session_replication_role = replica'); // disables the immutability triggers
    await superuser.query(`UPDATE published_snapshots SET content = '{"title":"四月收支","totalFen":28000}' WHERE ledger_idx = $1`, [snapshot.index]);
    const victim = 3;
    const forged = canonicalJson({ ...JSON.parse((await superuser.query('SELECT entry FROM ledger_entries WHERE idx = $1', [victim])).rows[0].entry), digest: digestOf(999) });
    // A careful attacker also rewrites the leaf hash so that only the tree and the signatures betray him.
    await superuser.query('UPDATE ledger_entries SET entry = $1, leaf_hash = $2 WHERE idx = $3', [forged, Buffer.from(leafHash(utf8(forged))), victim]);
    await superuser.end();

    const report = await verifyLedger(t.services, { savedCheckpoint: saved.note });
    expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['content', 'checkpoint_root', 'saved_checkpoint']));
    expect(report.problems.find((p) => p.kind === 'content')?.index).toBe(snapshot.index);
    expect(report.problems.find((p) => p.kind === 'checkpoint_root')!.message).toMatch(/before index/);

    // The CLI says the same and exits non-zero.
    const run = promisify(execFile);
    const cli = path.resolve(__dirname, '../../cli.ts');
    const result = await run(process.execPath, ['--import', 'tsx', cli, 'ledger:verify', '--checkpoint', file], {
      env: { ...process.env, DATABASE_URL: t.url, DATA_DIR: path.join(os.tmpdir(), 'cunwu-cli-unused'), LEDGER_SIGNING_KEY: Buffer.from(t.services.secrets.ledgerSeed).toString('base64'), SECRET_KEY: t.services.secrets.secretKey.toString('base64') },
    }).then((r) => ({ code: 0, out: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
    expect(result.code).toBe(1);
    expect(result.out).toContain('FAILED');
    expect(result.out).toContain(`entry ${snapshot.index}`);
    expect(result.out).toContain('saved checkpoint');
  });
});
