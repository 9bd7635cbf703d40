/**
 * A safe ISO-BMFF (ISO/IEC 14496-12) box walker over a {@link ByteSource}.
 *
 * It reads box headers only (size, type, 64-bit `largesize`, size 0 = "to the end",
 * the `uuid` extended type) and never loads a payload such as `mdat`. Every size is
 * checked against the bytes its parent has left and against `MAX_SAFE_INTEGER`;
 * nesting is capped by `MAX_BMFF_DEPTH` and the number of boxes per level by
 * `MAX_SEGMENTS`.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { fourcc } from '../../binary/bytes.ts';
import { MAX_BMFF_DEPTH, MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../../errors.ts';

/** Grammar name used in this family's {@link MalformedInputError}s. */
export const BMFF = 'bmff';

/** One box header as found in the source. */
export interface BoxHeader {
  /** Four-character type, decoded as Latin-1 (`©nam` keeps its `©`). */
  readonly type: string;
  /** Absolute offset of the box's first byte. */
  readonly offset: number;
  /** Total size, header included (resolved for size 0 = "to the end of the parent"). */
  readonly size: number;
  /** Header length: 8, 16 with `largesize`, plus 16 for a `uuid` extended type. */
  readonly headerSize: number;
  /** Whether the size was stored as a 64-bit `largesize`. */
  readonly largeSize: boolean;
  /** Whether the size field was 0 ("extends to the end of the file/parent"). */
  readonly toEnd: boolean;
  /** The 16-byte extended type of a `uuid` box. */
  readonly userType?: Uint8Array;
}

/** First byte of a box's payload. */
export function payloadStart(box: BoxHeader): number {
  return box.offset + box.headerSize;
}

/** One past a box's last byte. */
export function boxEnd(box: BoxHeader): number {
  return box.offset + box.size;
}

/**
 * Throw when `depth` (1 = top level) is past {@link MAX_BMFF_DEPTH}.
 * @throws {LimitExceededError}
 */
export function checkBmffDepth(depth: number): void {
  if (depth > MAX_BMFF_DEPTH) {
    throw new LimitExceededError(
      'MAX_BMFF_DEPTH',
      said('err.fmt.isoBMFFBoxesNested', 'ISO-BMFF boxes nested {depth} deep (at most {MAX_BMFF_DEPTH})', { depth, MAX_BMFF_DEPTH }),
    );
  }
}

/**
 * Parse the box header at `offset`; the box must end at or before `end` (its
 * parent's end, or the file size at top level).
 * @throws {MalformedInputError} for a truncated header, a size smaller than its
 * header, a size past `end`, or a size above `MAX_SAFE_INTEGER`.
 */
export async function readBoxHeader(src: ByteSource, offset: number, end: number): Promise<BoxHeader> {
  const left = end - offset;
  if (left < 8)
    throw new MalformedInputError(
      BMFF,
      said('err.fmt.boxHeaderTruncatedBytes', 'box header truncated: {left} bytes left', { left }),
      offset,
    );
  const head = await src.read(offset, Math.min(32, left));
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const size32 = dv.getUint32(0);
  const type = fourcc(head, 4);
  let headerSize = 8;
  let size: number;
  let largeSize = false;
  let toEnd = false;
  if (size32 === 1) {
    if (head.length < 16)
      throw new MalformedInputError(BMFF, said('err.fmt.largesizeTruncated', "'{type}' largesize truncated", { type }), offset);
    const big = dv.getBigUint64(8);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MalformedInputError(
        BMFF,
        said('err.fmt.largesizeExceedsMAXSAFE', "'{type}' largesize {big} exceeds MAX_SAFE_INTEGER", { type, big: String(big) }),
        offset,
      );
    }
    size = Number(big);
    headerSize = 16;
    largeSize = true;
  } else if (size32 === 0) {
    size = left;
    toEnd = true;
  } else {
    size = size32;
  }
  let userType: Uint8Array | undefined;
  if (type === 'uuid') {
    if (head.length < headerSize + 16)
      throw new MalformedInputError(BMFF, said('err.fmt.uuidExtendedTypeTruncated', "'uuid' extended type truncated"), offset);
    userType = head.slice(headerSize, headerSize + 16);
    headerSize += 16;
  }
  if (size < headerSize)
    throw new MalformedInputError(
      BMFF,
      said('err.fmt.sizeSmallerByteHeader', "'{type}' size {size} is smaller than its {headerSize}-byte header", {
        type,
        size,
        headerSize,
      }),
      offset,
    );
  if (size > left)
    throw new MalformedInputError(
      BMFF,
      said('err.fmt.sizeRunsPastEnd', "'{type}' size {size} runs past the end of its parent ({left} bytes left)", { type, size, left }),
      offset,
    );
  return { type, offset, size, headerSize, largeSize, toEnd, ...(userType ? { userType } : {}) };
}

/** The boxes found in a range, plus any bytes after the last one. */
export interface BoxList {
  readonly boxes: BoxHeader[];
  /** Offset of unparsed trailing bytes (fewer than 8), or `end` when there are none. */
  readonly trailingStart: number;
}

/**
 * List the boxes in `[start, end)`. At top level (`depth` 1) the boxes must cover the
 * range exactly; nested ranges may end with fewer than 8 spare bytes (QuickTime's
 * zero terminator in `udta`), reported as `trailingStart`.
 * @throws {MalformedInputError} for bad sizes or top-level trailing bytes.
 * @throws {LimitExceededError} past `MAX_BMFF_DEPTH` or `MAX_SEGMENTS`.
 */
export async function listBoxes(src: ByteSource, start: number, end: number, depth = 1): Promise<BoxList> {
  const boxes: BoxHeader[] = [];
  let at = start;
  if (end - at >= 8) checkBmffDepth(depth); // only boxes that exist count
  while (end - at >= 8) {
    if (boxes.length >= MAX_SEGMENTS) {
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.fmt.moreISOBMFFBoxes', 'more than {MAX_SEGMENTS} ISO-BMFF boxes at one level', { MAX_SEGMENTS }),
      );
    }
    const box = await readBoxHeader(src, at, end);
    boxes.push(box);
    at += box.size;
  }
  if (at < end && depth === 1) {
    throw new MalformedInputError(
      BMFF,
      said('err.fmt.trailingBytesAfterLast', '{v1} trailing bytes after the last top-level box', { v1: end - at }),
      at,
    );
  }
  return { boxes, trailingStart: at };
}

/** Box types whose payload is a list of child boxes (walked by {@link walkBoxes}). */
export const CONTAINER_TYPES: ReadonlySet<string> = new Set([
  'moov',
  'trak',
  'mdia',
  'minf',
  'stbl',
  'udta',
  'edts',
  'dinf',
  'mvex',
  'moof',
  'traf',
  'mfra',
  'tref',
  'meta',
  'ipro',
  'sinf',
  'schi',
  'iprp',
  'ipco',
  'grpl',
  'strk',
  'strd',
]);

/**
 * Where the children of a `meta` box start. ISO `meta` is a FullBox (4 bytes of
 * version/flags before the children); QuickTime's `meta` is a plain box whose first
 * child is `hdlr`. Tell them apart by looking for `hdlr` right after the header.
 */
export async function metaChildrenStart(src: ByteSource, meta: BoxHeader): Promise<number> {
  const p = payloadStart(meta);
  if (boxEnd(meta) - p >= 8) {
    const probe = await src.read(p, 8);
    if (fourcc(probe, 4) === 'hdlr') return p;
  }
  return Math.min(p + 4, boxEnd(meta));
}

/** Where the children of a container box start. */
export async function childrenStart(src: ByteSource, box: BoxHeader): Promise<number> {
  return box.type === 'meta' ? metaChildrenStart(src, box) : payloadStart(box);
}

/** Called for each box by {@link walkBoxes}; return `false` to skip its children. */
export type BoxVisitor = (box: BoxHeader, path: string, depth: number) => boolean | void | Promise<boolean | void>;

/**
 * Depth-first walk over every box in `[start, end)`, descending into
 * {@link CONTAINER_TYPES} (or the types `descend` allows). Paths look like
 * `/moov/trak/mdia` (no indices). Payloads are never read.
 * @throws {MalformedInputError} {@link LimitExceededError}
 */
export async function walkBoxes(
  src: ByteSource,
  visit: BoxVisitor,
  opts: { start?: number; end?: number; descend?: (box: BoxHeader) => boolean } = {},
): Promise<void> {
  const descend = opts.descend ?? ((b: BoxHeader) => CONTAINER_TYPES.has(b.type));
  const rec = async (start: number, end: number, depth: number, parent: string): Promise<void> => {
    const { boxes } = await listBoxes(src, start, end, depth);
    for (const box of boxes) {
      const path = `${parent}/${box.type}`;
      const go = await visit(box, path, depth);
      if (go !== false && descend(box)) await rec(await childrenStart(src, box), boxEnd(box), depth + 1, path);
    }
  };
  await rec(opts.start ?? 0, opts.end ?? src.size, 1, '');
}

/** FullBox version and flags. */
export interface FullBoxHeader {
  readonly version: number;
  readonly flags: number;
}

/**
 * Read the FullBox version (u8) and flags (u24) that start a box's payload.
 * @throws {MalformedInputError} when the payload is shorter than 4 bytes.
 */
export async function readFullBoxHeader(src: ByteSource, box: BoxHeader): Promise<FullBoxHeader> {
  const p = payloadStart(box);
  if (boxEnd(box) - p < 4)
    throw new MalformedInputError(BMFF, said('err.fmt.fullboxHeaderTruncated', "'{type}' FullBox header truncated", { type: box.type }), p);
  const b = await src.read(p, 4);
  return { version: b[0]!, flags: (b[1]! << 16) | (b[2]! << 8) | b[3]! };
}

/** The first box of `type` in a list. */
export function findBox(boxes: readonly BoxHeader[], type: string): BoxHeader | undefined {
  return boxes.find((b) => b.type === type);
}

/**
 * The children of a container box (for `meta`, after its version/flags when present).
 * @throws {MalformedInputError} {@link LimitExceededError}
 */
export async function listChildren(src: ByteSource, box: BoxHeader, depth: number): Promise<BoxList> {
  return listBoxes(src, await childrenStart(src, box), boxEnd(box), depth);
}
