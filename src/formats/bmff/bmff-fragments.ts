/**
 * Absolute file offsets in a fragmented MP4 (one file with `moof`s) that move when a box
 * is inserted in front of them: a `tfhd` `base_data_offset` (flag 0x000001) in each
 * `moof/traf`, and the `moof_offset` of each `tfra` entry in `mfra`. Both keep their
 * width, so the patched boxes keep their size and layout. `trun`/`saio` offsets are
 * relative to the fragment and `sidx` references are relative, so they never change.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { MAX_BMFF_MOOV_BYTES } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import { BMFF, type BoxHeader } from './bmff-boxes.ts';
import { findNodes, nodeBytes, parseBoxTree } from './bmff-moov.ts';
import type { OffsetMap } from './bmff-offsets.ts';
import { MAX_U32 } from './bmff-writer.ts';

/** Where one absolute offset sits inside a top-level box. */
interface OffsetField {
  /** Position relative to the box start. */
  readonly at: number;
  readonly width: 4 | 8;
  readonly value: number;
}

/** A top-level box with absolute offsets to patch. */
export interface FragmentPatch {
  readonly box: BoxHeader;
  readonly bytes: Uint8Array;
  readonly fields: readonly OffsetField[];
}

function readField(b: Uint8Array, at: number, width: 4 | 8): OffsetField {
  if (at + width > b.length)
    throw new MalformedInputError(BMFF, said('err.fmt.fragmentOffsetFieldTruncated', 'fragment offset field truncated'), at);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (width === 4) return { at, width, value: dv.getUint32(at) };
  const v = dv.getBigUint64(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER))
    throw new MalformedInputError(
      BMFF,
      said('err.fmt.fragmentOffsetExceedsMAX', 'fragment offset {v} exceeds MAX_SAFE_INTEGER', { v: String(v) }),
      at,
    );
  return { at, width, value: Number(v) };
}

async function moofFields(src: ByteSource, box: BoxHeader): Promise<FragmentPatch | undefined> {
  if (box.size > MAX_BMFF_MOOV_BYTES)
    throw new LimitExceededError('MAX_BMFF_MOOV_BYTES', said('err.fmt.moofBoxBytes', 'moof box of {size} bytes', { size: box.size }));
  const tree = await parseBoxTree(await src.read(box.offset, box.size));
  const fields: OffsetField[] = [];
  for (const tfhd of findNodes(tree.root, ['traf', 'tfhd'])) {
    const h = tfhd.header!;
    const p = nodeBytes(tree, tfhd);
    if (p.length < h.headerSize + 8)
      throw new MalformedInputError(BMFF, said('err.fmt.tfhdBoxTruncated', 'tfhd box truncated'), box.offset + h.offset);
    const flags = (p[h.headerSize + 1]! << 16) | (p[h.headerSize + 2]! << 8) | p[h.headerSize + 3]!;
    if (flags & 1) fields.push(readField(tree.bytes, h.offset + h.headerSize + 8, 8));
  }
  return fields.length ? { box, bytes: tree.bytes, fields } : undefined;
}

async function mfraFields(src: ByteSource, box: BoxHeader): Promise<FragmentPatch | undefined> {
  if (box.size > MAX_BMFF_MOOV_BYTES)
    throw new LimitExceededError('MAX_BMFF_MOOV_BYTES', said('err.fmt.mfraBoxBytes', 'mfra box of {size} bytes', { size: box.size }));
  const tree = await parseBoxTree(await src.read(box.offset, box.size));
  const fields: OffsetField[] = [];
  for (const tfra of findNodes(tree.root, ['tfra'])) {
    const h = tfra.header!;
    const b = tree.bytes;
    let at = h.offset + h.headerSize;
    if (at + 16 > h.offset + h.size)
      throw new MalformedInputError(BMFF, said('err.fmt.tfraBoxTruncated', 'tfra box truncated'), box.offset + at);
    const version = b[at]!;
    const sizes = b[at + 11]!;
    const count = new DataView(b.buffer, b.byteOffset).getUint32(at + 12);
    at += 16;
    const width: 4 | 8 = version === 1 ? 8 : 4;
    const entry = 2 * width + ((sizes >> 4) & 3) + 1 + ((sizes >> 2) & 3) + 1 + (sizes & 3) + 1;
    if (count > (h.offset + h.size - at) / entry)
      throw new MalformedInputError(BMFF, said('err.fmt.tfraDeclaresEntries', 'tfra declares {count} entries', { count }), box.offset + at);
    for (let i = 0; i < count; i++, at += entry) fields.push(readField(b, at + width, width));
  }
  return fields.length ? { box, bytes: tree.bytes, fields } : undefined;
}

/**
 * The `moof`s and `mfra`s of a file that hold absolute offsets.
 * @throws {MalformedInputError} {@link LimitExceededError}
 */
export async function collectFragmentPatches(src: ByteSource, boxes: readonly BoxHeader[]): Promise<FragmentPatch[]> {
  const out: FragmentPatch[] = [];
  for (const b of boxes) {
    const p = b.type === 'moof' ? await moofFields(src, b) : b.type === 'mfra' ? await mfraFields(src, b) : undefined;
    if (p) out.push(p);
  }
  return out;
}

/**
 * The patched bytes of one box: every field passed through `map`.
 * @throws {LimitExceededError} when a 32-bit `tfra` offset would pass 4 GiB.
 */
export function applyFragmentPatch(p: FragmentPatch, map: OffsetMap): Uint8Array {
  const out = new Uint8Array(p.bytes);
  const dv = new DataView(out.buffer);
  for (const f of p.fields) {
    const v = map(f.value);
    if (f.width === 8) dv.setBigUint64(f.at, BigInt(v));
    else if (v > MAX_U32)
      throw new LimitExceededError('MAX_U32', said('err.fmt.bitTfraMoofOffset', 'a 32-bit tfra moof offset would become {v}', { v }));
    else dv.setUint32(f.at, v);
  }
  return out;
}
