import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { partsToBytes, type Part } from '../../src/binary/parts.ts';
import { createHash } from 'node:crypto';
import { PartsSource } from '../../src/binary/parts-source.ts';
import { sha256 } from '../../src/crypto/digest.ts';
import { hashSourceExcluding, normalizeExclusions, stepsExcluding } from '../../src/binding/data-hash.ts';
import { StepHasher } from '../../src/binding/hash-steps.ts';
import { MalformedInputError } from '../../src/errors.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Reference: concatenate the included bytes and hash them with @noble/hashes. */
function reference(data: Uint8Array, exclusions: { start: number; length: number }[]): string {
  const keep: number[] = [];
  for (let i = 0; i < data.length; i++) if (!exclusions.some((e) => i >= e.start && i < e.start + e.length)) keep.push(data[i]);
  return hex(nobleSha256(Uint8Array.from(keep)));
}

async function* chunked(data: Uint8Array, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** The writer's path: the data-hash steps run over the output as it streams by, chunk by chunk. */
async function hashChunksExcluding(chunks: AsyncIterable<Uint8Array>, exclusions: { start: number; length: number }[], size: number) {
  const hasher = new StepHasher(createHash('sha256'), stepsExcluding(size, normalizeExclusions(exclusions, size)), size);
  for await (const c of chunks) hasher.update(c);
  return hasher.finish();
}

describe('digest', () => {
  const data = Uint8Array.from({ length: 97 }, (_, i) => (i * 31 + 7) & 0xff);
  const ex = [
    { start: 10, length: 5 },
    { start: 40, length: 20 },
  ];

  it('sha256 matches @noble/hashes (known answer "abc")', () => {
    const abc = new TextEncoder().encode('abc');
    expect(hex(sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(data))).toBe(hex(nobleSha256(data)));
  });

  it('streamed hashing equals one-shot for every chunk size (partial test)', async () => {
    const want = reference(data, ex);
    for (let size = 1; size <= data.length; size++) {
      expect(hex(await hashChunksExcluding(chunked(data, size), ex, data.length))).toBe(want);
    }
  });

  it('hashes a source minus exclusions', async () => {
    expect(hex(await hashSourceExcluding(new BufferSource(data), ex))).toBe(reference(data, ex));
    expect(hex(await hashSourceExcluding(new BufferSource(data), []))).toBe(hex(nobleSha256(data)));
  });

  it('hashes an output plan minus exclusions for any split into parts (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 })), { maxLength: 4 }),
        async (src, cuts, rawEx) => {
          // Output = alternate copied ranges of src and new bytes, split at `cuts`.
          const points = [...new Set(cuts.map((c) => c % src.length))].sort((a, b) => a - b);
          const parts: Part[] = [];
          let prev = 0;
          for (const [i, p] of [...points, src.length].entries()) {
            if (p > prev) parts.push(i % 2 ? { copy: { offset: prev, length: p - prev } } : { bytes: src.slice(prev, p) });
            prev = p;
          }
          const out = await partsToBytes(new BufferSource(src), parts);
          const exs: { start: number; length: number }[] = [];
          let at = 0;
          for (const [gap, len] of rawEx) {
            const start = at + (gap % 20);
            if (start + len > out.length) break;
            exs.push({ start, length: len });
            at = start + len;
          }
          expect(hex(await hashSourceExcluding(new PartsSource(new BufferSource(src), parts), exs))).toBe(reference(out, exs));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects overlapping, negative and out-of-range exclusions', async () => {
    expect(() =>
      normalizeExclusions([
        { start: 0, length: 5 },
        { start: 4, length: 2 },
      ]),
    ).toThrow(MalformedInputError);
    expect(() => normalizeExclusions([{ start: -1, length: 5 }])).toThrow(MalformedInputError);
    await expect(hashSourceExcluding(new BufferSource(data), [{ start: 90, length: 20 }])).rejects.toThrow(MalformedInputError);
    await expect(hashChunksExcluding(chunked(data, 10), [{ start: 90, length: 20 }], data.length)).rejects.toThrow(MalformedInputError);
  });
});
