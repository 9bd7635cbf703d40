import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { MAX_RIFF_DEPTH, MAX_RIFF_SIZE, MAX_SEGMENTS } from '../../src/binary/limits.ts';
import { partsLength, partsToBytes } from '../../src/binary/parts.ts';
import { LimitExceededError, MalformedInputError } from '../../src/errors.ts';
import { buildRiff, chunkBytes, readRiff, sniffRiff, type RiffFile } from '../../src/formats/common/riff.ts';
import { nestedList } from '../../scripts/fixtures/20-audio.ts';
import { gen } from '../helpers.ts';

const u32 = (n: number) => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
const ascii = (s: string) => new TextEncoder().encode(s);
const cat = (...a: Uint8Array[]) => new Uint8Array(Buffer.concat(a));

function riff(formType: string, body: Uint8Array, size = body.length + 4): Uint8Array {
  return cat(ascii('RIFF'), u32(size), ascii(formType), body);
}

async function walk(bytes: Uint8Array, opts = {}) {
  return readRiff(new BufferSource(bytes), 'test', 'TEST', opts);
}

describe('RIFF walker', () => {
  it('walks chunks, pad bytes and LIST children', async () => {
    const body = cat(
      chunkBytes('abcd', ascii('x')),
      chunkBytes('LIST', cat(ascii('INFO'), chunkBytes('INAM', ascii('abc')))),
      chunkBytes('last', ascii('yz')),
    );
    const f = await walk(riff('TEST', body));
    expect(f.chunks.map((c) => c.id)).toEqual(['abcd', 'LIST', 'last']);
    expect(f.chunks[0]).toMatchObject({ offset: 12, size: 1, dataOffset: 20, end: 22 });
    expect(f.chunks[1]!.listType).toBe('INFO');
    expect(f.chunks[1]!.children!.map((c) => [c.id, c.size, c.end])).toEqual([['INAM', 3, 22 + 12 + 12]]);
    expect(f.end).toBe(12 + body.length);
  });

  it('sniffs RIFF and RF64 forms of the right type only', () => {
    const head = riff('WAVE', new Uint8Array(0));
    expect(sniffRiff(head, 'WAVE')).toBe(true);
    expect(sniffRiff(head, 'WEBP')).toBe(false);
    expect(sniffRiff(cat(ascii('RF64'), head.subarray(4)), 'WAVE')).toBe(true);
    expect(sniffRiff(head.subarray(0, 11), 'WAVE')).toBe(false);
  });

  it('tolerates a missing final pad byte and a RIFF size larger than the file (clamped)', async () => {
    const body = chunkBytes('odd ', ascii('abc')).subarray(0, 11);
    const f = await walk(riff('TEST', body, body.length + 4 + 100));
    expect(f.end).toBe(12 + 11);
    expect(f.chunks[0]).toMatchObject({ size: 3, end: 23 });
    const seed = new Uint8Array(await readFile(gen('audio', 'seed-odd.wav')));
    const wav = await readRiff(new BufferSource(seed), 'wav', 'WAVE');
    expect(wav.chunks.map((c) => c.id)).toEqual(['fmt ', 'odd ', 'data']);
    expect(wav.end).toBe(seed.length);
  });

  it('keeps bytes after a RIFF size smaller than the file as trailing data', async () => {
    const body = chunkBytes('abcd', ascii('xy'));
    const bytes = cat(riff('TEST', body), ascii('TAG-trailer'));
    const f = await walk(bytes);
    expect(f.end).toBe(12 + body.length);
    const layout = buildRiff(
      f,
      f.chunks.map((chunk) => ({ chunk })),
    );
    expect(await partsToBytes(new BufferSource(bytes), layout.parts)).toEqual(bytes);
  });

  it('rejects chunk sizes past the container, bad ids and stray bytes', async () => {
    await expect(walk(riff('TEST', cat(ascii('data'), u32(1000), new Uint8Array(10))))).rejects.toThrow(MalformedInputError);
    await expect(walk(riff('TEST', cat(ascii('da\x01a'), u32(0))))).rejects.toThrow(/invalid chunk id/);
    await expect(walk(riff('TEST', cat(chunkBytes('abcd', ascii('xy')), ascii('zz'))))).rejects.toThrow(/stray/);
    await expect(walk(riff('TEST', cat(chunkBytes('abcd', ascii('xy')), new Uint8Array(3))))).resolves.toBeDefined();
    const inner = chunkBytes('LIST', cat(ascii('INFO'), ascii('INAM'), u32(50)));
    await expect(walk(riff('TEST', inner))).rejects.toThrow(/past the end of its container/);
    await expect(walk(riff('TEST', chunkBytes('LIST', ascii('ab'))))).rejects.toThrow(/no list type/);
    await expect(walk(riff('NOPE', new Uint8Array(0)))).rejects.toThrow(MalformedInputError);
  });

  it(`accepts LIST nesting of exactly MAX_RIFF_DEPTH (${MAX_RIFF_DEPTH}) and rejects one more`, async () => {
    await expect(walk(riff('TEST', nestedList(MAX_RIFF_DEPTH)))).resolves.toBeDefined();
    await expect(walk(riff('TEST', nestedList(MAX_RIFF_DEPTH + 1)))).rejects.toThrow(LimitExceededError);
    await expect(walk(riff('TEST', nestedList(1000)))).rejects.toMatchObject({ limit: 'MAX_RIFF_DEPTH' });
  });

  it('counts chunks against maxChunks, at the limit and one past', async () => {
    const body = (n: number) => cat(...Array.from({ length: n }, () => chunkBytes('JUNK', new Uint8Array(0))));
    await expect(walk(riff('TEST', body(5)), { maxChunks: 5 })).resolves.toBeDefined();
    await expect(walk(riff('TEST', body(6)), { maxChunks: 5 })).rejects.toMatchObject({ limit: 'MAX_SEGMENTS' });
  });

  it(`applies MAX_SEGMENTS (${MAX_SEGMENTS}) by default, at the limit and one past`, async () => {
    const one = chunkBytes('JUNK', new Uint8Array(0));
    const body = new Uint8Array(8 * (MAX_SEGMENTS + 1));
    for (let i = 0; i <= MAX_SEGMENTS; i++) body.set(one, i * 8);
    await expect(walk(riff('TEST', body.subarray(0, 8 * MAX_SEGMENTS)))).resolves.toBeDefined();
    await expect(walk(riff('TEST', body))).rejects.toMatchObject({ limit: 'MAX_SEGMENTS' });
  });
});

describe('RF64', () => {
  function rf64(riffSize: bigint, dataSize: bigint, data: Uint8Array, table: [string, bigint][] = []): Uint8Array {
    const d = Buffer.alloc(28 + table.length * 12);
    d.writeBigUInt64LE(riffSize, 0);
    d.writeBigUInt64LE(dataSize, 8);
    d.writeUInt32LE(table.length, 24);
    table.forEach(([id, size], i) => {
      d.write(id, 28 + i * 12, 'latin1');
      d.writeBigUInt64LE(size, 32 + i * 12);
    });
    return cat(ascii('RF64'), u32(0xffffffff), ascii('WAVE'), chunkBytes('ds64', d), ascii('data'), u32(0xffffffff), data);
  }

  it('takes 64-bit sizes from ds64 and rewrites the RIFF size there', async () => {
    const bytes = rf64(BigInt(4 + 36 + 8 + 6), 6n, ascii('abcdef'));
    const f = await readRiff(new BufferSource(bytes), 'wav', 'WAVE');
    expect(f.form).toBe('RF64');
    expect(f.chunks.map((c) => [c.id, c.size])).toEqual([
      ['ds64', 28],
      ['data', 6],
    ]);
    const layout = buildRiff(f, [...f.chunks.map((chunk) => ({ chunk })), { id: 'C2PA', data: ascii('xyz') }]);
    const out = Buffer.from(await partsToBytes(new BufferSource(bytes), layout.parts));
    expect(out.readUInt32LE(4)).toBe(0xffffffff);
    expect(Number(out.readBigUInt64LE(20))).toBe(out.length - 8);
    const again = await readRiff(new BufferSource(out), 'wav', 'WAVE');
    expect(again.chunks.map((c) => c.id)).toEqual(['ds64', 'data', 'C2PA']);
  });

  it('rejects 64-bit sizes above MAX_SAFE_INTEGER and sizes past the end', async () => {
    await expect(readRiff(new BufferSource(await readFile(gen('audio', 'rf64-huge.wav'))), 'wav', 'WAVE')).rejects.toThrow(
      /MAX_SAFE_INTEGER/,
    );
    await expect(readRiff(new BufferSource(await readFile(gen('audio', 'rf64-past-eof.wav'))), 'wav', 'WAVE')).rejects.toThrow(/runs past/);
    const bad = rf64(100n, 6n, ascii('abcdef'), [['fmt ', 1n << 62n]]);
    await expect(readRiff(new BufferSource(bad), 'wav', 'WAVE')).rejects.toThrow(MalformedInputError);
    const noDs64 = cat(ascii('RF64'), u32(0xffffffff), ascii('WAVE'), chunkBytes('fmt ', new Uint8Array(16)));
    await expect(readRiff(new BufferSource(noDs64), 'wav', 'WAVE')).rejects.toThrow(/ds64/);
  });
});

describe('RIFF writer', () => {
  it('rebuilds an identical file from its own chunks and fixes the size after edits', async () => {
    const bytes = new Uint8Array(await readFile(gen('audio', 'seed-info.wav')));
    const src = new BufferSource(bytes);
    const f = await readRiff(src, 'wav', 'WAVE');
    expect(
      Buffer.from(
        await partsToBytes(
          src,
          buildRiff(
            f,
            f.chunks.map((chunk) => ({ chunk })),
          ).parts,
        ),
      ).equals(bytes),
    ).toBe(true);
    const list = f.chunks.find((c) => c.id === 'LIST')!;
    const items = [
      ...f.chunks.filter((c) => c !== list).map((chunk) => ({ chunk })),
      { listType: 'INFO', children: [{ chunk: list.children![0]! }] },
      { id: 'odd!', data: ascii('abc') },
    ];
    const layout = buildRiff(f, items);
    const out = await partsToBytes(src, layout.parts);
    expect(out.length % 2).toBe(0);
    expect(Buffer.from(out).readUInt32LE(4)).toBe(out.length - 8);
    const again = await readRiff(new BufferSource(out), 'wav', 'WAVE');
    expect(again.chunks.map((c) => c.id)).toEqual(['fmt ', 'data', 'LIST', 'odd!']);
    expect(again.chunks[2]!.children!.map((c) => c.id)).toEqual(['INAM']);
    expect(layout.placements[3]!.offset).toBe(again.chunks[3]!.offset);
  });

  it('adds the missing pad byte of a final odd chunk', async () => {
    const bytes = riff('TEST', chunkBytes('odd ', ascii('abc')).subarray(0, 11));
    const f = await walk(bytes);
    const out = await partsToBytes(
      new BufferSource(bytes),
      buildRiff(f, [{ chunk: f.chunks[0]! }, { id: 'next', data: ascii('z') }]).parts,
    );
    expect((await walk(out)).chunks.map((c) => [c.id, c.offset])).toEqual([
      ['odd ', 12],
      ['next', 24],
    ]);
  });

  it(`refuses a plain RIFF form above MAX_RIFF_SIZE (${MAX_RIFF_SIZE}) and accepts the largest even size below it`, () => {
    // chunks always have even lengths, so a RIFF size is even: MAX_RIFF_SIZE - 1 is the largest reachable
    const file: RiffFile = { form: 'RIFF', formType: 'TEST', end: 12, chunks: [], sourceSize: 12 };
    const big = (n: number) => ({ chunk: { id: 'data', offset: 12, size: n - 8, dataOffset: 20, end: 12 + n } });
    const atLimit = buildRiff(file, [big(MAX_RIFF_SIZE - 5)]);
    expect(partsLength(atLimit.parts)).toBe(MAX_RIFF_SIZE - 1 + 8);
    expect(() => buildRiff(file, [big(MAX_RIFF_SIZE - 3)])).toThrow(LimitExceededError);
  });
});
