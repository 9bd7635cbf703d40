/**
 * Signing a fragmented MP4 stream (an init segment plus media segments, DASH/HLS/CMAF) with
 * the Merkle form of `c2pa.hash.bmff.v3` (C2PA 2.2 §18.6.3), the form c2pa-rs reads with
 * `Reader::from_fragmented_files`: each segment gets a C2PA Merkle `uuid` box before its
 * first `moof` holding its proof; each segment, hashed whole minus the exclusions (so minus
 * that box, with every box offset), is one leaf; the assertion in the init segment keeps the
 * root as its stored row, the leaf count, the track, and `initHash` (the init segment's flat
 * hash, filled in by the embed). Every proof climbs to the root.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_FRAGMENTS } from '../binary/limits.ts';
import type { Part } from '../binary/parts.ts';
import { PartsSource } from '../binary/parts-source.ts';
import { InvalidArgumentError, LimitExceededError, said } from '../errors.ts';
import { listBoxes } from '../formats/bmff/bmff-boxes.ts';
import { c2paMerkleBox } from '../formats/bmff/bmff-c2pa-box.ts';
import { findNodes, nodePayload, parseBoxTree } from '../formats/bmff/bmff-moov.ts';
import { planSegmentMerkle } from '../formats/bmff/bmff-segment.ts';
import type { BmffExclusion } from '../manifest/assertions/bmff-hash.ts';
import type { MerkleMap } from '../manifest/assertions/bmff-merkle-map.ts';
import { encodeCbor } from '../manifest/cbor.ts';
import { bmffHashOfSource } from './bmff-hash.ts';
import { buildMerkleRows, merkleLayout, merkleProofOf } from './bmff-merkle.ts';

/** The planned segments and the Merkle map for the init segment's assertion. */
export interface MerkleSegments {
  /** The map without `initHash` (the embed fills it): `uniqueId` 1, `localId` the track. */
  readonly map: MerkleMap;
  /** Each segment's output parts, Merkle box filled. */
  readonly segments: readonly (readonly Part[])[];
}

/** `track_ID` of the init segment's first track (1 when there is none). */
async function firstTrackId(init: ByteSource): Promise<number> {
  const moov = (await listBoxes(init, 0, init.size, 1)).boxes.find((b) => b.type === 'moov');
  if (!moov) return 1;
  const tree = await parseBoxTree(await init.read(moov.offset, moov.size));
  const tkhd = findNodes(tree.root, ['trak', 'tkhd'])[0];
  if (!tkhd) return 1;
  const p = nodePayload(tree, tkhd);
  const at = p[0] === 1 ? 20 : 12;
  return p.length >= at + 4 ? new DataView(p.buffer, p.byteOffset, p.byteLength).getUint32(at) : 1;
}

function proofBox(localId: number, location: number, hashes: readonly Uint8Array[]): Uint8Array {
  // field order as in the reference SDK's fixture: hashes, localId, location, uniqueId
  return c2paMerkleBox(encodeCbor({ ...(hashes.length ? { hashes } : {}), localId, location, uniqueId: 1 }));
}

/**
 * Plan every segment with its Merkle box and build the tree.
 * @throws {InvalidArgumentError} without segments.
 * @throws {LimitExceededError} past `MAX_FRAGMENTS`.
 * @throws {MalformedInputError} for a segment without `moof` or a broken box structure.
 */
export async function planMerkleSegments(
  init: ByteSource,
  segments: readonly ByteSource[],
  exclusions: readonly BmffExclusion[],
): Promise<MerkleSegments> {
  if (!segments.length) throw InvalidArgumentError.expected('at least one media segment', 'segments', 0);
  if (segments.length > MAX_FRAGMENTS)
    throw new LimitExceededError('MAX_FRAGMENTS', said('err.bind.segments', '{v1} segments', { v1: segments.length }));
  const localId = await firstTrackId(init);
  const n = segments.length;
  const shape = merkleLayout(n).map((size) => new Array<Uint8Array>(size).fill(new Uint8Array(32)));
  const plans = [];
  const leaves: Uint8Array[] = [];
  for (const [i, seg] of segments.entries()) {
    const placeholder = proofBox(localId, i, merkleProofOf(shape, i));
    const plan = await planSegmentMerkle(seg, placeholder.length);
    const parts = plan.parts.slice();
    parts[plan.boxIndex] = { bytes: placeholder }; // a real box, so the /uuid exclusion matches it
    leaves.push(await bmffHashOfSource(new PartsSource(seg, parts), exclusions, 'sha256'));
    plans.push(plan);
  }
  const rows = buildMerkleRows(leaves, 'sha256');
  const out = plans.map((plan, i) => {
    const parts = plan.parts.slice();
    parts[plan.boxIndex] = { bytes: proofBox(localId, i, merkleProofOf(rows, i)) };
    return parts;
  });
  return { map: { uniqueId: 1, localId, count: n, alg: 'sha256', hashes: rows[rows.length - 1]! }, segments: out };
}
