/**
 * The top-level `meta` box of an item-based ISO-BMFF file (HEIF, HEIC, AVIF): its
 * children, the item list (`iinf`/`infe`), the primary item (`pitm`), item locations
 * (`iloc`) and item data (`idat`). Parsed from the box bytes (at most
 * `MAX_HEIF_META_BYTES`), with the nesting inside checked against `MAX_BMFF_DEPTH`.
 */
import { BufferSource, type ByteSource } from '../../binary/byte-source.ts';
import { fourcc } from '../../binary/bytes.ts';
import { MAX_HEIF_META_BYTES, MAX_METADATA_BYTES, MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, UnsupportedFormatError, said } from '../../errors.ts';
import { BMFF, type BoxHeader, boxEnd, listBoxes, payloadStart, walkBoxes } from './bmff-boxes.ts';
import { type Iloc, type IlocItem, parseIloc } from './heif-iloc.ts';

/** MIME type of an XMP item. */
export const XMP_CONTENT_TYPE = 'application/rdf+xml';

/** One `infe` entry. */
export interface ItemInfo {
  readonly id: number;
  /** `mime`, `hvc1`, `av01`, `Exif`, … (`mime` for infe v0/v1). */
  readonly type: string;
  readonly contentType?: string;
}

/** A parsed `meta`. */
export interface HeifMeta {
  /** Bytes of the whole box as read. */
  readonly bytes: Uint8Array;
  /** Absolute offset of the box in the file. */
  readonly offset: number;
  /** Version/flags of `meta` (4 bytes). */
  readonly fullBox: Uint8Array;
  /** Children, offsets relative to `bytes`. */
  readonly children: readonly BoxHeader[];
  readonly iloc: Iloc;
  readonly ilocBox: BoxHeader;
  readonly items: readonly ItemInfo[];
  readonly iinfBox: BoxHeader;
  /** Version of `iinf` (entry count u16 for 0, u32 otherwise). */
  readonly iinfVersion: number;
  readonly primary?: number;
  /** Payload of `idat` (empty when there is none). */
  readonly idat: Uint8Array;
}

function cstring(p: Uint8Array, pos: number): [string, number] {
  const nul = p.indexOf(0, pos);
  const end = nul < 0 ? p.length : nul;
  return [new TextDecoder('utf-8', { fatal: false }).decode(p.subarray(pos, end)), nul < 0 ? p.length : nul + 1];
}

/**
 * Parse one `infe` payload.
 * @throws {MalformedInputError} when it is truncated.
 */
function parseInfe(p: Uint8Array, at: number): ItemInfo {
  if (p.length < 4) throw new MalformedInputError(BMFF, said('err.fmt.infeBoxTruncated', 'infe box truncated'), at);
  const version = p[0]!;
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  if (version < 2) {
    if (p.length < 8) throw new MalformedInputError(BMFF, said('err.fmt.infeBoxTruncated', 'infe box truncated'), at);
    const [, next] = cstring(p, 8);
    const [contentType] = cstring(p, next);
    return { id: dv.getUint16(4), type: 'mime', contentType };
  }
  const idLen = version === 2 ? 2 : 4;
  if (p.length < 4 + idLen + 6) throw new MalformedInputError(BMFF, said('err.fmt.infeBoxTruncated', 'infe box truncated'), at);
  const id = idLen === 2 ? dv.getUint16(4) : dv.getUint32(4);
  const type = fourcc(p, 4 + idLen + 2);
  if (type !== 'mime') return { id, type };
  const [, next] = cstring(p, 4 + idLen + 6);
  const [contentType] = cstring(p, next);
  return { id, type, contentType };
}

/**
 * Read and parse the `meta` box.
 * @throws {LimitExceededError} above `MAX_HEIF_META_BYTES`, past `MAX_BMFF_DEPTH` or `MAX_SEGMENTS`.
 * @throws {MalformedInputError} without `iloc`/`iinf`, or for broken children.
 * @throws {UnsupportedFormatError} for an `iloc` version above 2.
 */
export async function readHeifMeta(src: ByteSource, meta: BoxHeader): Promise<HeifMeta> {
  if (meta.size > MAX_HEIF_META_BYTES)
    throw new LimitExceededError('MAX_HEIF_META_BYTES', said('err.fmt.metaBoxBytes', 'meta box of {size} bytes', { size: meta.size }));
  const bytes = await src.read(meta.offset, meta.size);
  const local = new BufferSource(bytes);
  const start = payloadStart({ ...meta, offset: 0 });
  if (meta.size - start < 4)
    throw new MalformedInputError(BMFF, said('err.fmt.metaFullBoxHeaderTruncated', 'meta FullBox header truncated'), meta.offset);
  const { boxes: children } = await listBoxes(local, start + 4, meta.size, 2);
  // Nested containers (iprp/ipco, dinf, a meta in a meta) are only checked for depth.
  await walkBoxes(local, () => true, { start: start + 4, end: meta.size });
  const payload = (b: BoxHeader): Uint8Array => bytes.subarray(payloadStart(b), boxEnd(b));
  const one = (type: string): BoxHeader | undefined => {
    const found = children.filter((b) => b.type === type);
    if (found.length > 1)
      throw new MalformedInputError(
        BMFF,
        said('err.fmt.boxesMeta', "{v1} '{type}' boxes in meta", { v1: found.length, type }),
        meta.offset + found[1]!.offset,
      );
    return found[0];
  };
  const ilocBox = one('iloc');
  const iinfBox = one('iinf');
  if (!ilocBox || !iinfBox)
    throw new MalformedInputError(
      BMFF,
      said('err.fmt.metaWithoutNotItem', 'meta without {v1}: not an item-based (HEIF) file', { v1: ilocBox ? 'iinf' : 'iloc' }),
      meta.offset,
    );
  const iloc = parseIloc(payload(ilocBox), meta.offset + payloadStart(ilocBox));
  const ip = payload(iinfBox);
  if (ip.length < 6)
    throw new MalformedInputError(BMFF, said('err.fmt.iinfBoxTruncated', 'iinf box truncated'), meta.offset + iinfBox.offset);
  const iinfVersion = ip[0]!;
  const entriesAt = iinfVersion === 0 ? 6 : 8;
  const infes = (await listBoxes(local, payloadStart(iinfBox) + entriesAt, boxEnd(iinfBox), 3)).boxes.filter((b) => b.type === 'infe');
  if (infes.length > MAX_SEGMENTS) throw new LimitExceededError('MAX_SEGMENTS', said('err.fmt.items', '{v1} items', { v1: infes.length }));
  const items = infes.map((b) => parseInfe(payload(b), meta.offset + b.offset));
  const pitmBox = one('pitm');
  let primary: number | undefined;
  if (pitmBox) {
    const pp = payload(pitmBox);
    if (pp.length < 6)
      throw new MalformedInputError(BMFF, said('err.fmt.pitmBoxTruncated', 'pitm box truncated'), meta.offset + pitmBox.offset);
    primary = pp[0] === 0 ? (pp[4]! << 8) | pp[5]! : pp.length >= 8 ? new DataView(pp.buffer, pp.byteOffset).getUint32(4) : undefined;
  }
  const idatBox = one('idat');
  return {
    bytes,
    offset: meta.offset,
    fullBox: bytes.subarray(start, start + 4),
    children,
    iloc,
    ilocBox,
    items,
    iinfBox,
    iinfVersion,
    ...(primary === undefined ? {} : { primary }),
    idat: idatBox ? payload(idatBox) : new Uint8Array(0),
  };
}

/** The XMP items (`mime` items of type `application/rdf+xml`), in `iinf` order. */
export function xmpItems(meta: HeifMeta): ItemInfo[] {
  return meta.items.filter((i) => i.type === 'mime' && i.contentType?.trim().toLowerCase() === XMP_CONTENT_TYPE);
}

/** Absolute `[start, end)` ranges of a construction-method-0 item in the file. */
export function fileRanges(item: IlocItem, fileSize: number): [number, number][] {
  return item.extents.map((e) => {
    const start = item.base + e.offset;
    const end = e.length === 0 && item.extents.length === 1 ? fileSize : start + e.length;
    if (end > fileSize || start > end) {
      throw new MalformedInputError(
        BMFF,
        said('err.fmt.ilocItemExtentLies', 'iloc: item {id} extent [{start}, {end}) lies past the end of the file ({fileSize} bytes)', {
          id: item.id,
          start,
          end,
          fileSize,
        }),
        start,
      );
    }
    return [start, end];
  });
}

/**
 * The bytes of one item (construction method 0 from the file, 1 from `idat`).
 * @throws {MalformedInputError} for an extent outside the file or `idat`, a missing location.
 * @throws {UnsupportedFormatError} for construction method 2 or an external data reference.
 * @throws {LimitExceededError} above `MAX_METADATA_BYTES`.
 */
export async function readItemData(src: ByteSource, meta: HeifMeta, id: number): Promise<Uint8Array> {
  const item = meta.iloc.items.find((i) => i.id === id);
  if (!item) throw new MalformedInputError(BMFF, said('err.fmt.itemHasNoIloc', 'item {id} has no iloc entry', { id }), meta.offset);
  if (item.dataRef !== 0 || item.method === 2)
    throw new UnsupportedFormatError(
      said(
        'err.fmt.itemStoredReferenceConstruction',
        'item {id} is stored by reference (construction method {method}, data reference {dataRef})',
        { id, method: item.method, dataRef: item.dataRef },
      ),
    );
  const ranges = item.method === 0 ? fileRanges(item, src.size) : idatRanges(item, meta.idat.length);
  const total = ranges.reduce((n, [a, b]) => n + b - a, 0);
  if (total > MAX_METADATA_BYTES)
    throw new LimitExceededError('MAX_METADATA_BYTES', said('err.fmt.itemBytes', 'item {id} of {total} bytes', { id, total }));
  const out = new Uint8Array(total);
  let at = 0;
  for (const [a, b] of ranges) {
    out.set(item.method === 0 ? await src.read(a, b - a) : meta.idat.subarray(a, b), at);
    at += b - a;
  }
  return out;
}

/** `[start, end)` ranges of a construction-method-1 item inside `idat`. */
export function idatRanges(item: IlocItem, idatLength: number): [number, number][] {
  return item.extents.map((e) => {
    const start = item.base + e.offset;
    const end = e.length === 0 && item.extents.length === 1 ? idatLength : start + e.length;
    if (end > idatLength || start > end)
      throw new MalformedInputError(
        BMFF,
        said('err.fmt.ilocItemExtentLies2', 'iloc: item {id} extent [{start}, {end}) lies past the end of idat', {
          id: item.id,
          start,
          end,
        }),
        start,
      );
    return [start, end];
  });
}
