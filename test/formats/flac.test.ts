import { readFile } from 'node:fs/promises';
import { exiftool } from 'exiftool-vendored';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MAX_SEGMENTS } from '../../src/binary/limits.ts';
import { LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import {
  FLAC_AIGC_CARRIER,
  FLAC_BLOCK,
  FLAC_VENDOR,
  flacHandler,
  isFlacSource,
  readFlacLayout,
  sniffFlac,
} from '../../src/formats/flac.ts';
import { ID3_AIGC_CARRIER } from '../../src/formats/common/id3-carrier.ts';
import { syncsafeBytes } from '../../src/formats/common/id3-write.ts';
import { commentValues, parseVorbisComment, replaceComment, serializeVorbisComment } from '../../src/formats/common/vorbis-comment.ts';
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
import { runRiffSuite } from './riff-suite.ts';

const SEEDS = ['audio/seed.flac', 'audio/seed-novc.flac'];
const labels = { gb45438: sampleLabel('flac-0001') };
const json = serializeGb45438(labels.gb45438);

runRiffSuite(flacHandler, { seeds: SEEDS, carrier: FLAC_AIGC_CARRIER });

let scratch: Scratch;
beforeAll(async () => {
  scratch = await Scratch.create('flac');
});
afterAll(async () => {
  await scratch.cleanup();
  await exiftool.end();
});

const seed = async (name: string) => new Uint8Array(await readFile(gen('audio', name)));

async function vorbisBlocks(bytes: Uint8Array) {
  const layout = await readFlacLayout(new BufferSource(bytes));
  return layout.blocks
    .filter((b) => b.type === FLAC_BLOCK.vorbisComment)
    .map((b) => parseVorbisComment(bytes.subarray(b.offset + 4, b.offset + 4 + b.size)));
}

describe('FLAC layout', () => {
  it('replaces AIGC in the Vorbis comment, keeps the vendor and other comments, and fixes the last-block flag', async () => {
    const bytes = await seed('seed.flac');
    const before = await readFlacLayout(new BufferSource(bytes));
    const out = await stamp(flacHandler, new BufferSource(bytes), fakeStore(900), labels);
    const after = await readFlacLayout(new BufferSource(out.bytes));
    expect(after.blocks.map((b) => b.type)).toEqual(before.blocks.map((b) => b.type));
    const lastFlags = after.blocks.map((b) => out.bytes[b.offset]! & 0x80);
    expect(lastFlags).toEqual(after.blocks.map((_, i) => (i === after.blocks.length - 1 ? 0x80 : 0)));
    const [vc] = await vorbisBlocks(out.bytes);
    const [old] = await vorbisBlocks(bytes);
    expect(vc!.vendor).toEqual(old!.vendor);
    expect(commentValues(vc!, 'aigc')).toEqual([json]);
    expect(sameBytes(out.bytes.subarray(after.audioOffset), bytes.subarray(before.audioOffset))).toBe(true);
    // the store sits in an ID3 tag in front of fLaC, exclusion = GEOB object bytes
    expect(after.tags).toHaveLength(1);
    expect(out.exclusions[0]!.offset + out.exclusions[0]!.length).toBeLessThanOrEqual(after.streamOffset);
  });

  it('creates a VORBIS_COMMENT block after STREAMINFO when there is none', async () => {
    const out = await stamp(flacHandler, new BufferSource(await seed('seed-novc.flac')), undefined, labels);
    const layout = await readFlacLayout(new BufferSource(out.bytes));
    expect(layout.tags).toHaveLength(0);
    expect(layout.blocks[1]!.type).toBe(FLAC_BLOCK.vorbisComment);
    const [vc] = await vorbisBlocks(out.bytes);
    expect(new TextDecoder().decode(vc!.vendor)).toBe(FLAC_VENDOR);
    expect(commentValues(vc!, 'AIGC')).toEqual([json]);
  });

  it('reports and drops a TXXX:AIGC found in the leading ID3 tag (one label per file)', async () => {
    const frame = new Uint8Array(
      Buffer.concat([Buffer.from('TXXX'), Buffer.from(syncsafeBytes(10)), Buffer.alloc(2), Buffer.from('\x03AIGC\0{"a"}', 'latin1')]),
    );
    const bytes = new Uint8Array(
      Buffer.concat([Buffer.from('ID3\x04\0\0', 'latin1'), Buffer.from(syncsafeBytes(frame.length)), frame, await seed('seed.flac')]),
    );
    expect((await flacHandler.readLabels(new BufferSource(bytes))).map((f) => f.foundIn)).toEqual([ID3_AIGC_CARRIER]);
    const out = await stamp(flacHandler, new BufferSource(bytes), fakeStore(5), labels);
    expect(await flacHandler.readLabels(new BufferSource(out.bytes))).toEqual([{ kind: 'gb45438', foundIn: FLAC_AIGC_CARRIER, raw: json }]);
  });

  it('detects FLAC behind ID3 tags from a source, for registries', async () => {
    const stamped = await stamp(flacHandler, new BufferSource(await seed('seed.flac')), fakeStore(5000));
    expect(sniffFlac(stamped.bytes.subarray(0, 64))).toBe(false);
    expect(await isFlacSource(new BufferSource(stamped.bytes))).toBe(true);
    expect(await isFlacSource(new BufferSource(await seed('seed.flac')))).toBe(true);
    expect(await isFlacSource(new BufferSource(await seed('seed-id3.mp3')))).toBe(false);
    expect(await isFlacSource(new BufferSource(await seed('id3-past-eof.mp3')))).toBe(false);
  });

  it('sniffs fLaC, and ID3-prefixed FLAC when the tag fits the head', async () => {
    expect(sniffFlac((await seed('seed.flac')).subarray(0, 64))).toBe(true);
    expect(sniffFlac((await seed('seed.mp3')).subarray(0, 64))).toBe(false);
    expect(sniffFlac(new Uint8Array(Buffer.concat([Buffer.from('ID3\x04\0\0\0\0\0\0', 'latin1'), Buffer.from('fLaC')])))).toBe(true);
  });
});

describe('Vorbis comments', () => {
  it('round-trips raw entries and replaces a key case-insensitively', () => {
    const vc = {
      vendor: new TextEncoder().encode('v'),
      comments: ['TITLE=x', 'aigc=old', 'AIGC=older', 'bad-entry'].map((s) => new TextEncoder().encode(s)),
    };
    const bytes = serializeVorbisComment(vc);
    expect(parseVorbisComment(bytes)).toEqual(vc);
    const replaced = replaceComment(parseVorbisComment(bytes), 'AIGC', 'new');
    expect(replaced.comments.map((c) => new TextDecoder().decode(c))).toEqual(['TITLE=x', 'bad-entry', 'AIGC=new']);
    expect(commentValues(replaced, 'aigc')).toEqual(['new']);
  });

  it('rejects lengths past the block and counts above MAX_SEGMENTS before allocating', () => {
    const b = Buffer.from(serializeVorbisComment({ vendor: new Uint8Array(3), comments: [new Uint8Array(4)] }));
    expect(() => parseVorbisComment(b.subarray(0, b.length - 1))).toThrow(MalformedInputError);
    const huge = Buffer.from(b);
    huge.writeUInt32LE(MAX_SEGMENTS + 1, 7);
    expect(() => parseVorbisComment(huge)).toThrow(LimitExceededError);
    const many = Buffer.from(b);
    many.writeUInt32LE(1000, 7);
    expect(() => parseVorbisComment(many)).toThrow(/cannot fit/);
    const vendor = Buffer.from(b);
    vendor.writeUInt32LE(0xffffffff, 0);
    expect(() => parseVorbisComment(vendor)).toThrow(MalformedInputError);
  });
});

describe('FLAC and the outside world', () => {
  it('places the store exactly where the SDK does, so the SDK trusts our layout', async () => {
    const { rootPem } = await es256();
    for (const [name, withLabels] of [
      ['seed.flac', false],
      ['seed.flac', true],
      ['seed-novc.flac', true],
    ] as const) {
      const base = withLabels ? (await stamp(flacHandler, new BufferSource(await seed(name)), undefined, labels)).bytes : await seed(name);
      const input = await scratch.write(`in-${withLabels}-${name}`, base);
      const signed = scratch.file(`sdk-${withLabels}-${name}`);
      await sdkSignFile(input, signed, 'audio/flac');
      const sdkBytes = new Uint8Array(await readFile(signed));
      const store = (await flacHandler.readManifest(new BufferSource(sdkBytes)))!;
      const ours = await stamp(flacHandler, new BufferSource(base), store);
      expect(ours.exclusions.map((e) => ({ start: e.offset, length: e.length }))).toEqual(dataHashExclusions(store));
      expect(sameBytes(ours.bytes, sdkBytes)).toBe(true);
      const report = await sdkRead(await scratch.write(`ours-${withLabels}-${name}`, ours.bytes), { anchorsPem: rootPem });
      expect(report?.validation_state).toBe('Trusted');
      expect(report?.validation_results?.activeManifest?.failure).toEqual([]);
      expect(sameBytes((await stamp(flacHandler, new BufferSource(sdkBytes), store)).bytes, sdkBytes)).toBe(true);
      if (withLabels)
        expect(await flacHandler.readLabels(new BufferSource(sdkBytes))).toEqual([
          { kind: 'gb45438', foundIn: FLAC_AIGC_CARRIER, raw: json },
        ]);
    }
  });

  it('decodes in ffmpeg, and ffprobe, music-metadata and exiftool read the AIGC label exactly', async () => {
    for (const name of SEEDS) {
      const out = await stamp(flacHandler, new BufferSource(await seed(name.split('/')[1]!)), fakeStore(3000), labels);
      const file = await scratch.write(`readers-${name.split('/')[1]}`, out.bytes);
      expect(await ffmpegErrors(file)).toBe('');
      expect((await ffprobeTags(file)).AIGC).toBe(json);
      const mm = await parseFile(file);
      expect(mm.format.container).toBe('FLAC');
      expect(mm.native.vorbis?.find((t) => t.id === 'AIGC')?.value).toBe(json);
      const tags = (await exiftool.readRaw(file, { readArgs: ['-G1', '-a'] })) as Record<string, unknown>;
      expect(tags['Vorbis:Aigc']).toBe(json);
    }
  });
});

describe('hostile FLAC', () => {
  it.each(['truncated.flac', 'block-past-eof.flac'])('%s fails with MalformedInputError', async (name) => {
    const src = new BufferSource(await seed(name));
    await expect(flacHandler.readManifest(src)).rejects.toThrow(MalformedInputError);
    await expect(flacHandler.readLabels(src)).rejects.toThrow(MalformedInputError);
    await expect(flacHandler.planEmbed(src, 10, labels)).rejects.toThrow(MalformedInputError);
  });

  it('rejects a stream without fLaC or STREAMINFO', async () => {
    await expect(flacHandler.readManifest(new BufferSource(await seed('seed.mp3')))).rejects.toThrow(/fLaC/);
    const noInfo = Buffer.from(await seed('seed.flac'));
    noInfo[4] = 0x84;
    await expect(flacHandler.readManifest(new BufferSource(noInfo))).rejects.toThrow(/STREAMINFO/);
  });
});
