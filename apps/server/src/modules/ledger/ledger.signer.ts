import { publicKeyOf, signCheckpoint, verifierKeyString } from '@cunwu/contract';
import type { TServices } from '../../kernel/services';

/** The checkpoint signer of this installation: key name = origin, Ed25519 seed from configuration. */
export interface TLedgerSigner {
  origin: string;
  publicKey: Uint8Array;
  verifierKey: string;
  sign(size: number, rootHash: Uint8Array): string;
}

const cache = new WeakMap<TServices, TLedgerSigner>();

/** Build (once per services object) the signer from the configured seed. */
export function ledgerSigner(services: TServices): TLedgerSigner {
  const cached = cache.get(services);
  if (cached) return cached;
  const origin = services.config.ledgerOrigin;
  const seed = services.secrets.ledgerSeed;
  const publicKey = publicKeyOf(seed);
  const signer: TLedgerSigner = {
    origin,
    publicKey,
    verifierKey: verifierKeyString(origin, publicKey),
    sign: (size, rootHash) => signCheckpoint(origin, size, rootHash, origin, seed),
  };
  cache.set(services, signer);
  return signer;
}
