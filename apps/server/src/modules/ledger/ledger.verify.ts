import { bytesEqual, canonicalJson, contentDigest, emptyRoot, hex, leafHash, nodeHash, openNote, utf8 } from '@cunwu/contract';
import type { TServices } from '../../kernel/services';
import * as repo from './ledger.repo';
import { ledgerSigner } from './ledger.signer';

/** A problem found by verification, naming the first bad place. */
export interface TVerifyProblem {
  kind: 'gap' | 'not_canonical' | 'leaf_hash' | 'content' | 'checkpoint_signature' | 'checkpoint_root' | 'saved_checkpoint';
  index: number | null;
  message: string;
}

/** Outcome of a full verification. */
export interface TVerifyReport {
  size: number;
  rootHash: string;
  checkpointsChecked: number;
  snapshotsChecked: number;
  problems: TVerifyProblem[];
}

/** Running Merkle root over a stream of leaves: a stack of perfect subtrees (binary counter). */
class CompactRange {
  private stack: { level: number; hash: Uint8Array }[] = [];
  size = 0;
  push(leaf: Uint8Array): void {
    let node = { level: 0, hash: leaf };
    while (this.stack.length && this.stack[this.stack.length - 1]!.level === node.level) {
      const left = this.stack.pop()!;
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.size++;
  }
  root(): Uint8Array {
    if (this.stack.length === 0) return emptyRoot();
    let hash = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash;
  }
}

/**
 * Re-derive everything from the entries: each entry canonical and hashing to its stored leaf hash,
 * indexes gap-free, every stored checkpoint signed by our key and matching the recomputed root at its
 * size, every published snapshot's content matching the digest in its entry, and optionally an older
 * checkpoint saved outside (consistency: the log still extends what villagers were shown).
 */
export async function verifyLedger(services: TServices, options: { savedCheckpoint?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<TVerifyReport> {
  const signer = ledgerSigner(services);
  const problems: TVerifyProblem[] = [];
  const checkpoints = await repo.findAllCheckpoints(services.db);
  let saved: { size: number; rootHash: Uint8Array } | null = null;
  if (options.savedCheckpoint !== undefined) {
    const opened = openNote(options.savedCheckpoint, signer.verifierKey);
    if (!opened.ok) problems.push({ kind: 'saved_checkpoint', index: null, message: `saved checkpoint does not open with this log's key: ${opened.reason}` });
    else saved = { size: opened.size, rootHash: opened.rootHash };
  }
  const total = await repo.findSize(services.db);
  const range = new CompactRange();
  const digestsByIndex = new Map<number, string>();
  let checkpointAt = 0;
  const checkAt = (size: number) => {
    while (checkpointAt < checkpoints.length && checkpoints[checkpointAt]!.size === size) {
      const cp = checkpoints[checkpointAt++]!;
      const opened = openNote(cp.note, signer.verifierKey);
      if (!opened.ok || opened.size !== cp.size || !bytesEqual(opened.rootHash, new Uint8Array(cp.rootHash))) {
        problems.push({ kind: 'checkpoint_signature', index: null, message: `checkpoint at size ${cp.size} is not validly signed for its root` });
      }
      if (!bytesEqual(range.root(), new Uint8Array(cp.rootHash))) {
        problems.push({ kind: 'checkpoint_root', index: size > 0 ? size - 1 : null, message: `root of the first ${size} entries no longer matches the checkpoint signed at that size: an entry before index ${size} was changed` });
      }
    }
    if (saved && saved.size === size && !bytesEqual(range.root(), saved.rootHash)) {
      problems.push({ kind: 'saved_checkpoint', index: null, message: `the log is not consistent with the saved checkpoint of size ${saved.size}: its first ${saved.size} entries were rewritten` });
    }
  };
  checkAt(0);
  const batch = 5000;
  for (let start = 0; start < total; start += batch) {
    const rows = await repo.findEntries(services.db, start, Math.min(total, start + batch));
    for (const row of rows) {
      if (row.idx !== range.size) {
        problems.push({ kind: 'gap', index: range.size, message: `entry ${range.size} is missing (next is ${row.idx})` });
        return { size: total, rootHash: hex(range.root()), checkpointsChecked: checkpointAt, snapshotsChecked: 0, problems };
      }
      let parsed: { digest?: string } = {};
      try {
        parsed = JSON.parse(row.entry) as { digest?: string };
        if (canonicalJson(parsed) !== row.entry) problems.push({ kind: 'not_canonical', index: row.idx, message: `entry ${row.idx} is not canonical JSON` });
      } catch {
        problems.push({ kind: 'not_canonical', index: row.idx, message: `entry ${row.idx} is not JSON` });
      }
      if (typeof parsed.digest === 'string') digestsByIndex.set(row.idx, parsed.digest);
      const leaf = leafHash(utf8(row.entry));
      if (!bytesEqual(leaf, new Uint8Array(row.leafHash))) problems.push({ kind: 'leaf_hash', index: row.idx, message: `entry ${row.idx} does not hash to its stored leaf hash: its text was changed` });
      range.push(leaf);
      checkAt(range.size);
    }
    options.onProgress?.(range.size, total);
  }
  if (saved && saved.size > total) problems.push({ kind: 'saved_checkpoint', index: null, message: `the saved checkpoint has ${saved.size} entries but the log only ${total}: entries were removed` });
  let snapshotsChecked = 0;
  for (let after = -1; ;) {
    const rows = await repo.findSnapshots(services.db, after, 1000);
    if (rows.length === 0) break;
    for (const snapshot of rows) {
      snapshotsChecked++;
      const digest = contentDigest(snapshot.content);
      if (digest !== snapshot.digest || digestsByIndex.get(snapshot.ledgerIdx) !== digest) {
        problems.push({ kind: 'content', index: snapshot.ledgerIdx, message: `published ${snapshot.kind} '${snapshot.ref}' (entry ${snapshot.ledgerIdx}) no longer matches the digest in the ledger` });
      }
      after = snapshot.ledgerIdx;
    }
  }
  problems.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER));
  return { size: total, rootHash: hex(range.root()), checkpointsChecked: checkpointAt, snapshotsChecked, problems };
}
