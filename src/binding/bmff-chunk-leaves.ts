/**
 * Merkle leaves of a plain (non-fragmented) MP4, as c2pa-rs computes them: one leaf per
 * chunk of the track whose `track_ID` is the map's `localId`, the hash of the chunk's
 * samples in order (each chunk's samples lie back to back from its `stco`/`co64` offset;
 * sizes from `stsz`, samples per chunk from `stsc`). The file's Merkle boxes hold the
 * proofs, grouped by map in the order of the assertion's `merkle` array.
 */
import { createHash } from 'node:crypto';
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_BMFF_MOOV_BYTES } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import type { MerkleMap, MerkleProof } from '../manifest/assertions/bmff-merkle-map.ts';
import { BMFF, findBox, listBoxes } from '../formats/bmff/bmff-boxes.ts';
import { findNodes, nodePayload, parseBoxTree, type BoxNode, type BoxTree } from '../formats/bmff/bmff-moov.ts';
import { checkMerkleProof } from './bmff-merkle.ts';
import { feederFor } from '../binary/range-feeder.ts';
import type { BmffAlg, BmffCheck } from './bmff-verify.ts';

/** One chunk of a track: where its samples start and how many bytes they take. */
interface Chunk {
  readonly offset: number;
  readonly length: number;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function table(tree: BoxTree, node: BoxNode | undefined, entrySize: number, what: string): { v: DataView; count: number; at: number } {
  if (!node) throw new MalformedInputError(BMFF, said('err.bind.trackHasNoBox', 'track has no {what} box', { what }));
  const p = nodePayload(tree, node);
  const v = view(p);
  const fixed = what === 'stsz' ? 12 : 8;
  if (p.length < fixed) throw new MalformedInputError(BMFF, said('err.bind.boxTruncated', '{what} box truncated', { what }));
  const count = v.getUint32(fixed - 4);
  if (what !== 'stsz' || v.getUint32(4) === 0) {
    if (count * entrySize > p.length - fixed)
      throw new MalformedInputError(
        BMFF,
        said('err.bind.boxShorterEntries', '{what} box shorter than its {count} entries', { what, count }),
      );
  }
  return { v, count, at: fixed };
}

/** The chunks at `wanted` indices of a track (one pass over its tables; memory only for those). */
function trackChunks(tree: BoxTree, trak: BoxNode, wanted: ReadonlySet<number>): Map<number, Chunk> {
  const stbl = findNodes(trak, ['mdia', 'minf', 'stbl'])[0];
  const child = (t: string) => stbl?.children?.find((c) => c.type === t);
  const stsc = table(tree, child('stsc'), 12, 'stsc');
  const stsz = table(tree, child('stsz'), 4, 'stsz');
  const co64 = child('co64');
  const stco = co64 ? table(tree, co64, 8, 'co64') : table(tree, child('stco'), 4, 'stco');
  const fixedSize = stsz.v.getUint32(4);
  const chunks = new Map<number, Chunk>();
  let last = -1;
  for (const w of wanted) if (w < stco.count && w > last) last = w;
  let sample = 0;
  let e = 0; // the next stsc entry
  let perChunk = 0;
  for (let c = 0; c <= last; c++) {
    // the stsc entry in force for chunk c + 1
    while (e < stsc.count && stsc.v.getUint32(stsc.at + e * 12) <= c + 1) perChunk = stsc.v.getUint32(stsc.at + e++ * 12 + 4);
    const n = Math.min(perChunk, stsz.count - sample);
    if (!wanted.has(c)) {
      sample += n;
      continue;
    }
    let length = 0;
    for (let s = 0; s < n; s++, sample++) length += fixedSize || stsz.v.getUint32(stsz.at + sample * 4);
    const offset = co64 ? Number(stco.v.getBigUint64(stco.at + c * 8)) : stco.v.getUint32(stco.at + c * 4);
    chunks.set(c, { offset, length });
  }
  return chunks;
}

function trackId(tree: BoxTree, trak: BoxNode): number | undefined {
  const tkhd = trak.children?.find((c) => c.type === 'tkhd');
  if (!tkhd) return undefined;
  const p = nodePayload(tree, tkhd);
  if (p.length < 4) return undefined;
  const at = p[0] === 1 ? 20 : 12;
  return p.length >= at + 4 ? view(p).getUint32(at) : undefined;
}

/**
 * Check the per-chunk Merkle leaves of every map against the proofs.
 * @throws {MalformedInputError} for missing or truncated sample tables.
 * @throws {LimitExceededError} for a `moov` above {@link MAX_BMFF_MOOV_BYTES}.
 */
export async function verifyChunkLeaves(
  src: ByteSource,
  maps: readonly MerkleMap[],
  proofs: readonly MerkleProof[],
  alg: BmffAlg,
): Promise<BmffCheck> {
  const { boxes } = await listBoxes(src, 0, src.size, 1);
  const moov = findBox(boxes, 'moov')!;
  if (moov.size > MAX_BMFF_MOOV_BYTES)
    throw new LimitExceededError('MAX_BMFF_MOOV_BYTES', said('err.bind.moovBytes', 'moov of {size} bytes', { size: moov.size }));
  const tree = await parseBoxTree(await src.read(moov.offset, moov.size));
  const traks = findNodes(tree.root, ['trak']);
  let next = 0;
  const feeder = feederFor(src);
  try {
    for (const m of maps) {
      const mine = proofs.slice(next, next + m.count);
      next += m.count;
      if (mine.length !== m.count) return { ok: false, reason: 'MerkleMap count incorrect' };
      const trak = traks.find((t) => trackId(tree, t) === m.localId);
      if (!trak) return { ok: false, reason: 'Merkle location not found' };
      const a = (m.alg ?? alg) as BmffAlg;
      if (!['sha256', 'sha384', 'sha512'].includes(a)) return { ok: false, reason: `unsupported Merkle hash algorithm ${m.alg}` };
      const chunks = trackChunks(tree, trak, new Set(mine.map((p) => p.location)));
      for (const p of mine) {
        const c = chunks.get(p.location);
        if (!c || c.offset + c.length > src.size) return { ok: false, reason: 'Could not generate hash' };
        const h = createHash(a);
        await feeder.feed(h, c.offset, c.offset + c.length);
        if (!checkMerkleProof(m, a, new Uint8Array(h.digest()), p.location, p.hashes)) return { ok: false, reason: 'Fragment not valid' };
      }
    }
  } finally {
    await feeder.close();
  }
  return { ok: true };
}
