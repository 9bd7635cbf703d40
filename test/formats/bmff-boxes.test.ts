import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { MAX_BMFF_DEPTH, MAX_SEGMENTS } from '../../src/binary/limits.ts';
import { LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { listBoxes, metaChildrenStart, readBoxHeader, readFullBoxHeader, walkBoxes } from '../../src/formats/bmff/bmff-boxes.ts';
import { boxHeader, makeBox, makeFullBox, u32be } from '../../src/formats/bmff/bmff-writer.ts';
import { nestedMoov } from '../../scripts/fixtures/30-video.ts';
import { fx } from './bmff-helpers.ts';

const src = (b: Uint8Array): BufferSource => new BufferSource(b);

describe('readBoxHeader', () => {
  it('reads 32-bit, 64-bit largesize, size 0 and uuid headers', async () => {
    const plain = makeBox('free', new Uint8Array(4));
    expect(await readBoxHeader(src(plain), 0, plain.length)).toMatchObject({ type: 'free', size: 12, headerSize: 8, largeSize: false });

    const large = new Uint8Array([...boxHeader('mdat', 20, { largeSize: true }), 1, 2, 3, 4]);
    expect(await readBoxHeader(src(large), 0, large.length)).toMatchObject({ type: 'mdat', size: 20, headerSize: 16, largeSize: true });

    const toEnd = new Uint8Array([0, 0, 0, 0, ...Buffer.from('mdat'), 9, 9, 9]);
    expect(await readBoxHeader(src(toEnd), 0, toEnd.length)).toMatchObject({ size: 11, toEnd: true });

    const ut = new Uint8Array(16).fill(0xab);
    const uuid = boxHeader('uuid', 24 + 2, { userType: ut });
    const h = await readBoxHeader(src(new Uint8Array([...uuid, 0, 0])), 0, 26);
    expect(h.headerSize).toBe(24);
    expect(Buffer.from(h.userType!).equals(Buffer.from(ut))).toBe(true);
  });

  it('rejects a size past the end, below the header, and above MAX_SAFE_INTEGER', async () => {
    const past = new Uint8Array([...u32be(100), ...Buffer.from('mdat'), 0, 0]);
    await expect(readBoxHeader(src(past), 0, past.length)).rejects.toThrow(MalformedInputError);
    const small = new Uint8Array([...u32be(5), ...Buffer.from('free'), 0, 0]);
    await expect(readBoxHeader(src(small), 0, small.length)).rejects.toThrow(/smaller than its/);
    const huge = new Uint8Array([...u32be(1), ...Buffer.from('mdat'), 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0]);
    await expect(readBoxHeader(src(huge), 0, huge.length)).rejects.toThrow(/MAX_SAFE_INTEGER/);
    await expect(readBoxHeader(src(new Uint8Array(5)), 0, 5)).rejects.toThrow(/truncated/);
  });

  it('reads FullBox version and flags', async () => {
    const fb = makeFullBox('mvhd', 1, 0x010203, new Uint8Array(4));
    expect(await readFullBoxHeader(src(fb), await readBoxHeader(src(fb), 0, fb.length))).toEqual({ version: 1, flags: 0x010203 });
  });

  it('writes a largesize header for boxes of 4 GiB or more without allocating them', () => {
    const h = boxHeader('mdat', 5_000_000_000);
    expect(h.length).toBe(16);
    expect(Buffer.from(h).readUInt32BE(0)).toBe(1);
    expect(Buffer.from(h).readBigUInt64BE(8)).toBe(5_000_000_000n);
  });
});

describe('listBoxes / walkBoxes limits', () => {
  it(`walks moov nested exactly MAX_BMFF_DEPTH (${MAX_BMFF_DEPTH}) deep`, async () => {
    const d = nestedMoov(MAX_BMFF_DEPTH - 1); // ftyp at depth 1 + moov chain reaching depth MAX
    let deepest = 0;
    await walkBoxes(src(d), (_b, _p, depth) => {
      deepest = Math.max(deepest, depth);
    });
    expect(deepest).toBe(MAX_BMFF_DEPTH - 1);
    const exact = nestedMoov(MAX_BMFF_DEPTH);
    deepest = 0;
    await walkBoxes(src(exact), (_b, _p, depth) => {
      deepest = Math.max(deepest, depth);
    });
    expect(deepest).toBe(MAX_BMFF_DEPTH);
  });

  it('throws LimitExceededError one level past MAX_BMFF_DEPTH', async () => {
    await expect(walkBoxes(src(nestedMoov(MAX_BMFF_DEPTH + 1)), () => undefined)).rejects.toThrow(LimitExceededError);
  });

  it('throws LimitExceededError quickly on the 1000-deep moov fixture', async () => {
    const f = await FileSource.open(fx('deep-moov.mp4'));
    try {
      await expect(walkBoxes(f, () => undefined)).rejects.toMatchObject({ limit: 'MAX_BMFF_DEPTH' });
    } finally {
      await f.close();
    }
  });

  it(`accepts MAX_SEGMENTS (${MAX_SEGMENTS}) boxes at one level and refuses one more`, async () => {
    const n = MAX_SEGMENTS + 1;
    const b = new Uint8Array(n * 8);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < n; i++) {
      dv.setUint32(i * 8, 8);
      b.set([0x66, 0x72, 0x65, 0x65], i * 8 + 4);
    }
    const atLimit = b.subarray(0, MAX_SEGMENTS * 8);
    expect((await listBoxes(src(atLimit), 0, atLimit.length)).boxes.length).toBe(MAX_SEGMENTS);
    await expect(listBoxes(src(b), 0, b.length)).rejects.toMatchObject({ limit: 'MAX_SEGMENTS' });
  });

  it('rejects top-level trailing bytes but keeps a nested zero terminator', async () => {
    const top = new Uint8Array([...makeBox('free'), 0, 0, 0, 0]);
    await expect(listBoxes(src(top), 0, top.length)).rejects.toThrow(/trailing/);
    const udta = makeBox('udta', makeBox('free'), new Uint8Array(4));
    const list = await listBoxes(src(udta), 8, udta.length, 2);
    expect(list.boxes.map((b) => b.type)).toEqual(['free']);
    expect(list.trailingStart).toBe(16);
  });

  it('tells ISO FullBox meta from QuickTime meta', async () => {
    const hdlr = makeFullBox('hdlr', 0, 0, new Uint8Array(4), Buffer.from('mdta'), new Uint8Array(13));
    const iso = makeFullBox('meta', 0, 0, hdlr);
    const qt = makeBox('meta', hdlr);
    expect(await metaChildrenStart(src(iso), await readBoxHeader(src(iso), 0, iso.length))).toBe(12);
    expect(await metaChildrenStart(src(qt), await readBoxHeader(src(qt), 0, qt.length))).toBe(8);
  });

  it('gives MalformedInputError for the past-EOF, huge-largesize and truncated fixtures', async () => {
    for (const name of ['past-eof.mp4', 'huge-largesize.mp4', 'truncated.mp4']) {
      const b = new Uint8Array(await readFile(fx(name)));
      await expect(listBoxes(src(b), 0, b.length), name).rejects.toThrow(MalformedInputError);
    }
  });

  it('reads the 64-bit largesize fixture', async () => {
    const b = new Uint8Array(await readFile(fx('largesize.mp4')));
    const { boxes } = await listBoxes(src(b), 0, b.length);
    const mdat = boxes.find((x) => x.type === 'mdat')!;
    expect(mdat.largeSize).toBe(true);
    expect(mdat.headerSize).toBe(16);
    expect(boxes.map((x) => x.type)).toEqual(['ftyp', 'mdat', 'moov']);
  });
});
