/**
 * The direct (O_DIRECT) write path of the one-pass writer: the same bytes and the same hash
 * as the buffered path, for outputs cut anywhere (slots across window edges, a partial last
 * window), from files and from memory; failures leave nothing behind and no descriptor open.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BufferSource, type ByteSource } from '../../src/binary/byte-source.ts';
import { FileSource } from '../../src/binary/file-source.ts';
import { stepsExcluding } from '../../src/binding/data-hash.ts';
import {
  DIRECT_ALIGN,
  DIRECT_BUFFERS,
  DIRECT_CHUNK,
  DIRECT_WRITE_BYTES,
  openDirect,
  wantsDirectWrite,
} from '../../src/binding/direct-writer.ts';
import { writeHashedAtomic } from '../../src/binding/hashing-writer.ts';
import { SMALL_OUTPUT_BYTES } from '../../src/binary/atomic-write.ts';
import type { Part } from '../../src/binary/parts.ts';
import { IoError } from '../../src/errors.ts';

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 151 + seed * 13 + (i >> 9)) & 0xff;
  return b;
}

const openFds = (): number => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);

let dir: string;
const saved = process.env.AIGC_DIRECT_WRITES;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aigc-direct-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  if (saved === undefined) delete process.env.AIGC_DIRECT_WRITES;
  else process.env.AIGC_DIRECT_WRITES = saved;
});

/** A plan whose pieces fall across window edges: copied head, new bytes, a slot over a window edge, copied tail. */
function plan(input: Uint8Array, slot: number): { parts: Part[]; steps: ReturnType<typeof stepsExcluding>; slotAt: number } {
  const head = DIRECT_CHUNK - 100; // the new bytes cross the first window edge, the slot starts just after it
  const parts: Part[] = [
    { copy: { offset: 0, length: head } },
    { bytes: pattern(107, 1) },
    { bytes: new Uint8Array(slot) },
    { copy: { offset: head, length: input.length - head } },
  ];
  const slotAt = head + 107;
  return { parts, steps: stepsExcluding(input.length + 107 + slot, [{ start: slotAt, length: slot }]), slotAt };
}

/** Write `input` through `plan` with AIGC_DIRECT_WRITES=`mode`; the output bytes and the digest seen. */
async function writeWith(mode: '0' | '1', src: ByteSource, input: Uint8Array, name: string): Promise<{ bytes: Buffer; digest: string }> {
  process.env.AIGC_DIRECT_WRITES = mode;
  const { parts, steps } = plan(input, 3000);
  let digest = '';
  const target = path.join(dir, name);
  await writeHashedAtomic(target, src, parts, steps, 'sha256', async (d) => {
    digest = Buffer.from(d).toString('hex');
    const f = parts.slice();
    f[2] = { bytes: pattern(3000, d[0]!) };
    return f;
  });
  return { bytes: await readFile(target), digest };
}

describe('direct writes', () => {
  it('are chosen from DIRECT_WRITE_BYTES up, or always / never by AIGC_DIRECT_WRITES', () => {
    expect(wantsDirectWrite(DIRECT_WRITE_BYTES, undefined)).toBe(true);
    expect(wantsDirectWrite(DIRECT_WRITE_BYTES - 1, undefined)).toBe(false);
    expect(wantsDirectWrite(10, '1')).toBe(true);
    expect(wantsDirectWrite(DIRECT_WRITE_BYTES * 2, '0')).toBe(false);
    expect(DIRECT_CHUNK % DIRECT_ALIGN).toBe(0);
  });

  it('openDirect never throws, and gives aligned buffers when it opens', async () => {
    expect(openDirect(path.join(dir, 'missing', 'x.tmp'))).toBeUndefined();
    const f = path.join(dir, 'probe.bin');
    await writeFile(f, '');
    const d = openDirect(f);
    if (d) {
      expect(d.buffers).toHaveLength(DIRECT_BUFFERS);
      for (const b of d.buffers) expect(b.length).toBe(DIRECT_CHUNK);
      (await import('node:fs')).closeSync(d.fd);
    }
  });

  // Sizes: a partial last window, and an exact multiple of the window (no buffered tail).
  for (const extra of [12_345, 0]) {
    for (const kind of ['FileSource', 'BufferSource'] as const) {
      it(`write the same bytes and hash as the buffered path (${kind}, output ${extra ? 'with' : 'without'} a partial window)`, async () => {
        // Output = input + 107 new bytes + 3000 slot bytes; make it SMALL_OUTPUT_BYTES + 3 windows + extra.
        const size = SMALL_OUTPUT_BYTES + 3 * DIRECT_CHUNK + extra - 3107;
        const input = pattern(size, 4);
        const file = path.join(dir, `in-${extra}.bin`);
        await writeFile(file, input);
        const open = async (): Promise<ByteSource> => (kind === 'FileSource' ? FileSource.open(file) : new BufferSource(input));
        const a = await open();
        const b = await open();
        const fds = openFds();
        const direct = await writeWith('1', a, input, `d-${kind}-${extra}.bin`);
        expect(openFds()).toBe(fds); // the second descriptor is closed
        const plain = await writeWith('0', b, input, `p-${kind}-${extra}.bin`);
        await a.close?.();
        await b.close?.();
        expect(direct.digest).toBe(plain.digest);
        expect(direct.bytes.length).toBe(size + 3107);
        expect(Buffer.compare(direct.bytes, plain.bytes)).toBe(0);
        // And the digest is the hash of the output outside the slot.
        const { steps } = plan(input, 3000);
        const h = createHash('sha256');
        for (const s of steps) h.update(direct.bytes.subarray(s.start, s.end));
        expect(direct.digest).toBe(h.digest('hex'));
      });
    }
  }

  it('a source that shrank under us is an IoError: no output, no temp file, no descriptor left open', async () => {
    process.env.AIGC_DIRECT_WRITES = '1';
    const input = pattern(SMALL_OUTPUT_BYTES + 2 * DIRECT_CHUNK, 8);
    const file = path.join(dir, 'shrinks.bin');
    await writeFile(file, input);
    const src = await FileSource.open(file);
    const { parts, steps } = plan(input, 10);
    await writeFile(file, input.subarray(0, 1000));
    const fds = openFds();
    const target = path.join(dir, 'shrunk-out.bin');
    const err = await writeHashedAtomic(target, src, parts, steps, 'sha256', async () => parts).catch((e: unknown) => e);
    expect(openFds()).toBe(fds);
    await src.close();
    expect(err).toBeInstanceOf(IoError);
    expect((await readdir(dir)).filter((f) => f.includes('shrunk-out'))).toEqual([]);
  });
});
