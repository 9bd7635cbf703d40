/**
 * RFC 6962 / RFC 9162 Merkle tree hashing and proofs, over any source of subtree hashes.
 *
 *   leaf hash  = SHA-256(0x00 ‖ entry)        node hash = SHA-256(0x01 ‖ left ‖ right)
 *   MTH(D[n])  = split at k, the largest power of two below n
 *
 * Proof generation asks a {@link HashSource} for the hashes of perfect, aligned subtrees
 * (`hashAt(level, index)` covers leaves `[index·2^level, (index+1)·2^level)`); the tiled log
 * answers from its tiles, tests from arrays. Verification is pure and follows RFC 9162 §2.1.3.2
 * and §2.1.4.2. SHA-256 is `@noble/hashes`, so this file stays free of `node:*`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidArgumentError } from '../errors.ts';

/** A 32-byte SHA-256 hash. */
export type Hash = Uint8Array;

/** Hashes of perfect aligned subtrees of a tree. */
export interface HashSource {
  /** Hash of the subtree of `2^level` leaves starting at leaf `index·2^level`. */
  hashAt(level: number, index: number): Hash;
}

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));

/** RFC 6962 leaf hash. */
export function leafHash(entry: Uint8Array): Hash {
  const buf = new Uint8Array(entry.length + 1);
  buf.set(entry, 1);
  return sha256(buf);
}

/** RFC 6962 interior node hash. */
export function nodeHash(left: Hash, right: Hash): Hash {
  const buf = new Uint8Array(65);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 33);
  return sha256(buf);
}

/** Largest power of two strictly below `n` (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over the hashes of consecutive equal-height subtrees (leaf hashes, or a tile's hashes). */
export function rootOfHashes(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0]!;
  const k = splitPoint(hashes.length);
  return nodeHash(rootOfHashes(hashes.slice(0, k)), rootOfHashes(hashes.slice(k)));
}

/** MTH of leaves `[a, b)` from a hash source: perfect aligned ranges directly, others split as RFC 6962 does. */
export function rangeHash(src: HashSource, a: number, b: number): Hash {
  const n = b - a;
  if (n <= 0) return EMPTY_ROOT;
  if ((n & (n - 1)) === 0 && a % n === 0) return src.hashAt(Math.log2(n), a / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(src, a, a + k), rangeHash(src, a + k, b));
}

function checkIndex(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw InvalidArgumentError.expected(`an entry index below the tree size ${size}`, 'index', index);
  }
}

/**
 * RFC 6962 §2.1.1 audit path for leaf `index` in the tree of `size` leaves, leaf-side first.
 * @throws {InvalidArgumentError} when `index` is not below `size`.
 */
export function inclusionProof(src: HashSource, index: number, size: number): Hash[] {
  checkIndex(index, size);
  const path: Hash[] = [];
  const walk = (m: number, a: number, b: number) => {
    if (b - a <= 1) return;
    const k = splitPoint(b - a);
    if (m < k) {
      walk(m, a, a + k);
      path.push(rangeHash(src, a + k, b));
    } else {
      walk(m - k, a + k, b);
      path.push(rangeHash(src, a, a + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/**
 * RFC 6962 §2.1.2 consistency proof between the trees of `m` and `n` leaves (0 < m ≤ n).
 * @throws {InvalidArgumentError} unless 0 < m ≤ n.
 */
export function consistencyProof(src: HashSource, m: number, n: number): Hash[] {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 1 || m > n)
    throw InvalidArgumentError.expected(`a size from 1 to ${n}`, 'old size', m);
  const proof: Hash[] = [];
  const sub = (mm: number, a: number, b: number, complete: boolean) => {
    if (mm === b - a) {
      if (!complete) proof.push(rangeHash(src, a, b));
      return;
    }
    const k = splitPoint(b - a);
    if (mm <= k) {
      sub(mm, a, a + k, complete);
      proof.push(rangeHash(src, a + k, b));
    } else {
      sub(mm - k, a + k, b, false);
      proof.push(rangeHash(src, a, a + k));
    }
  };
  sub(m, 0, n, true);
  return proof;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** RFC 9162 §2.1.3.2: does `proof` show leaf `hash` at `index` in the tree of `size` with root `root`? */
export function verifyInclusion(hash: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = hash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `m` leaves (root `oldRoot`) is a prefix of the tree of `n` (root `newRoot`)? */
export function verifyConsistency(m: number, n: number, proof: readonly Hash[], oldRoot: Hash, newRoot: Hash): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && equal(oldRoot, newRoot);
  if (proof.length === 0) return false;
  const path = (m & (m - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, oldRoot) && equal(sr, newRoot);
}
