/**
 * Planning a rewrite of an item-based ISO-BMFF file (HEIF, HEIC, AVIF) as parts: old C2PA
 * boxes dropped, a new C2PA `uuid` box right after `ftyp` (where c2pa-rs puts it), the
 * top-level `meta` rebuilt (`iloc` file offsets patched for every byte that moved, as
 * c2pa-rs patches them), the XMP packets in an `mdat` of their own right after `meta`,
 * and everything else, the image `mdat` included, copied by range. An earlier XMP-only
 * `mdat` (ours) is dropped; other bytes of a moved XMP item are blanked (spaces), so no
 * stale label stays behind.
 *
 * The label: the GB 45438 `TC260:AIGC` property and the IPTC digital source type in the
 * XMP item (merged into the first existing XMP item, else a new item), which exiftool
 * reads as `XMP-TC260:Aigc`. Top-level XMP `uuid` boxes lose both properties.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES } from '../../binary/limits.ts';
import type { Part } from '../../binary/parts.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, UnsupportedFormatError, said } from '../../errors.ts';
import { decodeXmp, encodeXmp, hasLabelContent, mergeXmp, stripXmp } from '../common/xmp-packet.ts';
import { BMFF, type BoxHeader, boxEnd, listBoxes, payloadStart } from './bmff-boxes.ts';
import { c2paBoxPrefix, isC2paBox, isXmpUuidBox } from './bmff-c2pa-box.ts';
import type { BmffRewrite, BmffRewriteOptions } from './bmff-layout.ts';
import { type OffsetMap, relocationMap } from './bmff-offsets.ts';
import { makeXmpUuidBox, readXmpBox } from './bmff-xmp.ts';
import { boxHeader, boxHeaderLength, concatBytes } from './bmff-writer.ts';
import { buildHeifMeta, type MetaEdits, xmpData } from './heif-meta-write.ts';
import { fileRanges, type HeifMeta, readHeifMeta, readItemData, xmpItems } from './heif-meta.ts';

/** Most layout passes (field widths only grow, so two or three suffice). */
const MAX_PASSES = 4;

/**
 * The top-level boxes and the one `meta` of an item-based file.
 * @throws {UnsupportedFormatError} without `ftyp`, or for an image sequence (`moov`) unless `sequences`.
 * @throws {MalformedInputError} without exactly one top-level `meta`.
 */
export async function heifTop(
  src: ByteSource,
  opts: { sequences?: boolean } = {},
): Promise<{ boxes: BoxHeader[]; ftyp: BoxHeader; meta: BoxHeader }> {
  const { boxes } = await listBoxes(src, 0, src.size, 1);
  const ftyp = boxes[0]?.type === 'ftyp' ? boxes[0] : undefined;
  if (!ftyp) throw new UnsupportedFormatError(said('err.fmt.heifFileWithoutLeading', 'HEIF file without a leading ftyp box'));
  if (!opts.sequences && boxes.some((b) => b.type === 'moov'))
    throw new UnsupportedFormatError(
      said('err.fmt.heifImageSequencesMoov', 'HEIF image sequences (moov tracks) are not supported; still images only'),
    );
  const metas = boxes.filter((b) => b.type === 'meta');
  if (metas.length !== 1)
    throw new MalformedInputError(
      BMFF,
      metas.length
        ? said('err.fmt.topMetas', '{count} top-level meta boxes', { count: metas.length })
        : said('err.fmt.noTopMeta', 'no top-level meta box'),
      metas[1]?.offset ?? 0,
    );
  return { boxes, ftyp, meta: metas[0]! };
}

async function planLabels(src: ByteSource, meta: HeifMeta, boxes: readonly BoxHeader[], opts: BmffRewriteOptions) {
  const rewrite = new Map<number, Uint8Array>();
  const replace = new Map<BoxHeader, Uint8Array>();
  const blanks: [number, number][] = [];
  const dropped = new Set<BoxHeader>();
  let add: MetaEdits['add'];
  const labels = hasLabelContent(opts.labels) ? opts.labels : undefined;
  if (!labels) return { edits: { rewrite }, replace, blanks, dropped };
  const items = xmpItems(meta);
  for (const [i, it] of items.entries()) {
    const old = decodeXmp(await readItemData(src, meta, it.id));
    rewrite.set(it.id, encodeXmp(i === 0 ? mergeXmp(old, labels) : stripXmp(old, labels)));
    const loc = meta.iloc.items.find((l) => l.id === it.id)!;
    if (loc.method !== 0) continue;
    const ranges = fileRanges(loc, src.size);
    const own =
      ranges.length === 1
        ? boxes.find((b) => b.type === 'mdat' && payloadStart(b) === ranges[0]![0] && boxEnd(b) === ranges[0]![1])
        : undefined;
    if (own) dropped.add(own);
    else blanks.push(...ranges);
  }
  if (!items.length) {
    const ids = [...meta.items.map((i) => i.id), ...meta.iloc.items.map((i) => i.id)];
    const id = ids.reduce((m, x) => Math.max(m, x), 0) + 1;
    if (id > 0xffff_ffff) throw new UnsupportedFormatError(said('err.fmt.noFreeItemID', 'no free item ID for the XMP item'));
    add = { id, data: encodeXmp(mergeXmp(undefined, labels)) };
  }
  for (const b of boxes.filter(isXmpUuidBox)) {
    const old = await readXmpBox(src, b);
    const next = stripXmp(old, labels);
    if (next !== old) replace.set(b, makeXmpUuidBox(next));
  }
  blanks.sort((a, b) => a[0] - b[0]);
  return { edits: { rewrite, ...(add ? { add } : {}) }, replace, blanks, dropped };
}

function pushCopy(parts: Part[], offset: number, length: number): void {
  if (length <= 0) return;
  const last = parts[parts.length - 1];
  if (last && 'copy' in last && last.copy.offset + last.copy.length === offset) {
    parts[parts.length - 1] = { copy: { offset: last.copy.offset, length: last.copy.length + length } };
  } else parts.push({ copy: { offset, length } });
}

/**
 * Plan the rewrite of a HEIF/HEIC/AVIF file.
 * @throws {UnsupportedFormatError} without `ftyp`, for image sequences or items stored by reference.
 * @throws {MalformedInputError} for broken structure, `iloc` pointing past the end or into rewritten boxes.
 * @throws {LimitExceededError} for a `meta` above `MAX_HEIF_META_BYTES`, a store above `MAX_MANIFEST_BYTES`, nesting or count limits.
 * @throws {InvalidArgumentError} for a bad `manifestLength`.
 */
export async function planHeifRewrite(src: ByteSource, opts: BmffRewriteOptions): Promise<BmffRewrite> {
  const ml = opts.manifestLength;
  if (ml !== undefined && (!Number.isSafeInteger(ml) || ml < 0))
    throw InvalidArgumentError.expected('a non-negative integer', 'manifestLength', ml);
  if (ml !== undefined && ml > MAX_MANIFEST_BYTES)
    throw new LimitExceededError('MAX_MANIFEST_BYTES', said('err.fmt.manifestStoreBytes', 'manifest store of {ml} bytes', { ml }));
  const { boxes, ftyp, meta: metaBox } = await heifTop(src);
  const meta = await readHeifMeta(src, metaBox);
  for (const it of meta.iloc.items) if (it.method === 0 && it.dataRef === 0) fileRanges(it, src.size);
  const { edits, replace, blanks, dropped } = await planLabels(src, meta, boxes, opts);
  const prefix = ml === undefined ? undefined : c2paBoxPrefix(ml);
  const inserted = prefix ? prefix.length + ml! : 0;
  const packets = xmpData(edits).map(([, d]) => d);
  const packetBytes = packets.reduce((n, d) => n + d.length, 0);
  const dataHeader = packets.length ? boxHeader('mdat', boxHeaderLength(packetBytes) + packetBytes) : undefined;
  const dataBox = dataHeader ? concatBytes([dataHeader, ...packets]) : undefined;
  const gone = (b: BoxHeader): boolean => isC2paBox(b) || dropped.has(b);
  const verbatim = (b: BoxHeader): boolean => b !== metaBox && !gone(b) && !replace.has(b);

  let metaBytes = buildHeifMeta(meta, edits, (x) => x, 0);
  let map: OffsetMap = (x) => x;
  for (let pass = 0; ; pass++) {
    const newStart: number[] = [];
    let pos = 0;
    let dataAt = 0;
    for (const b of boxes) {
      newStart.push(pos);
      pos += gone(b) ? 0 : b === metaBox ? metaBytes.length : (replace.get(b)?.length ?? b.size);
      if (b === ftyp) pos += inserted;
      if (b === metaBox && dataBox) {
        dataAt = pos + dataHeader!.length;
        pos += dataBox.length;
      }
    }
    map = relocationMap(
      src.size,
      boxes,
      newStart,
      pos,
      verbatim,
      (x, b) =>
        new MalformedInputError(
          BMFF,
          said('err.fmt.ilocPointsIntoOffset', "iloc points into '{type}' (offset {x}), which is rewritten, not into media data", {
            type: b.type,
            x,
          }),
          x,
        ),
    );
    const next = buildHeifMeta(meta, edits, map, dataAt);
    const stable = next.length === metaBytes.length;
    metaBytes = next;
    if (stable) break;
    if (pass >= MAX_PASSES)
      throw new MalformedInputError(BMFF, said('err.fmt.metaLayoutDoesNot', 'meta layout does not converge'), metaBox.offset);
  }

  const parts: Part[] = [];
  let storeIndex = -1;
  let storeOffset = -1;
  for (const b of boxes) {
    if (gone(b)) continue;
    const bytes = b === metaBox ? metaBytes : replace.get(b);
    if (bytes) parts.push({ bytes });
    else {
      let at = b.offset;
      for (const [s, e] of blanks) {
        if (e <= at || s >= boxEnd(b)) continue;
        pushCopy(parts, at, s - at);
        parts.push({ bytes: new Uint8Array(Math.min(e, boxEnd(b)) - Math.max(s, at)).fill(0x20) });
        at = Math.min(e, boxEnd(b));
      }
      pushCopy(parts, at, boxEnd(b) - at);
    }
    if (b === metaBox && dataBox) parts.push({ bytes: dataBox });
    if (b === ftyp && prefix) {
      parts.push({ bytes: prefix });
      storeOffset = boxEnd(ftyp) + prefix.length;
      storeIndex = parts.length;
      parts.push({ bytes: new Uint8Array(ml!) });
    }
  }
  const size = parts.reduce((n, p) => n + ('copy' in p ? p.copy.length : p.bytes.length), 0);
  return { parts, storeIndex, storeOffset, size, widened: 0 };
}
