/**
 * A structural pre-check of CBOR (RFC 8949) run BEFORE bytes reach cbor-x: it walks every
 * item header, checks each declared length or count against the bytes left, caps nesting
 * ({@link MAX_CBOR_DEPTH}), single-item size ({@link MAX_CBOR_ITEM}) and the total number of
 * items ({@link MAX_CBOR_ITEMS}), and refuses tags that make cbor-x do more than build plain
 * values (record definitions, shared references, packed tables, ...). A hostile header such as a
 * byte string claiming 2^60 bytes therefore fails here, fast and without allocating.
 */
import { LimitExceededError, MalformedInputError, type Said, said } from '../errors.ts';
import { MAX_CBOR_DEPTH, MAX_CBOR_ITEM, MAX_CBOR_ITEMS } from '../binary/limits.ts';

/** Limits for {@link walkCbor}. */
export interface CborWalkLimits {
  readonly maxDepth?: number;
  readonly maxItem?: number;
  readonly maxItems?: number;
}

/**
 * Tags that cbor-x interprets with side effects or costly expansion; refused in untrusted input.
 * 6/51/256 packed values and string refs, 25/28/29 shared references, 27 generic objects,
 * 105 and ≥ 0xDFF9 records/bundles, 258/259 sets and explicit maps, 14/15 its extensions.
 */
const REFUSED_TAGS = new Set([6, 14, 15, 25, 27, 28, 29, 51, 105, 256, 258, 259]);
const FIRST_REFUSED_HIGH_TAG = 0xdff9;
/** Bignum tags 2/3: cap their byte string so BigInt conversion stays cheap. */
const MAX_BIGNUM_BYTES = 64;

interface Walk {
  readonly b: Uint8Array;
  readonly view: DataView;
  pos: number;
  items: number;
  readonly maxDepth: number;
  readonly maxItem: number;
  readonly maxItems: number;
}

/**
 * Walk one CBOR data item starting at `offset` and return the offset just past it.
 * @throws {MalformedInputError} for truncation, reserved encodings, a length past the bytes left,
 * refused tags or a bad indefinite-length string.
 * @throws {LimitExceededError} past the depth, item-size or item-count limits.
 */
export function walkCbor(bytes: Uint8Array, offset = 0, limits: CborWalkLimits = {}): number {
  const w: Walk = {
    b: bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    pos: offset,
    items: 0,
    maxDepth: limits.maxDepth ?? MAX_CBOR_DEPTH,
    maxItem: limits.maxItem ?? MAX_CBOR_ITEM,
    maxItems: limits.maxItems ?? MAX_CBOR_ITEMS,
  };
  item(w, 0);
  return w.pos;
}

function fail(w: Walk, msg: Said, at = w.pos): never {
  throw new MalformedInputError('cbor', msg, at);
}

/** Read the argument of the header at w.pos; returns [major, argument or -1 for indefinite, headerStart]. */
function header(w: Walk): [number, number, number] {
  const start = w.pos;
  if (w.pos >= w.b.length) fail(w, said('err.cbor.truncated', 'truncated: expected a data item'));
  const ib = w.b[w.pos++];
  const major = ib >> 5;
  const info = ib & 0x1f;
  if (info < 24) return [major, info, start];
  const need = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
  if (need === 0) {
    if (info === 31) {
      if (major === 0 || major === 1 || major === 6)
        fail(w, said('err.cbor.indefinite', 'indefinite length is not allowed for major type {major}', { major }), start);
      return [major, -1, start];
    }
    fail(w, said('err.cbor.reserved', 'reserved additional information {info}', { info }), start);
  }
  if (w.b.length - w.pos < need) fail(w, said('err.cbor.header', 'truncated: header needs {need} more bytes', { need }), start);
  let arg: number;
  if (need === 1) arg = w.b[w.pos];
  else if (need === 2) arg = w.view.getUint16(w.pos);
  else if (need === 4) arg = w.view.getUint32(w.pos);
  else {
    const big = w.view.getBigUint64(w.pos);
    // Integers (majors 0/1) may use all 64 bits; simple/float (7) is fixed width; for lengths
    // and counts anything above the safe range can never fit in the input.
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
      if (major === 0 || major === 1 || major === 7 || major === 6) arg = Number.MAX_SAFE_INTEGER;
      else
        fail(
          w,
          said('err.cbor.length', 'declared length {big} exceeds the {left} bytes left', {
            big: String(big),
            left: w.b.length - w.pos - 8,
          }),
          start,
        );
    } else arg = Number(big);
  }
  w.pos += need;
  return [major, arg, start];
}

function item(w: Walk, depth: number): void {
  if (++w.items > w.maxItems)
    throw new LimitExceededError(
      'MAX_CBOR_ITEMS',
      said('err.c2pa.moreCBORDataItems', 'more than {maxItems} CBOR data items', { maxItems: w.maxItems }),
    );
  const [major, arg, start] = header(w);
  switch (major) {
    case 0:
    case 1:
    case 7:
      if (major === 7 && arg === -1) fail(w, said('err.cbor.break', 'unexpected break'), start);
      return;
    case 2:
    case 3:
      if (arg === -1) indefiniteString(w, major, depth);
      else skipBytes(w, arg, start);
      return;
    case 4:
    case 5: {
      if (depth + 1 > w.maxDepth)
        throw new LimitExceededError(
          'MAX_CBOR_DEPTH',
          said('err.c2pa.cborNestedDeeperByte', 'CBOR nested deeper than {maxDepth} at byte {start}', { maxDepth: w.maxDepth, start }),
        );
      const per = major === 5 ? 2 : 1;
      if (arg === -1) {
        for (;;) {
          if (w.pos >= w.b.length) fail(w, said('err.cbor.noBreak', 'truncated: indefinite-length container has no break'), start);
          if (w.b[w.pos] === 0xff) {
            w.pos++;
            return;
          }
          for (let k = 0; k < per; k++) item(w, depth + 1);
        }
      }
      // Each element needs at least one byte: a count above the bytes left is a lie.
      if (arg * per > w.b.length - w.pos)
        fail(
          w,
          major === 5
            ? said('err.cbor.map', 'map declares {count} entries but only {left} bytes are left', { count: arg, left: w.b.length - w.pos })
            : said('err.cbor.array', 'array declares {count} entries but only {left} bytes are left', {
                count: arg,
                left: w.b.length - w.pos,
              }),
          start,
        );
      if (arg > w.maxItem)
        throw new LimitExceededError(
          'MAX_CBOR_ITEM',
          said('err.c2pa.cborContainerEntriesByte', 'CBOR container of {arg} entries at byte {start}', { arg, start }),
        );
      for (let i = 0; i < arg * per; i++) item(w, depth + 1);
      return;
    }
    case 6: {
      if (REFUSED_TAGS.has(arg) || arg >= FIRST_REFUSED_HIGH_TAG)
        fail(w, said('err.cbor.tag', 'CBOR tag {tag} is not accepted', { tag: arg }), start);
      if (depth + 1 > w.maxDepth)
        throw new LimitExceededError(
          'MAX_CBOR_DEPTH',
          said('err.c2pa.cborNestedDeeperByte', 'CBOR nested deeper than {maxDepth} at byte {start}', { maxDepth: w.maxDepth, start }),
        );
      const inner = w.pos;
      item(w, depth + 1);
      if ((arg === 2 || arg === 3) && w.pos - inner > MAX_BIGNUM_BYTES + 9)
        fail(w, said('err.cbor.bignum', 'bignum longer than {max} bytes', { max: MAX_BIGNUM_BYTES }), start);
      return;
    }
    default:
      fail(w, said('err.cbor.major', 'unknown major type {major}', { major }), start);
  }
}

function skipBytes(w: Walk, n: number, start: number): void {
  if (n > w.b.length - w.pos)
    fail(w, said('err.cbor.string', 'string declares {n} bytes but only {left} are left', { n, left: w.b.length - w.pos }), start);
  if (n > w.maxItem)
    throw new LimitExceededError(
      'MAX_CBOR_ITEM',
      said('err.c2pa.cborStringBytesByte', 'CBOR string of {n} bytes at byte {start}', { n, start }),
    );
  w.pos += n;
}

function indefiniteString(w: Walk, major: number, _depth: number): void {
  const start = w.pos - 1;
  let total = 0;
  for (;;) {
    if (w.pos >= w.b.length) fail(w, said('err.cbor.stringBreak', 'truncated: indefinite-length string has no break'), start);
    if (w.b[w.pos] === 0xff) {
      w.pos++;
      return;
    }
    if (++w.items > w.maxItems)
      throw new LimitExceededError(
        'MAX_CBOR_ITEMS',
        said('err.c2pa.moreCBORDataItems', 'more than {maxItems} CBOR data items', { maxItems: w.maxItems }),
      );
    const [m, n, chunkStart] = header(w);
    if (m !== major || n === -1) fail(w, said('err.cbor.chunk', 'indefinite-length string chunk of the wrong type'), chunkStart);
    skipBytes(w, n, chunkStart);
    total += n;
    if (total > w.maxItem)
      throw new LimitExceededError(
        'MAX_CBOR_ITEM',
        said('err.c2pa.cborStringMoreBytes', 'CBOR string of more than {maxItem} bytes at byte {start}', { maxItem: w.maxItem, start }),
      );
  }
}
