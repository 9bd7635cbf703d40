/**
 * RFC 6962 / RFC 9162 hashing and proofs against the Certificate Transparency reference vectors
 * (certificate-transparency's merkle_tree_test, reused by trillian), plus a property test that
 * every inclusion and consistency proof of random trees verifies and a mutated one does not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  consistencyProof,
  inclusionProof,
  leafHash,
  rootOfHashes,
  verifyConsistency,
  verifyInclusion,
  type HashSource,
} from '../../src/tlog/merkle.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
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
/** [1-based leaf, tree size, path] */
const INCLUSION: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [3, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    2,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
/** [old size, new size, proof] */
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

/** A hash source over an in-memory list of leaf hashes. */
function arraySource(leaves: Uint8Array[]): HashSource {
  return { hashAt: (level, index) => rootOfHashes(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)) };
}
const hashes = LEAVES.map(leafHash);

describe('RFC 6962 reference vectors', () => {
  it('empty tree and the roots of 1..8 leaves', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let n = 1; n <= 8; n++) expect(hex(rootOfHashes(hashes.slice(0, n))), `root of ${n}`).toBe(ROOTS[n - 1]);
  });
  it.each(INCLUSION)('inclusion proof for leaf %i in a tree of %i', (leaf, size, path) => {
    const src = arraySource(hashes.slice(0, size));
    expect(inclusionProof(src, leaf - 1, size).map(hex)).toEqual(path);
    expect(verifyInclusion(hashes[leaf - 1]!, leaf - 1, size, path.map(unhex), unhex(ROOTS[size - 1]!))).toBe(true);
  });
  it.each(CONSISTENCY)('consistency proof from %i to %i leaves', (m, n, path) => {
    const src = arraySource(hashes.slice(0, n));
    expect(consistencyProof(src, m, n).map(hex)).toEqual(path);
    expect(verifyConsistency(m, n, path.map(unhex), unhex(ROOTS[m - 1]!), unhex(ROOTS[n - 1]!))).toBe(true);
  });
  it('wrong roots, indices and paths are rejected', () => {
    const path = INCLUSION[2]![2].map(unhex);
    expect(verifyInclusion(hashes[5]!, 4, 8, path, unhex(ROOTS[7]!))).toBe(false);
    expect(verifyInclusion(hashes[5]!, 5, 8, path.slice(0, 2), unhex(ROOTS[7]!))).toBe(false);
    expect(verifyInclusion(hashes[5]!, 5, 8, path, unhex(ROOTS[6]!))).toBe(false);
    expect(verifyConsistency(6, 8, CONSISTENCY[2]![2].map(unhex), unhex(ROOTS[4]!), unhex(ROOTS[7]!))).toBe(false);
    expect(verifyConsistency(2, 5, [], unhex(ROOTS[1]!), unhex(ROOTS[4]!))).toBe(false);
  });
});

describe('random trees (property)', () => {
  it('every inclusion and consistency proof verifies; a flipped bit does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.nat(), (n, a, b, bit) => {
        const leaves = Array.from({ length: n }, (_, i) => leafHash(Uint8Array.of(i & 0xff, i >> 8)));
        const src = arraySource(leaves);
        const root = rootOfHashes(leaves);
        const i = a % n;
        const proof = inclusionProof(src, i, n);
        expect(verifyInclusion(leaves[i]!, i, n, proof, root)).toBe(true);
        const m = 1 + (b % n);
        const cproof = consistencyProof(src, m, n);
        const oldRoot = rootOfHashes(leaves.slice(0, m));
        expect(verifyConsistency(m, n, cproof, oldRoot, root)).toBe(true);
        if (proof.length) {
          const bad = proof.map((h) => h.slice());
          bad[bit % bad.length]![bit % 32]! ^= 1 << (bit % 8);
          expect(verifyInclusion(leaves[i]!, i, n, bad, root)).toBe(false);
        }
        if (cproof.length && m < n) {
          const bad = cproof.map((h) => h.slice());
          bad[bit % bad.length]![bit % 32]! ^= 1;
          expect(verifyConsistency(m, n, bad, oldRoot, root)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
