import {
  canonicalJson, consistencyPathRanges, contentDigest, createReceipt, emptyRoot, hashRange, hex, inclusionPathRanges,
  leafHash, perfectSubtrees, utf8, type TLedgerReceipt, type TSubtree,
} from '@cunwu/contract';
import type { TTx } from '../../kernel/db';
import { AppError } from '../../kernel/errors';
import type { TServices } from '../../kernel/services';
import * as repo from './ledger.repo';
import { ledgerSigner } from './ledger.signer';

/** What callers log: a type, an entity reference and the digest of the published content. */
export interface TAppendInput {
  type: string;
  ref: string;
  digest: string;
  /** Extra non-personal fields (e.g. version numbers). */
  extra?: Record<string, string | number | boolean>;
}

/**
 * Append an entry inside the caller's transaction. `ledger_append` takes the log's advisory lock, so
 * the index is gap-free and ordered, and writes the leaf and every subtree hash the leaf completes —
 * one round trip. The leaf hash is recomputed here as a check that the database hashed what we sent.
 */
export async function appendEntry(tx: TTx, input: TAppendInput, now: Date = new Date()): Promise<{ index: number; leafHash: string }> {
  if (!/^[0-9a-f]{64}$/.test(input.digest)) throw new Error('ledger digest must be 64 lowercase hex');
  const entry = canonicalJson({ ...input.extra, type: input.type, ref: input.ref, digest: input.digest, at: now.toISOString() });
  const appended = await repo.appendRow(tx, { entry, type: input.type, ref: input.ref });
  const expected = hex(leafHash(utf8(entry)));
  const stored = appended.leafHash.toString('hex');
  if (stored !== expected) throw new Error(`ledger leaf hash mismatch at ${appended.idx}`);
  return { index: Number(appended.idx), leafHash: stored };
}

/** Store published reference content and log its digest in the same transaction. */
export async function publishSnapshot(tx: TTx, input: { kind: string; ref: string; content: unknown }): Promise<{ index: number; digest: string }> {
  const digest = contentDigest(input.content);
  const appended = await appendEntry(tx, { type: input.kind, ref: input.ref, digest });
  await repo.insertSnapshot(tx, { kind: input.kind, ref: input.ref, content: input.content, digest, ledgerIdx: appended.index });
  return { index: appended.index, digest };
}

async function hashesOfRanges(tx: TTx, ranges: [number, number][]): Promise<Uint8Array[]> {
  const wanted = new Map<string, TSubtree>();
  for (const [start, end] of ranges) for (const s of perfectSubtrees(start, end)) wanted.set(`${s.level}:${s.index}`, s);
  const stored = await repo.findSubtreeHashes(tx, [...wanted.values()]);
  const lookup = (level: number, index: number) => {
    const hash = stored.get(`${level}:${index}`);
    if (!hash) throw new Error(`ledger node ${level}:${index} missing`);
    return hash;
  };
  return ranges.map(([start, end]) => hashRange(start, end, lookup));
}

/** Root hash of the first `size` entries, from O(log n) stored subtrees. */
export async function rootAt(tx: TTx, size: number): Promise<Uint8Array> {
  if (size === 0) return emptyRoot();
  const [root] = await hashesOfRanges(tx, [[0, size]]);
  return root!;
}

async function requireSize(tx: TTx, size: number): Promise<number> {
  const current = await repo.findSize(tx);
  if (size > current) throw new AppError('VALIDATION_FAILED', `size ${size} exceeds the log size ${current}`, [{ field: 'size', reason: `at most ${current}` }]);
  return current;
}

/** Inclusion proof of leaf `index` in the tree of `size` leaves. */
export async function inclusionProof(tx: TTx, index: number, size: number): Promise<{ index: number; size: number; leafHash: string; proof: string[]; rootHash: string }> {
  await requireSize(tx, size);
  if (index >= size) throw new AppError('VALIDATION_FAILED', 'index must be below size', [{ field: 'index', reason: `must be < ${size}` }]);
  const ranges = inclusionPathRanges(index, size);
  const [leafHashes, proof, root] = await Promise.all([hashesOfRanges(tx, [[index, index + 1]]), hashesOfRanges(tx, ranges), rootAt(tx, size)]);
  return { index, size, leafHash: hex(leafHashes[0]!), proof: proof.map(hex), rootHash: hex(root) };
}

/** Consistency proof between the trees of `from` and `to` leaves. */
export async function consistencyProof(tx: TTx, from: number, to: number): Promise<{ from: number; to: number; proof: string[]; fromRoot: string; toRoot: string }> {
  await requireSize(tx, to);
  if (from > to) throw new AppError('VALIDATION_FAILED', 'from must not exceed to', [{ field: 'from', reason: `must be ≤ ${to}` }]);
  const ranges = from === 0 || from === to ? [] : consistencyPathRanges(from, to);
  const [proof, fromRoot, toRoot] = await Promise.all([hashesOfRanges(tx, ranges), rootAt(tx, from), rootAt(tx, to)]);
  return { from, to, proof: proof.map(hex), fromRoot: hex(fromRoot), toRoot: hex(toRoot) };
}

/** Sign and store a checkpoint of the current tree if it grew since the last one. */
export async function makeCheckpoint(services: TServices): Promise<{ size: number; note: string; isNew: boolean }> {
  const signer = ledgerSigner(services);
  return services.db.transaction().execute(async (tx) => {
    const size = await repo.findSize(tx);
    const latest = await repo.findLatestCheckpoint(tx);
    if (latest && latest.size === size) return { size, note: latest.note, isNew: false };
    const root = await rootAt(tx, size);
    const note = signer.sign(size, root);
    const isNew = await repo.insertCheckpoint(tx, { size, rootHash: root, note });
    return { size, note, isNew };
  });
}

/** The latest signed checkpoint (text), or NOT_FOUND before the first one. */
export async function latestCheckpoint(services: TServices): Promise<{ size: number; note: string; createdAt: Date }> {
  const latest = await repo.findLatestCheckpoint(services.db);
  if (!latest) throw new AppError('NOT_FOUND', 'no checkpoint yet');
  return latest;
}

/** Entries [start, end) with their canonical JSON and leaf hashes. */
export async function listEntries(services: TServices, start: number, end: number): Promise<{ index: number; entry: string; leafHash: string }[]> {
  const rows = await repo.findEntries(services.db, start, end);
  return rows.map((r) => ({ index: r.idx, entry: r.entry, leafHash: hex(new Uint8Array(r.leafHash)) }));
}

/** Offline receipt for entry `index`, proven against the latest checkpoint that covers it. */
export async function receiptFor(services: TServices, index: number): Promise<TLedgerReceipt> {
  const signer = ledgerSigner(services);
  let checkpoint = await repo.findLatestCheckpoint(services.db);
  if (!checkpoint || checkpoint.size <= index) {
    await makeCheckpoint(services);
    checkpoint = await repo.findLatestCheckpoint(services.db);
  }
  if (!checkpoint || checkpoint.size <= index) throw new AppError('NOT_FOUND', `no entry ${index}`);
  const [row] = await repo.findEntries(services.db, index, index + 1);
  if (!row) throw new AppError('NOT_FOUND', `no entry ${index}`);
  const proof = await inclusionProof(services.db, index, checkpoint.size);
  return createReceipt({
    origin: signer.origin,
    index,
    size: checkpoint.size,
    entry: JSON.parse(row.entry) as unknown,
    proof: proof.proof.map((h) => Uint8Array.from(Buffer.from(h, 'hex'))),
    checkpoint: checkpoint.note,
    verifierKey: signer.verifierKey,
  });
}

/** Entries logged about one reference (newest first), for "verified" marks in the apps. */
export async function entriesForRef(services: TServices, ref: string, limit = 20): Promise<{ index: number; entry: string; leafHash: string }[]> {
  const rows = await repo.findEntriesByRef(services.db, ref, limit);
  return rows.map((r) => ({ index: r.idx, entry: r.entry, leafHash: hex(new Uint8Array(r.leafHash)) }));
}
