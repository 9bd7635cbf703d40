/**
 * Planning a rewrite of an ISO-BMFF file as parts (copied ranges + new bytes): drop
 * old C2PA boxes, put a new C2PA `uuid` box right after `ftyp` (then a new XMP box when
 * one is needed), rewrite `moov` (label, patched chunk offsets) and changed XMP boxes,
 * patch the absolute offsets of a fragmented file (`tfhd` base data offsets, `tfra`;
 * `bmff-fragments.ts`), and copy everything else, `mdat` included, by range.
 *
 * Chunk offsets are mapped box by box: a byte of a copied top-level box moves by the
 * sum of the size changes before that box (the C2PA insertion, and `moov` growth when
 * `moov` comes first). Tables whose offsets would pass 4 GiB become 64-bit; that
 * grows `moov`, so the plan is iterated until no table needs widening.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { MAX_BMFF_MOOV_BYTES, MAX_MANIFEST_BYTES } from '../../binary/limits.ts';
import type { Part } from '../../binary/parts.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, UnsupportedFormatError, said } from '../../errors.ts';
import { serializeGb45438 } from '../../labels/implicit/gb45438.ts';
import type { ImplicitLabels } from '../../labels/implicit/types.ts';
import { BMFF, type BoxHeader, listBoxes, listChildren } from './bmff-boxes.ts';
import { c2paBoxPrefix, isC2paBox } from './bmff-c2pa-box.ts';
import { applyAigcLabel } from './bmff-meta-write.ts';
import { planXmpEdits, type XmpEdits } from './bmff-xmp.ts';
import { hasLabelContent } from '../common/xmp-packet.ts';
import { type BoxTree, findNodes, nodePayload, nodeSize, parseBoxTree, serializeNode } from './bmff-moov.ts';
import { applyFragmentPatch, collectFragmentPatches } from './bmff-fragments.ts';
import { applyOffsetTables, collectOffsetTables, type OffsetMap, type OffsetTable, overflows, relocationMap } from './bmff-offsets.ts';

/** What to change. */
export interface BmffRewriteOptions {
  /** Reserve a C2PA box holding exactly this many store bytes; undefined = no C2PA box. */
  readonly manifestLength?: number;
  /**
   * Labels to write: the GB 45438 label into `moov` (`mdta` key, plus a freeform item in
   * audio-only files), the digital source type into XMP. Undefined or empty = leave all
   * metadata as it is.
   */
  readonly labels?: ImplicitLabels;
}

/** A planned rewrite. */
export interface BmffRewrite {
  readonly parts: Part[];
  /** Index in `parts` of the zero-filled store placeholder, or -1. */
  readonly storeIndex: number;
  /** Output offset of the store placeholder, or -1. */
  readonly storeOffset: number;
  /** Output size. */
  readonly size: number;
  /** `stco`/`saio` tables widened to 64 bits. */
  readonly widened: number;
}

/** Whether every track is a sound track (an M4A-like file). */
export function isAudioOnly(tree: BoxTree): boolean {
  const hdlrs = findNodes(tree.root, ['trak', 'mdia', 'hdlr']);
  const tracks = findNodes(tree.root, ['trak']);
  if (!tracks.length || hdlrs.length !== tracks.length) return false;
  return hdlrs.every((h) => {
    const p = nodePayload(tree, h);
    return p.length >= 12 && String.fromCharCode(p[8]!, p[9]!, p[10]!, p[11]!) === 'soun';
  });
}

interface Layout {
  map: OffsetMap;
  total: number;
}

/**
 * Refuse structures whose absolute offsets this planner does not patch.
 * @throws {UnsupportedFormatError}
 */
async function refuseUnpatchable(src: ByteSource, boxes: readonly BoxHeader[], tree: BoxTree): Promise<void> {
  for (const m of boxes.filter((b) => b.type === 'meta')) {
    if ((await listChildren(src, m, 2)).boxes.some((b) => b.type === 'iloc')) {
      throw new UnsupportedFormatError(
        said('err.fmt.itemBasedISOBMFF', 'item-based ISO-BMFF (meta/iloc, e.g. HEIF) is not supported by the MP4 handler'),
      );
    }
  }
  if (findNodes(tree.root, ['meta', 'iloc']).length || findNodes(tree.root, ['trak', 'meta', 'iloc']).length) {
    throw new UnsupportedFormatError(said('err.fmt.mp4WithItemLocations', 'MP4 with item locations (moov/meta/iloc) is not supported'));
  }
}

function layout(
  src: ByteSource,
  boxes: readonly BoxHeader[],
  sizeOf: (b: BoxHeader) => number,
  inserted: number,
  ftyp: BoxHeader,
  verbatim: (b: BoxHeader) => boolean,
): Layout {
  const newStart: number[] = [];
  let pos = 0;
  for (const b of boxes) {
    newStart.push(pos);
    pos += sizeOf(b);
    if (b === ftyp) pos += inserted;
  }
  const total = pos;
  const map = relocationMap(
    src.size,
    boxes,
    newStart,
    total,
    verbatim,
    (x, b) =>
      new MalformedInputError(
        BMFF,
        said('err.fmt.chunkOffsetPointsInto', "a chunk offset ({x}) points into '{type}', not into media data", { x, type: b.type }),
        x,
      ),
  );
  return { map, total };
}

/**
 * Plan the rewrite.
 * @throws {UnsupportedFormatError} without `ftyp`, for item-based files.
 * @throws {MalformedInputError} for broken structure, no or several `moov`.
 * @throws {LimitExceededError} for a `moov` above `MAX_BMFF_MOOV_BYTES`, a store above
 * `MAX_MANIFEST_BYTES`, or nesting/box-count limits.
 * @throws {InvalidArgumentError} for a bad `manifestLength`.
 */
export async function planBmffRewrite(src: ByteSource, opts: BmffRewriteOptions): Promise<BmffRewrite> {
  const ml = opts.manifestLength;
  if (ml !== undefined && (!Number.isSafeInteger(ml) || ml < 0))
    throw InvalidArgumentError.expected('a non-negative integer', 'manifestLength', ml);
  if (ml !== undefined && ml > MAX_MANIFEST_BYTES)
    throw new LimitExceededError('MAX_MANIFEST_BYTES', said('err.fmt.manifestStoreBytes', 'manifest store of {ml} bytes', { ml }));
  const { boxes } = await listBoxes(src, 0, src.size, 1);
  const ftyp = boxes.find((b) => b.type === 'ftyp');
  if (!ftyp)
    throw new UnsupportedFormatError(
      said('err.fmt.isoBMFFFileWithout', 'ISO-BMFF file without an ftyp box (old QuickTime) cannot carry a C2PA box'),
    );
  const moovs = boxes.filter((b) => b.type === 'moov');
  if (moovs.length !== 1)
    throw new MalformedInputError(
      BMFF,
      moovs.length
        ? said('err.fmt.topMoovs', '{count} top-level moov boxes', { count: moovs.length })
        : said('err.fmt.noMoov', 'no moov box'),
      moovs[1]?.offset ?? 0,
    );
  const moov = moovs[0]!;
  if (moov.size > MAX_BMFF_MOOV_BYTES)
    throw new LimitExceededError('MAX_BMFF_MOOV_BYTES', said('err.fmt.moovBoxBytes', 'moov box of {size} bytes', { size: moov.size }));
  const tree = await parseBoxTree(await src.read(moov.offset, moov.size));
  await refuseUnpatchable(src, boxes, tree);
  const labels = hasLabelContent(opts.labels) ? opts.labels : undefined;
  if (labels?.gb45438) await applyAigcLabel(tree, serializeGb45438(labels.gb45438), { freeform: isAudioOnly(tree) });
  const xmp: XmpEdits = labels ? await planXmpEdits(src, boxes, tree, labels) : { replace: new Map() };

  const prefix = ml === undefined ? undefined : c2paBoxPrefix(ml);
  const inserted = (prefix ? prefix.length + ml! : 0) + (xmp.insert?.length ?? 0);
  const patches = new Map((await collectFragmentPatches(src, boxes)).map((p) => [p.box, p]));
  // patched fragments keep their size and layout, so offsets into them map like copied boxes
  const verbatim = (b: BoxHeader): boolean => b !== moov && !isC2paBox(b) && !xmp.replace.has(b);
  const movable = (b: BoxHeader): boolean => verbatim(b) || patches.has(b);
  const sizeOf = (b: BoxHeader): number =>
    isC2paBox(b) ? 0 : b === moov ? nodeSize(tree, tree.root) : (xmp.replace.get(b)?.length ?? b.size);
  const tables = collectOffsetTables(tree);
  const wide = new Set<OffsetTable>();
  let lay: Layout;
  for (;;) {
    applyOffsetTables(tables, (x) => x, wide); // sizes only depend on widths
    lay = layout(src, boxes, sizeOf, inserted, ftyp, movable);
    const grow = tables.filter((t) => !wide.has(t) && overflows(t, lay.map));
    if (!grow.length) break;
    for (const t of grow) wide.add(t);
  }
  applyOffsetTables(tables, lay.map, wide);
  const moovBytes = serializeNode(tree, tree.root);
  const fragmentBytes = new Map([...patches].map(([b, p]) => [b, applyFragmentPatch(p, lay.map)]));

  const parts: Part[] = [];
  let storeIndex = -1;
  let storeOffset = -1;
  let pos = 0;
  const add = (bytes: Uint8Array): void => {
    parts.push({ bytes });
    pos += bytes.length;
  };
  for (const b of boxes) {
    if (isC2paBox(b)) continue;
    const replaced = b === moov ? moovBytes : (xmp.replace.get(b) ?? fragmentBytes.get(b));
    if (replaced) add(replaced);
    else {
      const last = parts[parts.length - 1];
      if (last && 'copy' in last && last.copy.offset + last.copy.length === b.offset) {
        parts[parts.length - 1] = { copy: { offset: last.copy.offset, length: last.copy.length + b.size } };
      } else parts.push({ copy: { offset: b.offset, length: b.size } });
      pos += b.size;
    }
    if (b !== ftyp) continue;
    if (prefix) {
      add(prefix);
      storeIndex = parts.length;
      storeOffset = pos;
      add(new Uint8Array(ml!));
    }
    if (xmp.insert) add(xmp.insert);
  }
  return { parts, storeIndex, storeOffset, size: pos, widened: wide.size };
}
