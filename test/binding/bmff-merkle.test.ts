/**
 * Merkle trees of c2pa.hash.bmff: layouts, proofs climbing to any stored row (checked
 * against a tree built here independently), and per-chunk leaves of a plain MP4 made by hand
 * (leaves hashed from the known chunk bytes, not through the parser under test).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { encodeCbor } from '../../src/manifest/cbor.ts';
import type { MerkleMap } from '../../src/manifest/assertions/bmff-merkle-map.ts';
import { readMerkleMaps } from '../../src/manifest/assertions/bmff-merkle-map.ts';
import { checkMerkleProof, merkleLayout } from '../../src/binding/bmff-merkle.ts';
import { verifyBmffBinding } from '../../src/binding/bmff-verify.ts';
import { C2PA_UUID } from '../../src/formats/bmff/bmff-c2pa-box.ts';
import { boxHeader, makeBox, makeFullBox, u32be } from '../../src/formats/bmff/bmff-writer.ts';
import { defaultBmffExclusions } from '../../src/manifest/assertions/bmff-hash.ts';

const H = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** All rows of a tree, leaves first: pairs hashed left‖right, a lone last node promoted. */
function rows(leaves: Uint8Array[]): Uint8Array[][] {
  const out = [leaves];
  while (out.at(-1)!.length > 1) {
    const prev = out.at(-1)!;
    const next: Uint8Array[] = [];
    for (let i = 0; i < prev.length; i += 2) next.push(i + 1 < prev.length ? H(prev[i]!, prev[i + 1]!) : prev[i]!);
    out.push(next);
  }
  return out;
}

/** Siblings of leaf `i` from the leaves up to (not including) row `stop`. */
function proof(tree: Uint8Array[][], i: number, stop: number): Uint8Array[] {
  const p: Uint8Array[] = [];
  let index = i;
  for (let r = 0; r < stop; r++) {
    const sib = index % 2 === 1 ? index - 1 : index + 1;
    if (sib < tree[r]!.length) p.push(tree[r]![sib]!);
    index = Math.floor(index / 2);
  }
  return p;
}

describe('Merkle proofs', () => {
  it('layout rows halve, rounding up', () => {
    expect(merkleLayout(1)).toEqual([1]);
    expect(merkleLayout(11)).toEqual([11, 6, 3, 2, 1]);
    expect(merkleLayout(8)).toEqual([8, 4, 2, 1]);
  });
  it('every leaf of trees of 1..17 leaves proves to every stored row, and tampering fails', () => {
    for (let n = 1; n <= 17; n++) {
      const leaves = Array.from({ length: n }, (_, i) => H(Uint8Array.of(i, n)));
      const tree = rows(leaves);
      for (let stop = 0; stop < tree.length; stop++) {
        // a stored row equal in size to a lower row is found at the lower one (c2pa-rs rule)
        if (tree.findIndex((r) => r.length === tree[stop]!.length) !== stop) continue;
        const map: MerkleMap = { uniqueId: 1, localId: 1, count: n, hashes: tree[stop]! };
        for (let i = 0; i < n; i++) {
          expect(checkMerkleProof(map, 'sha256', leaves[i]!, i, proof(tree, i, stop)), `n=${n} row=${stop} leaf=${i}`).toBe(true);
          expect(checkMerkleProof(map, 'sha256', H(leaves[i]!), i, proof(tree, i, stop))).toBe(false);
          if (n > 1) expect(checkMerkleProof(map, 'sha256', leaves[i]!, (i + 1) % n, proof(tree, i, stop))).toBe(false);
        }
      }
    }
  });
  it('a proof that is too short fails instead of throwing', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => H(Uint8Array.of(i)));
    const tree = rows(leaves);
    const map: MerkleMap = { uniqueId: 1, localId: 1, count: 5, hashes: tree.at(-1)! };
    expect(checkMerkleProof(map, 'sha256', leaves[0]!, 0, proof(tree, 0, tree.length - 1).slice(1))).toBe(false);
  });
  it('malformed Merkle maps are typed errors', () => {
    expect(() => readMerkleMaps([{ uniqueId: 1, localId: 1 }])).toThrow(/uniqueId, localId and count/);
    expect(() => readMerkleMaps([{ uniqueId: 1, localId: 1, count: 2, hashes: ['x'] }])).toThrow(/byte strings/);
    expect(() => readMerkleMaps('no')).toThrow(/not an array/);
  });
});

/** A hand-made MP4: one track (ID 7) of 3 chunks (2, 1, 2 samples), Merkle boxes at the end. */
function plainMp4WithMerkle(stored: 'leaves' | 'root', tamper = false): { bytes: Uint8Array; map: MerkleMap } {
  const samples = [[10, 20], [30], [40, 50]].map((sizes, c) => sizes.map((s, k) => new Uint8Array(s).fill(c * 16 + k + 1)));
  const chunkBytes = samples.map((c) => Uint8Array.from(c.flatMap((s) => [...s])));
  const leaves = chunkBytes.map((c) => H(c));
  const tree = rows(leaves);
  const hashes = stored === 'leaves' ? tree[0]! : tree.at(-1)!;
  const ftyp = makeBox('ftyp', new TextEncoder().encode('isom'), u32be(0));
  const stsc = makeFullBox(
    'stsc',
    0,
    0,
    u32be(3),
    u32be(1),
    u32be(2),
    u32be(1),
    u32be(2),
    u32be(1),
    u32be(1),
    u32be(3),
    u32be(2),
    u32be(1),
  );
  const stsz = makeFullBox('stsz', 0, 0, u32be(0), u32be(5), ...[10, 20, 30, 40, 50].map(u32be));
  const tkhd = makeFullBox('tkhd', 0, 0, new Uint8Array(8), u32be(7), new Uint8Array(68));
  const build = (stco: Uint8Array) =>
    makeBox('moov', makeBox('trak', tkhd, makeBox('mdia', makeBox('minf', makeBox('stbl', stsc, stsz, stco)))));
  const moovLen = build(makeFullBox('stco', 0, 0, u32be(3), u32be(0), u32be(0), u32be(0))).length;
  const mdatStart = ftyp.length + moovLen + 8;
  const offsets = [mdatStart, mdatStart + 30, mdatStart + 60];
  const moov = build(makeFullBox('stco', 0, 0, u32be(3), ...offsets.map(u32be)));
  const mdat = makeBox('mdat', ...chunkBytes);
  if (tamper) mdat[8 + 35] ^= 1;
  const merkleBoxes = leaves.map((_, i) => {
    const cbor = encodeCbor({
      uniqueId: 1,
      localId: 7,
      location: i,
      ...(stored === 'root' ? { hashes: proof(tree, i, tree.length - 1) } : {}),
    });
    const body = [new Uint8Array(4), new TextEncoder().encode('merkle\0'), cbor];
    const size = 8 + 16 + body.reduce((n, b) => n + b.length, 0);
    return Uint8Array.from([...boxHeader('uuid', size, { userType: C2PA_UUID }), ...body.flatMap((b) => [...b])]);
  });
  const bytes = Uint8Array.from([...ftyp, ...moov, ...mdat, ...merkleBoxes.flatMap((b) => [...b])]);
  return { bytes, map: { uniqueId: 1, localId: 7, count: 3, alg: 'sha256', hashes } };
}

describe('per-chunk Merkle leaves of a plain MP4', () => {
  for (const stored of ['leaves', 'root'] as const) {
    it(`verifies with the ${stored} stored, and a flipped sample byte fails`, async () => {
      const good = plainMp4WithMerkle(stored);
      const input = (map: MerkleMap) => ({
        assertion: { exclusions: defaultBmffExclusions(), merkle: [map] },
        version: 3,
        alg: 'sha256' as const,
      });
      expect(await verifyBmffBinding(new BufferSource(good.bytes), input(good.map))).toEqual({ ok: true });
      const bad = plainMp4WithMerkle(stored, true);
      expect(await verifyBmffBinding(new BufferSource(bad.bytes), input(bad.map))).toEqual({ ok: false, reason: 'Fragment not valid' });
      const wrongTrack = await verifyBmffBinding(new BufferSource(good.bytes), input({ ...good.map, localId: 9 }));
      expect(wrongTrack).toEqual({ ok: false, reason: 'Merkle location not found' });
    });
  }
});

const u64 = (n: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};

/** ftyp, moov, two Merkle boxes, then two moof+mdat fragments in one file. */
function fragmentedFile(tamper: boolean): { bytes: Uint8Array; map: MerkleMap } {
  const ftyp = makeBox('ftyp', new TextEncoder().encode('iso6'), u32be(0));
  const moov = makeBox('moov', makeFullBox('mvhd', 0, 0, new Uint8Array(96)));
  const frags = [1, 2].map((k) => [makeBox('moof', makeFullBox('mfhd', 0, 0, u32be(k))), makeBox('mdat', new Uint8Array(40 * k).fill(k))]);
  const merkleBox = (location: number, hashes?: Uint8Array[]) => {
    const body = [
      new Uint8Array(4),
      new TextEncoder().encode('merkle\0'),
      encodeCbor({ uniqueId: 2, localId: 1, location, ...(hashes ? { hashes } : {}) }),
    ];
    const size = 8 + 16 + body.reduce((n, b) => n + b.length, 0);
    return Uint8Array.from([...boxHeader('uuid', size, { userType: C2PA_UUID }), ...body.flatMap((b) => [...b])]);
  };
  // Merkle box sizes do not depend on the proof values, so lay out with placeholders first
  const placeholder = [merkleBox(0, [new Uint8Array(32)]), merkleBox(1, [new Uint8Array(32)])];
  let at = ftyp.length + moov.length + placeholder[0]!.length + placeholder[1]!.length;
  const leaves = frags.map((boxes) => {
    const parts: Uint8Array[] = [];
    for (const b of boxes) {
      parts.push(u64(at), b);
      at += b.length;
    }
    return H(...parts);
  });
  const tree = rows(leaves);
  const merkle = [merkleBox(0, [leaves[1]!]), merkleBox(1, [leaves[0]!])];
  const initHash = H(u64(ftyp.length), moov);
  const bytes = Uint8Array.from([...ftyp, ...moov, ...merkle.flatMap((b) => [...b]), ...frags.flat().flatMap((b) => [...b])]);
  if (tamper) bytes[bytes.length - 3] ^= 1;
  return { bytes, map: { uniqueId: 2, localId: 1, count: 2, initHash, hashes: [tree.at(-1)![0]!] } };
}

describe('fragments inside one file', () => {
  it('initHash over the boxes before the first moof, one leaf per moof run', async () => {
    const input = (map: MerkleMap) => ({
      assertion: { exclusions: defaultBmffExclusions(), merkle: [map] },
      version: 2,
      alg: 'sha256' as const,
    });
    const good = fragmentedFile(false);
    expect(await verifyBmffBinding(new BufferSource(good.bytes), input(good.map))).toEqual({ ok: true });
    const bad = fragmentedFile(true);
    expect(await verifyBmffBinding(new BufferSource(bad.bytes), input(bad.map))).toEqual({ ok: false, reason: 'Fragment not valid' });
    const badInit = await verifyBmffBinding(new BufferSource(good.bytes), input({ ...good.map, initHash: new Uint8Array(32) }));
    expect(badInit).toEqual({ ok: false, reason: 'BMFF file level hash mismatch' });
    const badCount = await verifyBmffBinding(new BufferSource(good.bytes), input({ ...good.map, count: 3 }));
    expect(badCount).toEqual({ ok: false, reason: 'Incorrect number of fragments hashes' });
  });
});

describe('Merkle limits', () => {
  it('MAX_MERKLE_MAPS and MAX_MERKLE_HASHES: at the limit reads, one past is a LimitExceededError', async () => {
    const { MAX_MERKLE_MAPS, MAX_MERKLE_HASHES } = await import('../../src/binary/limits.ts');
    const map = { uniqueId: 1, localId: 1, count: 1, hashes: [new Uint8Array(32)] };
    expect(readMerkleMaps(Array(MAX_MERKLE_MAPS).fill(map))).toHaveLength(MAX_MERKLE_MAPS);
    expect(() => readMerkleMaps(Array(MAX_MERKLE_MAPS + 1).fill(map))).toThrow(/MAX_MERKLE_MAPS/);
    const h = new Uint8Array(32);
    expect(readMerkleMaps([{ ...map, hashes: Array(MAX_MERKLE_HASHES).fill(h) }])[0]!.hashes).toHaveLength(MAX_MERKLE_HASHES);
    expect(() => readMerkleMaps([{ ...map, hashes: Array(MAX_MERKLE_HASHES + 1).fill(h) }])).toThrow(/MAX_MERKLE_HASHES/);
  });
});

describe('v3 block trees', () => {
  it('a map with fixedBlockSize is checked as a block tree over mdat (here: chunk leaves relabelled, so a mismatch)', async () => {
    const good = plainMp4WithMerkle('leaves');
    const r = await verifyBmffBinding(new BufferSource(good.bytes), {
      assertion: { exclusions: defaultBmffExclusions(), merkle: [{ ...good.map, fixedBlockSize: 1024 }] },
      version: 3,
      alg: 'sha256',
    });
    expect(r.ok).toBe(false);
    expect(r).not.toHaveProperty('unsupported');
    expect((r as { reason: string }).reason).toMatch(/Merkle leaves|mdat block|no mdat box/);
  });
});
