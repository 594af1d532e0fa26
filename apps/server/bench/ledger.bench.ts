import { performance } from 'node:perf_hooks';
import { canonicalJson, contentDigest, leafHash, nodeHash, subtreesCompletedByAppend, utf8, verifyInclusion, fromHex } from '@cunwu/contract';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type TDb } from '../src/kernel/db';
import { migrateUp } from '../src/kernel/migrate';
import type { TServices } from '../src/kernel/services';
import { appendEntry, inclusionProof, consistencyProof } from '../src/modules/ledger';
import { fmt, printTable } from './report';

async function timeIt(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function parallel(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await task(next++);
  }));
}

/** Append throughput (each append in its own transaction) vs plain inserts into a table of the same shape. */
async function benchAppend(services: TServices): Promise<void> {
  const { db } = services;
  await sql`CREATE TABLE IF NOT EXISTS bench_plain (idx bigint PRIMARY KEY, entry text NOT NULL, leaf_hash bytea NOT NULL, type text NOT NULL, ref text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  const n = 2000;
  const rows: (string | number)[][] = [];
  for (const concurrency of [1, 8]) {
    let plainIdx = Number((await sql<{ n: number }>`SELECT coalesce(max(idx) + 1, 0)::bigint AS n FROM bench_plain`.execute(db)).rows[0]!.n);
    const plain = await timeIt(() => parallel(n, concurrency, async (i) => {
      const entry = canonicalJson({ type: 'bench', ref: `bench:${i}`, digest: contentDigest({ i }), at: new Date().toISOString() });
      const idx = plainIdx++;
      await db.transaction().execute(async (tx) => {
        await sql`INSERT INTO bench_plain (idx, entry, leaf_hash, type, ref) VALUES (${idx}, ${entry}, ${Buffer.from(leafHash(utf8(entry)))}, 'bench', ${`bench:${i}`})`.execute(tx);
      });
    }));
    const ledger = await timeIt(() => parallel(n, concurrency, async (i) => {
      await db.transaction().execute((tx) => appendEntry(tx, { type: 'bench', ref: `bench:${i}`, digest: contentDigest({ i }) }).then(() => undefined));
    }));
    rows.push([`${concurrency} writer${concurrency > 1 ? 's' : ''}`, fmt((n / plain) * 1000), fmt((n / ledger) * 1000), (plain / ledger).toFixed(3)]);
  }
  printTable(`Ledger append, ${n} transactions per run`, ['writers', 'plain insert tx/s (baseline)', 'ledger append tx/s', 'ratio'], rows);
}

/** Build a log of `size` leaves directly (bulk), the same rows appendEntry would write. */
async function buildLog(db: TDb, url: string, size: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const stack: Uint8Array[] = [];
  const batch = 10_000;
  const at = new Date('2026-01-01T00:00:00Z').toISOString();
  for (let start = 0; start < size; start += batch) {
    const idx: number[] = [], entries: string[] = [], leaves: Buffer[] = [], refs: string[] = [];
    const nodeLevel: number[] = [], nodeIdx: number[] = [], nodeHashes: Buffer[] = [];
    for (let i = start; i < Math.min(size, start + batch); i++) {
      const entry = canonicalJson({ type: 'bench', ref: `bench:${i}`, digest: contentDigest({ i }), at });
      const leaf = leafHash(utf8(entry));
      idx.push(i); entries.push(entry); leaves.push(Buffer.from(leaf)); refs.push(`bench:${i}`);
      let right = leaf;
      stack.push(leaf);
      for (const s of subtreesCompletedByAppend(i)) {
        stack.pop();
        const left = stack.pop()!;
        right = nodeHash(left, right);
        stack.push(right);
        nodeLevel.push(s.level); nodeIdx.push(s.index); nodeHashes.push(Buffer.from(right));
      }
    }
    await client.query(`INSERT INTO ledger_entries (idx, entry, leaf_hash, type, ref) SELECT i, e, h, 'bench', r FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::text[]) AS t(i, e, h, r)`, [idx, entries, leaves, refs]);
    if (nodeLevel.length) await client.query('INSERT INTO ledger_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [nodeLevel, nodeIdx, nodeHashes]);
    if (start % 200_000 === 0) process.stdout.write(`\r  building a log of ${fmt(size)} leaves: ${fmt(start)}`);
  }
  process.stdout.write(`\r  building a log of ${fmt(size)} leaves: done${' '.repeat(20)}\n`);
  await client.end();
  void db;
}

/** Proof time and size at 10^3, 10^5 and 10^6 leaves: both must grow like log n. */
async function benchProofs(adminUrl: string, maxLeaves: number): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_ledger');
  await admin.query('CREATE DATABASE bench_ledger');
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, '/bench_ledger');
  await migrateUp(url);
  const db = createDb(url);
  try {
    await buildLog(db, url, maxLeaves);
    const rows: (string | number)[][] = [];
    for (const size of [1_000, 100_000, 1_000_000].filter((s) => s <= maxLeaves)) {
      const samples = 200;
      let bytes = 0;
      let hashes = 0;
      const elapsed = await timeIt(async () => {
        for (let k = 0; k < samples; k++) {
          const index = Math.floor((k * 7919) % size);
          const proof = await inclusionProof(db, index, size);
          bytes += JSON.stringify(proof).length;
          hashes += proof.proof.length;
          if (k === 0 && !verifyInclusion({ leafHash: fromHex(proof.leafHash), index, size, proof: proof.proof.map(fromHex), root: fromHex(proof.rootHash) })) throw new Error('proof does not verify');
        }
      });
      const consistency = await timeIt(async () => {
        for (let k = 0; k < 50; k++) await consistencyProof(db, Math.max(1, Math.floor(size / (k + 2))), size);
      });
      rows.push([fmt(size), (elapsed / samples).toFixed(3), (hashes / samples).toFixed(1), fmt(bytes / samples), (consistency / 50).toFixed(3), Math.log2(size).toFixed(1)]);
    }
    printTable('Inclusion and consistency proofs from stored subtrees', ['leaves', 'inclusion ms/proof', 'hashes/proof', 'JSON bytes', 'consistency ms/proof', 'log2 n'], rows);
  } finally {
    await db.destroy();
  }
}

/** All ledger benchmarks. */
export async function benchLedger(services: TServices, url: string, options: { maxLeaves: number }): Promise<void> {
  await benchAppend(services);
  await benchProofs(url, options.maxLeaves);
}
