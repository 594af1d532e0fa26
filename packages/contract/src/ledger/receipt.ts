/**
 * Offline proof bundle: everything needed to check, without contacting the server, that an entry
 * is in the log at a checkpoint signed by the log key.
 */
import { z } from 'zod';
import { fromHex, hex, utf8 } from './bytes';
import { canonicalJson } from './canonical-json';
import { openNote } from './checkpoint';
import { ZSha256Hex } from './entries';
import { leafHash, verifyInclusion } from './merkle';

/** Receipt format tag; bump when the shape or the checks change. */
export const LEDGER_RECEIPT_FORMAT = 'cunwu-ledger-receipt/1';

/** An offline ledger receipt (inclusion proof + signed checkpoint). */
export const ZLedgerReceipt = z.object({
  format: z.literal(LEDGER_RECEIPT_FORMAT),
  /** Log origin (first checkpoint line). */
  origin: z.string().min(1),
  /** 0-based leaf index of the entry. */
  index: z.number().int().nonnegative(),
  /** Tree size of the checkpoint the proof is against. */
  size: z.number().int().positive(),
  /** The entry as canonical JSON text; its UTF-8 bytes are the leaf. */
  entry: z.string(),
  /** Hex leaf hash SHA-256(0x00 ‖ entry). */
  leafHash: ZSha256Hex,
  /** Hex RFC 9162 inclusion proof, leaf to root; 64 hashes cover any 2^64-leaf tree. */
  proof: z.array(ZSha256Hex).max(64),
  /** The signed checkpoint note. */
  checkpoint: z.string(),
  /** The log's verifier key as the server stated it (a reader should pin its own). */
  verifierKey: z.string(),
});

/** An offline ledger receipt. */
export type TLedgerReceipt = z.infer<typeof ZLedgerReceipt>;

/** Outcome of verifying a receipt; on success the parsed entry is returned for display. */
export type TReceiptVerification = { ok: true; entry: unknown } | { ok: false; reason: string };

/** Builds a receipt from an entry value (canonicalised here) and hex proof, for the server side. */
export function createReceipt(args: {
  origin: string;
  index: number;
  size: number;
  entry: unknown;
  proof: readonly Uint8Array[];
  checkpoint: string;
  verifierKey: string;
}): TLedgerReceipt {
  const entry = canonicalJson(args.entry);
  return {
    format: LEDGER_RECEIPT_FORMAT,
    origin: args.origin,
    index: args.index,
    size: args.size,
    entry,
    leafHash: hex(leafHash(utf8(entry))),
    proof: args.proof.map(hex),
    checkpoint: args.checkpoint,
    verifierKey: args.verifierKey,
  };
}

/**
 * Verifies a receipt: shape, canonical entry, leaf hash, checkpoint signature (with the trusted
 * key when given, else the embedded one — which only proves self-consistency), origin and size,
 * and the inclusion proof against the checkpoint root.
 */
export function verifyReceipt(receipt: unknown, trustedVerifierKey?: string): TReceiptVerification {
  const parsed = ZLedgerReceipt.safeParse(receipt);
  if (!parsed.success) return { ok: false, reason: `malformed receipt: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const r = parsed.data;

  let entry: unknown;
  try {
    entry = JSON.parse(r.entry);
  } catch {
    return { ok: false, reason: 'entry is not JSON' };
  }
  let canonical: string;
  try {
    canonical = canonicalJson(entry);
  } catch (e) {
    return { ok: false, reason: `entry is not canonicalisable: ${(e as Error).message}` };
  }
  // Only one byte string per value may be logged, or two receipts could "prove" different bytes.
  if (canonical !== r.entry) return { ok: false, reason: 'entry is not canonical JSON' };

  const leaf = leafHash(utf8(r.entry));
  if (hex(leaf) !== r.leafHash) return { ok: false, reason: 'leaf hash does not match the entry' };
  if (r.index >= r.size) return { ok: false, reason: 'index is outside the tree' };

  const cp = openNote(r.checkpoint, trustedVerifierKey ?? r.verifierKey);
  if (!cp.ok) return { ok: false, reason: `checkpoint: ${cp.reason}` };
  if (cp.origin !== r.origin) return { ok: false, reason: 'checkpoint origin does not match the receipt' };
  if (cp.size !== r.size) return { ok: false, reason: 'checkpoint size does not match the receipt' };

  const ok = verifyInclusion({ leafHash: leaf, index: r.index, size: r.size, proof: r.proof.map(fromHex), root: cp.rootHash });
  if (!ok) return { ok: false, reason: 'inclusion proof does not lead to the checkpoint root' };
  return { ok: true, entry };
}
