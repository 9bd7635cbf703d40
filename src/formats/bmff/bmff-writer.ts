/**
 * Small builders for ISO-BMFF boxes: headers (32-bit size, or `largesize` when the box
 * is 4 GiB or more), FullBox prefixes, big-endian integers and four-character codes.
 */
import { InvalidArgumentError } from '../../errors.ts';
import { concatBytes, fourccBytes } from '../../binary/bytes.ts';

/** Largest size a 32-bit box `size` field can hold. */
export const MAX_U32 = 0xffff_ffff;

export { concatBytes };

/**
 * Big-endian u32.
 * @throws {InvalidArgumentError} outside 0..2^32-1.
 */
export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > MAX_U32) throw InvalidArgumentError.expected('an integer in 0..2^32-1', 'u32', n);
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/**
 * Big-endian u64 from a safe integer.
 * @throws {InvalidArgumentError} for a negative or unsafe value.
 */
export function u64be(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw InvalidArgumentError.expected('a non-negative safe integer', 'u64', n);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

/** Header length of a box with `payloadLength` bytes of payload (8, or 16 with largesize; +16 for a user type). */
export function boxHeaderLength(payloadLength: number, userType = false, forceLarge = false): number {
  const base = userType ? 24 : 8;
  return forceLarge || base + payloadLength > MAX_U32 ? base + 8 : base;
}

/**
 * A box header for a box of `size` bytes in total. Uses a 64-bit `largesize` when
 * `size` does not fit 32 bits or when `forceLarge` is set.
 * @throws {InvalidArgumentError} for a bad type, size or user type.
 */
export function boxHeader(type: string, size: number, opts: { largeSize?: boolean; userType?: Uint8Array } = {}): Uint8Array {
  if (opts.userType && opts.userType.length !== 16) throw InvalidArgumentError.expected('16 bytes', 'uuid extended type', opts.userType);
  const large = opts.largeSize === true || size > MAX_U32;
  const parts = large ? [u32be(1), fourccBytes(type), u64be(size)] : [u32be(size), fourccBytes(type)];
  if (opts.userType) parts.push(opts.userType);
  return concatBytes(parts);
}

/**
 * A complete box: header + payload.
 * @throws {InvalidArgumentError} for a bad type.
 */
export function makeBox(type: string, ...payload: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of payload) n += p.length;
  return concatBytes([boxHeader(type, boxHeaderLength(n) + n), ...payload]);
}

/**
 * A complete FullBox: header + version (u8) + flags (u24) + payload.
 * @throws {InvalidArgumentError} for a bad type, version or flags.
 */
export function makeFullBox(type: string, version: number, flags: number, ...payload: Uint8Array[]): Uint8Array {
  if (!Number.isInteger(version) || version < 0 || version > 255) throw InvalidArgumentError.expected('0..255', 'FullBox version', version);
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffffff) throw InvalidArgumentError.expected('0..2^24-1', 'FullBox flags', flags);
  return makeBox(type, Uint8Array.of(version, flags >>> 16, (flags >>> 8) & 0xff, flags & 0xff), ...payload);
}
