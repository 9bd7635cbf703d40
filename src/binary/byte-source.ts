/**
 * Random-access byte sources. Parsers read through this interface so one parser
 * serves an in-memory buffer or a file on disk (read by seeking, never loaded whole).
 */
import { IoError, MalformedInputError, type Said, said } from '../errors.ts';

/** A random-access, read-only source of bytes. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Read exactly `length` bytes at `offset`.
   * @throws {MalformedInputError} if the range runs past the end (a truncated file).
   * @throws {IoError} on an I/O failure.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Release resources (file handles). Safe to call twice. */
  close?(): Promise<void>;
}

/** A {@link ByteSource} over bytes already in memory (no copying on read). */
export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  /** @throws {MalformedInputError} when the range is out of bounds. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.size, offset, length);
    return this.bytes.subarray(offset, offset + length);
  }
}

/**
 * Check that `[offset, offset+length)` lies within `size`.
 * @throws {MalformedInputError} "truncated" when it does not.
 */
export function checkRange(size: number, offset: number, length: number, format = 'input'): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new MalformedInputError(
      format,
      said('err.range.invalid', 'invalid range offset={offset} length={length}', { offset, length }),
      offset,
    );
  }
  if (offset + length > size) {
    const left = Math.max(0, size - offset);
    throw new MalformedInputError(
      format,
      said('err.range.truncated', 'truncated: need {length} bytes at {offset}, only {left} left', { length, offset, left }),
      offset,
    );
  }
}

/** Wrap a low-level I/O failure. */
export function ioError(message: Said, path: string | undefined, cause: unknown): IoError {
  return new IoError(message, path, { cause });
}
