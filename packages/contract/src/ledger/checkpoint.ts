/**
 * C2SP signed notes (https://c2sp.org/signed-note) carrying C2SP tlog checkpoints
 * (https://c2sp.org/tlog-checkpoint), Ed25519 only. Byte-compatible with golang.org/x/mod/sumdb/note,
 * so standard tooling (and witnesses) can read our checkpoints.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { base64, bytesEqual, concatBytes, fromBase64, hex, sha256, utf8 } from './bytes';
import { HASH_SIZE } from './merkle';

/** Signature-type byte for Ed25519 in key encodings and key ids (signed-note "0x01"). */
export const ALG_ED25519 = 0x01;

/** Prefix of every signature line: U+2014 EM DASH then a space. */
const SIG_PREFIX = '\u2014 ';

/** Upper bound on signature lines parsed, as in the Go implementation, against CPU exhaustion. */
const MAX_SIGNATURES = 100;

/** Go's unicode.IsSpace set (note key names must contain none of these); JS \s differs (U+0085, U+FEFF). */
const NAME_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** A lone UTF-16 surrogate: such text has no UTF-8 encoding, so it cannot be signed bytes. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether text breaks signed-note rules: ASCII control characters other than \n, or invalid UTF-16. */
function hasBadNoteChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return LONE_SURROGATE.test(s);
}

/** Whether a key name is valid: non-empty, no Unicode spaces, no '+', no control characters. */
export function isValidKeyName(name: string): boolean {
  return name !== '' && !NAME_SPACE.test(name) && !name.includes('+') && !hasBadNoteChar(name);
}

/** A parsed Ed25519 verifier key. */
export type TVerifierKey = { name: string; keyId: Uint8Array; publicKey: Uint8Array };

/** The 4-byte key id: SHA-256(name ‖ "\n" ‖ 0x01 ‖ publicKey)[0:4], compared big-endian. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== 32) throw new Error('Ed25519 public key must be 32 bytes');
  return sha256(concatBytes(utf8(`${name}\n`), new Uint8Array([ALG_ED25519]), publicKey)).slice(0, 4);
}

/** Encoded verifier key `<name>+<8 hex key id>+<base64(0x01 ‖ publicKey)>`. */
export function verifierKeyString(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new Error(`invalid key name: ${JSON.stringify(name)}`);
  const keyId = ed25519KeyId(name, publicKey);
  return `${name}+${hex(keyId)}+${base64(concatBytes(new Uint8Array([ALG_ED25519]), publicKey))}`;
}

/** Parses an encoded Ed25519 verifier key; throws if malformed, not Ed25519, or the key id does not match. */
export function parseVerifierKey(s: string): TVerifierKey {
  // Split at the first two '+' only: the base64 key material may itself contain '+'.
  const i = s.indexOf('+');
  const j = i < 0 ? -1 : s.indexOf('+', i + 1);
  if (i < 0 || j < 0) throw new Error('malformed verifier key');
  const name = s.slice(0, i);
  const idHex = s.slice(i + 1, j);
  const keyB64 = s.slice(j + 1);
  if (!isValidKeyName(name)) throw new Error('malformed verifier key: bad name');
  // Lowercase only: the canonical encoding, so one key has one string form.
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new Error('malformed verifier key: bad key id');
  let key: Uint8Array;
  try {
    key = fromBase64(keyB64);
  } catch {
    throw new Error('malformed verifier key: bad base64');
  }
  if (key.length === 0) throw new Error('malformed verifier key: empty key');
  if (key[0] !== ALG_ED25519) throw new Error('unsupported verifier key algorithm');
  if (key.length !== 33) throw new Error('malformed verifier key: Ed25519 key must be 32 bytes');
  const publicKey = key.slice(1);
  const keyId = ed25519KeyId(name, publicKey);
  if (hex(keyId) !== idHex) throw new Error('verifier key id does not match the key');
  return { name, keyId, publicKey };
}

/** A fresh Ed25519 key pair; the 32-byte private key is the RFC 8032 seed. */
export function generateSigningKey(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const { secretKey, publicKey } = ed25519.keygen();
  return { privateKey: secretKey, publicKey };
}

/** The Ed25519 public key of a 32-byte private key (seed). */
export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(privateKey);
}

/** Checkpoint note text `<origin>\n<size>\n<base64 root>\n` (no extension lines). */
export function checkpointBody(origin: string, size: number, rootHash: Uint8Array): string {
  if (origin === '' || origin.includes('\n') || hasBadNoteChar(origin)) throw new Error('invalid checkpoint origin');
  if (!Number.isSafeInteger(size) || size < 0) throw new Error('checkpoint size must be a non-negative safe integer');
  if (rootHash.length !== HASH_SIZE) throw new Error('checkpoint root hash must be 32 bytes');
  return `${origin}\n${size}\n${base64(rootHash)}\n`;
}

/** Signs a note body: body ‖ "\n" ‖ "— <keyName> <base64(keyId ‖ Ed25519(body))>\n". */
export function signNote(body: string, keyName: string, privateKey: Uint8Array): string {
  if (!body.endsWith('\n')) throw new Error('note body must end with a newline');
  if (hasBadNoteChar(body)) throw new Error('note body contains control characters or invalid UTF-16');
  if (!isValidKeyName(keyName)) throw new Error(`invalid key name: ${JSON.stringify(keyName)}`);
  if (privateKey.length !== 32) throw new Error('Ed25519 private key must be 32 bytes');
  const keyId = ed25519KeyId(keyName, ed25519.getPublicKey(privateKey));
  // The signature covers the body bytes exactly, final newline included, blank line excluded.
  const signature = ed25519.sign(utf8(body), privateKey);
  return `${body}\n${SIG_PREFIX}${keyName} ${base64(concatBytes(keyId, signature))}\n`;
}

/** Signs the checkpoint for (origin, size, rootHash) under `keyName`. */
export function signCheckpoint(origin: string, size: number, rootHash: Uint8Array, keyName: string, privateKey: Uint8Array): string {
  return signNote(checkpointBody(origin, size, rootHash), keyName, privateKey);
}

/** Outcome of opening a checkpoint note. */
export type TOpenedCheckpoint =
  | { ok: true; origin: string; size: number; rootHash: Uint8Array }
  | { ok: false; reason: string };

/** Splits a signed note into its text and signature lines (signed-note syntax), or returns a reason. */
function splitNote(note: string): { text: string; sigLines: string[] } | string {
  if (hasBadNoteChar(note)) return 'note contains control characters or invalid UTF-16';
  // The LAST blank line separates text from signatures (the text itself has no trailing blank line).
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return 'note has no blank line before its signatures';
  const text = note.slice(0, split + 1);
  const sigs = note.slice(split + 2);
  if (sigs === '' || !sigs.endsWith('\n')) return 'note signature block must be non-empty and end with a newline';
  return { text, sigLines: sigs.slice(0, -1).split('\n') };
}

/** Parses checkpoint text per tlog-checkpoint; extension lines are allowed but ignored. */
function parseCheckpointText(text: string): { origin: string; size: number; rootHash: Uint8Array } | string {
  const lines = text.slice(0, -1).split('\n'); // text ends with "\n" (guaranteed by splitNote)
  if (lines.length < 3) return 'checkpoint needs origin, size and root hash lines';
  if (lines.some((l) => l === '')) return 'checkpoint has an empty line';
  const [origin, sizeText, rootText] = lines as [string, string, string];
  // Decimal without leading zeros (or exactly "0"), and small enough to index exactly.
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText)) return 'checkpoint size is not a canonical decimal';
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return 'checkpoint size is too large';
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(rootText);
  } catch {
    return 'checkpoint root hash is not base64';
  }
  if (rootHash.length !== HASH_SIZE) return 'checkpoint root hash is not 32 bytes';
  return { origin, size, rootHash };
}

/** Outcome of verifying a signed note: the signed text (ending in "\n") or why it was rejected. */
export type TVerifiedNote = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Verifies a signed note with one trusted Ed25519 verifier key (string or parsed): checks the
 * note syntax, finds the signature line(s) for that key's name and id and verifies them over the
 * text. Signatures by other keys (e.g. witnesses) are syntax-checked only, as in the Go reference.
 */
export function verifyNote(note: string, verifierKey: string | TVerifierKey): TVerifiedNote {
  let key: TVerifierKey;
  try {
    key = typeof verifierKey === 'string' ? parseVerifierKey(verifierKey) : verifierKey;
  } catch (e) {
    return { ok: false, reason: `bad verifier key: ${(e as Error).message}` };
  }
  const parts = splitNote(note);
  if (typeof parts === 'string') return { ok: false, reason: parts };
  if (parts.sigLines.length > MAX_SIGNATURES) return { ok: false, reason: 'too many signatures' };

  let verified = false;
  for (const line of parts.sigLines) {
    if (!line.startsWith(SIG_PREFIX)) return { ok: false, reason: 'malformed signature line' };
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const b64 = space < 0 ? '' : rest.slice(space + 1);
    let sig: Uint8Array;
    try {
      sig = fromBase64(b64);
    } catch {
      return { ok: false, reason: 'malformed signature line' };
    }
    if (!isValidKeyName(name) || b64 === '' || sig.length < 5) return { ok: false, reason: 'malformed signature line' };
    if (name !== key.name || !bytesEqual(sig.subarray(0, 4), key.keyId)) continue; // someone else's signature
    // A known key whose signature fails is an error, not "unsigned" (as in the Go reference).
    const signature = sig.subarray(4);
    let good = false;
    try {
      // zip215 off: strict RFC 8032 / FIPS 186-5 verification, so signatures are non-malleable.
      good = signature.length === 64 && ed25519.verify(signature, utf8(parts.text), key.publicKey, { zip215: false });
    } catch {
      good = false;
    }
    if (!good) return { ok: false, reason: `invalid signature for key ${key.name}+${hex(key.keyId)}` };
    verified = true;
  }
  if (!verified) return { ok: false, reason: `no signature by key ${key.name}+${hex(key.keyId)}` };
  return { ok: true, text: parts.text };
}

/** Opens a checkpoint note: verifyNote with the trusted key, then the tlog-checkpoint body rules. */
export function openNote(note: string, verifierKey: string | TVerifierKey): TOpenedCheckpoint {
  const verified = verifyNote(note, verifierKey);
  if (!verified.ok) return verified;
  const cp = parseCheckpointText(verified.text);
  if (typeof cp === 'string') return { ok: false, reason: cp };
  return { ok: true, ...cp };
}
