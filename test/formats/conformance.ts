/**
 * Reusable conformance suite for {@link FormatHandler}s: the contracts listed in
 * `src/formats/README.md`, checked on every seed and through every source mode
 * (BufferSource and FileSource). Call it from a `*.test.ts`:
 *
 *   runHandlerConformance(jpegHandler, async () => [{ name: 'seed.jpg', bytes }], { decodes });
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource, type ByteSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { partsLength, partsToBytes, type Part } from '../../src/binary/parts.ts';
import { PartsSource } from '../../src/binary/parts-source.ts';
import { stepsExcluding } from '../../src/binding/data-hash.ts';
import { diffParts } from '../../src/binding/hashing-writer.ts';
import { bmffHashSteps, defaultBmffExclusions } from '../../src/binding/bmff-hash.ts';
import { InvalidArgumentError, ToolkitError, UnsupportedFormatError } from '../../src/errors.ts';
import { MAX_MANIFEST_BYTES } from '../../src/binary/limits.ts';
import type { ByteRange, FormatHandler, FoundLabel } from '../../src/formats/types.ts';
import { collectLabels } from '../../src/verify/labels/collect.ts';
import { makeGb45438Label } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA, type ImplicitLabels } from '../../src/labels/implicit/types.ts';

/** A named seed file. */
export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Options of {@link runHandlerConformance}. */
export interface ConformanceOptions {
  /** Resolves when `bytes` decode as media of this format (e.g. with sharp); rejects otherwise. */
  readonly decodes?: (bytes: Uint8Array) => Promise<void>;
  /** Store sizes to embed (default 200 and 150 000, which spans several JPEG segments). */
  readonly storeSizes?: readonly number[];
  /** Whether cutting the exclusions out of the output gives exactly the store-less output (false for RIFF, whose size field changes). */
  readonly exclusionIsCarrierOnly?: boolean;
  /** GB 45438 carriers expected after writing labels (default 1). */
  readonly labelCarriers?: number;
  /** Headers of other formats that `sniff` must reject (defaults to a built-in list minus this handler's id). */
  readonly foreignHeads?: readonly Uint8Array[];
  /** fast-check runs of the mutate/truncate property (default 120; 0 disables it). */
  readonly fuzzRuns?: number;
  /** IPTC DigitalSourceType carriers expected (default 1; 0 for containers with no natural place, e.g. FLAC). */
  readonly iptcCarriers?: number;
}

const ISO_SUFFIX = [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/**
 * A syntactically valid C2PA-looking JUMBF store of exactly `length` bytes (≥ 46): a `jumb`
 * superbox whose `jumd` has the `c2pa` type and label, then one `free` box of filler.
 */
export function makeFakeStore(length: number, seed = 0): Uint8Array {
  if (length < 46) throw new Error(`fake store needs at least 46 bytes, got ${length}`);
  const b = new Uint8Array(length);
  const dv = new DataView(b.buffer);
  const ascii = (s: string, at: number): void => b.set(new TextEncoder().encode(s), at);
  dv.setUint32(0, length);
  ascii('jumb', 4);
  dv.setUint32(8, 30);
  ascii('jumd', 12);
  ascii('c2pa', 16);
  b.set(ISO_SUFFIX, 20);
  b[32] = 0x03;
  ascii('c2pa\0', 33);
  dv.setUint32(38, length - 38);
  ascii('free', 42);
  for (let i = 46; i < length; i++) b[i] = (i * 31 + seed * 7 + 11) & 0xff;
  return b;
}

const DEFAULT_HEADS: [string, number[]][] = [
  ['jpeg', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10]],
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]],
  [
    'webp',
    [...'RIFF']
      .map((c) => c.charCodeAt(0))
      .concat(
        [0x24, 0, 0, 0],
        [...'WEBPVP8 '].map((c) => c.charCodeAt(0)),
      ),
  ],
  [
    'wav',
    [...'RIFF']
      .map((c) => c.charCodeAt(0))
      .concat(
        [0x24, 0, 0, 0],
        [...'WAVEfmt '].map((c) => c.charCodeAt(0)),
      ),
  ],
  ['mp4', [0, 0, 0, 0x18, ...[...'ftypisom'].map((c) => c.charCodeAt(0)), 0, 0, 2, 0]],
  ['mp3', [...'ID3'].map((c) => c.charCodeAt(0)).concat([4, 0, 0, 0, 0, 0, 0])],
  ['flac', [...'fLaC'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0x22])],
  ['gif', [...'GIF89a'].map((c) => c.charCodeAt(0)).concat([1, 0, 1, 0, 0x80, 0, 0])],
  [
    'avi',
    [...'RIFF']
      .map((c) => c.charCodeAt(0))
      .concat(
        [0x24, 0, 0, 0],
        [...'AVI LIST'].map((c) => c.charCodeAt(0)),
      ),
  ],
  ['pdf', [...'%PDF-1.7\n'].map((c) => c.charCodeAt(0))],
  ['empty', []],
  ['text', [...'hello world, not media'].map((c) => c.charCodeAt(0))],
];

/** Labels written by the suite (first and second stamp). */
export const LABELS_1: ImplicitLabels = {
  gb45438: makeGb45438Label({ Label: '1', ContentProducer: '001191000000EXAMPLE01P10000', ProduceID: 'conformance-0001' }),
  digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
};
/** Second stamp: a propagator added. */
export const LABELS_2: ImplicitLabels = {
  gb45438: makeGb45438Label({
    Label: '1',
    ContentProducer: '001191000000EXAMPLE01P10000',
    ProduceID: 'conformance-0002',
    ContentPropagator: '001191000000EXAMPLEA2520000',
    PropagateID: 'p-42',
  }),
  digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
};

type Mode = 'buffer' | 'file';

/** The bytes outside `ranges`. */
function cutOut(bytes: Uint8Array, ranges: readonly ByteRange[]): Uint8Array {
  const keep: Uint8Array[] = [];
  let at = 0;
  for (const r of ranges) {
    keep.push(bytes.subarray(at, r.offset));
    at = r.offset + r.length;
  }
  keep.push(bytes.subarray(at));
  return Buffer.concat(keep);
}

/** Byte equality without vitest's slow deep diff; reports the first differing offset. */
export function expectSameBytes(actual: Uint8Array | undefined, expected: Uint8Array, what: string): void {
  expect(actual, what).toBeDefined();
  const a = Buffer.from(actual!.buffer, actual!.byteOffset, actual!.length);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.length);
  if (a.equals(b)) return;
  let i = 0;
  while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
  expect.fail(`${what}: ${a.length} vs ${b.length} bytes, first difference at ${i}`);
}

/** Through `collectLabels`: exactly `carriers` agreeing GB 45438 carriers equal to `labels`, one IPTC carrier. */
function expectLabels(found: FoundLabel[], labels: ImplicitLabels, carriers: number, where: string, iptcCarriers = 1): void {
  const c = collectLabels(found);
  expect(c.malformed, `${where}: malformed carriers`).toEqual([]);
  expect(c.gb45438?.fields, `${where}: GB 45438 label round-trip`).toEqual(labels.gb45438);
  expect(c.gb45438!.found_in.length, `${where}: label carriers ${JSON.stringify(found.map((f) => f.foundIn))}`).toBe(carriers);
  expect(c.gb45438!.conflicts).toEqual([]);
  if (iptcCarriers === 0) {
    expect(c.iptc, `${where}: no IPTC carrier expected`).toBeNull();
    return;
  }
  expect(c.iptc?.digitalSourceType, `${where}: DigitalSourceType round-trip`).toBe(labels.digitalSourceType);
  expect(c.iptc!.found_in.length).toBe(iptcCarriers);
}

/**
 * Register the conformance tests for `handler` on the seeds `makeSeeds()` returns.
 * Must be called at the top level of a vitest test file.
 */
export function runHandlerConformance(handler: FormatHandler, makeSeeds: () => Promise<Seed[]>, opts: ConformanceOptions = {}): void {
  const sizes = opts.storeSizes ?? [200, 150_000];
  const carriers = opts.labelCarriers ?? 1;
  const decodes = opts.decodes ?? (async () => undefined);
  // A label-only container (C2PA defines no embedding): every "store" is of length 0.
  const labelOnly = handler.hardBinding === 'none';
  const slot = (n: number): number => (labelOnly ? 0 : n);
  let seeds: Seed[] = [];
  let dir = '';

  async function withSource<T>(mode: Mode, bytes: Uint8Array, fn: (src: ByteSource) => Promise<T>): Promise<T> {
    if (mode === 'buffer') return fn(new BufferSource(bytes));
    const file = path.join(dir, `src-${Math.random().toString(36).slice(2)}`);
    await writeFile(file, bytes);
    const src = await FileSource.open(file);
    try {
      return await fn(src);
    } finally {
      await src.close();
      await rm(file, { force: true });
    }
  }
  const render = (mode: Mode, bytes: Uint8Array, get: (src: ByteSource) => Promise<Part[]>): Promise<Uint8Array> =>
    withSource(mode, bytes, async (src) => partsToBytes(src, await get(src)));
  const embed = (mode: Mode, bytes: Uint8Array, n: number, labels: ImplicitLabels | undefined, seed = 0): Promise<Uint8Array> =>
    render(mode, bytes, async (src) =>
      (await handler.planEmbed(src, slot(n), labels)).fill(slot(n) ? makeFakeStore(n, seed) : new Uint8Array(0)),
    );
  const read = <T>(mode: Mode, bytes: Uint8Array, fn: (src: ByteSource) => Promise<T>): Promise<T> => withSource(mode, bytes, fn);

  describe(`${handler.id} handler conformance`, () => {
    beforeAll(async () => {
      seeds = await makeSeeds();
      dir = await mkdtemp(path.join(tmpdir(), `conf-${handler.id}-`));
      expect(seeds.length).toBeGreaterThan(0);
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('sniffs its seeds and rejects other formats without throwing', () => {
      for (const s of seeds) expect(handler.sniff(s.bytes.subarray(0, 64)), s.name).toBe(true);
      const foreign = opts.foreignHeads ?? DEFAULT_HEADS.filter(([id]) => id !== handler.id).map(([, h]) => new Uint8Array(h));
      for (const h of foreign) expect(handler.sniff(h), Buffer.from(h).toString('hex')).toBe(false);
    });

    for (const mode of ['buffer', 'file'] as const) {
      describe(`${mode} source`, () => {
        if (labelOnly) {
          it('refuses a manifest slot (C2PA defines none here), writes the label alone, rejects bad lengths', async () => {
            for (const s of seeds) {
              await withSource(mode, s.bytes, async (src) => {
                for (const n of sizes)
                  await expect(handler.planEmbed(src, n, LABELS_1), `${s.name} store ${n}`).rejects.toBeInstanceOf(UnsupportedFormatError);
                await expect(handler.planEmbed(src, -1, undefined)).rejects.toBeInstanceOf(InvalidArgumentError);
                await expect(handler.planEmbed(src, 1.5, undefined)).rejects.toBeInstanceOf(InvalidArgumentError);
                await expect(handler.planEmbed(src, MAX_MANIFEST_BYTES + 1, undefined)).rejects.toBeInstanceOf(InvalidArgumentError);
                const none = await handler.planEmbed(src, 0, LABELS_1);
                expect(none.exclusions).toEqual([]);
                expect(() => none.fill(new Uint8Array(1))).toThrow(InvalidArgumentError);
                expect(await handler.readManifest(src)).toBeUndefined();
              });
              const out = await embed(mode, s.bytes, 0, LABELS_1);
              expect(await read(mode, out, (src) => handler.readManifest(src))).toBeUndefined();
              expectLabels(await read(mode, out, (src) => handler.readLabels(src)), LABELS_1, carriers, s.name, opts.iptcCarriers);
              await decodes(out);
            }
          });
        }

        if (!labelOnly)
          it('embeds a store that readManifest returns exactly, with exclusions covering exactly the carrier', async () => {
            for (const s of seeds) {
              for (const n of sizes) {
                const where = `${s.name} store ${n}`;
                const { out, exclusions, reserved } = await withSource(mode, s.bytes, async (src) => {
                  const plan = await handler.planEmbed(src, n, LABELS_1);
                  const filled = plan.fill(makeFakeStore(n));
                  return { out: await partsToBytes(src, filled), exclusions: plan.exclusions, reserved: partsLength(plan.parts) };
                });
                expect(out.length, where).toBe(reserved);
                // BMFF containers bind with c2pa.hash.bmff.v3 (box paths), not byte ranges.
                if (handler.hardBinding === 'data') expect(exclusions.length, where).toBeGreaterThan(0);
                let end = 0;
                for (const e of exclusions) {
                  expect(e.offset, `${where}: sorted, non-overlapping`).toBeGreaterThanOrEqual(end);
                  expect(e.length).toBeGreaterThan(0);
                  end = e.offset + e.length;
                }
                expect(end, `${where}: exclusions inside output`).toBeLessThanOrEqual(out.length);
                expectSameBytes(await read(mode, out, (src) => handler.readManifest(src)), makeFakeStore(n), `${where}: store`);
                const other = await embed(mode, s.bytes, n, LABELS_1, 1);
                expect(other.length).toBe(out.length);
                expectSameBytes(cutOut(other, exclusions), cutOut(out, exclusions), `${where}: only excluded bytes depend on the store`);
                if (opts.exclusionIsCarrierOnly ?? true) {
                  const bare = await embed(mode, s.bytes, 0, LABELS_1);
                  expectSameBytes(cutOut(out, exclusions), bare, `${where}: exclusions = carrier`);
                }
                expectLabels(await read(mode, out, (src) => handler.readLabels(src)), LABELS_1, carriers, where, opts.iptcCarriers);
                await decodes(out);
              }
            }
          });

        if (!labelOnly)
          it("fill replaces placeholder parts one for one, outside every hashed byte (the one-pass writer's contract)", async () => {
            for (const s of seeds) {
              for (const n of sizes.filter((x) => x > 0)) {
                await withSource(mode, s.bytes, async (src) => {
                  const plan = await handler.planEmbed(src, n, LABELS_1);
                  const steps =
                    handler.hardBinding === 'bmff'
                      ? await bmffHashSteps(new PartsSource(src, plan.parts), defaultBmffExclusions())
                      : stepsExcluding(
                          partsLength(plan.parts),
                          plan.exclusions.map((e) => ({ start: e.offset, length: e.length })),
                        );
                  const patches = diffParts(plan.parts, plan.fill(makeFakeStore(n)), steps);
                  expect(patches.length, `${s.name} store ${n}`).toBeGreaterThan(0);
                });
              }
            }
          });

        if (!labelOnly)
          it('rejects a store of the wrong length and reserves nothing for length 0', async () => {
            for (const s of seeds) {
              await withSource(mode, s.bytes, async (src) => {
                const plan = await handler.planEmbed(src, 300, undefined);
                expect(() => plan.fill(makeFakeStore(299))).toThrow(InvalidArgumentError);
                expect(() => plan.fill(makeFakeStore(301))).toThrow(InvalidArgumentError);
                const none = await handler.planEmbed(src, 0, undefined);
                expect(none.exclusions).toEqual([]);
                expect(() => none.fill(new Uint8Array(1))).toThrow(InvalidArgumentError);
                await expect(handler.planEmbed(src, -1, undefined)).rejects.toBeInstanceOf(InvalidArgumentError);
                await expect(handler.planEmbed(src, 1.5, undefined)).rejects.toBeInstanceOf(InvalidArgumentError);
                // Contract 2: a length above MAX_MANIFEST_BYTES is refused before anything is planned.
                await expect(handler.planEmbed(src, MAX_MANIFEST_BYTES + 1, undefined)).rejects.toBeInstanceOf(InvalidArgumentError);
              });
            }
          });

        it('embedding twice leaves one store and one label; re-stamping identically is byte-identical', async () => {
          for (const s of seeds) {
            const once = await embed(mode, s.bytes, 500, LABELS_1);
            expectSameBytes(await embed(mode, once, 500, LABELS_1), once, `${s.name}: repeatable`);
            const twice = await embed(mode, once, 70_000, LABELS_2, 3);
            if (labelOnly) expect(await read(mode, twice, (src) => handler.readManifest(src))).toBeUndefined();
            else
              expectSameBytes(
                await read(mode, twice, (src) => handler.readManifest(src)),
                makeFakeStore(70_000, 3),
                `${s.name}: second store`,
              );
            expectLabels(
              await read(mode, twice, (src) => handler.readLabels(src)),
              LABELS_2,
              carriers,
              `${s.name} twice`,
              opts.iptcCarriers,
            );
            await decodes(twice);
          }
        });

        it('planRemove drops the store only; undefined labels leave metadata untouched', async () => {
          for (const s of seeds) {
            const before = await read(mode, s.bytes, (src) => handler.readLabels(src));
            const kept = await embed(mode, s.bytes, 400, undefined);
            expect(await read(mode, kept, (src) => handler.readLabels(src)), `${s.name}: labels untouched`).toEqual(before);
            const stamped = await embed(mode, s.bytes, 400, LABELS_1);
            const removed = await render(mode, stamped, async (src) => (await handler.planRemove(src)).parts);
            expect(await read(mode, removed, (src) => handler.readManifest(src)), s.name).toBeUndefined();
            expect(await read(mode, removed, (src) => handler.readLabels(src))).toEqual(
              await read(mode, stamped, (src) => handler.readLabels(src)),
            );
            expectSameBytes(removed, await embed(mode, s.bytes, 0, LABELS_1), `${s.name}: removed = never stamped`);
            const plain = await render(mode, s.bytes, async (src) => (await handler.planRemove(src)).parts);
            expect(await read(mode, plain, (src) => handler.readManifest(src))).toBeUndefined();
            await decodes(removed);
          }
        });
      });
    }

    if ((opts.fuzzRuns ?? 120) > 0) {
      it('any mutation or truncation of a seed parses or throws a ToolkitError', async () => {
        const stamped = await Promise.all(seeds.map((s) => embed('buffer', s.bytes, 70_000, LABELS_1)));
        const inputs = [...seeds.map((s) => s.bytes), ...stamped];
        await fc.assert(
          fc.asyncProperty(
            fc.nat({ max: inputs.length - 1 }),
            fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
            fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
            async (which, flips, cut) => {
              const base = inputs[which]!;
              const bytes = Uint8Array.from(base);
              // Bias mutations toward the header, where the parsers look.
              for (const [f, v] of flips) bytes[Math.floor(f * f * (bytes.length - 1))] = v;
              const input = cut === null ? bytes : bytes.subarray(0, Math.floor(cut * cut * bytes.length));
              const src = new BufferSource(input);
              for (const op of [
                () => handler.readManifest(src),
                () => handler.readLabels(src),
                async () =>
                  partsToBytes(
                    src,
                    (await handler.planEmbed(src, slot(100), LABELS_1)).fill(labelOnly ? new Uint8Array(0) : makeFakeStore(100)),
                  ),
                async () => partsToBytes(src, (await handler.planRemove(src)).parts),
              ]) {
                try {
                  await op();
                } catch (err) {
                  if (!(err instanceof ToolkitError)) throw err;
                }
              }
            },
          ),
          { numRuns: opts.fuzzRuns ?? 120 },
        );
      });
    }
  });
}
