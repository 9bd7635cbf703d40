import { readFile } from 'node:fs/promises';
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES, MAX_SEGMENTS } from '../../src/binary/limits.ts';
import { LimitExceededError, MalformedInputError, MultipleManifestsError } from '../../src/errors.ts';
import { crc32, crc32Final, crc32Update, CRC32_INIT } from '../../src/formats/common/crc32.ts';
import { pngHandler } from '../../src/formats/png.ts';
import { findUserComment } from '../../src/formats/common/exif.ts';
import { exifWithUserComment } from '../../scripts/fixtures/10-images.ts';
import { gen } from '../helpers.ts';
import { expectSameBytes, LABELS_1, makeFakeStore } from './conformance.ts';
import { stamp } from './jpeg-helpers.ts';

const src = (b: Uint8Array): BufferSource => new BufferSource(b);
const DOUBAO =
  '{"Label":"1","ContentProducer":"001191000000EXAMPLE01P10000","ProduceID":"20250901-doubao-0001","ReservedCode1":"","ContentPropagator":"001191000000EXAMPLE01P10000","PropagateID":"20250901-doubao-0001","ReservedCode2":""}';

/** A chunk built with node:zlib's CRC (independent of ours). */
function chunk(type: string, data: Uint8Array | string): Buffer {
  const d = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
  const h = Buffer.alloc(8);
  h.writeUInt32BE(d.length, 0);
  h.write(type, 4, 'latin1');
  const c = Buffer.alloc(4);
  c.writeUInt32BE(zlibCrc32(Buffer.concat([h.subarray(4), d])) >>> 0, 0);
  return Buffer.concat([h, d, c]);
}
const afterIhdr = (png: Uint8Array, ...chunks: Uint8Array[]): Buffer => Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);
/** Chunk types in order. */
function types(png: Uint8Array): string[] {
  const out: string[] = [];
  for (let p = 8; p + 8 <= png.length; ) {
    const len = Buffer.from(png.subarray(p, p + 4)).readUInt32BE(0);
    out.push(Buffer.from(png.subarray(p + 4, p + 8)).toString('latin1'));
    p += 12 + len;
  }
  return out;
}

let seed: Buffer;
beforeAll(async () => {
  seed = await readFile(gen('images', 'seed.png'));
});

describe('CRC-32', () => {
  it('matches the check value and node:zlib, incrementally', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (data, split) => {
        const k = Math.min(split, data.length);
        const inc = crc32Final(crc32Update(crc32Update(CRC32_INIT, data.subarray(0, k)), data.subarray(k)));
        return crc32(data) === zlibCrc32(data) >>> 0 && inc === crc32(data);
      }),
    );
  });
});

describe('PNG caBX store', () => {
  it('puts one caBX right after IHDR and excludes the whole chunk', async () => {
    const plan = await pngHandler.planEmbed(src(seed), 1000);
    expect(plan.exclusions).toEqual([{ offset: 33, length: 1012 }]);
    const out = await stamp(pngHandler, seed, 1000);
    expect(types(out).slice(0, 2)).toEqual(['IHDR', 'caBX']);
    expectSameBytes(out.subarray(33, 33 + 1012), chunk('caBX', makeFakeStore(1000)), 'caBX chunk with zlib CRC');
  });

  it('rejects two stores and a caBX with a bad CRC', async () => {
    const two = afterIhdr(seed, chunk('caBX', makeFakeStore(100)), chunk('caBX', makeFakeStore(100, 1)));
    await expect(pngHandler.readManifest(src(two))).rejects.toBeInstanceOf(MultipleManifestsError);
    expectSameBytes(await pngHandler.readManifest(src(await stamp(pngHandler, two, 60))), makeFakeStore(60), 'stamp replaces both');
    const bad = afterIhdr(seed, chunk('caBX', makeFakeStore(100)));
    bad[33 + 8 + 50] ^= 1;
    await expect(pngHandler.readManifest(src(bad))).rejects.toThrow(/CRC mismatch/);
  });

  it('reads a store of exactly MAX_MANIFEST_BYTES and refuses one byte more', async () => {
    const big = makeFakeStore(MAX_MANIFEST_BYTES);
    expect((await pngHandler.readManifest(src(afterIhdr(seed, chunk('caBX', big)))))!.length).toBe(MAX_MANIFEST_BYTES);
    const over = afterIhdr(seed, chunk('caBX', makeFakeStore(MAX_MANIFEST_BYTES + 1)));
    await expect(pngHandler.readManifest(src(over))).rejects.toBeInstanceOf(LimitExceededError);
  });
});

describe('PNG labels', () => {
  it('reads tEXt, zTXt and iTXt AIGC (bare JSON) and an eXIf UserComment wrapper', async () => {
    const wrapped = `{"AIGC":${DOUBAO}}`;
    const file = afterIhdr(
      seed,
      chunk('tEXt', `AIGC\0${DOUBAO}`),
      chunk('zTXt', Buffer.concat([Buffer.from('AIGC\0\0', 'latin1'), deflateSync(DOUBAO)])),
      chunk('iTXt', Buffer.concat([Buffer.from('AIGC\0\x01\0\0\0', 'latin1'), deflateSync(DOUBAO)])),
      chunk('eXIf', exifWithUserComment(wrapped)),
      chunk('tEXt', 'Comment\0not a label'),
    );
    expect(await pngHandler.readLabels(src(file))).toEqual([
      { kind: 'gb45438', foundIn: 'PNG tEXt AIGC', raw: DOUBAO },
      { kind: 'gb45438', foundIn: 'PNG zTXt AIGC', raw: DOUBAO },
      { kind: 'gb45438', foundIn: 'PNG iTXt AIGC', raw: DOUBAO },
      { kind: 'gb45438', foundIn: 'PNG eXIf UserComment', raw: wrapped },
    ]);
    const out = await stamp(pngHandler, file, 100, LABELS_1);
    expect(types(out).slice(0, 5)).toEqual(['IHDR', 'caBX', 'iTXt', 'eXIf', 'tEXt']);
    expect((await pngHandler.readLabels(src(out))).map((f) => f.foundIn)).toEqual([
      'PNG iTXt XMP',
      'IPTC DigitalSourceType (PNG iTXt XMP)',
    ]);
    const exif = out.subarray(out.indexOf(Buffer.from('eXIf')) + 4);
    expect(findUserComment(exif)).toMatchObject({ text: '' });
  });

  it('reads the Doubao tEXt fixture and replaces it with one XMP label', async () => {
    const file = await readFile(gen('images', 'doubao-like.png'));
    expect(await pngHandler.readLabels(src(file))).toEqual([{ kind: 'gb45438', foundIn: 'PNG tEXt AIGC', raw: DOUBAO }]);
    const out = await stamp(pngHandler, file, 100, LABELS_1);
    expect(types(out)).not.toContain('tEXt');
  });

  it('reads a compressed XMP iTXt and rewrites it uncompressed in place', async () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:T="http://www.tc260.org.cn/ns/AIGC/1.0/"><T:AIGC>{&quot;Label&quot;:&quot;2&quot;}</T:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>';
    const file = Buffer.concat([
      seed.subarray(0, seed.length - 12),
      chunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\x01\0\0\0', 'latin1'), deflateSync(xmp)])),
      seed.subarray(seed.length - 12),
    ]);
    expect(await pngHandler.readLabels(src(file))).toEqual([{ kind: 'gb45438', foundIn: 'PNG iTXt XMP', raw: '{"Label":"2"}' }]);
    const out = await stamp(pngHandler, file, 100, LABELS_1);
    const t = types(out);
    expect(t.filter((x) => x === 'iTXt').length).toBe(1);
    expect(t[t.length - 2]).toBe('iTXt'); // stays where it was (after IDAT)
    expect(out.includes(Buffer.from('<T:AIGC>{&quot;Label&quot;:&quot;1&quot;'))).toBe(true);
  });

  it('caps inflated text (zip bomb) and XMP chunks at MAX_METADATA_BYTES', async () => {
    const bomb = afterIhdr(
      seed,
      chunk('zTXt', Buffer.concat([Buffer.from('AIGC\0\0', 'latin1'), deflateSync(Buffer.alloc(MAX_METADATA_BYTES + 1, 0x20))])),
    );
    await expect(pngHandler.readLabels(src(bomb))).rejects.toBeInstanceOf(LimitExceededError);
    const okBomb = afterIhdr(
      seed,
      chunk('zTXt', Buffer.concat([Buffer.from('AIGC\0\0', 'latin1'), deflateSync(Buffer.alloc(MAX_METADATA_BYTES, 0x20))])),
    );
    expect((await pngHandler.readLabels(src(okBomb)))[0]!.raw).toBe('');
    const head = Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1');
    const packet = (n: number): Buffer => {
      const open = Buffer.from(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:T="http://www.tc260.org.cn/ns/AIGC/1.0/" T:AIGC="{}"/></rdf:RDF></x:xmpmeta>',
      );
      return Buffer.concat([head, open, Buffer.alloc(n - head.length - open.length, 0x20)]);
    };
    const atLimit = await pngHandler.readLabels(src(afterIhdr(seed, chunk('iTXt', packet(MAX_METADATA_BYTES)))));
    expect(atLimit).toEqual([{ kind: 'gb45438', foundIn: 'PNG iTXt XMP', raw: '{}' }]);
    await expect(pngHandler.readLabels(src(afterIhdr(seed, chunk('iTXt', packet(MAX_METADATA_BYTES + 1)))))).rejects.toBeInstanceOf(
      LimitExceededError,
    );
  });
});

describe('PNG hostile input', () => {
  const ops = (b: Uint8Array) => [
    () => pngHandler.readManifest(src(b)),
    () => pngHandler.readLabels(src(b)),
    () => pngHandler.planEmbed(src(b), 100, LABELS_1),
    () => pngHandler.planRemove(src(b)),
  ];

  it('gives MalformedInputError for truncation, overlong chunks, bad CRCs and a missing IHDR', async () => {
    for (const name of ['hostile/truncated.png', 'hostile/chunk-too-long.png']) {
      for (const op of ops(await readFile(gen('images', name)))) await expect(op(), name).rejects.toBeInstanceOf(MalformedInputError);
    }
    const badCrc = await readFile(gen('images', 'hostile/bad-crc-text.png'));
    await expect(pngHandler.readLabels(src(badCrc))).rejects.toThrow(/CRC mismatch in tEXt/);
    for (const cut of [0, 7, 8, 20, 33, 40]) {
      for (const op of ops(seed.subarray(0, cut))) await expect(op(), `cut ${cut}`).rejects.toBeInstanceOf(MalformedInputError);
    }
    const noIhdr = Buffer.concat([seed.subarray(0, 8), chunk('tEXt', 'a\0b'), seed.subarray(8)]);
    await expect(pngHandler.readManifest(src(noIhdr))).rejects.toThrow(/IHDR/);
    const badType = Buffer.from(seed);
    badType.write('1DAT', 33 + 4, 'latin1');
    await expect(pngHandler.readManifest(src(badType))).rejects.toThrow(/chunk type/);
    const huge = Buffer.from(seed);
    huge.writeUInt32BE(0x8000_0000, 33);
    await expect(pngHandler.readManifest(src(huge))).rejects.toThrow(/2\^31-1/);
  });

  it('counts chunks up to MAX_SEGMENTS and refuses one more', async () => {
    const empty = chunk('zzZz', '');
    const make = (total: number): Buffer => {
      const iend = seed.subarray(seed.length - 12);
      const body = seed.subarray(33, seed.length - 12);
      const existing = types(seed).length; // IHDR … IEND
      return Buffer.concat([seed.subarray(0, 33), Buffer.alloc((total - existing) * 12, empty), body, iend]);
    };
    expect(await pngHandler.readManifest(src(make(MAX_SEGMENTS)))).toBeUndefined();
    await expect(pngHandler.readManifest(src(make(MAX_SEGMENTS + 1)))).rejects.toBeInstanceOf(LimitExceededError);
  });
});
