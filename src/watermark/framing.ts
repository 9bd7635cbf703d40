/**
 * The watermark's payload framing, shared by images and audio: 4 version bits, the 64-bit
 * identifier and a CRC-16/CCITT over both (84 information bits), protected by the rate-1/3
 * K=7 convolutional code (270 coded bits). Decoding accepts only the current version.
 */
import { InvalidArgumentError } from '../errors.ts';
import { codedLength, convEncode, viterbiDecode } from './conv-code.ts';

/** Version of the framing written into every mark. */
export const WATERMARK_VERSION = 1;
/** Bits of the version field. */
export const VERSION_BITS = 4;
/** Bits of the identifier. */
export const ID_BITS = 64;
/** Bits of the CRC. */
export const CRC_BITS = 16;
/** Information bits per frame. */
export const INFO_BITS = VERSION_BITS + ID_BITS + CRC_BITS;
/** Coded bits per frame (what the image and audio carriers spread). */
export const CODED_BITS = codedLength(INFO_BITS);

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over a bit string, MSB first. */
export function crc16Bits(bits: ArrayLike<number>): number {
  let crc = 0xffff;
  for (let i = 0; i < bits.length; i++) {
    const top = ((crc >> 15) & 1) ^ (bits[i]! & 1);
    crc = (crc << 1) & 0xffff;
    if (top) crc ^= 0x1021;
  }
  return crc;
}

function pushBits(out: number[], value: bigint, count: number): void {
  for (let i = count - 1; i >= 0; i--) out.push(Number((value >> BigInt(i)) & 1n));
}

/**
 * Parse a 64-bit identifier given as 16 hexadecimal digits.
 * @throws {InvalidArgumentError} when `id` is not 16 hex digits.
 */
export function parseWatermarkId(id: string): bigint {
  if (typeof id !== 'string' || !/^[0-9a-fA-F]{16}$/.test(id))
    throw InvalidArgumentError.expected('16 hexadecimal digits', 'watermark id', id);
  return BigInt(`0x${id}`);
}

/** Information bits (version ‖ id ‖ CRC) for identifier `id` (16 hex digits). @throws {InvalidArgumentError} for a malformed id. */
export function frameBits(id: string): Uint8Array {
  const bits: number[] = [];
  pushBits(bits, BigInt(WATERMARK_VERSION), VERSION_BITS);
  pushBits(bits, parseWatermarkId(id), ID_BITS);
  pushBits(bits, BigInt(crc16Bits(bits)), CRC_BITS);
  return Uint8Array.from(bits);
}

/** The coded frame (0/1 per coded bit) for identifier `id`. @throws {InvalidArgumentError} for a malformed id. */
export function encodeFrame(id: string): Uint8Array {
  return convEncode(frameBits(id));
}

/** What {@link decodeFrame} recovers from soft bits. */
export interface DecodedFrame {
  /** CRC and version both check. */
  valid: boolean;
  /** The identifier (16 lowercase hex digits), whether or not it checks. */
  id: string;
  version: number;
  /** The re-encoded codeword of the decoded bits, for the detector's correlation score. */
  codeword: Uint8Array;
}

/** Viterbi-decode `soft` (length {@link CODED_BITS}) and check version and CRC. */
export function decodeFrame(soft: ArrayLike<number>): DecodedFrame {
  const bits = viterbiDecode(soft, INFO_BITS);
  let version = 0;
  for (let i = 0; i < VERSION_BITS; i++) version = (version << 1) | bits[i]!;
  let id = 0n;
  for (let i = VERSION_BITS; i < VERSION_BITS + ID_BITS; i++) id = (id << 1n) | BigInt(bits[i]!);
  let crc = 0;
  for (let i = VERSION_BITS + ID_BITS; i < INFO_BITS; i++) crc = (crc << 1) | bits[i]!;
  const valid = crc === crc16Bits(bits.subarray(0, VERSION_BITS + ID_BITS)) && version === WATERMARK_VERSION;
  return { valid, id: id.toString(16).padStart(16, '0'), version, codeword: convEncode(bits) };
}
