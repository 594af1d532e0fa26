/**
 * Byte helpers shared by the server and the browser apps. Everything is Uint8Array (no Buffer)
 * and nothing imports `node:*`, so the same verification code runs unchanged on both sides.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (what gets hashed and signed; never the UTF-16 code units). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

const HEX_DIGITS = '0123456789abcdef';

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!;
  return out;
}

/** Bytes of a hex string (either case); throws on odd length or a non-hex character. */
export function fromHex(s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new Error('invalid hex string');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Standard (RFC 4648 §4) base64 with padding. */
export function base64(bytes: Uint8Array): string {
  // btoa takes a "binary string"; build it in chunks so large inputs don't blow the argument limit.
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(bin);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Bytes of a standard, padded base64 string; throws on anything else. Decoding is strict
 * (no whitespace, no URL alphabet, no non-zero padding bits) so every byte string has exactly
 * one accepted encoding and signed text cannot be re-encoded into a different-looking note.
 */
export function fromBase64(s: string): Uint8Array {
  if (!BASE64_RE.test(s)) throw new Error('invalid base64 string');
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // atob ignores non-zero bits in the last symbol; the round trip rejects such aliases.
  if (base64(out) !== s) throw new Error('non-canonical base64 string');
  return out;
}

/** Concatenation of byte arrays into a fresh array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Whether two byte arrays hold the same bytes (lengths included). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // No early exit: the inputs are public hashes, but constant time costs nothing here.
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** SHA-256 digest (32 bytes). */
export function sha256(bytes: Uint8Array): Uint8Array {
  return nobleSha256(bytes);
}
