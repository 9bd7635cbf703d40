import { describe, expect, it } from 'vitest';
import { type ByteSource, checkRange } from '../../src/binary/byte-source.ts';
import { MAX_BMFF_MOOV_BYTES } from '../../src/binary/limits.ts';
import { MalformedInputError } from '../../src/errors.ts';
import { mp4Handler } from '../../src/formats/mp4.ts';
import { type BoxHeader, listBoxes, walkBoxes } from '../../src/formats/bmff/bmff-boxes.ts';
import { PartsSource } from '../../src/binary/parts-source.ts';
import { boxHeader, concatBytes, makeBox, makeFullBox, u32be } from '../../src/formats/bmff/bmff-writer.ts';

const FOUR_GIB = 2 ** 32;

/** A file of `size` bytes whose first bytes are `head` and the rest zeros, never allocated. */
class VirtualSource implements ByteSource {
  constructor(
    private readonly head: Uint8Array,
    readonly size: number,
  ) {}
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.size, offset, length);
    const out = new Uint8Array(length);
    if (offset < this.head.length) out.set(this.head.subarray(offset, Math.min(this.head.length, offset + length)));
    return out;
  }
}

const ftyp = makeBox('ftyp', Buffer.from('isom'), u32be(512), Buffer.from('isommp41'));

function moovWith(stco: number[], saio: number[]): Uint8Array {
  const stcoBox = makeFullBox('stco', 0, 0, u32be(stco.length), ...stco.map(u32be));
  const saioBox = makeFullBox('saio', 0, 0, u32be(saio.length), ...saio.map(u32be));
  const stbl = makeBox('stbl', stcoBox, saioBox);
  return makeBox('moov', makeFullBox('mvhd', 0, 0, new Uint8Array(96)), makeBox('trak', makeBox('mdia', makeBox('minf', stbl))));
}

async function tables(src: ByteSource): Promise<Record<string, { version: number; values: number[] }>> {
  const out: Record<string, { version: number; values: number[] }> = {};
  const found: BoxHeader[] = [];
  await walkBoxes(src, (b) => {
    if (['stco', 'co64', 'saio'].includes(b.type)) found.push(b);
  });
  for (const b of found) {
    const p = await src.read(b.offset + 8, b.size - 8);
    const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const n = dv.getUint32(4);
    const wide = b.type === 'co64' || (b.type === 'saio' && p[0] === 1);
    out[b.type] = {
      version: p[0]!,
      values: Array.from({ length: n }, (_, i) => (wide ? Number(dv.getBigUint64(8 + i * 8)) : dv.getUint32(8 + i * 4))),
    };
  }
  return out;
}

const c2paBoxSize = (store: number): number => 8 + 16 + 4 + 9 + 8 + store;

describe('MAX_BMFF_MOOV_BYTES', () => {
  const fileWithMoov = (moovSize: number): VirtualSource => {
    const head = concatBytes([ftyp, boxHeader('moov', moovSize)]); // rest of moov: zeros (one size-0 child)
    return new VirtualSource(head, ftyp.length + moovSize);
  };
  it(`loads a moov of exactly ${MAX_BMFF_MOOV_BYTES} bytes and refuses one byte more`, async () => {
    const plan = await mp4Handler.planEmbed(fileWithMoov(MAX_BMFF_MOOV_BYTES), 10);
    expect(plan.parts.length).toBeGreaterThan(0);
    await expect(mp4Handler.planEmbed(fileWithMoov(MAX_BMFF_MOOV_BYTES + 1), 10)).rejects.toMatchObject({ limit: 'MAX_BMFF_MOOV_BYTES' });
  });
});

describe('chunk offsets past 4 GiB (virtual 4 GiB files, nothing allocated)', () => {
  it('moov first: widens stco to co64 and counts the moov growth in the shift', async () => {
    const probe = moovWith([0, 0], [0]);
    const mdatAt = ftyp.length + probe.length;
    const size = FOUR_GIB + 4096;
    const moov = moovWith([mdatAt + 16, FOUR_GIB - 500], [mdatAt + 100]);
    const head = concatBytes([ftyp, moov, boxHeader('mdat', size - mdatAt, { largeSize: true })]);
    const src = new VirtualSource(head, size);
    const plan = await mp4Handler.planEmbed(src, 1000);
    const out = new PartsSource(src, plan.fill(new Uint8Array(1000)));
    expect(out.size).toBe(size + c2paBoxSize(1000) + 8);
    const t = await tables(out);
    expect(t.stco).toBeUndefined();
    const shift = c2paBoxSize(1000) + 8; // two entries widened by 4 bytes each
    expect(t.co64!.values).toEqual([mdatAt + 16 + shift, FOUR_GIB - 500 + shift]);
    expect(t.saio).toEqual({ version: 0, values: [mdatAt + 100 + shift] });
    expect((await listBoxes(out, 0, out.size)).boxes.map((b) => b.type)).toEqual(['ftyp', 'uuid', 'moov', 'mdat']);
  });

  it('moov last: widens only the tables that overflow; saio v0 becomes v1 when needed', async () => {
    const size = FOUR_GIB + 4096;
    const mdatAt = ftyp.length;
    const probeMoov = moovWith([0, 0], [0]);
    const mdatSize = size - mdatAt - probeMoov.length;
    const moov = moovWith([mdatAt + 16, 1000], [FOUR_GIB - 100]);
    const head = concatBytes([ftyp, boxHeader('mdat', mdatSize, { largeSize: true })]);
    // moov sits at the end of the virtual file: place it there through a wrapper
    const src: ByteSource = {
      size,
      async read(offset, length) {
        checkRange(size, offset, length);
        const out = new Uint8Array(length);
        const moovAt = size - moov.length;
        for (const [bytes, at] of [
          [head, 0],
          [moov, moovAt],
        ] as const) {
          const s = Math.max(offset, at);
          const e = Math.min(offset + length, at + bytes.length);
          if (s < e) out.set(bytes.subarray(s - at, e - at), s - offset);
        }
        return out;
      },
    };
    const plan = await mp4Handler.planEmbed(src, 2000);
    const out = new PartsSource(src, plan.fill(new Uint8Array(2000)));
    const shift = c2paBoxSize(2000);
    const t = await tables(out);
    expect(t.stco!.values).toEqual([mdatAt + 16 + shift, 1000 + shift]);
    expect(t.saio).toEqual({ version: 1, values: [FOUR_GIB - 100 + shift] });
  });

  it('refuses a chunk offset that points into moov', async () => {
    const moov = moovWith([ftyp.length + 10], []);
    const file = concatBytes([ftyp, moov, makeBox('mdat', new Uint8Array(10))]);
    const src = new VirtualSource(file, file.length);
    await expect(mp4Handler.planEmbed(src, 10)).rejects.toThrow(MalformedInputError);
  });

  it('refuses an entry count larger than its box', async () => {
    const bad = makeBox(
      'moov',
      makeBox('trak', makeBox('mdia', makeBox('minf', makeBox('stbl', makeFullBox('stco', 0, 0, u32be(1000), u32be(1)))))),
    );
    const file = concatBytes([ftyp, bad, makeBox('mdat', new Uint8Array(10))]);
    await expect(mp4Handler.planEmbed(new VirtualSource(file, file.length), 10)).rejects.toThrow(/declares 1000 entries/);
  });
});
