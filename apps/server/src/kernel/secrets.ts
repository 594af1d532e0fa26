import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TConfig } from './config';

/** Key material the server needs; from configuration, else generated once into DATA_DIR. */
export interface TSecrets {
  /** HMAC key for ID-number hashes, OTP hashes and CSRF tokens. */
  secretKey: Buffer;
  /** Ed25519 seed of the ledger signing key. */
  ledgerSeed: Uint8Array;
  /** Password of the embedded PostgreSQL superuser. */
  embeddedPgPassword: string;
}

interface StoredSecrets {
  secretKey: string;
  ledgerSigningKey: string;
  embeddedPgPassword: string;
}

/**
 * Read the installation's secrets. Values in configuration win; missing ones are generated into
 * `DATA_DIR/secrets.json` (mode 0600) on first start so that restarts keep the same keys.
 */
export function loadSecrets(config: TConfig): TSecrets {
  const file = path.join(config.dataDir, 'secrets.json');
  let stored: StoredSecrets;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    stored = {
      secretKey: randomBytes(32).toString('base64'),
      ledgerSigningKey: randomBytes(32).toString('base64'),
      embeddedPgPassword: randomBytes(18).toString('base64url'),
    };
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const secretKey = Buffer.from(config.secretKey ?? stored.secretKey, 'base64');
  const ledgerSeed = new Uint8Array(Buffer.from(config.ledgerSigningKey ?? stored.ledgerSigningKey, 'base64'));
  if (secretKey.length < 32) throw new Error('SECRET_KEY must be at least 32 bytes of base64');
  if (ledgerSeed.length !== 32) throw new Error('LEDGER_SIGNING_KEY must be 32 bytes of base64');
  return { secretKey, ledgerSeed, embeddedPgPassword: stored.embeddedPgPassword };
}
