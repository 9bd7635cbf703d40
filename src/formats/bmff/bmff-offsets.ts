/**
 * Patching absolute file offsets kept inside `moov` when the boxes around the media
 * data move: chunk offsets (`stco` 32-bit, `co64` 64-bit) and sample auxiliary
 * information offsets (`saio` in a track's sample table). A 32-bit table whose new
 * values pass 4 GiB is upgraded (`stco` → `co64`, `saio` v0 → v1).
 */
import { MalformedInputError, said } from '../../errors.ts';
import { BMFF, type BoxHeader } from './bmff-boxes.ts';
import { type BoxNode, type BoxTree, allNodes, nodePayload } from './bmff-moov.ts';
import { makeFullBox, MAX_U32, u32be } from './bmff-writer.ts';

/** Maps an offset of the input file to the same byte's offset in the output. */
export type OffsetMap = (offset: number) => number;

/** One parsed offset table. */
export interface OffsetTable {
  readonly node: BoxNode;
  readonly kind: 'stco' | 'co64' | 'saio';
  readonly version: number;
  readonly flags: number;
  /** Bytes between the FullBox header and the entry count (saio's aux type/parameter). */
  readonly lead: Uint8Array;
  readonly offsets: number[];
}

/**
 * Find and parse every `stco`, `co64` and `saio` that sits in a `stbl`.
 * @throws {MalformedInputError} when a table's entry count does not fit its box.
 */
export function collectOffsetTables(tree: BoxTree): OffsetTable[] {
  const out: OffsetTable[] = [];
  for (const parent of allNodes(tree.root)) {
    if (parent.type !== 'stbl') continue;
    for (const n of parent.children ?? []) {
      if (n.type === 'stco' || n.type === 'co64' || n.type === 'saio') out.push(parseTable(tree, n));
    }
  }
  return out;
}

function parseTable(tree: BoxTree, node: BoxNode): OffsetTable {
  const p = nodePayload(tree, node);
  const at = node.header!.offset + node.header!.headerSize;
  if (p.length < 8) throw new MalformedInputError(BMFF, said('err.fmt.tooShort', "'{type}' too short", { type: node.type }), at);
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const version = p[0]!;
  const flags = dv.getUint32(0) & 0xffffff;
  let pos = 4;
  if (node.type === 'saio' && flags & 1) pos += 8;
  if (p.length < pos + 4) throw new MalformedInputError(BMFF, said('err.fmt.tooShort', "'{type}' too short", { type: node.type }), at);
  const lead = p.subarray(4, pos);
  const count = dv.getUint32(pos);
  pos += 4;
  const width = node.type === 'co64' || (node.type === 'saio' && version !== 0) ? 8 : 4;
  if (count > (p.length - pos) / width) {
    throw new MalformedInputError(
      BMFF,
      said('err.fmt.declaresEntriesButHas', "'{type}' declares {count} entries but has room for {v3}", {
        type: node.type,
        count,
        v3: Math.floor((p.length - pos) / width),
      }),
      at,
    );
  }
  const offsets = new Array<number>(count);
  for (let i = 0; i < count; i++, pos += width) {
    if (width === 4) offsets[i] = dv.getUint32(pos);
    else {
      const v = dv.getBigUint64(pos);
      if (v > BigInt(Number.MAX_SAFE_INTEGER))
        throw new MalformedInputError(
          BMFF,
          said('err.fmt.offsetExceedsMAXSAFE', "'{type}' offset {v} exceeds MAX_SAFE_INTEGER", { type: node.type, v: String(v) }),
          at + pos,
        );
      offsets[i] = Number(v);
    }
  }
  return { node, kind: node.type as OffsetTable['kind'], version, flags, lead, offsets };
}

/** Whether a table stores 32-bit offsets. */
export function isNarrow(t: OffsetTable): boolean {
  return t.kind === 'stco' || (t.kind === 'saio' && t.version === 0);
}

/**
 * Encode a table with every offset passed through `map`; `wide` forces 64-bit
 * entries (an `stco` becomes a `co64`).
 */
export function encodeTable(t: OffsetTable, map: OffsetMap, wide: boolean): Uint8Array {
  const w = wide || !isNarrow(t);
  const body = new Uint8Array(t.offsets.length * (w ? 8 : 4));
  const dv = new DataView(body.buffer);
  for (let i = 0; i < t.offsets.length; i++) {
    const v = map(t.offsets[i]!);
    if (w) dv.setBigUint64(i * 8, BigInt(v));
    else dv.setUint32(i * 4, v);
  }
  const count = u32be(t.offsets.length);
  if (t.kind === 'saio') return makeFullBox('saio', w ? 1 : 0, t.flags, t.lead, count, body);
  if (w) return makeFullBox('co64', 0, 0, count, body);
  return makeFullBox('stco', t.version, t.flags, count, body);
}

/** Whether any mapped offset of a 32-bit table no longer fits 32 bits. */
export function overflows(t: OffsetTable, map: OffsetMap): boolean {
  if (!isNarrow(t)) return false;
  for (const o of t.offsets) if (map(o) > MAX_U32) return true;
  return false;
}

/** Set each table's replacement bytes under `map`, widening the tables in `wide`. */
export function applyOffsetTables(tables: readonly OffsetTable[], map: OffsetMap, wide: ReadonlySet<OffsetTable>): void {
  for (const t of tables) t.node.replacement = encodeTable(t, map, wide.has(t));
}

/**
 * Where a file offset lands once the top-level `boxes` (sorted, as read) start at `newStart`
 * in an output of `total` bytes: an offset inside a box kept `verbatim` moves with it; one
 * past the input's end moves with the end.
 * @throws whatever `refuse(offset, box)` returns, for an offset inside a rewritten box.
 */
export function relocationMap(
  srcSize: number,
  boxes: readonly BoxHeader[],
  newStart: readonly number[],
  total: number,
  verbatim: (b: BoxHeader) => boolean,
  refuse: (offset: number, box: BoxHeader) => Error,
): OffsetMap {
  return (x) => {
    if (x >= srcSize) return x + (total - srcSize);
    let lo = 0;
    let hi = boxes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (boxes[mid]!.offset <= x) lo = mid;
      else hi = mid - 1;
    }
    const b = boxes[lo]!;
    if (!verbatim(b)) throw refuse(x, b);
    return newStart[lo]! + (x - b.offset);
  };
}
