/**
 * Random-access byte sources. Parsers read through this interface so one parser
 * serves an in-memory buffer or a file on disk (read by seeking, never loaded whole).
 */
import { IoError, MalformedInputError } from '../errors.ts';

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
    throw new MalformedInputError(format, `invalid range offset=${offset} length=${length}`, offset);
  }
  if (offset + length > size) {
    throw new MalformedInputError(format, `truncated: need ${length} bytes at ${offset}, only ${Math.max(0, size - offset)} left`, offset);
  }
}

/** Wrap a low-level I/O failure. */
export function ioError(message: string, path: string | undefined, cause: unknown): IoError {
  return new IoError(message, path, { cause });
}
