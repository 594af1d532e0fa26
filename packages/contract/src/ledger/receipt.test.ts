import { describe, expect, test } from 'vitest';
import { hex, sha256, utf8 } from './bytes';
import { canonicalJson } from './canonical-json';
import { generateSigningKey, signCheckpoint, verifierKeyString } from './checkpoint';
import { contentDigest, ZLedgerEntry } from './entries';
import { inclusionProof, leafHash, rootFromLeafHashes } from './merkle';
import { createReceipt, verifyReceipt, ZLedgerReceipt, type TLedgerReceipt } from './receipt';

const ORIGIN = 'cunwu.example/ledger';

function entry(i: number) {
  return {
    type: i % 2 ? 'disclosure.published' : 'region.registry',
    ref: `regions:3505000000${String(i).padStart(2, '0')}`,
    digest: contentDigest({ n: i }),
    at: '2025-01-02T03:04:05.000Z',
    seq: i,
  };
}

/** A small signed log and a receipt for entry `index`. */
function setup(size = 11, index = 6) {
  const key = generateSigningKey();
  const vkey = verifierKeyString(ORIGIN, key.publicKey);
  const entries = Array.from({ length: size }, (_, i) => entry(i));
  const leaves = entries.map((e) => leafHash(utf8(canonicalJson(e))));
  const checkpoint = signCheckpoint(ORIGIN, size, rootFromLeafHashes(leaves), ORIGIN, key.privateKey);
  const receipt = createReceipt({ origin: ORIGIN, index, size, entry: entries[index], proof: inclusionProof(index, leaves), checkpoint, verifierKey: vkey });
  return { key, vkey, entries, leaves, receipt };
}

describe('entries', () => {
  test('ZLedgerEntry requires type/ref/digest/at and keeps extra fields', () => {
    const e = entry(3);
    expect(ZLedgerEntry.parse(e)).toEqual(e);
    expect(ZLedgerEntry.safeParse({ ...e, digest: e.digest.toUpperCase() }).success).toBe(false);
    expect(ZLedgerEntry.safeParse({ ...e, at: '2025-01-02 03:04:05' }).success).toBe(false);
    expect(ZLedgerEntry.safeParse({ ...e, at: '2025-01-02T03:04:05+08:00' }).success).toBe(false);
    expect(ZLedgerEntry.safeParse({ ...e, type: '' }).success).toBe(false);
    const { ref: _ref, ...noRef } = e;
    expect(ZLedgerEntry.safeParse(noRef).success).toBe(false);
  });

  test('contentDigest hashes the canonical JSON, so key order does not matter', () => {
    expect(contentDigest({ b: 1, a: [true, null] })).toBe(contentDigest({ a: [true, null], b: 1 }));
    expect(contentDigest({ a: 1, b: 2 })).toBe(hex(sha256(utf8('{"a":1,"b":2}'))));
  });
});

describe('receipts', () => {
  test('a fresh receipt verifies, with the embedded key and with the pinned key', () => {
    const { vkey, receipt, entries } = setup();
    expect(ZLedgerReceipt.parse(receipt)).toEqual(receipt);
    expect(verifyReceipt(receipt)).toEqual({ ok: true, entry: entries[6] });
    expect(verifyReceipt(receipt, vkey).ok).toBe(true);
    // survives a JSON round trip (that is how it is shipped)
    expect(verifyReceipt(JSON.parse(JSON.stringify(receipt)), vkey).ok).toBe(true);
  });

  test('every leaf of several log sizes gets a verifying receipt', () => {
    for (const size of [1, 2, 7, 16, 17]) {
      for (let i = 0; i < size; i++) expect(verifyReceipt(setup(size, i).receipt), `${i}/${size}`).toMatchObject({ ok: true });
    }
  });

  test('tampering is detected', () => {
    const { receipt, key, leaves, entries } = setup();
    const other = generateSigningKey();
    const otherVkey = verifierKeyString(ORIGIN, other.publicKey);
    const e = entries[6]!;
    const flipHex = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
    const bad: Array<[string, unknown, string?]> = [
      ['not an object', 'nope'],
      ['wrong format', { ...receipt, format: 'cunwu-ledger-receipt/2' }],
      ['altered entry', { ...receipt, entry: canonicalJson({ ...e, ref: 'regions:350500000099' }) }],
      ['non-canonical entry', { ...receipt, entry: JSON.stringify(e, null, 1) }],
      ['non-JSON entry', { ...receipt, entry: '{' }],
      ['leaf hash flipped', { ...receipt, leafHash: flipHex(receipt.leafHash) }],
      ['proof element flipped', { ...receipt, proof: receipt.proof.map((p, i) => (i === 1 ? flipHex(p) : p)) }],
      ['proof element dropped', { ...receipt, proof: receipt.proof.slice(1) }],
      ['proof element added', { ...receipt, proof: [...receipt.proof, receipt.leafHash] }],
      ['proof elements swapped', { ...receipt, proof: [receipt.proof[1], receipt.proof[0], ...receipt.proof.slice(2)] }],
      ['wrong index', { ...receipt, index: 7 }],
      ['index outside', { ...receipt, index: 11 }],
      ['wrong size', { ...receipt, size: 12 }],
      ['wrong origin', { ...receipt, origin: 'other.example/ledger' }],
      ['checkpoint body altered', { ...receipt, checkpoint: receipt.checkpoint.replace('\n11\n', '\n12\n'), size: 12 }],
      ['checkpoint signed by another key', { ...receipt, checkpoint: signCheckpoint(ORIGIN, 11, rootFromLeafHashes(leaves), ORIGIN, other.privateKey) }],
      // self-consistent forgery: passes with its own embedded key, fails against the pinned key
      [
        'forged log with its own key',
        {
          ...receipt,
          checkpoint: signCheckpoint(ORIGIN, 11, rootFromLeafHashes(leaves), ORIGIN, other.privateKey),
          verifierKey: otherVkey,
        },
        verifierKeyString(ORIGIN, key.publicKey),
      ],
    ];
    // An entry dropped from the log: the server re-signs the shorter tree, the old proof no longer fits.
    const dropped = leaves.filter((_, i) => i !== 2);
    bad.push([
      'log rewritten without entry 2',
      { ...receipt, size: 10, checkpoint: signCheckpoint(ORIGIN, 10, rootFromLeafHashes(dropped), ORIGIN, key.privateKey) },
    ]);
    // Truncated log: checkpoint of a shorter prefix.
    bad.push([
      'truncated log',
      { ...receipt, size: 8, checkpoint: signCheckpoint(ORIGIN, 8, rootFromLeafHashes(leaves.slice(0, 8)), ORIGIN, key.privateKey) },
    ]);
    for (const [desc, r, pinned] of bad) expect(verifyReceipt(r, pinned), desc).toMatchObject({ ok: false });
    // sanity: the forged one would pass without a pinned key, which is why apps must pin.
    expect(verifyReceipt(bad.find(([d]) => d === 'forged log with its own key')![1]).ok).toBe(true);
  });

  test('reasons are specific', () => {
    const { receipt } = setup();
    const r: TLedgerReceipt = { ...receipt, size: 12 };
    expect(verifyReceipt(r)).toEqual({ ok: false, reason: 'checkpoint size does not match the receipt' });
    expect(verifyReceipt({ ...receipt, entry: JSON.stringify(JSON.parse(receipt.entry), null, 2) })).toEqual({ ok: false, reason: 'entry is not canonical JSON' });
  });
});
