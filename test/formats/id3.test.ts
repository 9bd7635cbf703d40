import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BufferSource, type ByteSource } from '../../src/binary/byte-source.ts';
import { MAX_ID3_TAG_SIZE, MAX_ID3_TAGS, MAX_ID3_UNSYNC_BYTES } from '../../src/binary/limits.ts';
import { openUnsynchronised } from '../../src/formats/common/id3-unsync.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { LimitExceededError, MalformedInputError, MultipleManifestsError, ToolkitError, UnsupportedFormatError } from '../../src/errors.ts';
import {
  decodeGeobHeader,
  decodeText,
  decodeTxxx,
  deunsynchronise,
  id3TagLength,
  isId3Header,
  readId3Tag,
  readLeadingId3Tags,
} from '../../src/formats/common/id3.ts';
import { frameAsV24, syncsafeBytes, tagHeaderV24 } from '../../src/formats/common/id3-write.ts';
import { ID3_AIGC_CARRIER, ID3_XMP_CARRIER, readId3Labels, readId3Manifest, rebuildId3Tag } from '../../src/formats/common/id3-carrier.ts';
import { IPTC_CARRIER_PREFIX } from '../../src/labels/implicit/types.ts';
import { serializeGb45438 } from '../../src/labels/implicit/gb45438.ts';
import { TRAINED_ALGORITHMIC_MEDIA } from '../../src/labels/implicit/types.ts';
import { writeXmpLabels } from '../../src/labels/implicit/xmp.ts';
import { sampleLabel } from './riff-kit.ts';
import { gen } from '../helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const cat = (...a: Uint8Array[]) => new Uint8Array(Buffer.concat(a));
const be32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

function tag(version: number, flags: number, body: Uint8Array): Uint8Array {
  return cat(latin1('ID3'), Uint8Array.of(version, 0, flags), syncsafeBytes(body.length), body);
}
const frame24 = (id: string, payload: Uint8Array, flags = 0) =>
  cat(latin1(id), syncsafeBytes(payload.length), Uint8Array.of(flags >> 8, flags & 0xff), payload);
const frame23 = (id: string, payload: Uint8Array, flags = 0) =>
  cat(latin1(id), be32(payload.length), Uint8Array.of(flags >> 8, flags & 0xff), payload);
const frame22 = (id: string, payload: Uint8Array) =>
  cat(latin1(id), Uint8Array.of(payload.length >> 16, (payload.length >> 8) & 0xff, payload.length & 0xff), payload);
const txxx = (desc: string, value: string) => cat(Uint8Array.of(3), enc(desc), Uint8Array.of(0), enc(value));
const geob = (mime: string, store: Uint8Array) =>
  cat(Uint8Array.of(0), latin1(mime), Uint8Array.of(0), latin1('c2pa'), Uint8Array.of(0), latin1('desc'), Uint8Array.of(0), store);

const src = (b: Uint8Array) => new BufferSource(b);

describe('ID3v2 reader', () => {
  it('reads ffmpeg v2.4 and v2.3 tags frame by frame', async () => {
    for (const [name, version, ids] of [
      ['seed-id3.mp3', 4, ['TIT2', 'TPE1']],
      ['seed-id3v23.mp3', 3, ['TIT2', 'TALB']],
    ] as const) {
      const bytes = new Uint8Array(await readFile(gen('audio', name)));
      const t = await readId3Tag(src(bytes), 0);
      expect(t.version).toBe(version);
      expect(t.frames.map((f) => f.id)).toEqual(ids);
      expect(id3TagLength(bytes)).toBe(t.length);
      expect(bytes[t.length]).toBe(0xff);
    }
  });

  it('rejects bad sync-safe sizes, sizes past the end, bad ids and unknown versions', async () => {
    for (const name of ['bad-syncsafe.mp3', 'bad-frame-syncsafe.mp3', 'id3-past-eof.mp3', 'truncated-id3.mp3']) {
      await expect(readLeadingId3Tags(src(new Uint8Array(await readFile(gen('audio', name)))))).rejects.toThrow(MalformedInputError);
    }
    await expect(readId3Tag(src(tag(4, 0, cat(frame24('TIT2', enc('x')), latin1('ab'))).slice(0, 15)), 0)).rejects.toThrow(
      MalformedInputError,
    );
    await expect(readId3Tag(src(tag(4, 0, frame24('tit2', enc('x')))), 0)).rejects.toThrow(/invalid frame id/);
    const long = tag(4, 0, frame24('TIT2', enc('xyz')));
    long[10 + 7] = 50; // frame size 50 inside a 13-byte body
    await expect(readId3Tag(src(long), 0)).rejects.toThrow(/runs past the end of the tag/);
    await expect(readId3Tag(src(tag(5, 0, new Uint8Array(4))), 0)).rejects.toThrow(/ID3v2.5/);
    expect(id3TagLength(Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, 0x80, 0, 0, 0))).toBeUndefined();
    expect(isId3Header(latin1('ID3\x04\x00'))).toBe(true);
    expect(isId3Header(latin1('ID2\x04\x00'))).toBe(false);
  });

  it('counts a v2.4 footer in the tag length', async () => {
    const body = frame24('TIT2', cat(Uint8Array.of(3), enc('x')));
    const withFooter = cat(tag(4, 0x10, body), latin1('3DI\x04\x00\x10'), syncsafeBytes(body.length), Uint8Array.of(0xff, 0xfb));
    const { tags, end } = await readLeadingId3Tags(src(withFooter));
    expect(tags[0]!.length).toBe(20 + body.length);
    expect(end).toBe(20 + body.length);
    expect(id3TagLength(withFooter)).toBe(20 + body.length);
  });

  it('skips v2.3 and v2.4 extended headers and validates their size', async () => {
    const v24 = tag(4, 0x40, cat(syncsafeBytes(6), Uint8Array.of(1, 0), frame24('TXXX', txxx('AIGC', '{"Label":"1"}'))));
    expect((await readId3Tag(src(v24), 0)).frames.map((f) => f.id)).toEqual(['TXXX']);
    const v23 = tag(3, 0x40, cat(be32(6), new Uint8Array(6), frame23('TXXX', txxx('AIGC', 'v'))));
    expect((await readId3Labels([await readId3Tag(src(v23), 0)]))[0]!.raw).toBe('v');
    await expect(readId3Tag(src(tag(4, 0x40, cat(syncsafeBytes(500), new Uint8Array(10)))), 0)).rejects.toThrow(/extended header/);
  });

  it('undoes whole-tag unsynchronisation (v2.3) and frame unsynchronisation with a data length indicator (v2.4)', async () => {
    const value = latin1('\xff\xe0\xff');
    const v23body = cat(frame23('TXXX', cat(Uint8Array.of(0), latin1('AIGC'), Uint8Array.of(0), value)));
    const unsynced = Buffer.from(Buffer.from(v23body).toString('latin1').replace(/\xff/g, '\xff\x00'), 'latin1');
    const t = await readId3Tag(src(tag(3, 0x80, new Uint8Array(unsynced))), 0);
    expect(t.bodyInSource).toBe(false);
    expect((await readId3Labels([t]))[0]!.raw).toBe('\xff\xe0\xff');
    const store = Uint8Array.of(0xff, 0x00, 0xff, 0xe1, 7);
    const payload = geob('application/c2pa', store);
    const stored = new Uint8Array(Buffer.from(Buffer.from(payload).toString('latin1').replace(/\xff/g, '\xff\x00'), 'latin1'));
    const framed = frame24('GEOB', cat(syncsafeBytes(payload.length), stored), 0x0003);
    expect(await readId3Manifest([await readId3Tag(src(tag(4, 0, framed)), 0)])).toEqual(store);
    expect(deunsynchronise(Uint8Array.of(0xff, 0, 0, 0xff, 0))).toEqual(Uint8Array.of(0xff, 0, 0xff));
  });

  it('decodes TXXX in every text encoding, and GEOB headers', () => {
    const bom16 = (s: string) => cat(Uint8Array.of(0xff, 0xfe), new Uint8Array(Buffer.from(s, 'utf16le')));
    expect(decodeTxxx(cat(Uint8Array.of(0), latin1('AIGC\0v\xe9')))).toEqual({ description: 'AIGC', value: 'vé' });
    expect(decodeTxxx(cat(Uint8Array.of(1), bom16('AIGC'), Uint8Array.of(0, 0), bom16('{"a":1}'), Uint8Array.of(0, 0)))).toEqual({
      description: 'AIGC',
      value: '{"a":1}',
    });
    expect(
      decodeTxxx(
        cat(
          Uint8Array.of(2),
          new Uint8Array(Buffer.from('\0A\0I', 'latin1')),
          Uint8Array.of(0, 0),
          new Uint8Array(Buffer.from('\0x', 'latin1')),
        ),
      ),
    ).toEqual({ description: 'AI', value: 'x' });
    expect(decodeTxxx(txxx('AIGC', '标签'))).toEqual({ description: 'AIGC', value: '标签' });
    expect(() => decodeTxxx(Uint8Array.of(9, 65, 0))).toThrow(MalformedInputError);
    expect(() => decodeTxxx(Uint8Array.of(3, 65, 66))).toThrow(/not terminated/);
    expect(decodeGeobHeader(geob('application/c2pa', Uint8Array.of(1, 2)))).toEqual({
      mime: 'application/c2pa',
      filename: 'c2pa',
      description: 'desc',
      objectOffset: 1 + 17 + 5 + 5,
    });
    expect(decodeGeobHeader(latin1('\0application/c2pa'))).toBeUndefined();
    expect(decodeText(latin1('\xe9'.repeat(10_000)), 0)).toHaveLength(10_000);
  });

  it('reads the current and the legacy C2PA GEOB MIME type, and refuses two stores', async () => {
    const store = enc('store-bytes');
    for (const mime of ['application/c2pa', 'application/x-c2pa-manifest-store']) {
      expect(await readId3Manifest([await readId3Tag(src(tag(4, 0, frame24('GEOB', geob(mime, store)))), 0)])).toEqual(store);
    }
    expect(await readId3Manifest([await readId3Tag(src(tag(4, 0, frame24('GEOB', geob('image/png', store)))), 0)])).toBeUndefined();
    const two = tag(
      4,
      0,
      cat(frame24('GEOB', geob('application/c2pa', store)), frame24('GEOB', geob('application/x-c2pa-manifest-store', store))),
    );
    await expect(readId3Manifest([await readId3Tag(src(two), 0)])).rejects.toThrow(MultipleManifestsError);
  });

  it(`reads up to MAX_ID3_TAGS (${MAX_ID3_TAGS}) leading tags and refuses one more`, async () => {
    const one = tag(4, 0, frame24('TXXX', txxx('AIGC', 'x')));
    const many = (n: number) => cat(...Array.from({ length: n }, () => one), Uint8Array.of(0xff, 0xfb));
    const ok = await readLeadingId3Tags(src(many(MAX_ID3_TAGS)));
    expect(ok.tags).toHaveLength(MAX_ID3_TAGS);
    expect(ok.end).toBe(one.length * MAX_ID3_TAGS);
    expect(await readId3Labels(ok.tags)).toHaveLength(MAX_ID3_TAGS);
    await expect(readLeadingId3Tags(src(many(MAX_ID3_TAGS + 1)))).rejects.toMatchObject({ limit: 'MAX_ID3_TAGS' });
  });

  it(`undoes unsynchronisation in memory up to MAX_ID3_UNSYNC_BYTES (${MAX_ID3_UNSYNC_BYTES}) and lazily above it, with the same frames`, async () => {
    // A TXXX frame, then zero padding, in a tag of `size` bytes whose body is unsynchronised.
    const frame = cat(
      latin1('TXXX'),
      Uint8Array.of(0, 0, 0, 9, 0, 0),
      Uint8Array.of(0),
      latin1('AIGC'),
      Uint8Array.of(0),
      latin1('\xff\x00x'),
    );
    const body = cat(frame.subarray(0, 10), Uint8Array.of(0), latin1('AIGC'), Uint8Array.of(0), Uint8Array.of(0xff, 0x00, 0x00, 0x78));
    const big = (size: number): ByteSource => ({
      size: 10 + size,
      async read(offset, length) {
        const all = new Uint8Array(length);
        const head = cat(latin1('ID3'), Uint8Array.of(3, 0, 0x80), syncsafeBytes(size), body);
        if (offset < head.length) all.set(head.subarray(offset, offset + length));
        return all;
      },
    });
    for (const size of [MAX_ID3_UNSYNC_BYTES, MAX_ID3_UNSYNC_BYTES + 1]) {
      const tag = await readId3Tag(big(size), 0);
      expect(tag.body.size).toBe(size - 1);
      expect(tag.frames.map((f) => [f.id, f.size])).toEqual([['TXXX', 9]]);
      expect(await tag.body.read(10, 9)).toEqual(cat(Uint8Array.of(0), latin1('AIGC'), Uint8Array.of(0), Uint8Array.of(0xff, 0x00, 0x78)));
    }
  });

  it('decodes lazily exactly as deunsynchronise does, at every offset and across checkpoints', async () => {
    const raw = new Uint8Array(3000);
    let x = 7;
    for (let i = 0; i < raw.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      raw[i] = [0xff, 0x00, 0xff, 0x00, 0x41, x & 0xff][x % 6]!;
    }
    const whole = deunsynchronise(raw);
    const lazy = await openUnsynchronised(new BufferSource(raw), 0, raw.length, 64);
    expect(lazy.size).toBe(whole.length);
    expect(lazy.removed).toBe(raw.length - whole.length);
    for (let o = 0; o < whole.length; o += 37) {
      const l = Math.min(whole.length - o, 1 + (o % 200));
      expect(await lazy.read(o, l)).toEqual(whole.subarray(o, o + l));
    }
    expect(await lazy.read(0, whole.length)).toEqual(whole);
    await expect(lazy.read(whole.length, 1)).rejects.toBeInstanceOf(ToolkitError);
  });
});

describe('ID3v2.4 writer', () => {
  it(`encodes sync-safe sizes up to MAX_ID3_TAG_SIZE (${MAX_ID3_TAG_SIZE}) and refuses one more`, () => {
    expect(tagHeaderV24(MAX_ID3_TAG_SIZE).subarray(6)).toEqual(Uint8Array.of(0x7f, 0x7f, 0x7f, 0x7f));
    expect(() => tagHeaderV24(MAX_ID3_TAG_SIZE + 1)).toThrow(LimitExceededError);
    expect(syncsafeBytes(0x80)).toEqual(Uint8Array.of(0, 0, 1, 0));
  });

  it('converts v2.3 frames: sync-safe size, status flags, and prefix fields reordered', async () => {
    // v2.3: tag-alter-preservation + read-only, compressed + encrypted + grouped: [size 4][method 1][group 1]
    const payload = cat(be32(1000), Uint8Array.of(0x81, 0x42), enc('zlib-data'));
    const t = await readId3Tag(src(tag(3, 0, frame23('TXXX', payload, 0xa0e0))), 0);
    const b = await partsToBytes(src(tag(3, 0, frame23('TXXX', payload, 0xa0e0))), await frameAsV24(t, t.frames[0]!));
    expect(latin1('TXXX')).toEqual(b.subarray(0, 4));
    expect(b.subarray(4, 8)).toEqual(syncsafeBytes(payload.length));
    expect([b[8], b[9]]).toEqual([0x50, 0x40 | 0x08 | 0x04 | 0x01]);
    expect(b.subarray(10, 16)).toEqual(cat(Uint8Array.of(0x42, 0x81), syncsafeBytes(1000)));
    expect(Buffer.from(b.subarray(16)).toString()).toBe('zlib-data');
  });

  it('converts v2.2 frames (TT2 → TIT2, PIC → APIC) and refuses frames without an equivalent', async () => {
    const pic = cat(Uint8Array.of(0), latin1('JPG'), Uint8Array.of(3), latin1('cover\0'), Uint8Array.of(0xff, 0xd8));
    const bytes = tag(
      2,
      0,
      cat(
        frame22('TT2', cat(Uint8Array.of(0), latin1('Title'))),
        frame22('PIC', pic),
        frame22('TXX', cat(Uint8Array.of(0), latin1('AIGC\0j'))),
      ),
    );
    const tags = [await readId3Tag(src(bytes), 0)];
    expect(await readId3Labels(tags)).toEqual([{ kind: 'gb45438', foundIn: ID3_AIGC_CARRIER, raw: 'j' }]);
    const rebuilt = await rebuildId3Tag(tags, { manifestLength: 0, labels: { gb45438: sampleLabel() }, labelsInTag: false });
    const out = await partsToBytes(src(bytes), rebuilt.parts);
    const t = await readId3Tag(src(out), 0);
    expect(t.version).toBe(4);
    expect(t.frames.map((f) => f.id)).toEqual(['TIT2', 'APIC']);
    expect(Buffer.from(out).includes(Buffer.from('\0image/jpeg\0\x03cover\0\xff\xd8', 'latin1'))).toBe(true);
    const odd = tag(2, 0, frame22('CRM', enc('x')));
    await expect(rebuildId3Tag([await readId3Tag(src(odd), 0)], { manifestLength: 0, labelsInTag: true })).rejects.toThrow(
      UnsupportedFormatError,
    );
  });

  it('sets the frame unsync flag when copying from a tag-level unsynchronised v2.4 tag', async () => {
    const bytes = tag(4, 0x80, frame24('TIT2', cat(Uint8Array.of(3), enc('x'))));
    const t = await readId3Tag(src(bytes), 0);
    const out = await partsToBytes(src(bytes), await frameAsV24(t, t.frames[0]!));
    expect(out[9]).toBe(0x02);
  });

  it('rebuilds one v2.4 tag: kept frames, then TXXX:AIGC, then the GEOB placeholder', async () => {
    const bytes = tag(
      3,
      0,
      cat(frame23('TIT2', cat(Uint8Array.of(0), latin1('T'))), frame23('TXXX', cat(Uint8Array.of(0), latin1('AIGC\0old')))),
    );
    const tags = [await readId3Tag(src(bytes), 0)];
    const r = await rebuildId3Tag(tags, { manifestLength: 5, labels: { gb45438: sampleLabel('new') }, labelsInTag: true });
    const out = await partsToBytes(src(bytes), r.parts);
    expect(r.parts[r.placeholderIndex]).toEqual({ bytes: new Uint8Array(5) });
    const t = await readId3Tag(src(out), 0);
    expect(t.frames.map((f) => f.id)).toEqual(['TIT2', 'TXXX', 'GEOB']);
    expect(await readId3Labels([t])).toEqual([{ kind: 'gb45438', foundIn: ID3_AIGC_CARRIER, raw: serializeGb45438(sampleLabel('new')) }]);
    expect(await readId3Manifest([t])).toEqual(new Uint8Array(5));
    expect(await rebuildId3Tag([], { manifestLength: 0, labelsInTag: true })).toEqual({ parts: [], placeholderIndex: -1 });
  });

  it('reads XMP in a PRIV frame and replaces only the properties being written', async () => {
    const xmp = writeXmpLabels(undefined, { gb45438: sampleLabel('xmp'), digitalSourceType: TRAINED_ALGORITHMIC_MEDIA });
    const priv = frame24('PRIV', cat(latin1('XMP\0'), enc(xmp)));
    const bytes = tag(4, 0, cat(priv, frame24('PRIV', cat(latin1('other\0'), enc('x')))));
    const tags = [await readId3Tag(src(bytes), 0)];
    expect(await readId3Labels(tags)).toEqual([
      { kind: 'gb45438', foundIn: ID3_XMP_CARRIER, raw: serializeGb45438(sampleLabel('xmp')) },
      { kind: 'iptc-source-type', foundIn: `${IPTC_CARRIER_PREFIX} (${ID3_XMP_CARRIER})`, raw: TRAINED_ALGORITHMIC_MEDIA },
    ]);
    const r = await rebuildId3Tag(tags, { manifestLength: 0, labels: { gb45438: sampleLabel('txxx') }, labelsInTag: true });
    const t = await readId3Tag(src(await partsToBytes(src(bytes), r.parts)), 0);
    expect(t.frames.map((f) => f.id)).toEqual(['PRIV', 'PRIV', 'TXXX']);
    expect(await readId3Labels([t])).toEqual([
      { kind: 'iptc-source-type', foundIn: `${IPTC_CARRIER_PREFIX} (${ID3_XMP_CARRIER})`, raw: TRAINED_ALGORITHMIC_MEDIA },
      { kind: 'gb45438', foundIn: ID3_AIGC_CARRIER, raw: serializeGb45438(sampleLabel('txxx')) },
    ]);
    const kept = await rebuildId3Tag(tags, { manifestLength: 0, labelsInTag: true });
    expect(await partsToBytes(src(bytes), kept.parts)).toEqual(bytes);
  });
});
