import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { exiftool } from 'exiftool-vendored';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource, type ByteSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { mp4Handler, mp4Variant, sniffMp4 } from '../../src/formats/mp4.ts';
import { C2PA_UUID, XMP_UUID } from '../../src/formats/bmff/bmff-c2pa-box.ts';
import { boxHeader, concatBytes, makeBox, u32be } from '../../src/formats/bmff/bmff-writer.ts';
import { makeGb45438Label, serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { FFMPEG_LABEL, PHONE_LABEL } from '../../scripts/fixtures/30-video.ts';
import { countOccurrences, ffmpegDecodeErrors, ffprobeTags, fx, SOURCE_MODES, tempDir, topLevel } from './bmff-helpers.ts';

const run = promisify(execFile);
const LABEL = makeGb45438Label({
  Label: '1',
  ContentProducer: '001191000000EXAMPLE01P10000',
  ProduceID: 'test-0001',
  ContentPropagator: '001191000000EXAMPLE01P10000',
  PropagateID: 'test-0001',
});
const LABEL2 = makeGb45438Label({ Label: '1', ContentProducer: '001191000000EXAMPLE01P10000', ProduceID: 'test-0002' });
const JSON1 = serializeGb45438(LABEL);
const JSON2 = serializeGb45438(LABEL2);

/** A fake store: a `jumb` header with the right LBox, then varied bytes. */
function fakeStore(n: number): Uint8Array {
  const s = new Uint8Array(n);
  for (let i = 8; i < n; i++) s[i] = (i * 13 + 5) & 0xff;
  new DataView(s.buffer).setUint32(0, n);
  s.set(Buffer.from('jumb'), 4);
  return s;
}

async function embed(src: ByteSource, n: number, label = LABEL): Promise<Uint8Array> {
  const plan = await mp4Handler.planEmbed(src, n, { gb45438: label });
  expect(plan.exclusions).toEqual([]);
  return partsToBytes(src, plan.fill(fakeStore(n)));
}

let dir: string;
const opened: FileSource[] = [];
/** Open a fixture; closed after all tests. */
async function open(file: string): Promise<FileSource> {
  const f = await FileSource.open(file);
  opened.push(f);
  return f;
}
beforeAll(async () => {
  dir = await tempDir('mp4-test');
});
afterAll(async () => {
  await exiftool.end();
  await Promise.all(opened.map((f) => f.close()));
  await rm(dir, { recursive: true, force: true });
});

const ftyp = (major: string, ...compat: string[]): Uint8Array =>
  makeBox('ftyp', Buffer.from(major, 'latin1'), u32be(0), ...compat.map((c) => Buffer.from(c, 'latin1')));

describe('sniff', () => {
  it('takes MP4, MOV, M4A, 3GP brands and refuses images and garbage', async () => {
    for (const f of ['seed.mp4', 'seed-faststart.mp4', 'seed.mov', 'seed.m4a']) {
      expect(mp4Handler.sniff((await readFile(fx(f))).subarray(0, 64)), f).toBe(true);
    }
    expect(sniffMp4(ftyp('3gp5'))).toBe(true);
    expect(sniffMp4(ftyp('abcd', 'mp42'))).toBe(true);
    expect(sniffMp4(ftyp('heic', 'mif1', 'isom'))).toBe(false);
    expect(sniffMp4(ftyp('avif', 'mif1'))).toBe(false);
    expect(sniffMp4(ftyp('abcd', 'efgh'))).toBe(false);
    expect(mp4Handler.sniff(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe(false);
    expect(mp4Handler.sniff(new Uint8Array(0))).toBe(false);
    expect(mp4Handler.id).toBe('mp4');
    expect(mp4Handler.hardBinding).toBe('bmff');
    expect(mp4Handler.mimeTypes).toEqual(expect.arrayContaining(['video/mp4', 'audio/mp4', 'video/quicktime', 'audio/x-m4a']));
  });

  it("names each file's own MIME type and extension from its major brand", () => {
    expect(mp4Variant(ftyp('M4A ', 'isom'))).toEqual({ mime: 'audio/mp4', extension: 'm4a' });
    expect(mp4Variant(ftyp('M4B ', 'isom'))).toEqual({ mime: 'audio/mp4', extension: 'm4b' });
    expect(mp4Variant(ftyp('qt  ', 'qt  '))).toEqual({ mime: 'video/quicktime', extension: 'mov' });
    expect(mp4Variant(ftyp('M4V ', 'isom'))).toEqual({ mime: 'video/x-m4v', extension: 'm4v' });
    expect(mp4Variant(ftyp('3gp5', 'isom'))).toEqual({ mime: 'video/3gpp', extension: '3gp' });
    expect(mp4Variant(ftyp('3g2a', 'isom'))).toEqual({ mime: 'video/3gpp2', extension: '3g2' });
    expect(mp4Variant(ftyp('isom', 'mp41'))).toEqual({ mime: 'video/mp4', extension: 'mp4' });
    expect(mp4Variant(new Uint8Array(3))).toEqual({ mime: 'video/mp4', extension: 'mp4' });
  });
});

const SEEDS = [
  'seed.mp4',
  'seed-faststart.mp4',
  'seed.mov',
  'seed.m4a',
  'largesize.mp4',
  'with-aigc.mp4',
  'phone-keys.mov',
  'phone-mdir.mov',
];

describe.each(SEEDS)('embed into %s', (seed) => {
  let out: Uint8Array;
  let outFile: string;

  beforeAll(async () => {
    const outs: Uint8Array[] = [];
    for (const mode of SOURCE_MODES) {
      const src = await mode.open(fx(seed));
      try {
        expect(await mp4Handler.readManifest(src)).toBeUndefined();
        outs.push(await embed(src, 3001));
      } finally {
        await src.close?.();
      }
    }
    expect(Buffer.from(outs[0]!).equals(Buffer.from(outs[1]!)), 'same output from every source mode').toBe(true);
    out = outs[0]!;
    outFile = path.join(dir, `out-${seed}`);
    await writeFile(outFile, out);
  });

  it('puts one C2PA uuid box right after ftyp and reads the store back exactly', async () => {
    const top = topLevel(out);
    expect(top[0]![0]).toBe('ftyp');
    expect(top[1]![0]).toBe('uuid');
    const u = top[1]![1];
    expect(Buffer.from(out.subarray(u + 8, u + 24)).equals(Buffer.from(C2PA_UUID))).toBe(true);
    expect(Buffer.from(out.subarray(u + 24, u + 45)).toString('latin1')).toBe('\0\0\0\0manifest\0\0\0\0\0\0\0\0\0');
    for (const mode of SOURCE_MODES) {
      const f = await mode.open(outFile);
      try {
        expect(Buffer.from((await mp4Handler.readManifest(f))!).equals(Buffer.from(fakeStore(3001))), mode.name).toBe(true);
      } finally {
        await f.close?.();
      }
    }
  });

  it('still decodes to the end with ffmpeg (chunk offsets patched)', async () => {
    expect(await ffmpegDecodeErrors(outFile)).toBe('');
  });

  it('carries the label for ffprobe and for our reader', async () => {
    expect((await ffprobeTags(outFile)).AIGC).toBe(JSON1);
    const labels = await mp4Handler.readLabels(new BufferSource(out));
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(l.raw).toBe(JSON1);
  });

  it('embedding twice leaves one C2PA box and one AIGC key, with the new values', async () => {
    const again = await embed(new BufferSource(out), 777, LABEL2);
    expect(
      topLevel(again).filter(([t, o]) => t === 'uuid' && Buffer.from(again.subarray(o + 8, o + 24)).equals(Buffer.from(C2PA_UUID))).length,
    ).toBe(1);
    expect(countOccurrences(again, 'mdtaAIGC')).toBe(1);
    expect(Buffer.from((await mp4Handler.readManifest(new BufferSource(again)))!).equals(Buffer.from(fakeStore(777)))).toBe(true);
    const labels = await mp4Handler.readLabels(new BufferSource(again));
    expect(labels.map((l) => l.raw)).toEqual(labels.map(() => JSON2));
    const f = path.join(dir, `again-${seed}`);
    await writeFile(f, again);
    expect(await ffmpegDecodeErrors(f)).toBe('');
  });

  it('planRemove drops the C2PA box, keeps the label and still decodes', async () => {
    const src = new BufferSource(out);
    const plain = await partsToBytes(src, (await mp4Handler.planRemove(src)).parts);
    expect(await mp4Handler.readManifest(new BufferSource(plain))).toBeUndefined();
    expect(countOccurrences(plain, C2PA_UUID)).toBe(0);
    expect((await mp4Handler.readLabels(new BufferSource(plain)))[0]!.raw).toBe(JSON1);
    const f = path.join(dir, `removed-${seed}`);
    await writeFile(f, plain);
    expect(await ffmpegDecodeErrors(f)).toBe('');
  });
});

describe('label layout and readers', () => {
  it('writes the same udta/meta structure as ffmpeg use_metadata_tags', async () => {
    const ours = await embed(new BufferSource(new Uint8Array(await readFile(fx('seed.mp4')))), 100);
    const theirs = new Uint8Array(await readFile(fx('with-aigc.mp4')));
    const hdlr = Buffer.concat([Buffer.from('hdlr'), Buffer.alloc(8), Buffer.from('mdta'), Buffer.alloc(13)]);
    expect(countOccurrences(theirs, hdlr)).toBe(1);
    expect(countOccurrences(ours, Buffer.concat([u32be(33), hdlr]))).toBe(1);
    expect(countOccurrences(theirs, Buffer.concat([u32be(12), Buffer.from('mdtaAIGC')]))).toBe(1);
    expect(countOccurrences(ours, Buffer.concat([u32be(12), Buffer.from('mdtaAIGC')]))).toBe(1);
    const dataOf = (json: string): Buffer =>
      Buffer.concat([u32be(16 + Buffer.byteLength(json)), Buffer.from('data'), u32be(1), u32be(0), Buffer.from(json)]);
    expect(countOccurrences(theirs, dataOf(FFMPEG_LABEL))).toBe(1);
    expect(countOccurrences(ours, dataOf(JSON1))).toBe(1);
    // ffmpeg's own reading of both: the same tag name
    expect((await ffprobeTags(fx('with-aigc.mp4'))).AIGC).toBe(FFMPEG_LABEL);
  });

  it('reads the ffmpeg and phone variants', async () => {
    const read = async (f: string) => mp4Handler.readLabels(await open(fx(f)));
    expect(await read('with-aigc.mp4')).toEqual([{ kind: 'gb45438', foundIn: 'MP4 moov/udta/meta keys:AIGC', raw: FFMPEG_LABEL }]);
    expect(await read('phone-keys.mov')).toEqual([{ kind: 'gb45438', foundIn: 'MP4 moov/meta keys:AIGC', raw: PHONE_LABEL }]);
    expect(await read('phone-mdir.mov')).toEqual([
      { kind: 'gb45438', foundIn: 'MP4 moov/meta ----:com.apple.iTunes:AIGC', raw: PHONE_LABEL },
    ]);
    expect(await read('seed.mp4')).toEqual([]);
  });

  it('overwrites phone carriers in place instead of adding a second key', async () => {
    const keys = await embed(await open(fx('phone-keys.mov')), 50);
    expect(countOccurrences(keys, 'mdtaAIGC')).toBe(1);
    expect(countOccurrences(keys, 'com.apple.quicktime.model')).toBe(1);
    expect(await mp4Handler.readLabels(new BufferSource(keys))).toEqual([
      { kind: 'gb45438', foundIn: 'MP4 moov/meta keys:AIGC', raw: JSON1 },
    ]);
    const tags = await ffprobeTags(await save('phone-keys-2.mov', keys));
    expect(tags['com.apple.quicktime.model']).toBe('iPhone');
    const mdir = await embed(await open(fx('phone-mdir.mov')), 50);
    const labels = await mp4Handler.readLabels(new BufferSource(mdir));
    expect(labels.map((l) => l.foundIn)).toEqual(['MP4 moov/meta ----:com.apple.iTunes:AIGC', 'MP4 moov/udta/meta keys:AIGC']);
    expect(labels.every((l) => l.raw === JSON1)).toBe(true);
    expect((await ffprobeTags(await save('phone-mdir-2.mov', mdir))).comment).toBe('shot on a phone');
  });

  it('reads a label from a top-level XMP uuid box first; writing moves it to the mdta key', async () => {
    const seed = new Uint8Array(await readFile(fx('seed.mp4')));
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" TC260:AIGC="${JSON2.replace(/"/g, '&quot;')}" dc:format="video/mp4"/></rdf:RDF></x:xmpmeta>`;
    const body = Buffer.from(xmp);
    const withXmp = concatBytes([seed, boxHeader('uuid', 24 + body.length, { userType: XMP_UUID }), body]);
    expect(await mp4Handler.readLabels(new BufferSource(withXmp))).toEqual([{ kind: 'gb45438', foundIn: 'XMP (uuid)', raw: JSON2 }]);
    const labelled = await embed(new BufferSource(withXmp), 10);
    expect(await mp4Handler.readLabels(new BufferSource(labelled))).toEqual([
      { kind: 'gb45438', foundIn: 'MP4 moov/udta/meta keys:AIGC', raw: JSON1 },
    ]);
    expect(countOccurrences(labelled, 'dc:format="video/mp4"')).toBe(1);
    expect(countOccurrences(labelled, XMP_UUID)).toBe(1);
  });

  it('is read by exiftool (MP4, MOV) and by music-metadata and exiftool (M4A)', async () => {
    for (const seed of ['seed.mp4', 'seed.mov', 'seed.m4a']) {
      const f = await save(`et-${seed}`, await embed(await open(fx(seed)), 20));
      const tags = (await exiftool.read(f)) as unknown as Record<string, unknown>;
      expect(tags.AIGC, seed).toBe(JSON1);
    }
    const withDst = await save(
      'et-dst.mp4',
      await partsToBytes(
        await open(fx('seed-faststart.mp4')),
        (
          await mp4Handler.planEmbed(await open(fx('seed-faststart.mp4')), 30, {
            gb45438: LABEL,
            digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
          })
        ).fill(fakeStore(30)),
      ),
    );
    const dst = (await exiftool.read(withDst)) as unknown as Record<string, unknown>;
    expect(dst.DigitalSourceType).toBe(TRAINED_ALGORITHMIC_MEDIA);
    expect(dst.AIGC).toBe(JSON1);
    expect(await ffmpegDecodeErrors(withDst)).toBe('');
    expect(topLevel(new Uint8Array(await readFile(withDst))).map(([t]) => t)).toEqual(['ftyp', 'uuid', 'uuid', 'moov', 'free', 'mdat']);
    const mm = await parseFile(path.join(dir, 'et-seed.m4a'));
    const itunes = mm.native.iTunes ?? [];
    expect(itunes.find((t) => t.id === '----:com.apple.iTunes:AIGC')?.value).toBe(JSON1);
  });
});

async function save(name: string, bytes: Uint8Array): Promise<string> {
  const f = path.join(dir, name);
  await writeFile(f, bytes);
  return f;
}

describe('contract edges', () => {
  it('fill() refuses a store of another length; length 0 means no C2PA box', async () => {
    const src = await open(fx('seed.mp4'));
    const plan = await mp4Handler.planEmbed(src, 100);
    expect(() => plan.fill(new Uint8Array(99))).toThrow(InvalidArgumentError);
    const none = await mp4Handler.planEmbed(src, 0, { gb45438: LABEL });
    const bytes = await partsToBytes(src, none.fill(new Uint8Array(0)));
    expect(countOccurrences(bytes, C2PA_UUID)).toBe(0);
    expect((await mp4Handler.readLabels(new BufferSource(bytes)))[0]!.raw).toBe(JSON1);
    await expect(mp4Handler.planEmbed(src, -1)).rejects.toThrow(InvalidArgumentError);
    await expect(mp4Handler.planEmbed(src, 1.5)).rejects.toThrow(InvalidArgumentError);
    await src.close();
  });

  it('reports two C2PA manifest boxes as MultipleManifestsError', async () => {
    const once = await embed(await open(fx('seed.mp4')), 40);
    const top = topLevel(once);
    const [, uo, us] = top[1]!;
    const twice = concatBytes([once, once.subarray(uo, uo + us)]);
    await expect(mp4Handler.readManifest(new BufferSource(twice))).rejects.toMatchObject({ code: 'MULTIPLE_MANIFESTS' });
  });

  it('plans fragmented MP4 (one file with moofs): the store reads back (interop in mp4-fragmented.test.ts)', async () => {
    const frag = path.join(dir, 'frag.mp4');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-nostdin',
      '-i',
      fx('seed.mp4'),
      '-c',
      'copy',
      '-movflags',
      'frag_keyframe+empty_moov',
      frag,
    ]);
    const src = await open(frag);
    const out = await embed(src, 10);
    expect(
      topLevel(out)
        .map(([t]) => t)
        .slice(0, 3),
    ).toEqual(['ftyp', 'uuid', 'moov']);
    await src.close();
  });

  it('gives typed errors quickly on the hostile fixtures', async () => {
    const deep = await open(fx('deep-moov.mp4'));
    await expect(mp4Handler.planEmbed(deep, 10)).rejects.toThrow(LimitExceededError);
    await deep.close();
    for (const name of ['past-eof.mp4', 'huge-largesize.mp4', 'truncated.mp4']) {
      const src = await open(fx(name));
      await expect(mp4Handler.readManifest(src), name).rejects.toThrow(MalformedInputError);
      await expect(mp4Handler.readLabels(src), name).rejects.toThrow(MalformedInputError);
      await expect(mp4Handler.planEmbed(src, 10), name).rejects.toThrow(MalformedInputError);
      await src.close();
    }
  });
});
