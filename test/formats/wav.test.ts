import { readFile } from 'node:fs/promises';
import { exiftool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { readRiff } from '../../src/formats/common/riff.ts';
import { WAV_CARRIERS, wavHandler } from '../../src/formats/wav.ts';
import { AUDIO_FIXTURE_LABEL } from '../../scripts/fixtures/20-audio.ts';
import { gen } from '../helpers.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import { es256, fakeStore, ffmpegErrors, sameBytes, sampleLabel, Scratch, sdkSignFile, stamp } from './riff-kit.ts';
import { IPTC_CARRIER_PREFIX } from '../../src/labels/implicit/types.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { writeXmpLabels } from '../../src/labels/implicit/xmp.ts';
import { gbCarriers } from './riff-suite.ts';

const SEEDS = ['audio/seed.wav', 'audio/seed-info.wav', 'audio/seed-odd.wav'];
const labels = { gb45438: sampleLabel('wav-0001') };

// the shared contract suite runs in wav-conformance.test.ts

let scratch: Scratch;
beforeAll(async () => {
  scratch = await Scratch.create('wav');
});
afterAll(async () => {
  await scratch.cleanup();
  await exiftool.end();
});

const seed = async (name: string) => new Uint8Array(await readFile(gen('audio', name)));
const walk = async (bytes: Uint8Array) => readRiff(new BufferSource(bytes), 'wav', 'WAVE');

describe('WAV layout', () => {
  it('writes the label as a top-level AIGC chunk (bare JSON, padded), as LIST/INFO AIGC, and C2PA last', async () => {
    const out = await stamp(wavHandler, new BufferSource(await seed('seed.wav')), fakeStore(2001), labels);
    const f = await walk(out.bytes);
    expect(f.chunks.map((c) => c.id)).toEqual(['fmt ', 'data', 'AIGC', 'LIST', 'C2PA']);
    const aigc = f.chunks[2]!;
    const json = serializeGb45438(labels.gb45438);
    const info = f.chunks[3]!;
    expect(info.listType).toBe('INFO');
    const item = info.children![0]!;
    expect(item.id).toBe('AIGC');
    expect(Buffer.from(out.bytes.subarray(item.dataOffset, item.dataOffset + item.size)).toString()).toBe(`${json}\0`);
    expect(aigc.size).toBe(json.length);
    expect(Buffer.from(out.bytes.subarray(aigc.dataOffset, aigc.dataOffset + aigc.size)).toString()).toBe(json);
    expect((aigc.end - aigc.offset) % 2).toBe(0);
    const c2pa = f.chunks[4]!;
    expect(out.exclusions).toEqual([{ offset: c2pa.offset, length: 8 + 2001 }]);
    expect(out.bytes.length).toBe(c2pa.offset + 8 + 2002);
    expect(Buffer.from(out.bytes).readUInt32LE(4)).toBe(out.bytes.length - 8);
  });

  it('reads a LIST/INFO AIGC label and replaces it (one label, in both carriers), keeping other INFO items', async () => {
    const src = new BufferSource(await seed('seed-info.wav'));
    expect(await wavHandler.readLabels(src)).toEqual([{ kind: 'gb45438', foundIn: WAV_CARRIERS.info, raw: AUDIO_FIXTURE_LABEL }]);
    const out = await stamp(wavHandler, src, fakeStore(100), labels);
    const f = await walk(out.bytes);
    expect(f.chunks.map((c) => c.id)).toEqual(['fmt ', 'data', 'LIST', 'AIGC', 'C2PA']);
    expect(f.chunks[2]!.children!.map((c) => c.id)).toEqual(['INAM', 'AIGC']);
    expect(gbCarriers(await wavHandler.readLabels(new BufferSource(out.bytes)))).toEqual([
      { kind: 'gb45438', foundIn: WAV_CARRIERS.info, raw: serializeGb45438(labels.gb45438) },
      { kind: 'gb45438', foundIn: WAV_CARRIERS.chunk, raw: serializeGb45438(labels.gb45438) },
    ]);
    const kept = await stamp(wavHandler, src, fakeStore(100));
    expect(await wavHandler.readLabels(new BufferSource(kept.bytes))).toEqual([
      { kind: 'gb45438', foundIn: WAV_CARRIERS.info, raw: AUDIO_FIXTURE_LABEL },
    ]);
  });

  it('writes the source type into _PMX XMP and moves an XMP label into the AIGC chunk', async () => {
    const xmp = Buffer.from(writeXmpLabels(undefined, { gb45438: sampleLabel('in-xmp') }));
    const base = await seed('seed.wav');
    const withXmp = Buffer.concat([Buffer.from(base), Buffer.from('_PMX'), Buffer.alloc(4), xmp, Buffer.alloc(xmp.length % 2)]);
    withXmp.writeUInt32LE(xmp.length, base.length + 4);
    withXmp.writeUInt32LE(withXmp.length - 8, 4);
    expect(await wavHandler.readLabels(new BufferSource(withXmp))).toEqual([
      { kind: 'gb45438', foundIn: WAV_CARRIERS.xmp, raw: serializeGb45438(sampleLabel('in-xmp')) },
    ]);
    const all = { ...labels, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA };
    const out = await stamp(wavHandler, new BufferSource(withXmp), fakeStore(12), all);
    expect((await walk(out.bytes)).chunks.map((c) => c.id)).toEqual(['fmt ', 'data', '_PMX', 'AIGC', 'LIST', 'C2PA']);
    expect(await wavHandler.readLabels(new BufferSource(out.bytes))).toEqual([
      { kind: 'iptc-source-type', foundIn: `${IPTC_CARRIER_PREFIX} (${WAV_CARRIERS.xmp})`, raw: TRAINED_ALGORITHMIC_MEDIA },
      { kind: 'gb45438', foundIn: WAV_CARRIERS.chunk, raw: serializeGb45438(labels.gb45438) },
      { kind: 'gb45438', foundIn: WAV_CARRIERS.info, raw: serializeGb45438(labels.gb45438) },
    ]);
    const again = await stamp(wavHandler, new BufferSource(out.bytes), fakeStore(12), all);
    expect(sameBytes(again.bytes, out.bytes)).toBe(true);
  });

  it('writes a RIFF size that matches the output even when the source size was wrong', async () => {
    const out = await stamp(wavHandler, new BufferSource(await seed('seed-odd.wav')), fakeStore(10));
    expect(Buffer.from(out.bytes).readUInt32LE(4)).toBe(out.bytes.length - 8);
  });

  it('stamps the 20 MB benchmark WAV from a file without loading it whole', async () => {
    const { FileSource } = await import('../../src/binary/file-source.ts');
    const src = await FileSource.open(gen('audio', 'bench-20mb.wav'));
    try {
      const plan = await wavHandler.planEmbed(src, 5000, labels);
      const copied = plan.parts.filter((p) => 'copy' in p).reduce((n, p) => n + ('copy' in p ? p.copy.length : 0), 0);
      expect(copied).toBeGreaterThan(20_000_000);
      expect(plan.parts.filter((p) => 'bytes' in p).reduce((n, p) => n + ('bytes' in p ? p.bytes.length : 0), 0)).toBeLessThan(10_000);
    } finally {
      await src.close();
    }
  });
});

describe('WAV and the outside world', () => {
  it('places the store exactly where the SDK does, so the SDK trusts our layout', async () => {
    const { rootPem } = await es256();
    for (const withLabels of [false, true]) {
      const base = withLabels
        ? (await stamp(wavHandler, new BufferSource(await seed('seed.wav')), undefined, labels)).bytes
        : await seed('seed.wav');
      const input = await scratch.write(`in-${withLabels}.wav`, base);
      const signed = scratch.file(`sdk-${withLabels}.wav`);
      await sdkSignFile(input, signed, 'audio/wav');
      const sdkBytes = new Uint8Array(await readFile(signed));
      const store = await wavHandler.readManifest(new BufferSource(sdkBytes));
      const ours = await stamp(wavHandler, new BufferSource(base), store);
      expect(Buffer.compare(Buffer.from(ours.bytes), Buffer.from(sdkBytes))).toBe(0);
      const report = await sdkRead(await scratch.write(`ours-${withLabels}.wav`, ours.bytes), { anchorsPem: rootPem });
      expect(report?.validation_state).toBe('Trusted');
      expect(report?.validation_results?.activeManifest?.failure).toEqual([]);
      expect(report?.validation_results?.activeManifest?.success.map((s) => s.code)).toContain('assertion.dataHash.match');
      // the SDK's own output restamped by us is unchanged
      const again = await stamp(wavHandler, new BufferSource(sdkBytes), store);
      expect(Buffer.compare(Buffer.from(again.bytes), Buffer.from(sdkBytes))).toBe(0);
    }
  });

  it('still decodes in ffmpeg, and exiftool sees the AIGC chunk exactly and the source type in _PMX', async () => {
    for (const name of SEEDS) {
      const out = await stamp(wavHandler, new BufferSource(await seed(name.split('/')[1]!)), fakeStore(3001), {
        ...labels,
        digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
      });
      const file = await scratch.write(`decoded-${name.split('/')[1]}`, out.bytes);
      expect(await ffmpegErrors(file)).toBe('');
      const tags = (await exiftool.readRaw(file, { readArgs: ['-G1', '-a', '-u', '-b'] })) as Record<string, unknown>;
      // exiftool lists the AIGC chunk and the LIST/INFO item (binary as base64, text as is)
      const values = Object.entries(tags)
        .filter(([k]) => /^RIFF:Unknown_AIGC/.test(k) || /^RIFF:AIGC/i.test(k))
        .map(([, v]) => String(v));
      expect(values.length).toBeGreaterThan(0);
      for (const raw of values) {
        const text = raw.startsWith('base64:') ? Buffer.from(raw.slice(7), 'base64').toString('utf8') : raw;
        expect(text.replace(/\0$/, '')).toBe(serializeGb45438(labels.gb45438));
      }
      expect(tags['XMP-iptcExt:DigitalSourceType']).toBe(TRAINED_ALGORITHMIC_MEDIA);
    }
  });
});

describe('hostile WAV', () => {
  const cases: [string, new (...a: never[]) => Error][] = [
    ['deep-list.wav', LimitExceededError],
    ['past-eof.wav', MalformedInputError],
    ['rf64-huge.wav', MalformedInputError],
    ['rf64-past-eof.wav', MalformedInputError],
    ['truncated.wav', MalformedInputError],
  ];
  it.each(cases)('%s fails with our typed error', async (name, type) => {
    const src = new BufferSource(await seed(name));
    await expect(wavHandler.readManifest(src)).rejects.toThrow(type);
    await expect(wavHandler.readLabels(src)).rejects.toThrow(type);
    await expect(wavHandler.planEmbed(src, 10, labels)).rejects.toThrow(type);
  });

  it('rejects a WAVE form without fmt and files that are not WAVE', async () => {
    const noFmt = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.from([12, 0, 0, 0]),
      Buffer.from('WAVE'),
      Buffer.from('data'),
      Buffer.alloc(4),
    ]);
    await expect(wavHandler.readManifest(new BufferSource(noFmt))).rejects.toThrow(/fmt/);
    await expect(wavHandler.readManifest(new BufferSource(await readFile(gen('webp', 'seed-vp8.webp'))))).rejects.toThrow(
      MalformedInputError,
    );
    expect(wavHandler.sniff(new Uint8Array(await readFile(gen('webp', 'seed-vp8.webp'))).subarray(0, 64))).toBe(false);
  });
});
