/**
 * Contract suite run for each of the WebP, WAV, MP3 and FLAC handlers, over every seed
 * fixture and both source modes (buffer, file): embed → readManifest → remove, label
 * round trip, stamping twice, label-only plans, fill() checks, and a fast-check property
 * that any mutation or truncation of a seed parses or fails with a ToolkitError.
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { InvalidArgumentError, ToolkitError } from '../../src/errors.ts';
import { IPTC_CARRIER_PREFIX } from '../../src/labels/implicit/types.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import type { FormatHandler, FoundLabel } from '../../src/formats/types.ts';
import { gen } from '../helpers.ts';
import { fakeStore, sameBytes, sampleLabel, Scratch, SOURCE_MODES, stamp } from './riff-kit.ts';

/** Label carriers only (IPTC digital-source-type entries left out). */
export function gbCarriers(found: readonly FoundLabel[]): FoundLabel[] {
  return found.filter((f) => f.kind === 'gb45438');
}

/** Options of {@link runRiffSuite}. */
export interface SuiteOptions {
  /** Fixture paths relative to `fixtures/generated`. */
  readonly seeds: readonly string[];
  /** The carrier name the handler reports for a label it wrote. */
  readonly carrier: string;
  /** Whether the container carries the digital source type (XMP carriers). */
  readonly carriesDigitalSourceType?: boolean;
}

/** Register the contract suite for `handler`. */
export function runRiffSuite(handler: FormatHandler, opts: SuiteOptions): void {
  const scratch: { s?: Scratch } = {};
  beforeAll(async () => {
    scratch.s = await Scratch.create(`suite-${handler.id}`);
  });
  afterAll(async () => scratch.s?.cleanup());
  const labels = { gb45438: sampleLabel('first-0001'), digitalSourceType: TRAINED_ALGORITHMIC_MEDIA };
  const labels2 = { gb45438: sampleLabel('second-0002') };

  describe.each(opts.seeds.flatMap((seed) => SOURCE_MODES.map((mode) => ({ seed, mode }))))(
    `${handler.id} contract: $seed ($mode)`,
    ({ seed, mode }) => {
      const open = async (bytes: Uint8Array) => scratch.s!.source(bytes, mode, seed.replace(/\//g, '_'));
      const seedBytes = async () => new Uint8Array(await readFile(gen(seed)));

      it('sniffs its own seed', async () => {
        expect(handler.sniff((await seedBytes()).subarray(0, 64))).toBe(true);
      });

      it('embeds a store, reads it back, excludes exactly its carrier, and removes it', async () => {
        const store = fakeStore(1001);
        const out = await stamp(handler, await open(await seedBytes()), store);
        expect(await handler.readManifest(await open(out.bytes))).toEqual(store);
        expect(out.exclusions).toHaveLength(1);
        const ex = out.exclusions[0]!;
        expect(ex.offset + ex.length).toBeLessThanOrEqual(out.bytes.length);
        expect(out.bytes.subarray(ex.offset + ex.length - store.length, ex.offset + ex.length)).toEqual(store);
        const src = await open(out.bytes);
        const removed = await partsToBytes(src, (await handler.planRemove(src)).parts);
        expect(await handler.readManifest(await open(removed))).toBeUndefined();
        const src2 = await open(removed);
        expect(sameBytes(await partsToBytes(src2, (await handler.planRemove(src2)).parts), removed)).toBe(true);
      });

      it('plans without a store when manifestLength is 0, and fill() checks the length', async () => {
        const src = await open(await seedBytes());
        const plan = await handler.planEmbed(src, 0, labels);
        expect(plan.exclusions).toEqual([]);
        expect(() => plan.fill(new Uint8Array(1))).toThrow(InvalidArgumentError);
        const out = await partsToBytes(src, plan.fill(new Uint8Array(0)));
        expect(await handler.readManifest(await open(out))).toBeUndefined();
        expect(gbCarriers(await handler.readLabels(await open(out))).map((f) => f.raw)).toEqual([serializeGb45438(labels.gb45438)]);
        const withStore = await handler.planEmbed(src, 64);
        expect(() => withStore.fill(fakeStore(63))).toThrow(InvalidArgumentError);
        await expect(handler.planEmbed(src, -1)).rejects.toThrow(InvalidArgumentError);
      });

      it('round-trips labels exactly and keeps them when labels are undefined', async () => {
        const out = await stamp(handler, await open(await seedBytes()), fakeStore(2000), labels);
        const found = await handler.readLabels(await open(out.bytes));
        expect(gbCarriers(found)).toEqual([{ kind: 'gb45438', foundIn: opts.carrier, raw: serializeGb45438(labels.gb45438) }]);
        if (opts.carriesDigitalSourceType)
          expect(
            found.some(
              (f) => f.kind === 'iptc-source-type' && f.foundIn.startsWith(IPTC_CARRIER_PREFIX) && f.raw === TRAINED_ALGORITHMIC_MEDIA,
            ),
          ).toBe(true);
        const kept = await stamp(handler, await open(out.bytes), fakeStore(77, 3));
        expect(gbCarriers(await handler.readLabels(await open(kept.bytes))).map((f) => f.raw)).toEqual([serializeGb45438(labels.gb45438)]);
        const src = await open(kept.bytes);
        const removed = await partsToBytes(src, (await handler.planRemove(src)).parts);
        expect(gbCarriers(await handler.readLabels(await open(removed))).map((f) => f.raw)).toEqual([serializeGb45438(labels.gb45438)]);
      });

      it('stamping twice leaves one store and one label', async () => {
        const first = await stamp(handler, await open(await seedBytes()), fakeStore(1500, 1), labels);
        const second = await stamp(handler, await open(first.bytes), fakeStore(999, 2), labels2);
        expect(await handler.readManifest(await open(second.bytes))).toEqual(fakeStore(999, 2));
        expect(gbCarriers(await handler.readLabels(await open(second.bytes))).map((f) => f.raw)).toEqual([
          serializeGb45438(labels2.gb45438),
        ]);
        const third = await stamp(handler, await open(second.bytes), fakeStore(999, 2), labels2);
        expect(sameBytes(third.bytes, second.bytes)).toBe(true);
      });
    },
  );

  it(`${handler.id}: any mutation or truncation of a seed parses or fails with a ToolkitError`, async () => {
    const seeds = await Promise.all(opts.seeds.map(async (s) => new Uint8Array(await readFile(gen(s)))));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (which, flips, cut) => {
          const base = seeds[which]!;
          // mutations concentrate on the header area, where the structure lives
          const bytes = base.slice(0, cut === undefined ? base.length : cut % (base.length + 1));
          for (const f of flips) if (bytes.length) bytes[f.at % Math.min(bytes.length, 512)] = f.value;
          const src = new BufferSource(bytes);
          for (const op of [
            () => handler.readManifest(src),
            () => handler.readLabels(src),
            async () => partsToBytes(src, (await handler.planEmbed(src, 16, { gb45438: sampleLabel() })).fill(fakeStore(16))),
          ]) {
            try {
              await op();
            } catch (err) {
              if (!(err instanceof ToolkitError)) throw err;
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
}
