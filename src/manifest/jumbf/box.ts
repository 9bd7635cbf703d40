/**
 * ISO BMFF-style box headers as used by JUMBF: `LBox` u32 BE (total size), `TBox` 4CC,
 * then `XLBox` u64 when `LBox` == 1. `LBox` == 0 means "to the end of the enclosing range".
 */
import { InvalidArgumentError, MalformedInputError, said } from '../../errors.ts';
import { isLatin1 } from '../../binary/bytes.ts';

/** A parsed box header. */
export interface BoxHeader {
  /** Four-character type. */
  readonly type: string;
  /** Total box size including the header. */
  readonly size: number;
  /** Header length (8 or 16). */
  readonly headerLength: number;
}

const LATIN1 = new TextDecoder('latin1');

/**
 * Read the box header at `offset`, checking its size against the bytes left before `end`.
 * @throws {MalformedInputError} for a truncated header, a size smaller than the header,
 * a size past `end`, or a 64-bit size above `Number.MAX_SAFE_INTEGER`.
 */
export function readBoxHeader(bytes: Uint8Array, offset: number, end: number): BoxHeader {
  const left = end - offset;
  if (left < 8)
    throw new MalformedInputError(
      'jumbf',
      said('err.c2pa.truncatedBoxHeaderBytes', 'truncated box header: {left} bytes left', { left }),
      offset,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, left);
  const lbox = view.getUint32(0);
  const type = LATIN1.decode(bytes.subarray(offset + 4, offset + 8));
  let size: number;
  let headerLength = 8;
  if (lbox === 1) {
    if (left < 16)
      throw new MalformedInputError(
        'jumbf',
        said('err.c2pa.truncatedXLBoxHeader', "truncated XLBox header of '{v1}'", { v1: printable(type) }),
        offset,
      );
    const xl = view.getBigUint64(8);
    if (xl > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MalformedInputError(
        'jumbf',
        said('err.c2pa.boxDeclaresBytesAbove', "box '{v1}' declares {xl} bytes, above the safe integer range", {
          v1: printable(type),
          xl: String(xl),
        }),
        offset,
      );
    }
    size = Number(xl);
    headerLength = 16;
  } else if (lbox === 0) {
    size = left;
  } else {
    size = lbox;
  }
  if (size < headerLength) {
    throw new MalformedInputError(
      'jumbf',
      said('err.c2pa.boxDeclaresBytesSmaller', "box '{v1}' declares {size} bytes, smaller than its {headerLength}-byte header", {
        v1: printable(type),
        size,
        headerLength,
      }),
      offset,
    );
  }
  if (size > left) {
    throw new MalformedInputError(
      'jumbf',
      said('err.c2pa.boxDeclaresBytesBut', "box '{v1}' declares {size} bytes but only {left} are left", {
        v1: printable(type),
        size,
        left,
      }),
      offset,
    );
  }
  return { type, size, headerLength };
}

/**
 * Encode one box: header (with an XLBox when the size needs 64 bits) + payload.
 * @throws {InvalidArgumentError} when `type` is not four Latin-1 characters.
 */
export function encodeBox(type: string, payload: Uint8Array): Uint8Array {
  return encodeBoxOf(type, [payload]);
}

/**
 * Encode one box whose payload is `pieces` in order, written straight into the box (one
 * allocation, no intermediate payload copy: manifests are built of nested boxes).
 * @throws {InvalidArgumentError} when `type` is not four Latin-1 characters.
 */
export function encodeBoxOf(type: string, pieces: readonly Uint8Array[]): Uint8Array {
  checkFourcc(type, 'box type');
  let payloadLength = 0;
  for (const p of pieces) payloadLength += p.length;
  const headerLength = boxHeaderLength(payloadLength);
  const out = new Uint8Array(headerLength + payloadLength);
  const view = new DataView(out.buffer);
  if (headerLength === 8) view.setUint32(0, out.length);
  else {
    view.setUint32(0, 1);
    view.setBigUint64(8, BigInt(out.length));
  }
  writeFourcc(out, 4, type);
  let at = headerLength;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Header length {@link encodeBox} uses for a payload of `payloadLength` bytes. */
export function boxHeaderLength(payloadLength: number): number {
  return payloadLength + 8 <= 0xffffffff ? 8 : 16;
}

/**
 * Check that `type` is a four-character code of Latin-1 characters.
 * @throws {InvalidArgumentError} otherwise.
 */
export function checkFourcc(type: string, name: string): void {
  if (typeof type !== 'string' || type.length !== 4 || !isLatin1(type)) {
    throw InvalidArgumentError.expected('a four-character code', name, type);
  }
}

/** Write a four-character code at `offset`. */
export function writeFourcc(out: Uint8Array, offset: number, type: string): void {
  for (let i = 0; i < 4; i++) out[offset + i] = type.charCodeAt(i);
}

/** Render a 4CC for messages (non-printable bytes as `\xNN`). */
export function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export { concatBytes } from '../../binary/bytes.ts';
