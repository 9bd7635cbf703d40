/**
 * The one-pass writer: hash steps over the output as it is written, then fill slots.
 * Checked against a reference computed independently on the materialised output.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource, type ByteSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { type HashStep, overlapsSteps, StepHasher } from '../../src/binding/hash-steps.ts';
import { stepsExcluding } from '../../src/binding/data-hash.ts';
import { diffParts, hashAndFillInMemory, STREAM_CHUNK, writeHashedAtomic } from '../../src/binding/hashing-writer.ts';
import { SMALL_OUTPUT_BYTES } from '../../src/binary/atomic-write.ts';
import { type Part, partsToBytes } from '../../src/binary/parts.ts';
import { InvalidArgumentError, IoError, MalformedInputError, said, ToolkitError } from '../../src/errors.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The steps' hash computed directly on the whole output. */
function reference(out: Uint8Array, steps: readonly HashStep[]): string {
  const h = createHash('sha256');
  for (const s of steps) {
    if (s.prefix) h.update(s.prefix);
    h.update(out.subarray(s.start, s.end));
  }
  return h.digest('hex');
}

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + seed * 7 + (i >> 11)) & 0xff;
  return b;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-hw-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hash steps', () => {
  it('StepHasher gives the reference hash for any chunking, prefixes and empty steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }),
        (size, cuts, chunkSizes) => {
          const out = pattern(size, 3);
          const points = [...new Set(cuts.map((c) => Math.min(c, size)))].sort((a, b) => a - b);
          const steps: HashStep[] = [];
          for (let i = 0; i + 1 < points.length; i += 2) {
            steps.push({ start: points[i]!, end: points[i + 1]!, ...(i % 4 === 0 ? { prefix: new Uint8Array([i, 1, 2]) } : {}) });
          }
          if (points.length % 2 === 1) steps.push({ start: points.at(-1)!, end: points.at(-1)!, prefix: new Uint8Array([9]) });
          const hasher = new StepHasher(createHash('sha256'), steps, size);
          let at = 0;
          for (let k = 0; at < size; k++) {
            const n = Math.min(chunkSizes[k % chunkSizes.length]!, size - at);
            hasher.update(out.subarray(at, at + n));
            at += n;
          }
          expect(hex(hasher.finish())).toBe(reference(out, steps));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a prefix at the very end of the output is still hashed', () => {
    const out = pattern(10, 1);
    const steps = [
      { start: 0, end: 10 },
      { start: 10, end: 10, prefix: new Uint8Array([7, 7]) },
    ];
    const h = new StepHasher(createHash('sha256'), steps, 10);
    h.update(out);
    expect(hex(h.finish())).toBe(reference(out, steps));
  });

  it('refuses steps out of order or past the end, and a short feed', () => {
    expect(
      () =>
        new StepHasher(
          createHash('sha256'),
          [
            { start: 5, end: 8 },
            { start: 2, end: 3 },
          ],
          10,
        ),
    ).toThrow(InvalidArgumentError);
    expect(() => new StepHasher(createHash('sha256'), [{ start: 5, end: 11 }], 10)).toThrow(InvalidArgumentError);
    const h = new StepHasher(createHash('sha256'), [{ start: 0, end: 10 }], 10);
    h.update(new Uint8Array(4));
    expect(() => h.finish()).toThrow(InvalidArgumentError);
  });

  it('stepsExcluding is the complement of the exclusions and rejects bad ones', () => {
    expect(
      stepsExcluding(20, [
        { start: 0, length: 3 },
        { start: 10, length: 5 },
      ]),
    ).toEqual([
      { start: 3, end: 10 },
      { start: 15, end: 20 },
    ]);
    expect(stepsExcluding(20, [])).toEqual([{ start: 0, end: 20 }]);
    expect(() =>
      stepsExcluding(20, [
        { start: 10, length: 5 },
        { start: 12, length: 1 },
      ]),
    ).toThrow(MalformedInputError);
    expect(() => stepsExcluding(20, [{ start: 18, length: 5 }])).toThrow(MalformedInputError);
  });

  it('overlapsSteps finds overlaps with hashed ranges only', () => {
    const steps = [
      { start: 0, end: 10 },
      { start: 20, end: 20, prefix: new Uint8Array(1) },
      { start: 30, end: 40 },
    ];
    expect(overlapsSteps(steps, 10, 30)).toBe(false);
    expect(overlapsSteps(steps, 9, 11)).toBe(true);
    expect(overlapsSteps(steps, 39, 50)).toBe(true);
    expect(overlapsSteps(steps, 40, 50)).toBe(false);
  });
});

/** A plan: a copied head, a zeroed slot (excluded), a copied tail with new bytes between. */
function plan(src: Uint8Array, slot: number) {
  const mid = Math.floor(src.length / 3);
  const parts: Part[] = [
    { copy: { offset: 0, length: mid } },
    { bytes: new Uint8Array([1, 2, 3]) },
    { bytes: new Uint8Array(slot) },
    { copy: { offset: mid, length: src.length - mid } },
  ];
  const slotAt = mid + 3;
  const steps = stepsExcluding(src.length + 3 + slot, [{ start: slotAt, length: slot }]);
  return { parts, steps, slotAt };
}

describe('writeHashedAtomic', () => {
  for (const [name, size] of [
    ['small (in memory)', 100_000],
    ['large (streamed)', SMALL_OUTPUT_BYTES + 3 * STREAM_CHUNK + 12345],
  ] as const) {
    for (const mode of ['FileSource', 'BufferSource'] as const) {
      it(`${name}, ${mode}: writes the planned output, hashes it and fills the slot`, async () => {
        const input = pattern(size, 5);
        const file = path.join(dir, `in-${size}.bin`);
        await writeFile(file, input);
        const src: ByteSource = mode === 'FileSource' ? await FileSource.open(file) : new BufferSource(input);
        const { parts, steps, slotAt } = plan(input, 500);
        const expectedPlanned = await partsToBytes(src, parts);
        const store = pattern(500, 9);
        let seen: Uint8Array | undefined;
        const target = path.join(dir, `out-${mode}-${size}.bin`);
        await writeHashedAtomic(target, src, parts, steps, 'sha256', async (digest) => {
          seen = digest;
          const f = parts.slice();
          f[2] = { bytes: store };
          return f;
        });
        await src.close?.();
        expect(hex(seen!)).toBe(reference(expectedPlanned, steps));
        const written = new Uint8Array(await readFile(target));
        expectedPlanned.set(store, slotAt);
        expect(Buffer.compare(written, expectedPlanned)).toBe(0);
        expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      });
    }
  }

  it('durable mode (fsync before rename) writes the same bytes, streamed and in memory', async () => {
    for (const size of [40_000, SMALL_OUTPUT_BYTES + STREAM_CHUNK + 7]) {
      const input = pattern(size, 3);
      const { parts, steps } = plan(input, 32);
      const finish = async (): Promise<Part[]> => {
        const f = parts.slice();
        f[2] = { bytes: new Uint8Array(32).fill(5) };
        return f;
      };
      const a = path.join(dir, `durable-${size}.bin`);
      const b = path.join(dir, `plain-${size}.bin`);
      await writeHashedAtomic(a, new BufferSource(input), parts, steps, 'sha256', finish, true);
      await writeHashedAtomic(b, new BufferSource(input), parts, steps, 'sha256', finish, false);
      expect(Buffer.compare(await readFile(a), await readFile(b))).toBe(0);
    }
  });

  it('in memory gives the same bytes as streaming', async () => {
    const input = pattern(50_000, 2);
    const { parts, steps } = plan(input, 64);
    const finish = async (d: Uint8Array): Promise<Part[]> => {
      const f = parts.slice();
      f[2] = { bytes: new Uint8Array(64).fill(d[0]!) };
      return f;
    };
    const mem = await hashAndFillInMemory(new BufferSource(input), parts, steps, 'sha256', finish);
    const target = path.join(dir, 'mem-vs-file.bin');
    await writeHashedAtomic(target, new BufferSource(input), parts, steps, 'sha256', finish);
    expect(Buffer.compare(new Uint8Array(await readFile(target)), mem)).toBe(0);
  });

  it('a fill that touches hashed bytes or changes shape is refused, and nothing is left behind', async () => {
    const input = pattern(SMALL_OUTPUT_BYTES + STREAM_CHUNK, 4);
    const file = path.join(dir, 'in-bad.bin');
    await writeFile(file, input);
    const src = await FileSource.open(file);
    const { parts, steps } = plan(input, 100);
    const target = path.join(dir, 'bad.bin');
    await expect(
      writeHashedAtomic(target, src, parts, steps, 'sha256', async () => {
        const f = parts.slice();
        f[1] = { bytes: new Uint8Array([9, 9, 9]) }; // hashed
        return f;
      }),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(writeHashedAtomic(target, src, parts, steps, 'sha256', async () => parts.slice(0, 3))).rejects.toThrow(
      InvalidArgumentError,
    );
    await src.close();
    expect((await readdir(dir)).filter((f) => f.startsWith('.bad') || f === 'bad.bin')).toEqual([]);
  });

  it('a small output (temp file created while hashing) whose signing fails or is refused leaves no temp file', async () => {
    const input = pattern(30_000, 8);
    const { parts, steps } = plan(input, 16);
    const target = path.join(dir, 'early-fail.bin');
    const refused = new IoError(said('err.io.write', 'cannot write {path}: {why}', { path: target, why: 'refused by the test' }));
    const err = await writeHashedAtomic(target, new BufferSource(input), parts, steps, 'sha256', async () => {
      throw refused;
    }).catch((e: unknown) => e);
    expect(err).toBe(refused);
    await expect(writeHashedAtomic(target, new BufferSource(input), parts, steps, 'sha256', async () => parts.slice(0, 2))).rejects.toThrow(
      InvalidArgumentError,
    );
    expect((await readdir(dir)).filter((f) => f.includes('early-fail'))).toEqual([]);
  });

  it('a source that changed under us (short read) is an IoError, with no output and no temp file', async () => {
    const input = pattern(SMALL_OUTPUT_BYTES + 2 * STREAM_CHUNK, 6);
    const file = path.join(dir, 'shrinks.bin');
    await writeFile(file, input);
    const src = await FileSource.open(file);
    const { parts, steps } = plan(input, 10);
    await writeFile(file, input.subarray(0, 1000)); // truncated after opening
    const target = path.join(dir, 'shrunk-out.bin');
    const err = await writeHashedAtomic(target, src, parts, steps, 'sha256', async () => parts).catch((e: unknown) => e);
    await src.close();
    expect(err).toBeInstanceOf(IoError);
    expect((await readdir(dir)).filter((f) => f.includes('shrunk-out'))).toEqual([]);
  });

  it('copy ranges past the source are a MalformedInputError before anything is written', async () => {
    const src = new BufferSource(new Uint8Array(10));
    const target = path.join(dir, 'past.bin');
    const err = await writeHashedAtomic(target, src, [{ copy: { offset: 5, length: 10 } }], [], 'sha256', async () => []).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ToolkitError);
    expect((await readdir(dir)).filter((f) => f.includes('past'))).toEqual([]);
  });

  it('an unwritable target is an IoError', async () => {
    const err = await writeHashedAtomic(
      path.join(dir, 'no/such/dir/x.bin'),
      new BufferSource(new Uint8Array(10)),
      [{ copy: { offset: 0, length: 10 } }],
      [],
      'sha256',
      async () => [{ copy: { offset: 0, length: 10 } }],
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
  });

  it('diffParts reports only replaced parts, at their output offsets', () => {
    const planned: Part[] = [{ bytes: new Uint8Array(4) }, { copy: { offset: 0, length: 10 } }, { bytes: new Uint8Array(3) }];
    const final: Part[] = [planned[0]!, { copy: { offset: 0, length: 10 } }, { bytes: new Uint8Array([1, 2, 3]) }];
    const patches = diffParts(planned, final, [{ start: 4, end: 14 }]);
    expect(patches.map((p) => [p.offset, [...p.bytes]])).toEqual([[14, [1, 2, 3]]]);
    expect(() => diffParts(planned, [planned[0]!, { copy: { offset: 1, length: 10 } }, planned[2]!], [])).toThrow(InvalidArgumentError);
  });
});

describe('FileSource block cache', () => {
  it('small and large reads anywhere give the file bytes', async () => {
    const input = pattern(300_000, 8);
    const file = path.join(dir, 'cache.bin');
    await writeFile(file, input);
    const src = await FileSource.open(file);
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: input.length }), fc.integer({ min: 0, max: 9000 }), async (off, len) => {
          const n = Math.min(len, input.length - off);
          const got = await src.read(off, n);
          expect(Buffer.compare(got, input.subarray(off, off + n))).toBe(0);
          got.fill(0); // callers may keep or change what they get; the cache must not share it
          expect(Buffer.compare(await src.read(off, n), input.subarray(off, off + n))).toBe(0);
        }),
        { numRuns: 400 },
      );
      await expect(src.read(input.length - 2, 4)).rejects.toThrow(MalformedInputError);
    } finally {
      await src.close();
    }
  });
});
