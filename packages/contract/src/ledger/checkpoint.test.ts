import { describe, expect, test } from 'vitest';
import { base64, fromBase64, hex, sha256, utf8 } from './bytes';
import {
  checkpointBody,
  ed25519KeyId,
  generateSigningKey,
  isValidKeyName,
  openNote,
  parseVerifierKey,
  publicKeyOf,
  signCheckpoint,
  signNote,
  verifierKeyString,
  verifyNote,
} from './checkpoint';

// golang.org/x/mod/sumdb/note, note_test.go (TestNewVerifier, TestSign, TestOpen): the
// PeterNeumann / EnochRoot keys and signatures. Ed25519 is deterministic, so signing the same
// text with the same seed must reproduce Go's note byte for byte.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
/** The seed inside Go's signer key "PRIVATE+KEY+<name>+<id>+base64(0x01 ‖ seed)". */
const PETER_SEED = fromBase64(PETER_SKEY.split('+').slice(4).join('+')).slice(1); // base64 may contain '+'

// A real sum.golang.org signed tree head (Go checksum database), as quoted in
// transparency-dev/trillian-tessera internal/parse/parse_test.go; key from Go's
// cmd/go/internal/modfetch/key.go.
const SUMDB_VKEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const SUMDB_NOTE =
  'go.sum database tree\n31700353\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n\n' +
  '\u2014 sum.golang.org Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo47fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/C8DJ87F61QqspBYwM=\n';

describe('verifier keys (Go reference vectors)', () => {
  test('PeterNeumann key: id, encoding, derivation from the seed', () => {
    const k = parseVerifierKey(PETER_VKEY);
    expect(k.name).toBe('PeterNeumann');
    expect(hex(k.keyId)).toBe('c74f20a3');
    expect(publicKeyOf(PETER_SEED)).toEqual(k.publicKey);
    expect(verifierKeyString('PeterNeumann', k.publicKey)).toBe(PETER_VKEY);
    expect(ed25519KeyId('PeterNeumann', k.publicKey)).toEqual(sha256(new Uint8Array([...utf8('PeterNeumann\n'), 0x01, ...k.publicKey])).slice(0, 4));
    expect(hex(parseVerifierKey(ENOCH_VKEY).keyId)).toBe('af0cfe78');
    expect(hex(parseVerifierKey(SUMDB_VKEY).keyId)).toBe('033de0ae');
  });

  test('rejects every substring and every single-character mangling (as Go does)', () => {
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i === 0 && j === PETER_VKEY.length) continue;
        expect(() => parseVerifierKey(PETER_VKEY.slice(i, j)), PETER_VKEY.slice(i, j)).toThrow();
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const mangled = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expect(() => parseVerifierKey(mangled), mangled).toThrow();
    }
    // wrong length key / unknown algorithm, each with an adjusted (self-consistent) key id
    expect(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toThrow();
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/algorithm/);
    expect(() => parseVerifierKey('PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow();
  });

  test('key names', () => {
    for (const good of ['PeterNeumann', 'cunwu.example/ledger', 'sum.golang.org', '村务']) expect(isValidKeyName(good)).toBe(true);
    for (const bad of ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u0085b', 'a\u3000b', 'a\u0001b']) expect(isValidKeyName(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('signed notes', () => {
  test('signNote reproduces the Go note byte for byte', () => {
    expect(signNote(TEXT, 'PeterNeumann', PETER_SEED)).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  test('verifyNote accepts the Go notes, with and without a second (unknown) signer', () => {
    expect(verifyNote(`${TEXT}\n${PETER_SIG}`, PETER_VKEY)).toEqual({ ok: true, text: TEXT });
    expect(verifyNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, PETER_VKEY)).toEqual({ ok: true, text: TEXT });
    expect(verifyNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, ENOCH_VKEY)).toEqual({ ok: true, text: TEXT });
    expect(verifyNote(`${TEXT}\n${ENOCH_SIG}`, PETER_VKEY).ok).toBe(false); // not signed by that key
    // The Go note's text is not a checkpoint, so openNote refuses it after the signature checks out.
    expect(openNote(`${TEXT}\n${PETER_SIG}`, PETER_VKEY)).toMatchObject({ ok: false, reason: expect.stringMatching(/checkpoint/) });
  });

  test('malformed notes from the Go suite are rejected', () => {
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${TEXT}\n${PETER_SIG}`,
      `\ud800${TEXT}\n${PETER_SIG}`, // JS stand-in for Go's invalid-UTF-8 "\xff" case
      `${TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.repeat(101)}`,
      `${TEXT}\n${PETER_SIG.replace('\u2014 ', '- ')}`,
    ];
    for (const note of bad) expect(verifyNote(note, PETER_VKEY).ok, JSON.stringify(note.slice(-40))).toBe(false);
  });

  test('altered body, altered signature, wrong key, wrong key name all fail', () => {
    const note = `${TEXT}\n${PETER_SIG}`;
    expect(verifyNote(note.replace('cryptography', 'cryptographY'), PETER_VKEY)).toMatchObject({ ok: false, reason: expect.stringMatching(/invalid signature/) });
    // Go's "invalid signature" case: four extra base64 characters inside the signature.
    const b64Start = note.indexOf('x08go');
    expect(verifyNote(note.slice(0, b64Start + 43) + 'ABCD' + note.slice(b64Start + 43), PETER_VKEY).ok).toBe(false);
    // A flipped bit in the signature bytes (key id intact).
    const sig = fromBase64(PETER_SIG.slice('\u2014 PeterNeumann '.length, -1));
    sig[20]! ^= 1;
    expect(verifyNote(`${TEXT}\n\u2014 PeterNeumann ${base64(sig)}\n`, PETER_VKEY)).toMatchObject({ ok: false, reason: expect.stringMatching(/invalid signature/) });
    // Wrong key: another key's verifier.
    expect(verifyNote(note, ENOCH_VKEY).ok).toBe(false);
    // Wrong key name on the signature line (Go's misnamed "CarmenSandiego" case).
    expect(verifyNote(note.replace('PeterNeumann', 'CarmenSandiego'), PETER_VKEY).ok).toBe(false);
    // Same key material under another name: a different key id, so not the trusted key.
    const renamed = verifierKeyString('PeterNeumann2', parseVerifierKey(PETER_VKEY).publicKey);
    expect(verifyNote(note, renamed).ok).toBe(false);
    expect(verifyNote(signNote(TEXT, 'PeterNeumann2', PETER_SEED), PETER_VKEY).ok).toBe(false);
  });

  test('signNote refuses bodies and names it cannot sign', () => {
    expect(() => signNote('abc', 'PeterNeumann', PETER_SEED)).toThrow();
    expect(() => signNote('a\rb\n', 'PeterNeumann', PETER_SEED)).toThrow();
    expect(() => signNote(TEXT, 'bad name', PETER_SEED)).toThrow();
    expect(() => signNote(TEXT, 'a+b', PETER_SEED)).toThrow();
    expect(() => signNote(TEXT, 'ok', new Uint8Array(31))).toThrow();
  });
});

describe('checkpoints', () => {
  test('a real sum.golang.org checkpoint opens with the Go sumdb key', () => {
    const cp = openNote(SUMDB_NOTE, SUMDB_VKEY);
    expect(cp).toEqual({
      ok: true,
      origin: 'go.sum database tree',
      size: 31700353,
      rootHash: fromBase64('qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs='),
    });
    expect(openNote(SUMDB_NOTE.replace('31700353', '31700354'), SUMDB_VKEY).ok).toBe(false);
  });

  test('checkpointBody format and round trip through sign/open', () => {
    const { privateKey, publicKey } = generateSigningKey();
    expect(privateKey.length).toBe(32);
    expect(publicKeyOf(privateKey)).toEqual(publicKey);
    const rootHash = sha256(utf8('root'));
    const body = checkpointBody('cunwu.example/ledger', 12, rootHash);
    expect(body).toBe(`cunwu.example/ledger\n12\n${base64(rootHash)}\n`);
    const vkey = verifierKeyString('cunwu.example/ledger', publicKey);
    const note = signCheckpoint('cunwu.example/ledger', 12, rootHash, 'cunwu.example/ledger', privateKey);
    expect(note.startsWith(`${body}\n\u2014 cunwu.example/ledger `)).toBe(true);
    expect(openNote(note, vkey)).toEqual({ ok: true, origin: 'cunwu.example/ledger', size: 12, rootHash });
    expect(openNote(note, parseVerifierKey(vkey)).ok).toBe(true);
    expect(openNote(signCheckpoint('o', 0, rootHash, 'k', privateKey), verifierKeyString('k', publicKey))).toMatchObject({ ok: true, size: 0 });
  });

  test('checkpoint body rules: size, root, lines (all validly signed, still rejected)', () => {
    const { privateKey, publicKey } = generateSigningKey();
    const vkey = verifierKeyString('log', publicKey);
    const root = base64(sha256(utf8('r')));
    const open = (body: string) => openNote(signNote(body, 'log', privateKey), vkey);
    expect(open(`log\n5\n${root}\n`).ok).toBe(true);
    expect(open(`log\n5\n${root}\nextension line\n`)).toMatchObject({ ok: true, size: 5 }); // extensions ignored
    for (const body of [
      `log\n05\n${root}\n`,
      `log\n-5\n${root}\n`,
      `log\n+5\n${root}\n`,
      `log\n5.0\n${root}\n`,
      `log\n 5\n${root}\n`,
      `log\n1e3\n${root}\n`,
      `log\n99999999999999999999\n${root}\n`,
      `log\n5\n${base64(new Uint8Array(31))}\n`,
      `log\n5\n${root.slice(0, -1)}\n`,
      `log\n5\n`,
      `\n5\n${root}\n`,
    ]) {
      expect(open(body).ok, JSON.stringify(body)).toBe(false);
    }
    expect(() => checkpointBody('', 1, sha256(utf8('x')))).toThrow();
    expect(() => checkpointBody('a\nb', 1, sha256(utf8('x')))).toThrow();
    expect(() => checkpointBody('a', -1, sha256(utf8('x')))).toThrow();
    expect(() => checkpointBody('a', 1, new Uint8Array(8))).toThrow();
  });

  test('tampered checkpoints fail: size, root, origin, signature, key', () => {
    const { privateKey, publicKey } = generateSigningKey();
    const other = generateSigningKey();
    const vkey = verifierKeyString('log', publicKey);
    const root = sha256(utf8('r'));
    const note = signCheckpoint('log', 7, root, 'log', privateKey);
    expect(openNote(note, vkey).ok).toBe(true);
    expect(openNote(note.replace('\n7\n', '\n8\n'), vkey).ok).toBe(false);
    expect(openNote(note.replace(base64(root), base64(sha256(utf8('s')))), vkey).ok).toBe(false);
    expect(openNote(note.replace('log\n', 'loh\n'), vkey).ok).toBe(false);
    expect(openNote(note, verifierKeyString('log', other.publicKey)).ok).toBe(false);
    expect(openNote(signCheckpoint('log', 7, root, 'log', other.privateKey), vkey).ok).toBe(false);
    expect(openNote(note, 'not a key').ok).toBe(false);
  });
});
