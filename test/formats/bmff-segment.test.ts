/**
 * The DASH segment planner (`formats/bmff/bmff-segment.ts`): the Merkle box goes right before
 * the first `moof`, an earlier C2PA box is replaced (one box, same sidx target), and any
 * mutation or truncation of a segment plans or fails with a ToolkitError.
 */
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../src/binary/byte-source.ts';
import { partsToBytes } from '../../src/binary/parts.ts';
import { ToolkitError } from '../../src/errors.ts';
import { c2paMerkleBox } from '../../src/formats/bmff/bmff-c2pa-box.ts';
import { planSegmentMerkle } from '../../src/formats/bmff/bmff-segment.ts';
import { gen } from '../helpers.ts';
import { topLevel } from './bmff-helpers.ts';

const seg = async (): Promise<Uint8Array> => new Uint8Array(await readFile(gen('fmp4', 'dash', 'seg-1.m4s')));

async function planned(bytes: Uint8Array, box: Uint8Array): Promise<Buffer> {
  const src = new BufferSource(bytes);
  const plan = await planSegmentMerkle(src, box.length);
  const parts = plan.parts.slice();
  parts[plan.boxIndex] = { bytes: box };
  return Buffer.from(await partsToBytes(src, parts));
}

function sidxTarget(d: Buffer): number {
  const [, so, ss] = topLevel(d).find(([t]) => t === 'sidx')!;
  return so + ss + (d[so + 8] === 0 ? d.readUInt32BE(so + 24) : Number(d.readBigUInt64BE(so + 28)));
}

describe('planSegmentMerkle', () => {
  it('puts the box before the first moof; planning again replaces it; sidx keeps pointing at the moof', async () => {
    const once = await planned(await seg(), c2paMerkleBox(new Uint8Array(40)));
    const twice = await planned(new Uint8Array(once), c2paMerkleBox(new Uint8Array(70)));
    for (const d of [once, twice]) {
      const types = topLevel(d).map(([t]) => t);
      expect(types.filter((t) => t === 'uuid').length).toBe(1);
      expect(types.indexOf('uuid')).toBe(types.indexOf('moof') - 1);
      expect(sidxTarget(d)).toBe(topLevel(d)[types.indexOf('moof')]![1]);
    }
    expect(twice.length - once.length).toBe(30);
  });

  it('any mutation or truncation plans or throws a ToolkitError', async () => {
    const bytes = await seg();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        async (at, v, cut) => {
          const m = cut ? bytes.slice(0, at) : bytes.slice();
          if (!cut) m[at] = v;
          try {
            await planSegmentMerkle(new BufferSource(m), 60);
          } catch (err) {
            expect(err).toBeInstanceOf(ToolkitError);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
