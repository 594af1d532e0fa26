/**
 * 本机核验: the phone checks the ledger's signed checkpoint itself and compares it with the copy it
 * kept from the last visit. Nothing here trusts the server's word: the signature is checked with the
 * key pinned on this phone, and any growth since the last visit must come with a consistency proof.
 */
import { computed, shallowRef, type ComputedRef } from 'vue';
import { bytesEqual, fromHex, hex, openNote, verifyConsistency, type TConsistencyProof, type TLedgerPublicKey, type TLedgerStatus } from '@cunwu/contract';
import { isApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { fetchConsistencyProof, fetchLatestCheckpoint, fetchLedgerPublicKey } from './api';
import { pinKey, readPinnedKey, readSavedCheckpoint, saveCheckpoint } from './phone-copy';

/** A checkpoint whose signature this phone has checked. */
export interface TVerifiedCheckpoint {
  note: string;
  origin: string;
  /** Number of entries the checkpoint covers (条记录). */
  size: number;
  rootHash: Uint8Array;
}

/** Why the latest checkpoint could not be trusted. */
export type TCheckFailure =
  | { reason: 'keyChanged'; pinnedKey: string; servedKey: string }
  | { reason: 'signature'; detail: string }
  | { reason: 'origin'; detail: string };

/** What the phone's saved copy was, for the message. */
export interface TPreviousCopy {
  size: number;
  savedAt: string | null;
}

/** How the latest checkpoint compares with the copy saved on this phone. */
export type TCopyComparison =
  /** First visit: the checkpoint is now saved. */
  | { kind: 'first' }
  /** The phone cannot store anything (private mode in some in-app browsers). */
  | { kind: 'unsaved' }
  /** Same size and same root as last time. */
  | { kind: 'same'; previous: TPreviousCopy }
  /** The ledger grew and the old one is proven to be its beginning; the new checkpoint is now saved. */
  | { kind: 'grown'; previous: TPreviousCopy }
  /** The server showed an older checkpoint than the saved one, proven to be its beginning. */
  | { kind: 'behind'; previous: TPreviousCopy }
  /** Red: the saved copy and the new checkpoint do not describe the same history. */
  | { kind: 'inconsistent'; previous: TPreviousCopy | null; detail: string }
  /** The proof could not be fetched (weak signal); try again. */
  | { kind: 'unchecked'; previous: TPreviousCopy; message: string };

/** State of the 本机核验 card. */
export type TLedgerCheck =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  /** The server has not signed any checkpoint yet. */
  | { state: 'none' }
  | { state: 'failed'; failure: TCheckFailure }
  | {
      state: 'verified';
      checkpoint: TVerifiedCheckpoint;
      /** When the server signed it, if the status answer was about the same checkpoint. */
      signedAt: string | null;
      /** Entries in the log now (may run ahead of the checkpoint until the next signing). */
      logSize: number;
      copy: TCopyComparison;
    };

function messageOf(error: unknown): string {
  return isApiError(error) ? error.message : i18n.global.t('common.unknownError');
}

/**
 * Why `proof` does not show that `older` is the beginning of `newer` (RFC 9162 §2.1.4.2), or null
 * when it does. The roots the server states must be the signed ones, not merely self-consistent.
 */
export function consistencyProblem(older: TVerifiedCheckpoint, newer: TVerifiedCheckpoint, proof: TConsistencyProof): string | null {
  if (proof.from !== older.size || proof.to !== newer.size) return 'proof is for other sizes';
  if (proof.fromRoot.toLowerCase() !== hex(older.rootHash)) return `root of the first ${older.size} entries differs from the saved checkpoint`;
  if (proof.toRoot.toLowerCase() !== hex(newer.rootHash)) return `root of the first ${newer.size} entries differs from the signed checkpoint`;
  let path: Uint8Array[];
  try {
    path = proof.proof.map(fromHex);
  } catch {
    return 'proof is not hex';
  }
  const isConsistent = verifyConsistency({ oldSize: older.size, newSize: newer.size, oldRoot: older.rootHash, newRoot: newer.rootHash, proof: path });
  return isConsistent ? null : `consistency proof from ${older.size} to ${newer.size} entries does not verify`;
}

/** Compare a freshly verified checkpoint with the phone's saved copy, saving the newer one when proven. */
async function compareWithPhoneCopy(current: TVerifiedCheckpoint, verifierKey: string): Promise<TCopyComparison> {
  const saved = readSavedCheckpoint();
  if (saved === null) return saveCheckpoint(current.note) ? { kind: 'first' } : { kind: 'unsaved' };

  // The saved note is opened again rather than trusted: localStorage is only as safe as the phone.
  const opened = openNote(saved.note, verifierKey);
  if (!opened.ok) return { kind: 'inconsistent', previous: null, detail: `saved checkpoint: ${opened.reason}` };
  const previous: TPreviousCopy = { size: opened.size, savedAt: saved.savedAt };
  if (opened.origin !== current.origin) return { kind: 'inconsistent', previous, detail: `saved checkpoint is for ledger ${opened.origin}` };

  if (opened.size === current.size) {
    return bytesEqual(opened.rootHash, current.rootHash)
      ? { kind: 'same', previous }
      : { kind: 'inconsistent', previous, detail: `two different roots were signed for ${current.size} entries` };
  }

  const old: TVerifiedCheckpoint = { note: saved.note, origin: opened.origin, size: opened.size, rootHash: opened.rootHash };
  const [older, newer] = old.size < current.size ? [old, current] : [current, old];
  let proof: TConsistencyProof;
  try {
    proof = await fetchConsistencyProof(older.size, newer.size);
  } catch (error) {
    // A refusal (4xx) to prove sizes the server itself signed means the ledger lost entries; only a
    // missing answer leaves the question open.
    if (isApiError(error) && error.status >= 400 && error.status < 500) {
      return { kind: 'inconsistent', previous, detail: `server refused a proof from ${older.size} to ${newer.size} entries: ${error.message}` };
    }
    return { kind: 'unchecked', previous, message: messageOf(error) };
  }
  const problem = consistencyProblem(older, newer, proof);
  if (problem !== null) return { kind: 'inconsistent', previous, detail: problem };
  if (newer === current) {
    saveCheckpoint(current.note);
    return { kind: 'grown', previous };
  }
  return { kind: 'behind', previous };
}

/** Verify the served checkpoint with the pinned (or, the first time, the served) key, then compare copies. */
async function checkCheckpoint(publicKey: TLedgerPublicKey, note: string | null, status: TLedgerStatus): Promise<TLedgerCheck> {
  const pinnedKey = readPinnedKey();
  if (pinnedKey !== null && pinnedKey !== publicKey.verifierKey) {
    return { state: 'failed', failure: { reason: 'keyChanged', pinnedKey, servedKey: publicKey.verifierKey } };
  }
  if (note === null) return { state: 'none' };

  const verifierKey = pinnedKey ?? publicKey.verifierKey;
  const opened = openNote(note, verifierKey);
  if (!opened.ok) return { state: 'failed', failure: { reason: 'signature', detail: opened.reason } };
  if (opened.origin !== publicKey.origin) {
    return { state: 'failed', failure: { reason: 'origin', detail: `checkpoint origin ${opened.origin}, key origin ${publicKey.origin}` } };
  }
  // Trust on first use: the key is pinned only once a checkpoint has verified with it.
  if (pinnedKey === null) pinKey(verifierKey);

  const checkpoint: TVerifiedCheckpoint = { note, origin: opened.origin, size: opened.size, rootHash: opened.rootHash };
  const copy = await compareWithPhoneCopy(checkpoint, verifierKey);
  return {
    state: 'verified',
    checkpoint,
    signedAt: status.checkpointSize === checkpoint.size ? status.checkpointAt : null,
    logSize: Math.max(status.size, checkpoint.size),
    copy,
  };
}

/** The 本机核验 state and its runner; `run` takes the page's status request so it is fetched once. */
export function useLedgerCheck(): { check: ComputedRef<TLedgerCheck>; run: (statusRequest: Promise<TLedgerStatus>) => Promise<void> } {
  const check = shallowRef<TLedgerCheck>({ state: 'loading' });
  let latestRun = 0;

  /** Fetch key and checkpoint, verify them here, compare with the phone's copy. */
  async function run(statusRequest: Promise<TLedgerStatus>): Promise<void> {
    const runId = ++latestRun;
    // A re-check keeps showing the last result until the new one is known (pull to refresh has its own spinner).
    if (check.value.state !== 'verified') check.value = { state: 'loading' };
    let next: TLedgerCheck;
    try {
      const [publicKey, note, status] = await Promise.all([fetchLedgerPublicKey(), fetchLatestCheckpoint(), statusRequest]);
      next = await checkCheckpoint(publicKey, note, status);
    } catch (error) {
      next = { state: 'error', message: messageOf(error) };
    }
    if (runId === latestRun) check.value = next;
  }

  return { check: computed(() => check.value), run };
}
