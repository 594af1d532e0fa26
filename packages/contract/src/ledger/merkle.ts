/**
 * RFC 9162 §2.1 Merkle tree hashing, proof generation and proof verification, plus the helpers
 * the server needs to answer proofs from stored complete subtrees in O(log n) reads.
 *
 * Sizes and indices are JS numbers; they must be safe integers, and all arithmetic below uses
 * division instead of 32-bit bit operators so logs beyond 2^31 leaves would still work.
 */
import { bytesEqual, concatBytes, sha256 } from './bytes';

/** Length of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** Leaf hash: SHA-256(0x00 ‖ entry); the prefix keeps leaves and nodes from colliding (RFC 9162 §2.1.1). */
export function leafHash(entryBytes: Uint8Array): Uint8Array {
  return sha256(concatBytes(LEAF_PREFIX, entryBytes));
}

/** Interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(NODE_PREFIX, left, right));
}

/** Root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** Largest power of two strictly less than n (n ≥ 2): the RFC 9162 split point k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

function assertSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${what} must be a non-negative safe integer`);
}

/** MTH(D[start:end]) over leaf hashes, recursively as RFC 9162 §2.1.1 defines it. */
function mth(leafHashes: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 0) return emptyRoot();
  if (n === 1) return leafHashes[start]!;
  const k = splitPoint(n);
  return nodeHash(mth(leafHashes, start, start + k), mth(leafHashes, start + k, end));
}

/** Merkle Tree Hash (RFC 9162 §2.1.1) of a list of leaf hashes; the reference, O(n). */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  return mth(leafHashes, 0, leafHashes.length);
}

// ---- proof shapes as leaf ranges -------------------------------------------------------------
// The proofs are lists of MTH values of sub-ranges. Computing the ranges separately lets the
// reference generators (hashing the full list) and the server (reading stored subtrees) share the
// exact RFC recursion, so they cannot drift apart.

/** A half-open leaf range [start, end). */
export type TLeafRange = [start: number, end: number];

/** Leaf ranges whose MTH values form the RFC 9162 §2.1.3.1 inclusion proof PATH(index, D[size]), in proof order. */
export function inclusionPathRanges(index: number, size: number): TLeafRange[] {
  assertSize(size, 'size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new Error('index must be in [0, size)');
  const out: TLeafRange[] = [];
  // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])  or  PATH(m-k, D[k:n]) : MTH(D[0:k]);
  // the sibling comes AFTER the deeper path, so collect top-down and reverse.
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index - start < k) {
      out.push([start + k, end]);
      end = start + k;
    } else {
      out.push([start, start + k]);
      start += k;
    }
  }
  return out.reverse();
}

/** Leaf ranges whose MTH values form the RFC 9162 §2.1.4.1 consistency proof PROOF(m, D[n]), in proof order. */
export function consistencyPathRanges(m: number, n: number): TLeafRange[] {
  assertSize(m, 'm');
  assertSize(n, 'n');
  if (m > n) throw new Error('m must not exceed n');
  // 0 < m < n is where PROOF is defined; m = 0 and m = n are proven by an empty proof.
  if (m === 0 || m === n) return [];
  const out: TLeafRange[] = [];
  // SUBPROOF(m, D[start:end], b), unrolled: the tail MTH values are appended after the deeper
  // part, so collect top-down and reverse, like the inclusion path.
  let start = 0;
  let end = n;
  let b = true;
  for (;;) {
    const size = end - start;
    if (m === size) {
      // SUBPROOF(m, D[m], true) = {} (the old root is known); with b false it is {MTH(D[m])}.
      if (!b) out.push([start, end]);
      break;
    }
    const k = splitPoint(size);
    if (m <= k) {
      out.push([start + k, end]);
      end = start + k;
    } else {
      out.push([start, start + k]);
      start += k;
      m -= k;
      b = false;
    }
  }
  return out.reverse();
}

/** Reference RFC 9162 §2.1.3.1 inclusion proof for leaf `index`, computed from all leaf hashes. */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  return inclusionPathRanges(index, leafHashes.length).map(([s, e]) => mth(leafHashes, s, e));
}

/** Reference RFC 9162 §2.1.4.1 consistency proof from size m to the full list, computed from all leaf hashes. */
export function consistencyProof(m: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  return consistencyPathRanges(m, leafHashes.length).map(([s, e]) => mth(leafHashes, s, e));
}

// ---- stored complete subtrees ------------------------------------------------------------------

/** An aligned perfect subtree: leaves [index·2^level, (index+1)·2^level); level 0 is a single leaf. */
export type TSubtree = { level: number; index: number };

/**
 * Decomposition of an RFC-tree range into maximal aligned perfect subtrees, left to right (sizes
 * non-increasing). Every range an RFC proof names starts at a multiple of the largest power of two
 * not exceeding its size, so the pieces follow the binary digits of (end − start).
 */
export function perfectSubtrees(start: number, end: number): TSubtree[] {
  assertSize(start, 'start');
  assertSize(end, 'end');
  if (start > end) throw new Error('start must not exceed end');
  const out: TSubtree[] = [];
  let pos = start;
  let remaining = end - start;
  let width = 1;
  let level = 0;
  while (width * 2 <= remaining) {
    width *= 2;
    level++;
  }
  for (; remaining > 0; width /= 2, level--) {
    if (width > remaining) continue;
    if (pos % width !== 0) throw new Error(`range [${start}, ${end}) is not an RFC 9162 subtree range`);
    out.push({ level, index: pos / width });
    pos += width;
    remaining -= width;
  }
  return out;
}

/**
 * MTH of [start, end) from stored perfect subtrees. The MTH of an RFC range is its left perfect
 * subtree hashed with the MTH of the rest, so folding the pieces right-to-left reproduces it.
 */
export function hashRange(start: number, end: number, lookup: (level: number, index: number) => Uint8Array): Uint8Array {
  const pieces = perfectSubtrees(start, end);
  if (pieces.length === 0) return emptyRoot();
  let h: Uint8Array | undefined;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const { level, index } = pieces[i]!;
    const piece = lookup(level, index);
    h = h === undefined ? piece : nodeHash(piece, h);
  }
  return h!;
}

/**
 * The level ≥ 1 perfect subtrees completed by appending leaf `leafIndex` (0-based), lowest level
 * first, so each one's children (level − 1: indices 2i and 2i+1) already exist when it is inserted.
 */
export function subtreesCompletedByAppend(leafIndex: number): TSubtree[] {
  assertSize(leafIndex, 'leafIndex');
  const out: TSubtree[] = [];
  const count = leafIndex + 1;
  for (let width = 2, level = 1; count % width === 0; width *= 2, level++) {
    out.push({ level, index: count / width - 1 });
  }
  return out;
}

// ---- verification ------------------------------------------------------------------------------

function allHashes(list: readonly Uint8Array[]): boolean {
  return list.every((h) => h instanceof Uint8Array && h.length === HASH_SIZE);
}

/** Divide by two (a right shift that stays exact above 2^31). */
function half(x: number): number {
  return Math.floor(x / 2);
}

/**
 * The root implied by an inclusion proof (RFC 9162 §2.1.3.2 steps 1–4), or null if the proof
 * is malformed for (index, size): index ≥ size, wrong length, or a non-32-byte hash.
 */
export function rootFromInclusionProof(args: {
  leafHash: Uint8Array;
  index: number;
  size: number;
  proof: readonly Uint8Array[];
}): Uint8Array | null {
  const { index, size, proof } = args;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (!allHashes([args.leafHash]) || !allHashes(proof)) return null;
  let fn = index;
  let sn = size - 1;
  let r = args.leafHash;
  for (const p of proof) {
    if (sn === 0) return null; // more proof than tree
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // A right-edge node with no right sibling: climb until we are a right child (or the root).
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return null; // proof too short for this tree
  return r;
}

/** RFC 9162 §2.1.3.2 inclusion proof verification. */
export function verifyInclusion(args: {
  leafHash: Uint8Array;
  index: number;
  size: number;
  proof: readonly Uint8Array[];
  root: Uint8Array;
}): boolean {
  const r = rootFromInclusionProof(args);
  return r !== null && args.root.length === HASH_SIZE && bytesEqual(r, args.root);
}

/**
 * RFC 9162 §2.1.4.2 consistency proof verification, with the edge cases made explicit:
 * oldSize > newSize fails; oldSize == newSize needs an empty proof and equal roots;
 * oldSize 0 is consistent with anything but only with an empty proof.
 */
export function verifyConsistency(args: {
  oldSize: number;
  newSize: number;
  oldRoot: Uint8Array;
  newRoot: Uint8Array;
  proof: readonly Uint8Array[];
}): boolean {
  const { oldSize, newSize, oldRoot, newRoot, proof } = args;
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) {
    return false;
  }
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  // Step 1: a non-trivial consistency needs at least one proof element.
  if (proof.length === 0) return false;
  if (!allHashes(proof) || !allHashes([oldRoot, newRoot])) return false;
  // Step 2: if the old tree is perfect, its root is itself the first node of the path.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  // Step 3.
  let fn = oldSize - 1;
  let sn = newSize - 1;
  // Step 4: skip the levels where the old tree's last node is a right child.
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  let fr = path[0]!;
  let sr = path[0]!;
  // Step 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false; // leftover proof elements
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}
