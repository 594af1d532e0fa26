/** What a ledger entry says: a typed, timestamped commitment to the digest of some published content. */
import { z } from 'zod';
import { hex, sha256, utf8 } from './bytes';
import { canonicalJson } from './canonical-json';

/** 64 lowercase hex characters (a SHA-256 digest). */
export const ZSha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

/**
 * A ledger entry. The four fields are required; extra fields are kept (loose) so new entry types
 * can carry more context without breaking old verifiers — the leaf hash covers them all anyway.
 */
export const ZLedgerEntry = z
  .object({
    /** Entry kind, e.g. 'region.registry', 'disclosure.published'. */
    type: z.string().min(1),
    /** Entity reference, e.g. 'regions:350500000000'. */
    ref: z.string().min(1),
    /** SHA-256 (hex) of the published content, see contentDigest. */
    digest: ZSha256Hex,
    /** When it was logged, ISO-8601 UTC ('Z'). */
    at: z.iso.datetime(),
  })
  .loose(); // `.passthrough()` in zod 3 terms (deprecated in zod 4)

/** A ledger entry. */
export type TLedgerEntry = z.infer<typeof ZLedgerEntry>;

/** Hex SHA-256 of the canonical JSON (RFC 8785) of a value: the digest a ledger entry commits to. */
export function contentDigest(value: unknown): string {
  return hex(sha256(utf8(canonicalJson(value))));
}
