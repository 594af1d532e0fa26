import { describe, expect, test } from 'vitest';
import { base64, bytesEqual, concatBytes, fromBase64, fromHex, hex, sha256, utf8 } from './bytes';

describe('bytes', () => {
  test('utf8 encodes non-ASCII as UTF-8', () => {
    expect(hex(utf8('村€'))).toBe('e69d91e282ac');
  });

  test('hex round-trips, lowercase out, rejects bad input', () => {
    const b = new Uint8Array([0, 1, 0xab, 0xff]);
    expect(hex(b)).toBe('0001abff');
    expect(fromHex('0001ABff')).toEqual(b);
    expect(fromHex('')).toEqual(new Uint8Array(0));
    for (const bad of ['0', 'zz', '0g', ' 00', '00 ']) expect(() => fromHex(bad)).toThrow();
  });

  test('base64 matches RFC 4648 §10 vectors and is strict on input', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, enc] of vectors) {
      expect(base64(utf8(plain))).toBe(enc);
      expect(fromBase64(enc)).toEqual(utf8(plain));
    }
    const big = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);
    expect(fromBase64(base64(big))).toEqual(big);
    // unpadded, URL alphabet, whitespace, non-zero padding bits
    for (const bad of ['Zg', 'Zm9v-_==', 'Zm9v\n', 'Zh==', '====', 'Z===']) expect(() => fromBase64(bad)).toThrow();
  });

  test('concatBytes and bytesEqual', () => {
    expect(concatBytes(new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3]))).toEqual(new Uint8Array([1, 2, 3]));
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
  });

  test('sha256 of "" and "abc" (FIPS 180-2)', () => {
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
