import { describe, expect, test } from 'vitest';
import { fromHex, hex, sha256, utf8 } from './bytes';
import {
  consistencyPathRanges,
  consistencyProof,
  emptyRoot,
  hashRange,
  inclusionPathRanges,
  inclusionProof,
  leafHash,
  nodeHash,
  perfectSubtrees,
  rootFromInclusionProof,
  rootFromLeafHashes,
  subtreesCompletedByAppend,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

// ---- reference vectors ------------------------------------------------------------------------
// From github.com/transparency-dev/merkle, proof/verify_test.go (the Certificate Transparency
// RFC 6962 vectors, also used by google/certificate-transparency-go). Go's `leaf` field is
// 1-based; the indices below are 0-based.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);
const EMPTY_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** ROOTS[n - 1] is the root of the first n leaves. */
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION_VECTORS = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  { index: 0, size: 1, proof: [] },
];
const CONSISTENCY_VECTORS = [
  { m: 1, n: 1, proof: [] },
  {
    m: 1,
    n: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    m: 6,
    n: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    m: 2,
    n: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    m: 6,
    n: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
const SOME_HASH = fromHex('abacaba000000000000000000000000000000000000000000060061e00123456');

const CT_LEAF_HASHES = LEAVES.map(leafHash);
const root = (n: number): Uint8Array => fromHex(ROOTS[n - 1]!);

// ---- helpers ----------------------------------------------------------------------------------

/** mulberry32: small seeded PRNG so the property tests are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomLeaves(count: number, seed: number): Uint8Array[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, (_, i) => leafHash(utf8(`entry ${i} ${rnd()}`)));
}

function flip(h: Uint8Array, bit = 3): Uint8Array {
  const c = h.slice();
  c[0]! ^= 1 << bit;
  return c;
}

/** A store of perfect subtrees filled the way the server would: leaf row, then completed nodes. */
class SubtreeStore {
  readonly rows = new Map<string, Uint8Array>();
  size = 0;
  append(leaf: Uint8Array): void {
    this.rows.set(`0:${this.size}`, leaf);
    for (const { level, index } of subtreesCompletedByAppend(this.size)) {
      const l = this.rows.get(`${level - 1}:${2 * index}`);
      const r = this.rows.get(`${level - 1}:${2 * index + 1}`);
      if (!l || !r) throw new Error(`children of ${level}:${index} missing`);
      this.rows.set(`${level}:${index}`, nodeHash(l, r));
    }
    this.size++;
  }
  /** Lookup that refuses subtrees not yet complete at tree size `n` (the server could not have them). */
  lookupAt(n: number, counter?: { reads: number }) {
    return (level: number, index: number): Uint8Array => {
      if ((index + 1) * 2 ** level > n) throw new Error(`subtree ${level}:${index} not complete at size ${n}`);
      const h = this.rows.get(`${level}:${index}`);
      if (!h) throw new Error(`subtree ${level}:${index} not stored`);
      if (counter) counter.reads++;
      return h;
    };
  }
}

// ---- tests --------------------------------------------------------------------------------------

describe('RFC 9162 hashing', () => {
  test('empty root, leaf and node prefixes', () => {
    expect(hex(emptyRoot())).toBe(EMPTY_ROOT);
    expect(hex(rootFromLeafHashes([]))).toBe(EMPTY_ROOT);
    expect(hex(leafHash(new Uint8Array(0)))).toBe(ROOTS[0]);
    const [a, b] = [CT_LEAF_HASHES[0]!, CT_LEAF_HASHES[1]!];
    expect(nodeHash(a, b)).toEqual(sha256(new Uint8Array([1, ...a, ...b])));
  });

  test('roots of the CT reference leaves for sizes 1..8', () => {
    for (let n = 1; n <= 8; n++) expect(hex(rootFromLeafHashes(CT_LEAF_HASHES.slice(0, n))), `size ${n}`).toBe(ROOTS[n - 1]);
  });
});

describe('reference vectors', () => {
  test('inclusion proofs: generated == published, and they verify', () => {
    for (const v of INCLUSION_VECTORS) {
      const leaves = CT_LEAF_HASHES.slice(0, v.size);
      expect(inclusionProof(v.index, leaves).map(hex)).toEqual(v.proof);
      const args = { leafHash: CT_LEAF_HASHES[v.index]!, index: v.index, size: v.size, proof: v.proof.map(fromHex) };
      expect(rootFromInclusionProof(args)).toEqual(root(v.size));
      expect(verifyInclusion({ ...args, root: root(v.size) })).toBe(true);
    }
  });

  test('consistency proofs: generated == published, and they verify', () => {
    for (const v of CONSISTENCY_VECTORS) {
      expect(consistencyProof(v.m, CT_LEAF_HASHES.slice(0, v.n)).map(hex)).toEqual(v.proof);
      expect(
        verifyConsistency({ oldSize: v.m, newSize: v.n, oldRoot: root(v.m), newRoot: root(v.n), proof: v.proof.map(fromHex) }),
      ).toBe(true);
    }
  });

  // The corruption probes of transparency-dev/merkle verify_test.go corruptInclusionProof.
  test('inclusion probes from the Go suite all fail', () => {
    for (const v of INCLUSION_VECTORS) {
      const leaf = CT_LEAF_HASHES[v.index]!;
      const proof = v.proof.map(fromHex);
      const r = root(v.size);
      const probes: Array<{ index: number; size: number; root: Uint8Array; leafHash: Uint8Array; proof: Uint8Array[]; desc: string }> = [
        { index: v.index - 1, size: v.size, root: r, leafHash: leaf, proof, desc: 'index - 1' },
        { index: v.index + 1, size: v.size, root: r, leafHash: leaf, proof, desc: 'index + 1' },
        { index: v.index ^ 2, size: v.size, root: r, leafHash: leaf, proof, desc: 'index ^ 2' },
        { index: v.index, size: v.size * 2, root: r, leafHash: leaf, proof, desc: 'size * 2' },
        { index: v.index, size: Math.floor(v.size / 2), root: r, leafHash: leaf, proof, desc: 'size / 2' },
        { index: v.index, size: v.size, root: r, leafHash: utf8('WrongLeaf'), proof, desc: 'wrong leaf' },
        { index: v.index, size: v.size, root: fromHex(EMPTY_ROOT), leafHash: leaf, proof, desc: 'empty root' },
        { index: v.index, size: v.size, root: SOME_HASH, leafHash: leaf, proof, desc: 'random root' },
        { index: v.index, size: v.size, root: r, leafHash: leaf, proof: [...proof, new Uint8Array(0)], desc: 'trailing garbage' },
        { index: v.index, size: v.size, root: r, leafHash: leaf, proof: [...proof, r], desc: 'trailing root' },
        { index: v.index, size: v.size, root: r, leafHash: leaf, proof: [new Uint8Array(0), ...proof], desc: 'preceding garbage' },
        { index: v.index, size: v.size, root: r, leafHash: leaf, proof: [r, ...proof], desc: 'preceding root' },
      ];
      proof.forEach((_, i) =>
        probes.push({ index: v.index, size: v.size, root: r, leafHash: leaf, proof: proof.map((p, j) => (i === j ? flip(p) : p)), desc: `flip proof[${i}]` }),
      );
      if (proof.length > 0) probes.push({ index: v.index, size: v.size, root: r, leafHash: leaf, proof: proof.slice(0, -1), desc: 'removed component' });
      if (proof.length > 1) {
        probes.push({ index: v.index, size: v.size, root: r, leafHash: leaf, proof: [proof[0]!, SOME_HASH, ...proof.slice(1)], desc: 'inserted component' });
      }
      for (const p of probes) expect(verifyInclusion(p), `${v.index}/${v.size}: ${p.desc}`).toBe(false);
    }
  });

  // The corruption probes of transparency-dev/merkle verify_test.go corruptConsistencyProof.
  test('consistency probes from the Go suite all fail', () => {
    for (const v of CONSISTENCY_VECTORS.filter((c) => c.proof.length > 0)) {
      const proof = v.proof.map(fromHex);
      const [r1, r2] = [root(v.m), root(v.n)];
      const wrong = utf8('WrongRoot');
      const probes: Array<[number, number, Uint8Array, Uint8Array, Uint8Array[], string]> = [
        [v.m - 1, v.n, r1, r2, proof, 'm - 1'],
        [v.m + 1, v.n, r1, r2, proof, 'm + 1'],
        [v.m ^ 2, v.n, r1, r2, proof, 'm ^ 2'],
        [v.m, v.n * 2, r1, r2, proof, 'n * 2'],
        [v.m, Math.floor(v.n / 2), r1, r2, proof, 'n / 2'],
        [v.m, v.n, wrong, r2, proof, 'wrong root1'],
        [v.m, v.n, r1, wrong, proof, 'wrong root2'],
        [v.m, v.n, r2, r1, proof, 'swapped roots'],
        [v.m, v.n, r1, r2, [], 'empty proof'],
        [v.m, v.n, r1, r2, [...proof, new Uint8Array(0)], 'trailing garbage'],
        [v.m, v.n, r1, r2, [...proof, r1], 'trailing root1'],
        [v.m, v.n, r1, r2, [...proof, r2], 'trailing root2'],
        [v.m, v.n, r1, r2, [new Uint8Array(0), ...proof], 'preceding garbage'],
        [v.m, v.n, r1, r2, [r1, ...proof], 'preceding root1'],
        [v.m, v.n, r1, r2, [r2, ...proof], 'preceding root2'],
        [v.m, v.n, r1, r2, [proof[0]!, ...proof], 'preceding proof[0]'],
        [v.m, v.n, r1, r2, proof.slice(0, -1), 'truncated proof'],
      ];
      proof.forEach((_, i) => probes.push([v.m, v.n, r1, r2, proof.map((p, j) => (i === j ? flip(p, 4) : p)), `flip proof[${i}]`]));
      for (const [oldSize, newSize, oldRoot, newRoot, pr, desc] of probes) {
        expect(verifyConsistency({ oldSize, newSize, oldRoot, newRoot, proof: pr }), `${v.m}->${v.n}: ${desc}`).toBe(false);
      }
    }
  });

  // transparency-dev/merkle verify_test.go TestVerifyConsistency edge cases.
  test('consistency edge cases', () => {
    const [a, b] = [utf8("don't care 1"), utf8("don't care 2")];
    const e = fromHex(EMPTY_ROOT);
    const cases: Array<[number, number, Uint8Array, Uint8Array, Uint8Array[], boolean]> = [
      [0, 0, a, b, [], false],
      [1, 1, a, b, [], false],
      [0, 0, a, a, [], true],
      [0, 1, a, b, [], true],
      [1, 1, b, b, [], true],
      [1, 0, a, b, [], false],
      [2, 1, a, b, [], false],
      [1, 2, a, b, [], false],
      [0, 0, e, b, [], false],
      [1, 1, e, b, [], false],
      [0, 0, e, e, [e], false],
      [0, 1, e, e, [e], false],
      [1, 1, e, e, [e], false],
    ];
    for (const [oldSize, newSize, oldRoot, newRoot, proof, want] of cases) {
      expect(verifyConsistency({ oldSize, newSize, oldRoot, newRoot, proof }), `${oldSize}->${newSize}`).toBe(want);
    }
  });

  // transparency-dev/merkle verify_test.go TestVerifyInclusion / TestVerifyInclusionSingleEntry.
  test('inclusion edge cases', () => {
    const e = fromHex(EMPTY_ROOT);
    for (const [index, size] of [[0, 0], [0, 1], [1, 0], [2, 1]] as const) {
      expect(verifyInclusion({ leafHash: SOME_HASH, index, size, proof: [], root: new Uint8Array(0) })).toBe(false);
      expect(verifyInclusion({ leafHash: new Uint8Array(0), index, size, proof: [], root: e })).toBe(false);
      expect(verifyInclusion({ leafHash: SOME_HASH, index, size, proof: [], root: e })).toBe(false);
    }
    const h = leafHash(utf8('data'));
    const none = new Uint8Array(0);
    expect(verifyInclusion({ leafHash: h, index: 0, size: 1, proof: [], root: h })).toBe(true);
    expect(verifyInclusion({ leafHash: none, index: 0, size: 1, proof: [], root: h })).toBe(false);
    expect(verifyInclusion({ leafHash: h, index: 0, size: 1, proof: [], root: none })).toBe(false);
    expect(verifyInclusion({ leafHash: none, index: 0, size: 1, proof: [], root: none })).toBe(false);
    expect(verifyInclusion({ leafHash: h, index: -1, size: 1, proof: [], root: h })).toBe(false);
    expect(verifyInclusion({ leafHash: h, index: 0.5, size: 1, proof: [], root: h })).toBe(false);
  });

  test('generators reject out-of-range arguments', () => {
    expect(() => inclusionProof(8, CT_LEAF_HASHES)).toThrow();
    expect(() => inclusionProof(0, [])).toThrow();
    expect(() => consistencyProof(9, CT_LEAF_HASHES)).toThrow();
    expect(consistencyProof(0, CT_LEAF_HASHES)).toEqual([]);
    expect(consistencyProof(8, CT_LEAF_HASHES)).toEqual([]);
  });
});

describe('stored perfect subtrees', () => {
  test('subtreesCompletedByAppend', () => {
    expect(subtreesCompletedByAppend(0)).toEqual([]);
    expect(subtreesCompletedByAppend(1)).toEqual([{ level: 1, index: 0 }]);
    expect(subtreesCompletedByAppend(2)).toEqual([]);
    expect(subtreesCompletedByAppend(3)).toEqual([
      { level: 1, index: 1 },
      { level: 2, index: 0 },
    ]);
    expect(subtreesCompletedByAppend(7)).toEqual([
      { level: 1, index: 3 },
      { level: 2, index: 1 },
      { level: 3, index: 0 },
    ]);
    expect(subtreesCompletedByAppend(11)).toEqual([
      { level: 1, index: 5 },
      { level: 2, index: 2 },
    ]);
  });

  test('perfectSubtrees', () => {
    expect(perfectSubtrees(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectSubtrees(8, 12)).toEqual([{ level: 2, index: 2 }]);
    expect(perfectSubtrees(64, 70)).toEqual([
      { level: 2, index: 16 },
      { level: 1, index: 34 },
    ]);
    expect(perfectSubtrees(5, 5)).toEqual([]);
    expect(() => perfectSubtrees(1, 3)).toThrow(); // not a range of the RFC tree
    expect(() => perfectSubtrees(3, 2)).toThrow();
  });

  test('sizes 1..70: proofs from stored subtrees == reference proofs, every index and every m', () => {
    const leaves = randomLeaves(70, 1);
    const store = new SubtreeStore();
    let maxReads = 0;
    for (let n = 1; n <= 70; n++) {
      store.append(leaves[n - 1]!);
      const prefix = leaves.slice(0, n);
      const lookup = store.lookupAt(n);
      expect(hashRange(0, n, lookup)).toEqual(rootFromLeafHashes(prefix));
      for (let i = 0; i < n; i++) {
        const counter = { reads: 0 };
        const counted = store.lookupAt(n, counter);
        const fromStore = inclusionPathRanges(i, n).map(([s, e]) => hashRange(s, e, counted));
        expect(fromStore.map(hex), `inclusion ${i}/${n}`).toEqual(inclusionProof(i, prefix).map(hex));
        maxReads = Math.max(maxReads, counter.reads);
      }
      for (let m = 0; m <= n; m++) {
        const fromStore = consistencyPathRanges(m, n).map(([s, e]) => hashRange(s, e, lookup));
        expect(fromStore.map(hex), `consistency ${m}->${n}`).toEqual(consistencyProof(m, prefix).map(hex));
      }
    }
    // O(log n) reads: at most about two per level (7 levels for 70 leaves).
    expect(maxReads).toBeLessThanOrEqual(14);
  });
});

describe('properties over random trees (seeded)', () => {
  const ALL = randomLeaves(1024, 42);
  const rnd = prng(7);
  const pick = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

  test('300 random inclusion and consistency proofs verify', () => {
    for (let c = 0; c < 300; c++) {
      const n = pick(1, 1024);
      const leaves = ALL.slice(0, n);
      const r = rootFromLeafHashes(leaves);
      const i = pick(0, n - 1);
      expect(verifyInclusion({ leafHash: leaves[i]!, index: i, size: n, proof: inclusionProof(i, leaves), root: r }), `${i}/${n}`).toBe(true);
      const m = pick(0, n);
      const oldRoot = rootFromLeafHashes(ALL.slice(0, m));
      expect(verifyConsistency({ oldSize: m, newSize: n, oldRoot, newRoot: r, proof: consistencyProof(m, leaves) }), `${m}->${n}`).toBe(true);
    }
  });

  test('every proof in every tree up to 40 leaves verifies', () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = ALL.slice(0, n);
      const r = rootFromLeafHashes(leaves);
      for (let i = 0; i < n; i++) {
        expect(verifyInclusion({ leafHash: leaves[i]!, index: i, size: n, proof: inclusionProof(i, leaves), root: r })).toBe(true);
      }
      for (let m = 0; m <= n; m++) {
        const oldRoot = rootFromLeafHashes(ALL.slice(0, m));
        expect(verifyConsistency({ oldSize: m, newSize: n, oldRoot, newRoot: r, proof: consistencyProof(m, leaves) }), `${m}->${n}`).toBe(true);
      }
    }
  });
});

describe('mutations must fail', () => {
  const ALL = randomLeaves(80, 99);
  const rootAt = (n: number): Uint8Array => rootFromLeafHashes(ALL.slice(0, n));

  test('inclusion: flipped bits, dropped/extra/reordered elements, wrong index, wrong size', () => {
    for (const n of [2, 3, 5, 8, 13, 37, 64, 65]) {
      const leaves = ALL.slice(0, n);
      const r = rootAt(n);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, leaves);
        const ok = { leafHash: leaves[i]!, index: i, size: n, proof, root: r };
        expect(verifyInclusion(ok)).toBe(true);
        const bad: Array<[string, Parameters<typeof verifyInclusion>[0]]> = [
          ['flipped leaf', { ...ok, leafHash: flip(ok.leafHash, 0) }],
          ['flipped root', { ...ok, root: flip(r, 7) }],
          ['extra element', { ...ok, proof: [...proof, proof[0]!] }],
          ['extra element in front', { ...ok, proof: [SOME_HASH, ...proof] }],
          ['wrong index +1', { ...ok, index: i + 1 }],
          ['wrong index -1', { ...ok, index: i - 1 }],
        ];
        proof.forEach((_, k) => {
          bad.push([`flipped proof[${k}]`, { ...ok, proof: proof.map((p, j) => (j === k ? flip(p, k % 8) : p)) }]);
          bad.push([`dropped proof[${k}]`, { ...ok, proof: proof.filter((_, j) => j !== k) }]);
          if (k + 1 < proof.length) {
            const swapped = proof.slice();
            [swapped[k], swapped[k + 1]] = [proof[k + 1]!, proof[k]!];
            bad.push([`swapped proof[${k}],[${k + 1}]`, { ...ok, proof: swapped }]);
          }
        });
        // A wrong size is only meaningful with that size's root (the checkpoint binds the two).
        for (const s of [n - 1, n + 1, 2 * n, Math.floor(n / 2)]) {
          if (s > i && s <= ALL.length && s !== n) bad.push([`wrong size ${s}`, { ...ok, size: s, root: rootAt(s) }]);
        }
        for (const [desc, args] of bad) expect(verifyInclusion(args), `${i}/${n}: ${desc}`).toBe(false);
      }
    }
  });

  test('consistency: flipped bits, dropped/extra/reordered elements, wrong sizes', () => {
    for (const n of [3, 8, 13, 37, 64, 65]) {
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(m, ALL.slice(0, n));
        const ok = { oldSize: m, newSize: n, oldRoot: rootAt(m), newRoot: rootAt(n), proof };
        expect(verifyConsistency(ok)).toBe(true);
        const bad: Array<[string, Parameters<typeof verifyConsistency>[0]]> = [
          ['flipped old root', { ...ok, oldRoot: flip(ok.oldRoot) }],
          ['flipped new root', { ...ok, newRoot: flip(ok.newRoot) }],
          ['extra element', { ...ok, proof: [...proof, SOME_HASH] }],
          ['extra element in front', { ...ok, proof: [ok.oldRoot, ...proof] }],
          ['swapped sizes', { ...ok, oldSize: n, newSize: m }],
        ];
        proof.forEach((_, k) => {
          bad.push([`flipped proof[${k}]`, { ...ok, proof: proof.map((p, j) => (j === k ? flip(p, 5) : p)) }]);
          bad.push([`dropped proof[${k}]`, { ...ok, proof: proof.filter((_, j) => j !== k) }]);
          if (k + 1 < proof.length && hex(proof[k]!) !== hex(proof[k + 1]!)) {
            const swapped = proof.slice();
            [swapped[k], swapped[k + 1]] = [proof[k + 1]!, proof[k]!];
            bad.push([`swapped proof[${k}],[${k + 1}]`, { ...ok, proof: swapped }]);
          }
        });
        for (const [om, on] of [[m - 1, n], [m + 1, n], [m, n - 1], [m, n + 1]] as const) {
          if (om > 0 && om < on && on <= ALL.length && (om !== m || on !== n)) {
            bad.push([`sizes ${om}->${on}`, { ...ok, oldSize: om, newSize: on, oldRoot: rootAt(om), newRoot: rootAt(on) }]);
          }
        }
        for (const [desc, args] of bad) expect(verifyConsistency(args), `${m}->${n}: ${desc}`).toBe(false);
      }
    }
  });

  test('a dropped entry is detected by inclusion and by consistency', () => {
    const n = 37;
    const original = ALL.slice(0, n);
    for (const j of [0, 5, 17, 36]) {
      const tampered = original.filter((_, k) => k !== j); // the operator silently removes entry j
      const tamperedRoot = rootFromLeafHashes(tampered);
      // An old receipt for entry i no longer verifies against the rewritten tree.
      for (let i = 0; i < n - 1; i++) {
        expect(verifyInclusion({ leafHash: original[i]!, index: i, size: n - 1, proof: inclusionProof(i, original), root: tamperedRoot })).toBe(false);
      }
      // Re-grow the tampered log past the old size: the old checkpoint (size n) is inconsistent with it.
      const regrown = [...tampered, ...ALL.slice(n, n + 5)];
      const proof = consistencyProof(n, regrown);
      expect(verifyConsistency({ oldSize: n, newSize: regrown.length, oldRoot: rootAt(n), newRoot: rootFromLeafHashes(regrown), proof })).toBe(false);
    }
  });

  test('a truncated log is detected', () => {
    const n = 37;
    // Newer checkpoint smaller than an older one.
    for (const t of [1, 20, 36]) {
      expect(verifyConsistency({ oldSize: n, newSize: t, oldRoot: rootAt(n), newRoot: rootAt(t), proof: consistencyProof(t, ALL.slice(0, n)) })).toBe(false);
    }
    // Truncated to t, then re-grown with different entries to beyond the old size.
    const other = randomLeaves(80, 12345);
    for (const t of [0, 10, 30]) {
      const rewritten = [...ALL.slice(0, t), ...other.slice(t, 50)];
      const proof = consistencyProof(n, rewritten);
      expect(verifyConsistency({ oldSize: n, newSize: 50, oldRoot: rootAt(n), newRoot: rootFromLeafHashes(rewritten), proof })).toBe(false);
    }
  });
});
