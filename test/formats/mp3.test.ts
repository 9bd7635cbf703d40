import { readFile } from 'node:fs/promises';
import { exiftool } from 'exiftool-vendored';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MalformedInputError } from '../../src/errors.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { mp3Handler } from '../../src/formats/mp3.ts';
import { flacHandler } from '../../src/formats/flac.ts';
import { readId3Tag } from '../../src/formats/common/id3.ts';
import { C2PA_GEOB, ID3_AIGC_CARRIER } from '../../src/formats/common/id3-carrier.ts';
import { AUDIO_FIXTURE_LABEL } from '../../scripts/fixtures/20-audio.ts';
import { gen } from '../helpers.ts';
import { sdkRead } from '../../scripts/support/sdk.ts';
import {
  dataHashExclusions,
  es256,
  fakeStore,
  ffmpegErrors,
  ffprobeTags,
  sameBytes,
  sampleLabel,
  Scratch,
  sdkSignFile,
  stamp,
} from './riff-kit.ts';

const SEEDS = ['audio/seed.mp3', 'audio/seed-id3.mp3', 'audio/seed-id3v23.mp3', 'audio/minimax-like.mp3'];
const labels = { gb45438: sampleLabel('mp3-0001') };

// the shared contract suite runs in mp3-conformance.test.ts

let scratch: Scratch;
beforeAll(async () => {
  scratch = await Scratch.create('mp3');
});
afterAll(async () => {
  await scratch.cleanup();
  await exiftool.end();
});

const seed = async (name: string) => new Uint8Array(await readFile(gen('audio', name)));

describe('MP3 layout', () => {
  it('writes one ID3v2.4 tag with the GEOB (c2pa-rs fields) and excludes only the object bytes', async () => {
    const bytes = await seed('seed-id3v23.mp3');
    const out = await stamp(mp3Handler, new BufferSource(bytes), fakeStore(1234), labels);
    const t = await readId3Tag(new BufferSource(out.bytes), 0);
    expect(t.version).toBe(4);
    expect(t.frames.map((f) => f.id)).toEqual(['TIT2', 'TALB', 'TXXX', 'GEOB']);
    const geob = t.frames[3]!;
    const header = new TextEncoder().encode(`\x03${C2PA_GEOB.mime}\0${C2PA_GEOB.filename}\0${C2PA_GEOB.description}\0`);
    const objectAt = 10 + geob.offset + 10 + header.length;
    expect(out.bytes.subarray(objectAt - header.length, objectAt)).toEqual(header);
    expect(out.exclusions).toEqual([{ offset: objectAt, length: 1234 }]);
    // audio frames copied untouched
    const oldTag = await readId3Tag(new BufferSource(bytes), 0);
    expect(sameBytes(out.bytes.subarray(t.length), bytes.subarray(oldTag.length))).toBe(true);
  });

  it('reads a UTF-16 TXXX:AIGC (v2.3) and replaces it with one UTF-8 frame', async () => {
    const src = new BufferSource(await seed('minimax-like.mp3'));
    expect(await mp3Handler.readLabels(src)).toEqual([{ kind: 'gb45438', foundIn: ID3_AIGC_CARRIER, raw: AUDIO_FIXTURE_LABEL }]);
    const out = await stamp(mp3Handler, src, undefined, labels);
    expect(await mp3Handler.readLabels(new BufferSource(out.bytes))).toEqual([
      { kind: 'gb45438', foundIn: ID3_AIGC_CARRIER, raw: serializeGb45438(labels.gb45438) },
    ]);
    const t = await readId3Tag(new BufferSource(out.bytes), 0);
    expect(out.bytes[10 + t.frames[0]!.offset + 10]).toBe(3);
  });

  it('passes an ID3-prefixed FLAC stream to the FLAC handler', async () => {
    const flac = await stamp(flacHandler, new BufferSource(await seed('seed.flac')), fakeStore(64), labels);
    const src = new BufferSource(flac.bytes);
    expect(mp3Handler.sniff(flac.bytes.subarray(0, 64))).toBe(true);
    expect(await mp3Handler.readLabels(src)).toEqual(await flacHandler.readLabels(src));
    expect(await mp3Handler.readManifest(src)).toEqual(fakeStore(64));
    const restamped = await stamp(mp3Handler, src, fakeStore(64), labels);
    expect(sameBytes(restamped.bytes, flac.bytes)).toBe(true);
  });

  it('sniffs ID3 and MPEG frame headers but not other formats', async () => {
    expect(mp3Handler.sniff((await seed('seed.mp3')).subarray(0, 64))).toBe(true);
    expect(mp3Handler.sniff((await seed('seed.wav')).subarray(0, 64))).toBe(false);
    expect(mp3Handler.sniff(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe(false);
    expect(mp3Handler.sniff(Uint8Array.of(0xff, 0xfb, 0xf0, 0x00))).toBe(false);
  });
});

describe('MP3 and the outside world', () => {
  it('places the store exactly where the SDK does, and restamps SDK output unchanged', async () => {
    const { rootPem } = await es256();
    for (const [name, withLabels] of [
      ['seed.mp3', false],
      ['seed.mp3', true],
      ['seed-id3.mp3', false],
      ['seed-id3v23.mp3', true],
    ] as const) {
      const base = withLabels ? (await stamp(mp3Handler, new BufferSource(await seed(name)), undefined, labels)).bytes : await seed(name);
      const input = await scratch.write(`in-${withLabels}-${name}`, base);
      const signed = scratch.file(`sdk-${withLabels}-${name}`);
      await sdkSignFile(input, signed, 'audio/mpeg');
      const sdkBytes = new Uint8Array(await readFile(signed));
      const store = (await mp3Handler.readManifest(new BufferSource(sdkBytes)))!;
      // c2pa-rs excludes the GEOB object bytes only, like us
      const again = await stamp(mp3Handler, new BufferSource(sdkBytes), store);
      expect(again.exclusions.map((e) => ({ start: e.offset, length: e.length }))).toEqual(dataHashExclusions(store));
      expect(sameBytes(again.bytes, sdkBytes)).toBe(true);
      if (name === 'seed.mp3') {
        // no foreign frames to re-encode: our first stamp is byte-identical to the SDK's
        const ours = await stamp(mp3Handler, new BufferSource(base), store);
        expect(sameBytes(ours.bytes, sdkBytes)).toBe(true);
        const report = await sdkRead(await scratch.write(`ours-${withLabels}-${name}`, ours.bytes), { anchorsPem: rootPem });
        expect(report?.validation_state).toBe('Trusted');
        expect(report?.validation_results?.activeManifest?.failure).toEqual([]);
        expect(report?.validation_results?.activeManifest?.success.map((s) => s.code)).toContain('assertion.dataHash.match');
      }
      if (withLabels) expect((await mp3Handler.readLabels(new BufferSource(sdkBytes)))[0]?.raw).toBe(serializeGb45438(labels.gb45438));
    }
  });

  it('decodes in ffmpeg, and ffprobe, music-metadata and exiftool read the AIGC label exactly', async () => {
    const json = serializeGb45438(labels.gb45438);
    for (const name of SEEDS) {
      const out = await stamp(mp3Handler, new BufferSource(await seed(name.split('/')[1]!)), fakeStore(4000), {
        ...labels,
        digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
      });
      const file = await scratch.write(`readers-${name.split('/')[1]}`, out.bytes);
      expect(await ffmpegErrors(file)).toBe('');
      expect((await ffprobeTags(file)).AIGC).toBe(json);
      const mm = await parseFile(file);
      expect(mm.native['ID3v2.4']?.find((t) => t.id === 'TXXX:AIGC')?.value).toBe(json);
      expect(mm.format.duration).toBeGreaterThan(2.9);
      const tags = (await exiftool.readRaw(file, { readArgs: ['-G1', '-a'] })) as Record<string, unknown>;
      expect(tags['ID3v2_4:Aigc']).toBe(json);
      expect(tags['XMP-iptcExt:DigitalSourceType']).toBe(TRAINED_ALGORITHMIC_MEDIA);
      if (name.includes('id3')) expect(mm.common.title).toBe('Tone');
    }
  });
});

describe('hostile MP3', () => {
  it.each(['bad-syncsafe.mp3', 'bad-frame-syncsafe.mp3', 'id3-past-eof.mp3', 'truncated-id3.mp3'])(
    '%s fails with MalformedInputError',
    async (name) => {
      const src = new BufferSource(await seed(name));
      await expect(mp3Handler.readManifest(src)).rejects.toThrow(MalformedInputError);
      await expect(mp3Handler.readLabels(src)).rejects.toThrow(MalformedInputError);
      await expect(mp3Handler.planEmbed(src, 10, labels)).rejects.toThrow(MalformedInputError);
    },
  );
});
