/**
 * The HEIF item location box (`iloc`, ISO/IEC 14496-12 §8.11.3), parsed and re-encoded.
 * Versions 0, 1 and 2; offset, length and base-offset fields of 0, 4 or 8 bytes; extent
 * indices (v1/v2). Re-encoding widens a 4-byte field to 8 bytes when a value needs it and
 * raises the version when an item uses a construction method (v1) or a 32-bit item ID (v2).
 */
import { MAX_SEGMENTS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, UnsupportedFormatError, said } from '../../errors.ts';
import { BMFF } from './bmff-boxes.ts';
import { concatBytes, makeFullBox, MAX_U32 } from './bmff-writer.ts';

/** One extent: `offset` and `length` as stored (relative to the item's base offset). */
export interface IlocExtent {
  index: number;
  offset: number;
  length: number;
}

/** One item's location. `method`: 0 file offset, 1 `idat` offset, 2 item offset. */
export interface IlocItem {
  id: number;
  method: number;
  dataRef: number;
  base: number;
  extents: IlocExtent[];
}

/** A parsed `iloc`. */
export interface Iloc {
  version: number;
  flags: number;
  offsetSize: number;
  lengthSize: number;
  baseSize: number;
  indexSize: number;
  items: IlocItem[];
}

const SIZES = new Set([0, 4, 8]);

/**
 * Parse an `iloc` payload (after the box header).
 * @throws {MalformedInputError} for a truncated box, bad field sizes or a 64-bit value above `MAX_SAFE_INTEGER`.
 * @throws {UnsupportedFormatError} for a version above 2.
 * @throws {LimitExceededError} for more than `MAX_SEGMENTS` items or extents.
 */
export function parseIloc(p: Uint8Array, at: number): Iloc {
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > p.length) throw new MalformedInputError(BMFF, said('err.fmt.ilocBoxTruncated', 'iloc box truncated'), at + pos);
  };
  const uint = (n: number): number => {
    need(n);
    let v: number;
    if (n === 0) v = 0;
    else if (n === 1) v = p[pos]!;
    else if (n === 2) v = dv.getUint16(pos);
    else if (n === 4) v = dv.getUint32(pos);
    else {
      const b = dv.getBigUint64(pos);
      if (b > BigInt(Number.MAX_SAFE_INTEGER))
        throw new MalformedInputError(
          BMFF,
          said('err.fmt.ilocValueExceedsMAX', 'iloc value {b} exceeds MAX_SAFE_INTEGER', { b: String(b) }),
          at + pos,
        );
      v = Number(b);
    }
    pos += n;
    return v;
  };
  const version = uint(1);
  const flags = (uint(1) << 16) | uint(2);
  if (version > 2)
    throw new UnsupportedFormatError(said('err.fmt.ilocVersionNotSupported', 'iloc version {version} is not supported', { version }));
  const s1 = uint(1);
  const s2 = uint(1);
  const offsetSize = s1 >> 4;
  const lengthSize = s1 & 15;
  const baseSize = s2 >> 4;
  const indexSize = version === 0 ? 0 : s2 & 15;
  for (const s of [offsetSize, lengthSize, baseSize, indexSize]) {
    if (!SIZES.has(s))
      throw new MalformedInputError(BMFF, said('err.fmt.ilocFieldSizeNot', 'iloc field size {s} is not 0, 4 or 8', { s }), at);
  }
  const count = uint(version < 2 ? 2 : 4);
  if (count > MAX_SEGMENTS)
    throw new LimitExceededError('MAX_SEGMENTS', said('err.fmt.ilocWithItems', 'iloc with {count} items', { count }));
  const items: IlocItem[] = [];
  let extentsTotal = 0;
  for (let i = 0; i < count; i++) {
    const id = uint(version < 2 ? 2 : 4);
    const method = version === 0 ? 0 : uint(2) & 15;
    const dataRef = uint(2);
    const base = uint(baseSize);
    const n = uint(2);
    extentsTotal += n;
    if (extentsTotal > MAX_SEGMENTS)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.fmt.ilocWithMoreExtents', 'iloc with more than {MAX_SEGMENTS} extents', { MAX_SEGMENTS }),
      );
    need(n * (indexSize + offsetSize + lengthSize));
    const extents: IlocExtent[] = [];
    for (let e = 0; e < n; e++) extents.push({ index: uint(indexSize), offset: uint(offsetSize), length: uint(lengthSize) });
    items.push({ id, method, dataRef, base, extents });
  }
  return { version, flags, offsetSize, lengthSize, baseSize, indexSize, items };
}

function width(current: number, values: Iterable<number>): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  if (max === 0) return current;
  return max > MAX_U32 ? 8 : Math.max(current, 4);
}

function put(out: number[], n: number, v: number): void {
  if (n === 8) {
    const hi = Math.floor(v / 2 ** 32);
    put(out, 4, hi);
    put(out, 4, v - hi * 2 ** 32);
    return;
  }
  for (let i = n - 1; i >= 0; i--) out.push(Math.floor(v / 2 ** (8 * i)) & 0xff);
}

/**
 * Encode an `iloc` box. Field sizes grow to fit the values (never shrink), the version
 * to what the items need.
 * @throws {InvalidArgumentError} (from the box writer) for values that cannot be encoded.
 */
export function encodeIloc(iloc: Iloc): Uint8Array {
  const ids = iloc.items.map((i) => i.id);
  let version = iloc.version;
  if (version === 0 && iloc.items.some((i) => i.method !== 0)) version = 1;
  if (ids.some((id) => id > 0xffff)) version = 2;
  const offsetSize = width(
    iloc.offsetSize,
    iloc.items.flatMap((i) => i.extents.map((e) => e.offset)),
  );
  const lengthSize = width(
    iloc.lengthSize,
    iloc.items.flatMap((i) => i.extents.map((e) => e.length)),
  );
  const baseSize = width(
    iloc.baseSize,
    iloc.items.map((i) => i.base),
  );
  const indexSize =
    version === 0
      ? 0
      : width(
          iloc.indexSize,
          iloc.items.flatMap((i) => i.extents.map((e) => e.index)),
        );
  const out: number[] = [(offsetSize << 4) | lengthSize, (baseSize << 4) | indexSize];
  put(out, version < 2 ? 2 : 4, iloc.items.length);
  for (const it of iloc.items) {
    put(out, version < 2 ? 2 : 4, it.id);
    if (version > 0) put(out, 2, it.method);
    put(out, 2, it.dataRef);
    put(out, baseSize, it.base);
    put(out, 2, it.extents.length);
    for (const e of it.extents) {
      put(out, indexSize, e.index);
      put(out, offsetSize, e.offset);
      put(out, lengthSize, e.length);
    }
  }
  return makeFullBox('iloc', version, iloc.flags, concatBytes([Uint8Array.from(out)]));
}
