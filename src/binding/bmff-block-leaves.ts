/**
 * Merkle block trees over `mdat` data (`c2pa.hash.bmff.v3` maps with `fixedBlockSize` or
 * `variableBlockSizes`), as c2pa-rs 0.90 writes them for a plain MP4 when
 * `core.merkle_tree_chunk_size_in_kb` is set:
 *
 * - the map whose `localId` is *n* covers the *n*-th top-level `mdat` box (0-based, file order);
 * - its leaves run from the box's byte 16 to its end (whatever the header size: the flat hash
 *   excludes `/mdat` from `subset` offset 16, length 0 = to the end), cut into `fixedBlockSize`
 *   blocks (the last one shorter) or into the listed `variableBlockSizes`, which must add up;
 * - a leaf is the plain hash of its bytes (no offset prefix); the assertion stores one row of
 *   the tree, and each leaf's proof (the file's Merkle `uuid` boxes, padded with zero bytes)
 *   climbs to it; when the stored row is the leaves, no proof is needed.
 *
 * The result is data (`ok`, or why not, for `assertion.bmffHash.mismatch`); leaves are read
 * by ranges, never the whole `mdat`.
 */
import { createHash } from 'node:crypto';
import type { ByteSource } from '../binary/byte-source.ts';
import { feederFor } from '../binary/range-feeder.ts';
import type { MerkleMap, MerkleProof } from '../manifest/assertions/bmff-merkle-map.ts';
import { boxEnd, type BoxHeader } from '../formats/bmff/bmff-boxes.ts';
import { checkMerkleProof } from './bmff-merkle.ts';
import type { BmffAlg, BmffCheck } from './bmff-verify.ts';

/** Offset in an `mdat` box where the Merkle leaves start (c2pa-rs: always 16). */
export const MDAT_LEAF_START = 16;

/** Whether a map is a block tree over `mdat` (rather than fragments or chunks). */
export function isBlockTree(m: MerkleMap): boolean {
  return m.fixedBlockSize !== undefined || m.variableBlockSizes !== undefined;
}

const fail = (reason: string): BmffCheck => ({ ok: false, reason });

/** The `[start, end)` byte range of each leaf of `m` over `mdat`, or why there is none. */
export function blockRanges(m: MerkleMap, mdat: BoxHeader): [number, number][] | string {
  const start = mdat.offset + MDAT_LEAF_START;
  const end = boxEnd(mdat);
  if (start > end) return `mdat box ${m.localId} is shorter than ${MDAT_LEAF_START} bytes`;
  const ranges: [number, number][] = [];
  if (m.variableBlockSizes) {
    if (m.variableBlockSizes.length !== m.count)
      return `Merkle map ${m.localId}: ${m.variableBlockSizes.length} block sizes for ${m.count} leaves`;
    let at = start;
    for (const size of m.variableBlockSizes) {
      ranges.push([at, at + size]);
      at += size;
    }
    if (at !== end) return `Merkle map ${m.localId}: block sizes cover ${at - start} bytes of mdat data, not ${end - start}`;
    return ranges;
  }
  const size = m.fixedBlockSize!;
  if (size === 0) return `Merkle map ${m.localId}: fixedBlockSize 0`;
  const leaves = Math.ceil((end - start) / size);
  if (leaves !== m.count)
    return `Incorrect number of Merkle leaves: ${m.count} in map ${m.localId}, ${leaves} blocks of ${size} bytes in its mdat`;
  for (let at = start; at < end; at += size) ranges.push([at, Math.min(end, at + size)]);
  return ranges;
}

/**
 * Check every block-tree map of a plain MP4 against its `mdat` and the proofs.
 * @throws {IoError} when the source cannot be read.
 */
export async function verifyBlockLeaves(
  src: ByteSource,
  boxes: readonly BoxHeader[],
  maps: readonly MerkleMap[],
  proofs: readonly MerkleProof[],
  alg: BmffAlg,
): Promise<BmffCheck> {
  const mdats = boxes.filter((b) => b.type === 'mdat');
  const feeder = feederFor(src);
  try {
    for (const m of maps) {
      if (!isBlockTree(m)) return fail(`Merkle map ${m.localId} is not a block tree while others are`);
      const mAlg = (m.alg ?? alg) as BmffAlg;
      if (!['sha256', 'sha384', 'sha512'].includes(mAlg)) return fail(`unsupported Merkle hash algorithm ${m.alg}`);
      const mdat = mdats[m.localId];
      if (!mdat) return fail(`Merkle map ${m.localId}: the file has no mdat box ${m.localId}`);
      const ranges = blockRanges(m, mdat);
      if (typeof ranges === 'string') return fail(ranges);
      const needProofs = m.hashes.length !== m.count;
      const mine = new Map<number, MerkleProof>();
      for (const p of proofs) if (p.uniqueId === m.uniqueId && p.localId === m.localId) mine.set(p.location, p);
      for (const [i, [from, to]] of ranges.entries()) {
        const proof = mine.get(i);
        if (needProofs && !proof) return fail(`Merkle proof missing for leaf ${i} of map ${m.localId}`);
        const h = createHash(mAlg);
        await feeder.feed(h, from, to);
        if (!checkMerkleProof(m, mAlg, new Uint8Array(h.digest()), i, needProofs ? proof!.hashes : undefined)) {
          return fail(`mdat block ${i} of map ${m.localId} (bytes ${from}-${to}) not valid`);
        }
      }
    }
  } finally {
    await feeder.close();
  }
  return { ok: true };
}
