/**
 * A small read-ahead cache over a {@link ByteSource}, for walkers that visit many
 * small headers (JPEG segments, PNG chunks). Reads are served from a window of
 * {@link WINDOW_SIZE} bytes, so a file with a million tiny segments costs a few dozen
 * source reads instead of a million. Every read is bounds-checked against the source.
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { MalformedInputError, said } from '../../errors.ts';

/** Bytes fetched per window refill. */
export const WINDOW_SIZE = 64 * 1024;

/** Buffered random access with bounds checks that name the format in errors. */
export class WindowReader {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;

  /** @param format grammar name used in {@link MalformedInputError}s. */
  constructor(
    readonly src: ByteSource,
    readonly format: string,
  ) {}

  /** Total size of the source. */
  get size(): number {
    return this.src.size;
  }

  /**
   * `length` bytes at `offset`. The result must not be mutated.
   * @throws {MalformedInputError} when the range runs past the end ("truncated").
   */
  async bytes(offset: number, length: number): Promise<Uint8Array> {
    this.check(offset, length);
    if (offset >= this.bufStart && offset + length <= this.bufStart + this.buf.length) {
      return this.buf.subarray(offset - this.bufStart, offset - this.bufStart + length);
    }
    if (length > WINDOW_SIZE) return this.src.read(offset, length);
    const n = Math.min(WINDOW_SIZE, this.size - offset);
    this.buf = await this.src.read(offset, n);
    this.bufStart = offset;
    return this.buf.subarray(0, length);
  }

  /** Up to `length` bytes at `offset` (fewer at the end of the source, never an error past it). */
  async upTo(offset: number, length: number): Promise<Uint8Array> {
    return this.bytes(offset, Math.max(0, Math.min(length, this.size - offset)));
  }

  /** Unsigned byte at `offset`. @throws {MalformedInputError} past the end. */
  async u8(offset: number): Promise<number> {
    return (await this.bytes(offset, 1))[0]!;
  }

  /** Big-endian u16 at `offset`. @throws {MalformedInputError} past the end. */
  async u16be(offset: number): Promise<number> {
    const b = await this.bytes(offset, 2);
    return (b[0]! << 8) | b[1]!;
  }

  /** Big-endian u32 at `offset`. @throws {MalformedInputError} past the end. */
  async u32be(offset: number): Promise<number> {
    const b = await this.bytes(offset, 4);
    return readU32be(b, 0);
  }

  private check(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new MalformedInputError(
        this.format,
        said('err.fmt.invalidRangeOffsetLength', 'invalid range offset={offset} length={v2}', { offset, v2: length }),
        offset,
      );
    }
    if (offset + length > this.size) {
      throw new MalformedInputError(
        this.format,
        said('err.fmt.truncatedNeedBytesOnly', 'truncated: need {v1} bytes at {offset}, only {v3} left', {
          v1: length,
          offset,
          v3: Math.max(0, this.size - offset),
        }),
        offset,
      );
    }
  }
}

/** Big-endian u32 from `b` at `at` (caller checked bounds). */
export function readU32be(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

/** Big-endian u16 from `b` at `at` (caller checked bounds). */
export function readU16be(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

/** Whether `b` starts with `prefix` at `at`. */
export function startsWith(b: Uint8Array, prefix: Uint8Array, at = 0): boolean {
  if (b.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return false;
  return true;
}

/** ASCII/Latin-1 bytes of a string (each char code & 0xff). */
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
