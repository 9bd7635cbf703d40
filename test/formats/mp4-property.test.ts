/**
 * Property: any mutation or truncation of an MP4/MOV/M4A fixture either parses or throws a
 * ToolkitError (no crash, hang or runaway allocation), through every entry point.
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { partsLength } from '../../src/binary/parts.ts';
import { ToolkitError } from '../../src/errors.ts';
import { mp4Handler } from '../../src/formats/mp4.ts';
import { walkBoxes } from '../../src/formats/bmff/bmff-boxes.ts';
import { bmffHashOfSource } from '../../src/binding/bmff-hash.ts';
import { makeGb45438Label } from '../../src/labels/implicit/gb45438.ts';
import { fx } from './bmff-helpers.ts';

const LABEL = makeGb45438Label({ Label: '1', ContentProducer: 'P', ProduceID: 'x' });

async function headerOffsets(bytes: Uint8Array): Promise<number[]> {
  const out: number[] = [];
  await walkBoxes(new BufferSource(bytes), (b) => {
    out.push(b.offset);
  });
  return out;
}

async function exercise(bytes: Uint8Array): Promise<void> {
  const src = new BufferSource(bytes);
  const calls: (() => Promise<unknown>)[] = [
    () => mp4Handler.readManifest(src),
    () => mp4Handler.readLabels(src),
    async () => partsLength((await mp4Handler.planEmbed(src, 100, { gb45438: LABEL })).parts),
    async () => partsLength((await mp4Handler.planRemove(src)).parts),
    () => bmffHashOfSource(src),
  ];
  for (const call of calls) {
    try {
      await call();
    } catch (err) {
      if (!(err instanceof ToolkitError)) throw err;
    }
  }
}

describe.each(['seed.mp4', 'seed-faststart.mp4', 'seed.m4a', 'phone-keys.mov', 'phone-mdir.mov'])('mutated %s', (seed) => {
  it('parses or throws a ToolkitError', async () => {
    const base = new Uint8Array(await readFile(fx(seed)));
    const heads = await headerOffsets(base);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(base.length - 1), val: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('trunc' as const), len: fc.nat(base.length) }),
      fc.record({
        kind: fc.constant('size' as const),
        at: fc.constantFrom(...heads),
        delta: fc.integer({ min: 0, max: 3 }),
        val: fc.oneof(fc.constantFrom(0, 1, 7, 8, 16, 0x7fffffff, 0xffffffff), fc.nat()),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (muts) => {
        let b = base.slice();
        for (const m of muts) {
          if (m.kind === 'flip') b[m.pos % b.length] = m.val;
          else if (m.kind === 'trunc') b = b.slice(0, Math.min(m.len, b.length));
          else if (m.at + 4 * m.delta + 4 <= b.length) new DataView(b.buffer).setUint32(m.at + 4 * m.delta, m.val >>> 0);
        }
        await exercise(b);
      }),
      { numRuns: 150 },
    );
    expect(heads.length).toBeGreaterThan(10);
  });
});
