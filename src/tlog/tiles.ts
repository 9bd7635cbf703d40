/**
 * The C2SP `tlog-tiles` layout: tile paths, tile geometry and entry bundles.
 *
 *   tile/<L>/<N>[.p/<W>]        hashes (32 bytes each), 256 per full tile
 *   tile/entries/<N>[.p/<W>]    entries, each prefixed by a big-endian uint16 length
 *
 * `<N>` is written in 3-digit groups, all but the last prefixed with `x` (1234067 → x001/x234/067).
 * The n-th tile at level l holds MTH(D[(n·256+i)·256^l : (n·256+i+1)·256^l]) for i in 0..255; the
 * partial tile at level l of a tree of size s has ⌊s/256^l⌋ mod 256 hashes.
 */
import { InvalidArgumentError, LimitExceededError, MalformedInputError, said } from '../errors.ts';

/** Hashes per full tile (tile height 8). */
export const TILE_WIDTH = 256;
/** Tree levels per tile level. */
export const TILE_HEIGHT = 8;
/** Bytes of one hash. */
export const HASH_BYTES = 32;
/** Largest entry an entry bundle can hold (uint16 length prefix). */
export const MAX_ENTRY_BYTES = 0xffff;

/** Encode a tile index as C2SP path elements. */
export function tileIndexPath(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw InvalidArgumentError.expected('a non-negative tile index', 'N', n);
  const groups: string[] = [];
  let v = n;
  do {
    groups.unshift(String(v % 1000).padStart(3, '0'));
    v = Math.floor(v / 1000);
  } while (v > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** Path of a hash tile (`level` ≥ 0) or entry bundle (`level` = 'entries'), partial when `width` < 256. */
export function tilePath(level: number | 'entries', n: number, width = TILE_WIDTH): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH)
    throw InvalidArgumentError.expected('a tile width from 1 to 256', 'W', width);
  if (level !== 'entries' && (!Number.isInteger(level) || level < 0 || level > 63))
    throw InvalidArgumentError.expected('a tile level from 0 to 63', 'L', level);
  return `tile/${level}/${tileIndexPath(n)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

/** Parse a tile path back into its parts (for servers and tests). */
export function parseTilePath(p: string): { level: number | 'entries'; n: number; width: number } {
  const m = /^tile\/(entries|0|[1-9]\d?)\/((?:x\d{3}\/)*\d{3})(?:\.p\/([1-9]\d{0,2}))?$/.exec(p);
  if (!m) throw new MalformedInputError('tlog-tiles', said('err.tlog.notTilePath', 'not a tile path: {p}', { p }));
  const n = Number(m[2]!.replace(/x|\//g, ''));
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  if (width >= TILE_WIDTH)
    throw new MalformedInputError(
      'tlog-tiles',
      said('err.tlog.partialWidthMustBelow', 'partial width {width} must be below 256', { width }),
    );
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  if (tilePath(level, n, width) !== p)
    throw new MalformedInputError('tlog-tiles', said('err.tlog.nonCanonicalTilePath', 'non-canonical tile path: {p}', { p }));
  return { level, n, width };
}

/** Width of the rightmost (partial) tile at `level` for a tree of `size` leaves; 0 when there is none. */
export function partialWidth(level: number, size: number): number {
  return Math.floor(size / TILE_WIDTH ** level) % TILE_WIDTH;
}

/** Number of full tiles at `level` for a tree of `size` leaves. */
export function fullTiles(level: number, size: number): number {
  return Math.floor(size / TILE_WIDTH ** (level + 1));
}

/** Highest tile level that holds anything for a tree of `size` leaves. */
export function topLevel(size: number): number {
  let l = 0;
  while (TILE_WIDTH ** (l + 1) <= size) l++;
  return l;
}

/**
 * Concatenate entries into a bundle, each with its uint16 length.
 * @throws {LimitExceededError} when an entry is longer than 65,535 bytes.
 */
export function encodeBundle(entries: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const e of entries) {
    if (e.length > MAX_ENTRY_BYTES)
      throw new LimitExceededError(
        'MAX_ENTRY_BYTES',
        said('err.tlog.logEntryBytesDoes', 'a log entry of {v1} bytes does not fit an entry bundle', { v1: e.length }),
      );
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * Split a bundle into its entries.
 * @throws {MalformedInputError} when a length runs past the end or there are more than 256 entries.
 */
export function decodeBundle(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length)
      throw new MalformedInputError('tlog entry bundle', said('err.tlog.truncatedLengthPrefix', 'truncated length prefix'), at);
    const len = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + len > bytes.length)
      throw new MalformedInputError(
        'tlog entry bundle',
        said('err.tlog.entryBytesRunsPast', 'entry of {len} bytes runs past the end', { len }),
        at,
      );
    if (out.length === TILE_WIDTH)
      throw new MalformedInputError('tlog entry bundle', said('err.tlog.moreEntries', 'more than 256 entries'), at);
    out.push(bytes.subarray(at + 2, at + 2 + len));
    at += 2 + len;
  }
  return out;
}
