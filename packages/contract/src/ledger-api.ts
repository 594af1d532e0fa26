import { z } from 'zod';
import { ZSha256Hex } from './ledger';

/** Hard cap of entries per `GET /ledger/entries` page. */
export const LEDGER_PAGE_MAX = 1000;

const index = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `GET /ledger/entries?start=S&end=E` → entries [S, E). */
export const ZLedgerEntriesQuery = z
  .object({ start: index, end: index })
  .refine((q) => q.end >= q.start, { message: 'end must be ≥ start / end 不能小于 start', path: ['end'] })
  .refine((q) => q.end - q.start <= LEDGER_PAGE_MAX, { message: `at most ${LEDGER_PAGE_MAX} entries per request / 每次最多 ${LEDGER_PAGE_MAX} 条`, path: ['end'] });

/** One entry with its canonical JSON text and leaf hash. */
export const ZLedgerEntryRow = z.object({ index: z.number().int(), entry: z.string(), leafHash: ZSha256Hex });
/** Entry row DTO. */
export type TLedgerEntryRow = z.infer<typeof ZLedgerEntryRow>;

/** Page of entries. */
export const ZLedgerEntriesResponse = z.object({ start: z.number().int(), end: z.number().int(), size: z.number().int(), entries: z.array(ZLedgerEntryRow) });

/** `GET /ledger/proof/inclusion?index=I&size=N`. */
export const ZInclusionQuery = z.object({ index, size: index });
/** Inclusion proof: audit path, lowest level first. */
export const ZInclusionProof = z.object({ index: z.number().int(), size: z.number().int(), leafHash: ZSha256Hex, proof: z.array(ZSha256Hex), rootHash: ZSha256Hex });
/** Inclusion proof DTO. */
export type TInclusionProof = z.infer<typeof ZInclusionProof>;

/** `GET /ledger/proof/consistency?from=M&to=N`. */
export const ZConsistencyQuery = z.object({ from: index, to: index });
/** Consistency proof between two tree sizes. */
export const ZConsistencyProof = z.object({ from: z.number().int(), to: z.number().int(), proof: z.array(ZSha256Hex), fromRoot: ZSha256Hex, toRoot: ZSha256Hex });
/** Consistency proof DTO. */
export type TConsistencyProof = z.infer<typeof ZConsistencyProof>;

/** `GET /ledger/public-key`. */
export const ZLedgerPublicKey = z.object({
  origin: z.string(),
  algorithm: z.literal('Ed25519'),
  /** The signed-note verifier key: name+keyid+base64(0x01‖key). */
  verifierKey: z.string(),
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: z.string(),
});
/** Public key DTO. */
export type TLedgerPublicKey = z.infer<typeof ZLedgerPublicKey>;

/** `GET /ledger/entries/by-ref?ref=` → newest entries about one entity. */
export const ZLedgerRefQuery = z.object({ ref: z.string().min(1).max(200) });

/** Ledger status for the apps: size, latest checkpoint time. */
export const ZLedgerStatus = z.object({ size: z.number().int(), checkpointSize: z.number().int().nullable(), checkpointAt: z.string().nullable(), origin: z.string() });
/** Ledger status DTO. */
export type TLedgerStatus = z.infer<typeof ZLedgerStatus>;

/** Params naming an entry. */
export const ZLedgerIndexParams = z.object({ index });
