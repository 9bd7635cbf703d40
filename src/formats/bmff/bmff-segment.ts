/**
 * Planning a media segment of a fragmented MP4 stream (DASH/HLS `.m4s`: `styp`, `sidx`,
 * `moof`, `mdat`, …) with a C2PA Merkle `uuid` box (purpose `merkle`) right before its
 * first `moof`, where the reference SDK's fixture has it. Old C2PA boxes are dropped;
 * `sidx` boxes in front keep pointing at the same media (`first_offset` grows by the
 * net insertion) and absolute `tfhd` base data offsets are patched.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import type { Part } from '../../binary/parts.ts';
import { MalformedInputError, said } from '../../errors.ts';
import { BMFF, type BoxHeader, boxEnd, listBoxes, payloadStart } from './bmff-boxes.ts';
import { isC2paBox } from './bmff-c2pa-box.ts';
import { applyFragmentPatch, collectFragmentPatches } from './bmff-fragments.ts';

/** A planned segment: `parts[boxIndex]` is the zero-filled Merkle box placeholder. */
export interface SegmentPlan {
  readonly parts: Part[];
  readonly boxIndex: number;
}

async function patchSidx(src: ByteSource, sidx: BoxHeader, delta: number): Promise<Uint8Array> {
  const b = new Uint8Array(await src.read(sidx.offset, sidx.size));
  const p = payloadStart(sidx) - sidx.offset;
  const v1 = b[p] !== 0;
  const at = p + 12 + (v1 ? 8 : 4);
  if (at + (v1 ? 8 : 4) > b.length)
    throw new MalformedInputError(BMFF, said('err.fmt.sidxBoxTruncated', 'sidx box truncated'), sidx.offset);
  const dv = new DataView(b.buffer);
  if (v1) dv.setBigUint64(at, dv.getBigUint64(at) + BigInt(delta));
  else dv.setUint32(at, dv.getUint32(at) + delta);
  return b;
}

/**
 * Plan `src` with a Merkle box of exactly `boxLength` bytes before the first `moof`.
 * @throws {MalformedInputError} for a segment without `moof` or a broken box structure.
 * @throws {LimitExceededError} past the BMFF limits.
 */
export async function planSegmentMerkle(src: ByteSource, boxLength: number): Promise<SegmentPlan> {
  const { boxes } = await listBoxes(src, 0, src.size, 1);
  const moofAt = boxes.findIndex((b) => b.type === 'moof');
  if (moofAt < 0) throw new MalformedInputError(BMFF, said('err.fmt.mediaSegmentNeedsMoof', 'a media segment needs a moof box'), 0);
  const newStart: number[] = [];
  let pos = 0;
  for (const [i, b] of boxes.entries()) {
    if (i === moofAt) pos += boxLength;
    newStart.push(pos);
    if (!isC2paBox(b)) pos += b.size;
  }
  const total = pos;
  const map = (x: number): number => {
    if (x >= src.size) return x + total - src.size;
    let i = boxes.length - 1;
    while (i > 0 && boxes[i]!.offset > x) i--;
    return newStart[i]! + (x - boxes[i]!.offset);
  };
  const patched = new Map((await collectFragmentPatches(src, boxes)).map((p) => [p.box, applyFragmentPatch(p, map)]));
  const parts: Part[] = [];
  let boxIndex = -1;
  for (const [i, b] of boxes.entries()) {
    if (i === moofAt) {
      boxIndex = parts.length;
      parts.push({ bytes: new Uint8Array(boxLength) });
    }
    if (isC2paBox(b)) continue;
    if (b.type === 'sidx' && i < moofAt) {
      // sidx references start right after it: the media moves by what is inserted or dropped between
      const between = boxes
        .slice(i + 1, moofAt)
        .filter(isC2paBox)
        .reduce((n, x) => n + x.size, 0);
      parts.push({ bytes: await patchSidx(src, b, boxLength - between) });
      continue;
    }
    const bytes = patched.get(b);
    parts.push(bytes ? { bytes } : { copy: { offset: b.offset, length: boxEnd(b) - b.offset } });
  }
  return { parts, boxIndex };
}
