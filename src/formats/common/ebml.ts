/**
 * EBML (RFC 8794) reading and writing for the Matroska/WebM handler: variable-length
 * element ids and sizes, a bounds-checked child walk, and element encoding. Only element
 * headers are read while walking; data is read for the few elements the handler edits.
 * Sizes are checked against the parent before use; an unknown size (all ones) is allowed
 * only where `allowUnknown` says (Segment, Cluster).
 */
import { MAX_SEGMENTS } from '../../binary/limits.ts';
import { InvalidArgumentError, LimitExceededError, MalformedInputError, said } from '../../errors.ts';
import type { WindowReader } from './window-reader.ts';
import { crc32 } from './crc32.ts';

const FORMAT = 'matroska';

/** One element as found. `size` is -1 for an unknown size. */
export interface EbmlElement {
  /** Id with its marker bits, e.g. `0x1A45DFA3`. */
  readonly id: number;
  readonly offset: number;
  readonly dataOffset: number;
  readonly size: number;
  /** Offset just past the element (the parent's end for an unknown size). */
  readonly end: number;
  /** Width of the size field in bytes. */
  readonly sizeWidth: number;
}

/** A variable-length integer in `b` at `at`: its width and value (marker removed unless `keepMarker`). */
export function readVint(
  b: Uint8Array,
  at: number,
  maxWidth: number,
  keepMarker: boolean,
): { width: number; value: number; allOnes: boolean } | undefined {
  const first = b[at];
  if (first === undefined || first === 0) return undefined;
  const width = Math.clz32(first) - 23;
  if (width > maxWidth || at + width > b.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> width);
  let allOnes = (first & (0xff >> width)) === 0xff >> width;
  for (let i = 1; i < width; i++) {
    value = value * 256 + b[at + i]!;
    if (b[at + i] !== 0xff) allOnes = false;
  }
  return { width, value, allOnes };
}

/**
 * The element header at `at`, inside a parent ending at `end`.
 * @throws {MalformedInputError} for a bad id or size, or data running past `end`.
 */
export async function readElement(r: WindowReader, at: number, end: number, allowUnknown = false): Promise<EbmlElement> {
  const h = await r.bytes(at, Math.min(12, end - at));
  const id = readVint(h, 0, 4, true);
  if (!id) throw new MalformedInputError(FORMAT, said('err.fmt.invalidEBMLElementId', 'invalid EBML element id'), at);
  const size = readVint(h, id.width, 8, false);
  if (!size)
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.invalidEBMLSizeElement', 'invalid EBML size of element 0x{v1}', { v1: id.value.toString(16) }),
      at,
    );
  const dataOffset = at + id.width + size.width;
  if (size.allOnes) {
    if (!allowUnknown)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.elementXHasUnknown', 'element 0x{v1} has an unknown size', { v1: id.value.toString(16) }),
        at,
      );
    return { id: id.value, offset: at, dataOffset, size: -1, end, sizeWidth: size.width };
  }
  if (size.value > end - dataOffset) {
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.elementXBytesRuns', 'element 0x{v1} of {value} bytes runs past its parent ({v3} bytes left)', {
        v1: id.value.toString(16),
        value: size.value,
        v3: end - dataOffset,
      }),
      at,
    );
  }
  return { id: id.value, offset: at, dataOffset, size: size.value, end: dataOffset + size.value, sizeWidth: size.width };
}

/**
 * The children of `[start, end)`. Stops after an unknown-size child (it runs to `end`).
 * @throws {MalformedInputError} {@link LimitExceededError} past `MAX_SEGMENTS` children.
 */
export async function readChildren(r: WindowReader, start: number, end: number, allowUnknown = false): Promise<EbmlElement[]> {
  const out: EbmlElement[] = [];
  let at = start;
  while (at < end) {
    if (out.length >= MAX_SEGMENTS)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.fmt.moreEBMLElementsOne', 'more than {MAX_SEGMENTS} EBML elements in one master', { MAX_SEGMENTS }),
      );
    const e = await readElement(r, at, end, allowUnknown);
    out.push(e);
    if (e.size < 0) break;
    at = e.end;
  }
  return out;
}

/** The children of a master element held in memory (`data` = the master's data). */
export function childrenOf(data: Uint8Array, base: number): { id: number; start: number; dataStart: number; end: number }[] {
  const out: { id: number; start: number; dataStart: number; end: number }[] = [];
  let at = 0;
  while (at < data.length) {
    if (out.length >= MAX_SEGMENTS)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.fmt.moreEBMLElementsOne', 'more than {MAX_SEGMENTS} EBML elements in one master', { MAX_SEGMENTS }),
      );
    const id = readVint(data, at, 4, true);
    const size = id && readVint(data, at + id.width, 8, false);
    if (!id || !size || size.allOnes)
      throw new MalformedInputError(FORMAT, said('err.fmt.invalidEBMLElementHeader', 'invalid EBML element header'), base + at);
    const dataStart = at + id.width + size.width;
    if (size.value > data.length - dataStart)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.elementXBytesRuns2', 'element 0x{v1} of {value} bytes runs past its parent', {
          v1: id.value.toString(16),
          value: size.value,
        }),
        base + at,
      );
    out.push({ id: id.value, start: at, dataStart, end: dataStart + size.value });
    at = dataStart + size.value;
  }
  return out;
}

/** An unsigned integer element value (≤ 8 bytes, safe integers only). */
export function readUint(b: Uint8Array, base: number): number {
  if (b.length > 8)
    throw new MalformedInputError(FORMAT, said('err.fmt.unsignedIntegerBytes', 'unsigned integer of {v1} bytes', { v1: b.length }), base);
  let v = 0;
  for (const x of b) v = v * 256 + x;
  if (!Number.isSafeInteger(v))
    throw new MalformedInputError(FORMAT, said('err.fmt.unsignedIntegerAbove', 'unsigned integer above 2^53'), base);
  return v;
}

/** The bytes of element id `id` (marker bits included). */
export function encodeId(id: number): Uint8Array {
  const width = id >= 0x1000000 ? 4 : id >= 0x10000 ? 3 : id >= 0x100 ? 2 : 1;
  const out = new Uint8Array(width);
  let v = id;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return out;
}

/**
 * A size field for `n` bytes, `minWidth` bytes wide at least.
 * @throws {InvalidArgumentError} for a size no 8-byte field can hold.
 */
export function encodeSize(n: number, minWidth = 1): Uint8Array {
  let width = Math.max(1, minWidth);
  while (width <= 8 && n >= 2 ** (7 * width) - 1) width++;
  if (width > 8) throw InvalidArgumentError.expected('an EBML size below 2^56-1', 'size', n);
  const out = new Uint8Array(width);
  let v = n;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0]! |= 0x80 >> (width - 1);
  return out;
}

/** An unsigned integer's bytes, `minWidth` wide at least. */
export function encodeUint(v: number, minWidth = 1): Uint8Array {
  let width = Math.max(1, minWidth);
  while (width < 8 && v >= 2 ** (8 * width)) width++;
  const out = new Uint8Array(width);
  let x = v;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = x % 256;
    x = Math.floor(x / 256);
  }
  return out;
}

/** A complete element: id, size (at least `sizeWidth` bytes) and data. */
export function element(id: number, data: Uint8Array, sizeWidth = 1): Uint8Array {
  const idb = encodeId(id);
  const sz = encodeSize(data.length, sizeWidth);
  const out = new Uint8Array(idb.length + sz.length + data.length);
  out.set(idb, 0);
  out.set(sz, idb.length);
  out.set(data, idb.length + sz.length);
  return out;
}

/** Concatenate byte arrays. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Id of the `CRC-32` element (EBML §11.3.1). */
export const CRC32_ID = 0xbf;

/**
 * A master's children with a leading `CRC-32` element (if any) recomputed over the others
 * (ISO 3309 CRC-32, stored little-endian). Returns new arrays; `children` are not mutated.
 */
export function withFreshCrc(children: readonly Uint8Array[]): Uint8Array[] {
  const first = children[0];
  if (first?.length !== 6 || first[0] !== CRC32_ID || first[1] !== 0x84) return [...children];
  const c = new Uint8Array(first);
  new DataView(c.buffer, c.byteOffset).setUint32(2, crc32(...children.slice(1)), true);
  return [c, ...children.slice(1)];
}
