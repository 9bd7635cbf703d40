/**
 * Feeding byte ranges of a source into a hash as fast as the machine's SHA-256 allows.
 *
 * - A {@link FileSource} is read through its own file handle into two reusable buffers,
 *   one read in flight while the other is hashed (no per-chunk allocation, so no page
 *   faults or GC pressure: close to an in-memory `createHash` rate).
 * - A {@link PartsSource} (a planned output) resolves ranges to its parts: new bytes are
 *   hashed directly, copied ranges go through the underlying source's fast path.
 * - Any other {@link ByteSource} is read chunk by chunk with one read in flight.
 *
 * Memory stays at two chunks whatever the file size.
 */
import type { Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { type ByteSource, ioError } from './byte-source.ts';
import { FileSource } from './file-source.ts';
import { asToolkitError, said } from '../errors.ts';
import { PartsSource } from './parts-source.ts';

/** Size of the reads that feed the hash. */
export const HASH_CHUNK = 1 << 20;

/** Feeds ranges of one source into hashes; call `close()` when done. */
export interface RangeFeeder {
  /** Hash `[start, end)` of the source. @throws {IoError} {@link MalformedInputError} */
  feed(hash: Hash, start: number, end: number): Promise<void>;
  close(): Promise<void>;
}

class GenericFeeder implements RangeFeeder {
  constructor(private readonly src: ByteSource) {}
  async feed(hash: Hash, start: number, end: number): Promise<void> {
    let next: Promise<Uint8Array> | undefined = start < end ? this.src.read(start, Math.min(HASH_CHUNK, end - start)) : undefined;
    let at = start;
    while (next) {
      const chunk = await next;
      at += chunk.length;
      next = at < end ? this.src.read(at, Math.min(HASH_CHUNK, end - at)) : undefined;
      hash.update(chunk);
    }
  }
  async close(): Promise<void> {}
}

class FileFeeder implements RangeFeeder {
  private handle: FileHandle | undefined;
  private readonly bufs = [Buffer.allocUnsafe(HASH_CHUNK), Buffer.allocUnsafe(HASH_CHUNK)];
  constructor(private readonly src: FileSource) {}

  async feed(hash: Hash, start: number, end: number): Promise<void> {
    if (start >= end) return;
    if (end > this.src.size) return new GenericFeeder(this.src).feed(hash, start, end); // reports the truncation
    const path = this.src.path;
    try {
      this.handle ??= await open(path, 'r');
      const fh = this.handle;
      let i = 0;
      let at = start;
      let pending: Promise<{ bytesRead: number }> | undefined = fh.read(this.bufs[0]!, 0, Math.min(HASH_CHUNK, end - at), at);
      while (pending) {
        const { bytesRead } = await pending;
        if (bytesRead === 0)
          throw ioError(said('err.io.shortHashRead', 'short read on {path} (file changed while hashing?)', { path }), path, undefined);
        const buf = this.bufs[i]!;
        at += bytesRead;
        i ^= 1;
        pending = at < end ? fh.read(this.bufs[i]!, 0, Math.min(HASH_CHUNK, end - at), at) : undefined;
        hash.update(buf.subarray(0, bytesRead));
      }
    } catch (err) {
      throw asToolkitError(err, (cause) =>
        ioError(said('err.io.readFailedWhy', 'read failed on {path}: {why}', { path, why: String(cause) }), path, cause),
      );
    }
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close().catch(() => undefined);
  }
}

class PartsFeeder implements RangeFeeder {
  private readonly inner: RangeFeeder;
  constructor(private readonly src: PartsSource) {
    this.inner = feederFor(src.base);
  }
  async feed(hash: Hash, start: number, end: number): Promise<void> {
    for (const seg of this.src.segments(start, end)) {
      if ('bytes' in seg) hash.update(seg.bytes);
      else await this.inner.feed(hash, seg.offset, seg.offset + seg.length);
    }
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The fastest feeder for a source. */
export function feederFor(src: ByteSource): RangeFeeder {
  if (src instanceof FileSource) return new FileFeeder(src);
  if (src instanceof PartsSource) return new PartsFeeder(src);
  return new GenericFeeder(src);
}
