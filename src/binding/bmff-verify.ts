/**
 * Verifying a `c2pa.hash.bmff` hard binding (v1, v2, v3) as c2pa-rs does:
 *
 * - one file: the flat `hash` if present, then each Merkle map: its `initHash` over the
 *   boxes before the first `moof` (only fragmented files may have one), and for a
 *   fragmented file one leaf per `moof`-led run of boxes, checked with the proofs in the
 *   file's Merkle boxes; for a plain file, one leaf per chunk of the map's track
 *   (`bmff-chunk-leaves.ts`), or, for v3 block trees, one leaf per block of an `mdat`
 *   (`bmff-block-leaves.ts`);
 * - an init segment plus separate fragments (DASH/HLS): no flat hash allowed, every map's
 *   `initHash` over the init segment, and each fragment hashed whole (minus the exclusions)
 *   as the leaf its Merkle box names.
 *
 * The result is data: `ok`, or the reason the hashes do not match (for
 * `assertion.bmffHash.mismatch`). Box-structure damage throws as the hashing does.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import type { BmffHashAssertion } from '../manifest/assertions/bmff-hash.ts';
import type { MerkleMap } from '../manifest/assertions/bmff-merkle-map.ts';
import { bmffHashOfSource, bmffHashSteps } from './bmff-hash.ts';
import type { StepsDigest } from './deferred-hash.ts';
import { bytesEqual } from '../binary/bytes.ts';
import { boxEnd } from '../formats/bmff/bmff-boxes.ts';
import { checkMerkleProof, readMerkleBoxes } from './bmff-merkle.ts';
import { verifyChunkLeaves } from './bmff-chunk-leaves.ts';
import { isBlockTree, verifyBlockLeaves } from './bmff-block-leaves.ts';

/** A hash algorithm name the BMFF hash accepts. */
export type BmffAlg = 'sha256' | 'sha384' | 'sha512';

/** Outcome of a BMFF hash check. */
export type BmffCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: BmffCheck = { ok: true };
const fail = (reason: string): BmffCheck => ({ ok: false, reason });

/** What {@link verifyBmffBinding} needs besides the asset. */
export interface BmffBindingInput {
  readonly assertion: BmffHashAssertion;
  /** Label version: 1 hashes no box offsets, 2 and 3 do. */
  readonly version: number;
  /** The assertion's `alg`, else the claim's, else sha256. */
  readonly alg: BmffAlg;
  /** Separate fragments to check against `src` as their init segment. */
  readonly fragments?: readonly ByteSource[];
  /** Computes the file-level flat hash (default: now, on this thread); see `deferred-hash.ts`. */
  readonly digest?: StepsDigest;
}

function mapAlg(m: MerkleMap, fallback: BmffAlg): BmffAlg | undefined {
  const a = m.alg ?? fallback;
  return a === 'sha256' || a === 'sha384' || a === 'sha512' ? a : undefined;
}

/**
 * Check the BMFF hard binding of `src` (and of `fragments`, when given).
 * @throws {MalformedInputError} {@link LimitExceededError} {@link IoError} for a broken box structure.
 */
export async function verifyBmffBinding(src: ByteSource, input: BmffBindingInput): Promise<BmffCheck> {
  return input.fragments ? verifySegments(src, input.fragments, input) : verifyFile(src, input);
}

async function verifyFile(src: ByteSource, input: BmffBindingInput): Promise<BmffCheck> {
  const { assertion: a, alg } = input;
  const offsets = input.version > 1;
  if (a.hash) {
    const computed = input.digest
      ? await input.digest(src, await bmffHashSteps(src, a.exclusions, { offsets }), alg, a.hash)
      : await bmffHashOfSource(src, a.exclusions, alg, { offsets });
    if (!bytesEqual(computed, a.hash)) return fail('BMFF file level hash mismatch');
  }
  if (!a.merkle) return OK;
  const { boxes, merkle } = await readMerkleBoxes(src);
  if (a.merkle.some(isBlockTree))
    return verifyBlockLeaves(
      src,
      boxes,
      a.merkle,
      merkle.map((x) => x.proof),
      alg,
    );
  const firstMoof = boxes.find((b) => b.type === 'moof');
  for (const m of a.merkle) {
    if (!m.initHash) continue;
    if (!firstMoof) return fail('BMFF inithash must not be present for non-fragmented media');
    const mAlg = mapAlg(m, alg);
    if (!mAlg) return fail(`unsupported Merkle hash algorithm ${m.alg}`);
    const init = await bmffHashOfSource(src, a.exclusions, mAlg, { offsets, window: [0, firstMoof.offset] });
    if (!bytesEqual(init, m.initHash)) return fail('BMFF file level hash mismatch');
  }
  if (firstMoof) {
    // runs of boxes, each starting at a moof, up to the next moof
    const runs: [number, number][] = [];
    for (const b of boxes.slice(boxes.indexOf(firstMoof))) {
      if (b.type === 'moof' || runs.length === 0) runs.push([b.offset, boxEnd(b)]);
      else runs[runs.length - 1]![1] = boxEnd(b);
    }
    for (const m of a.merkle) {
      const mAlg = mapAlg(m, alg);
      if (!mAlg) return fail(`unsupported Merkle hash algorithm ${m.alg}`);
      if (runs.length !== m.count || merkle.length !== m.count) return fail('Incorrect number of fragments hashes');
      for (let i = 0; i < runs.length; i++) {
        const leaf = await bmffHashOfSource(src, a.exclusions, mAlg, { offsets, window: runs[i]! });
        const p = merkle[i]!.proof;
        if (!checkMerkleProof(m, mAlg, leaf, p.location, p.hashes)) return fail('Fragment not valid');
      }
    }
    return OK;
  }
  if (boxes.some((b) => b.type === 'moov'))
    return verifyChunkLeaves(
      src,
      a.merkle,
      merkle.map((x) => x.proof),
      alg,
    );
  return fail('Merkle iloc not yet supported');
}

async function verifySegments(init: ByteSource, fragments: readonly ByteSource[], input: BmffBindingInput): Promise<BmffCheck> {
  const { assertion: a, alg } = input;
  const offsets = input.version > 1;
  if (a.hash) return fail('Hash value should not be present for a fragmented BMFF asset');
  if (!a.merkle) return fail('Merkle value must be present for a fragmented BMFF asset');
  let initHash: Uint8Array | undefined;
  for (const m of a.merkle) {
    if (!m.initHash) return fail('fragmented MP4 must have initHash');
    initHash ??= await bmffHashOfSource(init, a.exclusions, alg, { offsets });
    if (!bytesEqual(initHash, m.initHash)) return fail('BMFF inithash mismatch');
  }
  for (const [i, fragment] of fragments.entries()) {
    const { merkle } = await readMerkleBoxes(fragment);
    if (merkle.length === 0) return fail(`fragment ${i + 1} had no MerkleMap`);
    for (const { proof } of merkle) {
      const m = a.merkle.find((x) => x.uniqueId === proof.uniqueId && x.localId === proof.localId);
      if (!m) return fail(`fragment ${i + 1} had no MerkleMap`);
      const mAlg = mapAlg(m, alg);
      if (!mAlg) return fail(`unsupported Merkle hash algorithm ${m.alg}`);
      const leaf = await bmffHashOfSource(fragment, a.exclusions, mAlg, { offsets });
      if (!checkMerkleProof(m, mAlg, leaf, proof.location, proof.hashes)) return fail(`fragment ${i + 1} not valid`);
    }
  }
  return OK;
}
