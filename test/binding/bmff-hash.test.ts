import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import type { Part } from '../../src/binary/parts.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { C2PA_UUID } from '../../src/formats/bmff/bmff-c2pa-box.ts';
import { bmffHashOfSource, bmffHashSpans, type BmffExclusion, defaultBmffExclusions, HASH_CHUNK } from '../../src/binding/bmff-hash.ts';
import { PartsSource } from '../../src/binary/parts-source.ts';
import { boxHeader, concatBytes, makeBox, makeFullBox, u64be } from '../../src/formats/bmff/bmff-writer.ts';

/** A synthetic file whose boxes we know, with an mdat crossing several hash chunks. */
function synthetic() {
  const ftyp = makeBox('ftyp', Buffer.from('isom'), new Uint8Array(4), Buffer.from('isommp41'));
  const c2pa = concatBytes([boxHeader('uuid', 24 + 20, { userType: C2PA_UUID }), new Uint8Array(20).fill(1)]);
  const other = concatBytes([boxHeader('uuid', 24 + 6, { userType: new Uint8Array(16).fill(7) }), new Uint8Array(6).fill(2)]);
  const free = makeBox('free');
  const payload = new Uint8Array(2 * HASH_CHUNK + HASH_CHUNK / 2 + 3);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) & 0xff;
  const mdat = makeBox('mdat', payload);
  const mvhd = makeFullBox('mvhd', 0, 0, new Uint8Array(96).fill(3));
  const moov = makeBox('moov', mvhd, makeBox('trak', makeBox('tkhd', new Uint8Array(8).fill(4))));
  const skip = makeBox('skip', new Uint8Array(5));
  const boxes = { ftyp, c2pa, free, mdat, other, moov, skip };
  const order = ['ftyp', 'c2pa', 'free', 'mdat', 'other', 'moov', 'skip'] as const;
  const offsets: Record<string, number> = {};
  let at = 0;
  for (const k of order) {
    offsets[k] = at;
    at += boxes[k].length;
  }
  return { file: concatBytes(order.map((k) => boxes[k])), boxes, offsets };
}

/** The rule, written out independently: u64 offset ‖ bytes for each included box. */
function expected(pieces: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of pieces) h.update(p);
  return h.digest('hex');
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('c2pa.hash.bmff.v3 hash input', () => {
  const s = synthetic();
  const src = new BufferSource(s.file);

  it('defaults to the SDK exclusions: /uuid (C2PA, by data at 8), /ftyp, /mfra, /free, /skip', () => {
    const ex = defaultBmffExclusions();
    expect(ex.map((e) => e.xpath)).toEqual(['/uuid', '/ftyp', '/mfra', '/free', '/skip']);
    expect(ex[0]!.data![0]!.offset).toBe(8);
    expect(hex(ex[0]!.data![0]!.value)).toBe('d8fec3d61b0e483c92975828877ec481');
  });

  it('hashes u64 offset ‖ box for each top-level box not excluded, in file order', async () => {
    const { boxes: b, offsets: o } = s;
    const want = expected([u64be(o.mdat!), b.mdat, u64be(o.other!), b.other, u64be(o.moov!), b.moov]);
    expect(hex(await bmffHashOfSource(src))).toBe(want);
    const spans = await bmffHashSpans(src, defaultBmffExclusions());
    expect(spans.map((x) => x.type)).toEqual(['mdat', 'uuid', 'moov']);
  });

  it('keeps a uuid box whose extended type does not match, and excludes by length', async () => {
    const { boxes: b, offsets: o } = s;
    const ex: BmffExclusion[] = [{ xpath: '/uuid', length: b.other.length }, { xpath: '/ftyp' }];
    const want = expected([
      u64be(o.c2pa!),
      b.c2pa,
      u64be(o.free!),
      b.free,
      u64be(o.mdat!),
      b.mdat,
      u64be(o.moov!),
      b.moov,
      u64be(o.skip!),
      b.skip,
    ]);
    expect(hex(await bmffHashOfSource(src, ex))).toBe(want);
  });

  it('subset exclusions keep the box offset and the bytes outside the subset', async () => {
    const { boxes: b, offsets: o } = s;
    const ex = [...defaultBmffExclusions(), { xpath: '/mdat', subset: [{ offset: 16, length: 0 }] }];
    const want = expected([u64be(o.mdat!), b.mdat.subarray(0, 16), u64be(o.other!), b.other, u64be(o.moov!), b.moov]);
    expect(hex(await bmffHashOfSource(src, ex))).toBe(want);
  });

  it('nested xpaths cut the box out of its top-level parent; version/flags filter FullBoxes', async () => {
    const { boxes: b, offsets: o } = s;
    const mvhdLen = 8 + 4 + 96;
    const moovMinus = concatBytes([b.moov.subarray(0, 8), b.moov.subarray(8 + mvhdLen)]);
    const ex = [...defaultBmffExclusions(), { xpath: '/moov/mvhd', version: 0 }];
    expect(hex(await bmffHashOfSource(src, ex))).toBe(
      expected([u64be(o.mdat!), b.mdat, u64be(o.other!), b.other, u64be(o.moov!), moovMinus]),
    );
    const noMatch = [...defaultBmffExclusions(), { xpath: '/moov/mvhd', version: 1 }];
    expect(hex(await bmffHashOfSource(src, noMatch))).toBe(hex(await bmffHashOfSource(src)));
    const flags = [...defaultBmffExclusions(), { xpath: '/moov/mvhd', flags: Uint8Array.of(0, 0, 1), exact: false }];
    expect(hex(await bmffHashOfSource(src, flags))).toBe(
      expected([u64be(o.mdat!), b.mdat, u64be(o.other!), b.other, u64be(o.moov!), moovMinus]),
    );
  });

  it('equals over parts split at every kind of boundary (noble-style partial test)', async () => {
    const whole = hex(await bmffHashOfSource(src));
    const len = s.file.length;
    // fine splits over the box headers at both ends, coarse ones through mdat
    for (const [step, fine] of [
      [1, 256],
      [7, 512],
      [8, 512],
      [4096, 0],
      [HASH_CHUNK - 1, 0],
      [HASH_CHUNK + 1, 0],
    ] as const) {
      const parts: Part[] = [];
      for (let at = 0, i = 0; at < len; i++) {
        const inFine = at < fine || at >= len - fine;
        const n = Math.min(inFine ? step * (1 + (i % 3)) : fine ? len - fine - at : step * (1 + (i % 3)), len - at);
        parts.push(i % 2 ? { bytes: s.file.slice(at, at + n) } : { copy: { offset: at, length: n } });
        if (i % 5 === 0) parts.push({ bytes: new Uint8Array(0) });
        at += n;
      }
      expect(hex(await bmffHashOfSource(new PartsSource(src, parts))), `step ${step}`).toBe(whole);
    }
  });

  it('gives the same hash from a FileSource (double-buffered fast path) and over parts of it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bmff-hash-'));
    const f = path.join(dir, 'syn.mp4');
    await writeFile(f, s.file);
    const fsrc = await FileSource.open(f);
    try {
      const whole = hex(await bmffHashOfSource(src));
      expect(hex(await bmffHashOfSource(fsrc))).toBe(whole);
      const cut = s.offsets.mdat! + 12345;
      const parts: Part[] = [
        { copy: { offset: 0, length: cut } },
        { bytes: s.file.slice(cut, cut + 3) },
        { copy: { offset: cut + 3, length: s.file.length - cut - 3 } },
      ];
      expect(hex(await bmffHashOfSource(new PartsSource(fsrc, parts)))).toBe(whole);
    } finally {
      await fsrc.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('PartsSource reads across parts exactly like the materialised bytes', async () => {
    const parts: Part[] = [
      { copy: { offset: 0, length: 10 } },
      { bytes: Uint8Array.of(1, 2, 3) },
      { bytes: new Uint8Array(0) },
      { copy: { offset: 50, length: 20 } },
    ];
    const ps = new PartsSource(src, parts);
    const flat = concatBytes([s.file.subarray(0, 10), Uint8Array.of(1, 2, 3), s.file.subarray(50, 70)]);
    expect(ps.size).toBe(flat.length);
    for (const [o, l] of [
      [0, 33],
      [9, 2],
      [10, 3],
      [12, 5],
      [13, 20],
      [32, 1],
    ] as const) {
      expect(hex(await ps.read(o, l)), `${o}+${l}`).toBe(hex(flat.subarray(o, o + l)));
    }
    await expect(ps.read(30, 4)).rejects.toThrow(/truncated/);
    expect([...ps.segments(8, 15)]).toEqual([{ offset: 8, length: 2 }, { bytes: Uint8Array.of(1, 2, 3) }, { offset: 50, length: 2 }]);
  });

  it('supports sha384/sha512 and rejects bad arguments', async () => {
    expect((await bmffHashOfSource(src, defaultBmffExclusions(), 'sha512')).length).toBe(64);
    await expect(bmffHashOfSource(src, [{ xpath: 'uuid' }])).rejects.toThrow(InvalidArgumentError);
    await expect(bmffHashOfSource(src, defaultBmffExclusions(), 'md5' as never)).rejects.toThrow(InvalidArgumentError);
  });
});
