import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { exiftool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { LimitExceededError, MalformedInputError, MultipleManifestsError } from '../../src/errors.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { readRiff } from '../../src/formats/common/riff.ts';
import { VP8X_FLAGS, WEBP_XMP_CARRIER, webpHandler } from '../../src/formats/webp.ts';
import { gen } from '../helpers.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { es256, fakeStore, sampleLabel, Scratch, sdkSignFile, stamp } from './riff-kit.ts';

const labels = { gb45438: sampleLabel('webp-0001'), digitalSourceType: TRAINED_ALGORITHMIC_MEDIA };

// the shared contract suite runs in webp-conformance.test.ts

let scratch: Scratch;
beforeAll(async () => {
  scratch = await Scratch.create('webp');
});
afterAll(async () => {
  await scratch.cleanup();
  await exiftool.end();
});

const seed = async (name: string) => new Uint8Array(await readFile(gen('webp', name)));
const chunkIds = async (bytes: Uint8Array) => (await readRiff(new BufferSource(bytes), 'webp', 'WEBP')).chunks.map((c) => c.id);

describe('WebP layout', () => {
  it('appends C2PA as the last chunk of a simple file without converting it', async () => {
    const out = await stamp(webpHandler, new BufferSource(await seed('seed-vp8.webp')), fakeStore(101));
    expect(await chunkIds(out.bytes)).toEqual(['VP8 ', 'C2PA']);
    const c2pa = (await readRiff(new BufferSource(out.bytes), 'webp', 'WEBP')).chunks[1]!;
    expect(out.exclusions).toEqual([{ offset: c2pa.offset, length: 8 + 101 }]);
    expect(out.bytes.length).toBe(c2pa.offset + 8 + 102);
    expect(Buffer.from(out.bytes).readUInt32LE(4)).toBe(out.bytes.length - 8);
  });

  it('converts simple VP8 and VP8L to VP8X with the bitstream canvas and alpha when adding XMP', async () => {
    for (const [name, w, h, alpha] of [
      ['seed-vp8.webp', 64, 48, false],
      ['seed-vp8l.webp', 40, 30, true],
    ] as const) {
      const out = await stamp(webpHandler, new BufferSource(await seed(name)), fakeStore(50), labels);
      expect(await chunkIds(out.bytes)).toEqual(['VP8X', name.includes('vp8l') ? 'VP8L' : 'VP8 ', 'XMP ', 'C2PA']);
      const b = Buffer.from(out.bytes);
      expect(b[20]! & VP8X_FLAGS.xmp).toBe(VP8X_FLAGS.xmp);
      expect((b[20]! & VP8X_FLAGS.alpha) !== 0).toBe(alpha);
      expect([b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1]).toEqual([w, h]);
      const meta = await sharp(b).metadata();
      expect([meta.width, meta.height, meta.hasAlpha]).toEqual([w, h, alpha]);
      const { info } = await sharp(b).raw().toBuffer({ resolveWithObject: true });
      expect(info.width).toBe(w);
    }
  });

  it('keeps ICC and EXIF of an extended file and orders XMP after EXIF, C2PA last', async () => {
    const src = await seed('seed-vp8x.webp');
    expect(await chunkIds(src)).toEqual(['VP8X', 'ICCP', 'VP8 ', 'EXIF']);
    const out = await stamp(webpHandler, new BufferSource(src), fakeStore(33), labels);
    expect(await chunkIds(out.bytes)).toEqual(['VP8X', 'ICCP', 'VP8 ', 'EXIF', 'XMP ', 'C2PA']);
    expect(out.bytes[20]).toBe(src[20]! | VP8X_FLAGS.xmp);
    const meta = await sharp(Buffer.from(out.bytes)).metadata();
    expect(meta.icc).toBeDefined();
    expect(meta.exif).toBeDefined();
    expect(meta.xmp?.toString()).toContain('http://www.tc260.org.cn/ns/AIGC/1.0/');
  });

  it('keeps unknown chunks after XMP and before C2PA', async () => {
    const out = await stamp(webpHandler, new BufferSource(await seed('seed-trailing.webp')), fakeStore(8), labels);
    expect(await chunkIds(out.bytes)).toEqual(['VP8X', 'VP8 ', 'XMP ', 'ZZZZ', 'C2PA']);
  });

  it('reports two C2PA chunks as MultipleManifestsError', async () => {
    const once = await stamp(webpHandler, new BufferSource(await seed('seed-vp8.webp')), fakeStore(10));
    const extra = Buffer.concat([Buffer.from(once.bytes), Buffer.from('C2PA'), Buffer.from([2, 0, 0, 0, 1, 2])]);
    extra.writeUInt32LE(extra.length - 8, 4);
    await expect(webpHandler.readManifest(new BufferSource(extra))).rejects.toThrow(MultipleManifestsError);
  });
});

describe('WebP and the reference SDK', () => {
  it('places the store exactly where the SDK does, so the SDK trusts our layout', async () => {
    const { rootPem } = await es256();
    for (const name of ['seed-vp8.webp', 'seed-vp8l.webp', 'seed-vp8x.webp']) {
      for (const withLabels of [false, true]) {
        const base = withLabels
          ? (await stamp(webpHandler, new BufferSource(await seed(name)), undefined, labels)).bytes
          : await seed(name);
        const input = await scratch.write(`in-${withLabels}-${name}`, base);
        const signed = scratch.file(`sdk-${withLabels}-${name}`);
        await sdkSignFile(input, signed, 'image/webp');
        const sdkBytes = new Uint8Array(await readFile(signed));
        const store = await webpHandler.readManifest(new BufferSource(sdkBytes));
        expect(store).toBeDefined();
        const ours = await stamp(webpHandler, new BufferSource(base), store);
        expect(Buffer.compare(Buffer.from(ours.bytes), Buffer.from(sdkBytes))).toBe(0);
        const report = await sdkRead(await scratch.write(`ours-${withLabels}-${name}`, ours.bytes), { anchorsPem: rootPem });
        expect(report?.validation_state).toBe('Trusted');
        expect(report?.validation_results?.activeManifest?.success.map((s) => s.code)).toContain('assertion.dataHash.match');
        if (withLabels) {
          const found = await webpHandler.readLabels(new BufferSource(sdkBytes));
          expect(found.find((f) => f.foundIn === WEBP_XMP_CARRIER)?.raw).toBe(serializeGb45438(labels.gb45438));
        }
      }
    }
  });
});

describe('WebP and exiftool', () => {
  it('exiftool reads XMP-TC260:AIGC back exactly', async () => {
    const out = await stamp(webpHandler, new BufferSource(await seed('seed-vp8l.webp')), fakeStore(500), labels);
    const file = await scratch.write('exif.webp', out.bytes);
    const tags = (await exiftool.readRaw(file, { readArgs: ['-G1', '-a'] })) as Record<string, unknown>;
    expect(tags['XMP-TC260:Aigc']).toBe(serializeGb45438(labels.gb45438));
    expect(tags['XMP-iptcExt:DigitalSourceType']).toBe(TRAINED_ALGORITHMIC_MEDIA);
  });
});

describe('hostile WebP', () => {
  const cases: [string, new (...a: never[]) => Error][] = [
    ['deep-list.webp', LimitExceededError],
    ['past-eof.webp', MalformedInputError],
    ['truncated.webp', MalformedInputError],
  ];
  it.each(cases)('%s fails with our typed error', async (name, type) => {
    const src = new BufferSource(await seed(name));
    await expect(webpHandler.readManifest(src)).rejects.toThrow(type);
    await expect(webpHandler.readLabels(src)).rejects.toThrow(type);
    await expect(webpHandler.planEmbed(src, 10)).rejects.toThrow(type);
  });

  it('rejects a RIFF file whose first chunk is not an image chunk, and bad VP8 headers', async () => {
    const bytes = Buffer.from(await seed('seed-vp8.webp'));
    const wrong = Buffer.from(bytes);
    wrong.write('JUNK', 12, 'latin1');
    await expect(webpHandler.readManifest(new BufferSource(wrong))).rejects.toThrow(/first chunk/);
    const badStart = Buffer.from(bytes);
    badStart[23] = 0; // start code 9d 01 2a at data offset 3
    await expect(webpHandler.planEmbed(new BufferSource(badStart), 0, labels)).rejects.toThrow(/start code/);
    expect(webpHandler.sniff(new Uint8Array(await readFile(gen('audio', 'seed.wav'))).subarray(0, 64))).toBe(false);
  });
});
