/**
 * Re-encoding the top-level `meta` of a HEIF/HEIC/AVIF file: item locations patched for
 * bytes that moved (file offsets through an {@link OffsetMap}, `idat` offsets through the
 * cut of XMP data moved out of it), XMP items pointed at their new data in a top-level
 * `mdat` of their own (construction method 0, which c2pa-rs also patches when it inserts
 * its box: it shifts `idat`-relative offsets too, so `idat` is not used for new data), and
 * a new XMP item (`infe` type `mime`, `application/rdf+xml`, linked to the primary item by
 * `cdsc` in `iref`) when the file had none. Every other child is kept byte for byte.
 */
import { fourccBytes } from '../../binary/bytes.ts';
import { UnsupportedFormatError, said } from '../../errors.ts';
import { type BoxHeader, boxEnd, payloadStart } from './bmff-boxes.ts';
import type { OffsetMap } from './bmff-offsets.ts';
import { concatBytes, makeBox, makeFullBox, u32be } from './bmff-writer.ts';
import { encodeIloc, type Iloc, type IlocItem } from './heif-iloc.ts';
import { type HeifMeta, idatRanges, XMP_CONTENT_TYPE } from './heif-meta.ts';

/** What changes in `meta`. */
export interface MetaEdits {
  /** New data of existing XMP items (moved into the XMP `mdat`), by item ID. */
  readonly rewrite: ReadonlyMap<number, Uint8Array>;
  /** A new XMP item. */
  readonly add?: { readonly id: number; readonly data: Uint8Array };
}

function u16(n: number): Uint8Array {
  return Uint8Array.of(n >>> 8, n & 0xff);
}

/** An `infe` (v2, or v3 for a 32-bit ID) for an XMP item. */
function xmpInfe(id: number): Uint8Array {
  const v3 = id > 0xffff;
  const text = new TextEncoder().encode(`\0${XMP_CONTENT_TYPE}\0`);
  return makeFullBox('infe', v3 ? 3 : 2, 0, v3 ? u32be(id) : u16(id), u16(0), fourccBytes('mime'), text);
}

function idatPlan(
  meta: HeifMeta,
  edits: MetaEdits,
  dataAt: number,
): { idat: Uint8Array; map: (x: number) => number; placed: Map<number, number> } {
  const cuts: [number, number][] = [];
  for (const it of meta.iloc.items) if (edits.rewrite.has(it.id) && it.method === 1) cuts.push(...idatRanges(it, meta.idat.length));
  cuts.sort((a, b) => a[0] - b[0]);
  const kept: Uint8Array[] = [];
  let at = 0;
  for (const [a, b] of cuts) {
    if (a > at) kept.push(meta.idat.subarray(at, a));
    at = Math.max(at, b);
  }
  kept.push(meta.idat.subarray(at));
  const map = (x: number): number => {
    let shift = 0;
    for (const [a, b] of cuts) if (b <= x) shift += b - a;
    return x - shift;
  };
  const placed = new Map<number, number>();
  let next = dataAt;
  for (const [id, data] of xmpData(edits)) {
    placed.set(id, next);
    next += data.length;
  }
  return { idat: concatBytes(kept), map, placed };
}

/** The XMP packets to store, in order: rewritten items, then the new one. */
export function xmpData(edits: MetaEdits): [number, Uint8Array][] {
  return [...edits.rewrite, ...(edits.add ? [[edits.add.id, edits.add.data] as [number, Uint8Array]] : [])];
}

/** Rebase one item's extents through `map`, keeping a non-zero base where every extent moves alike. */
function rebase(it: IlocItem, map: (x: number) => number): IlocItem {
  const abs = it.extents.map((e) => it.base + e.offset);
  const moved = abs.map(map);
  if (it.base !== 0 && it.extents.length) {
    const base = moved[0]! - it.extents[0]!.offset;
    if (base >= 0 && it.extents.every((e, i) => base + e.offset === moved[i])) return { ...it, base };
  }
  return { ...it, base: 0, extents: it.extents.map((e, i) => ({ ...e, offset: moved[i]! })) };
}

/**
 * The new `iloc`.
 * @throws {MalformedInputError} when a file offset points into a box that is rewritten.
 */
function patchIloc(meta: HeifMeta, fileMap: OffsetMap, idat: ReturnType<typeof idatPlan>, edits: MetaEdits): Iloc {
  const items: IlocItem[] = meta.iloc.items.map((it) => {
    const at = idat.placed.get(it.id);
    const data = edits.rewrite.get(it.id);
    if (at !== undefined && data)
      return { id: it.id, method: 0, dataRef: 0, base: at, extents: [{ index: 0, offset: 0, length: data.length }] };
    if (it.dataRef !== 0) return it;
    if (it.method === 0) return rebase(it, fileMap);
    if (it.method === 1) return rebase(it, idat.map);
    return it;
  });
  if (edits.add)
    items.push({
      id: edits.add.id,
      method: 0,
      dataRef: 0,
      base: idat.placed.get(edits.add.id)!,
      extents: [{ index: 0, offset: 0, length: edits.add.data.length }],
    });
  return { ...meta.iloc, items };
}

function rebuildIinf(meta: HeifMeta, add: number | undefined): Uint8Array {
  const box = meta.iinfBox;
  const p = meta.bytes.subarray(payloadStart(box), boxEnd(box));
  const entriesAt = meta.iinfVersion === 0 ? 6 : 8;
  const entries = p.subarray(entriesAt);
  if (add === undefined) return meta.bytes.subarray(box.offset, boxEnd(box));
  const count = meta.items.length + 1;
  const version = meta.iinfVersion === 0 && count <= 0xffff ? 0 : Math.max(1, meta.iinfVersion);
  return makeFullBox('iinf', version, 0, version === 0 ? u16(count) : u32be(count), entries, xmpInfe(add));
}

/**
 * `iref` with a `cdsc` reference from `from` to `to` added.
 * @throws {UnsupportedFormatError} when a version-0 `iref` would need 32-bit IDs.
 */
function withCdsc(meta: HeifMeta, iref: BoxHeader | undefined, from: number, to: number): Uint8Array {
  const large = from > 0xffff || to > 0xffff;
  const version = iref ? meta.bytes[payloadStart(iref)]! : large ? 1 : 0;
  if (version === 0 && large)
    throw new UnsupportedFormatError(said('err.fmt.irefVersionCannotReference', 'iref version 0 cannot reference item IDs above 65535'));
  const id = (n: number): Uint8Array => (version === 0 ? u16(n) : u32be(n));
  const ref = makeBox('cdsc', id(from), u16(1), id(to));
  const old = iref ? meta.bytes.subarray(payloadStart(iref) + 4, boxEnd(iref)) : new Uint8Array(0);
  return makeFullBox('iref', version, 0, old, ref);
}

/**
 * The new `meta` box bytes; the XMP packets ({@link xmpData}) are stored from output offset `dataAt`.
 * @throws {MalformedInputError} {@link UnsupportedFormatError}
 */
export function buildHeifMeta(meta: HeifMeta, edits: MetaEdits, fileMap: OffsetMap, dataAt: number): Uint8Array {
  const idat = idatPlan(meta, edits, dataAt);
  const iloc = encodeIloc(patchIloc(meta, fileMap, idat, edits));
  const iinf = rebuildIinf(meta, edits.add?.id);
  const irefBox = meta.children.find((b) => b.type === 'iref');
  const iref = edits.add && meta.primary !== undefined ? withCdsc(meta, irefBox, edits.add.id, meta.primary) : undefined;
  const idatBox = makeBox('idat', idat.idat);
  const parts: Uint8Array[] = [meta.fullBox];
  for (const c of meta.children) {
    if (c.type === 'iloc') parts.push(iloc);
    else if (c.type === 'iinf') parts.push(iinf);
    else if (c.type === 'iref' && iref) parts.push(iref);
    else if (c.type === 'idat') parts.push(idatBox);
    else parts.push(meta.bytes.subarray(c.offset, boxEnd(c)));
  }
  if (iref && !irefBox) parts.push(iref);
  return makeBox('meta', ...parts);
}
