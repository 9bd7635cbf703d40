/**
 * A {@link ByteSource} over a file on disk, read by positioned reads so the file is
 * never loaded whole. Node-only.
 */
import { closeSync, constants, fstatSync, openSync, read, readSync, statSync, type Stats } from 'node:fs';
import { type ByteSource, checkRange, ioError } from './byte-source.ts';
import { IoError, type Said, said } from '../errors.ts';

/** Size of the aligned blocks that serve small reads (box and chunk headers, small metadata). */
export const READ_BLOCK_BYTES = 64 * 1024;
/** Reads up to this length go through the block cache; larger ones go straight to the file. */
export const SMALL_READ_BYTES = 4096;
/** Reads up to this length are made synchronously (see {@link FileSource}). */
export const SYNC_READ_MAX_BYTES = 64 * 1024;
/** Blocks kept (oldest dropped first): the head and tail of a file and a few places between. */
export const MAX_CACHED_BLOCKS = 8;

/**
 * A file opened for random access. Create with {@link FileSource.open}; call `close()` when done
 * (a source collected without it has its descriptor closed then).
 * Parsers make many small reads near each other (headers, boxes); those are served from a
 * few cached {@link READ_BLOCK_BYTES} blocks, one file read per block instead of one per
 * header. The file is assumed not to change while it is open.
 *
 * Opening (`stat`, `open`, `fstat`) and closing are synchronous calls: each costs a few
 * microseconds on a local file, where a round trip through the thread pool costs 50–150 µs
 * and three of them came before a large file's hash could start. So are reads of at most
 * {@link SYNC_READ_MAX_BYTES} (headers, the cached blocks, a manifest store): the parse of a
 * large file makes a few of them before its hash can start, each a few microseconds from the
 * page cache (the same policy as reading a small file whole, `service/input.ts`). Larger
 * reads, the bulk of a file, run on the thread pool.
 */
export class FileSource implements ByteSource {
  private readonly blocks = new Map<number, Uint8Array>();
  /** Reads on the thread pool not yet done: `close()` waits for them (the number could be reused). */
  private readonly inflight = new Set<Promise<number>>();
  private descriptor: number;
  private constructor(
    descriptor: number,
    readonly size: number,
    readonly path: string,
  ) {
    this.descriptor = descriptor;
    unclosed.register(this, descriptor, this);
  }

  /** The open file descriptor (valid until `close()`, then -1), for positioned reads on another thread. */
  get fd(): number {
    return this.descriptor;
  }

  /**
   * Open `path` read-only.
   * @throws {IoError} when the file cannot be opened or is not a regular file.
   */
  static async open(path: string): Promise<FileSource> {
    let fd: number;
    try {
      // The type is checked before opening: open() on a FIFO would block until a writer comes.
      const pre = statSync(path);
      if (!pre.isFile()) throw ioError(notRegular(path, pre), path, undefined);
      // O_NONBLOCK: should the path become a FIFO between the check and the open, open() still returns.
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      if (err instanceof IoError) throw err;
      throw ioError(
        said('err.io.open', 'cannot open {path}: {why}', { path, why: (err as NodeJS.ErrnoException).code ?? String(err) }),
        path,
        err,
      );
    }
    let st: Stats;
    try {
      st = fstatSync(fd);
    } catch (err) {
      closeQuietly(fd);
      throw ioError(said('err.io.read', 'cannot read {path}: {why}', { path, why: (err as Error).message }), path, err);
    }
    if (!st.isFile()) {
      closeQuietly(fd);
      throw ioError(notRegular(path, st), path, undefined);
    }
    return new FileSource(fd, st.size, path);
  }

  /**
   * Take over `fd`, a descriptor already open read-only on `path`, whose `fstat` gave `st`
   * (one open of the path for a caller that had to look at the file first). Closed by `close()`.
   * @throws {IoError} when `st` is not a regular file (the descriptor is then closed).
   */
  static adopt(fd: number, st: Stats, path: string): FileSource {
    if (!st.isFile()) {
      closeQuietly(fd);
      throw ioError(notRegular(path, st), path, undefined);
    }
    return new FileSource(fd, st.size, path);
  }

  /** @throws {MalformedInputError} past end of file; {@link IoError} on read failure. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.size, offset, length);
    if (length <= SMALL_READ_BYTES) {
      const index = Math.floor(offset / READ_BLOCK_BYTES);
      const start = index * READ_BLOCK_BYTES;
      if (offset + length <= start + READ_BLOCK_BYTES) {
        const block = await this.block(index, start);
        return block.slice(offset - start, offset - start + length);
      }
    }
    return this.readDirect(offset, length);
  }

  private async block(index: number, start: number): Promise<Uint8Array> {
    let block = this.blocks.get(index);
    if (!block) {
      block = await this.readDirect(start, Math.min(READ_BLOCK_BYTES, this.size - start));
      if (this.blocks.size >= MAX_CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
      this.blocks.set(index, block);
    }
    return block;
  }

  private async readDirect(offset: number, length: number): Promise<Uint8Array> {
    const buf = Buffer.allocUnsafe(length);
    if (length <= SYNC_READ_MAX_BYTES) this.readIntoSync(buf, length, offset);
    else await this.readInto(buf, length, offset);
    return new Uint8Array(buf.buffer, buf.byteOffset, length);
  }

  /** The error of a failed read (`cause`: the system's error, if any). */
  private readFailed(cause?: unknown): IoError {
    return ioError(said('err.io.readFailed', 'read failed on {path}', { path: this.path }), this.path, cause);
  }

  /** @throws {IoError} when a read loop ended short of `length` (the file shrank). */
  private checkComplete(done: number, length: number): void {
    if (done !== length)
      throw ioError(
        said('err.io.shortRead', 'short read on {path} (file changed while reading?)', { path: this.path }),
        this.path,
        undefined,
      );
  }

  /** {@link readInto} with synchronous reads (small reads only). */
  private readIntoSync(buf: Uint8Array, length: number, position: number): void {
    let done = 0;
    try {
      while (done < length) {
        if (this.descriptor < 0) throw this.readFailed();
        const bytesRead = readSync(this.descriptor, buf, done, length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw this.readFailed(err);
    }
    this.checkComplete(done, length);
  }

  /**
   * Read exactly `length` bytes at `position` into `buf` (no allocation, no cache: for bulk
   * streaming through reusable buffers).
   * @throws {IoError} on a read failure or a short read (the file shrank).
   */
  async readInto(buf: Uint8Array, length: number, position: number): Promise<void> {
    let done = 0;
    try {
      while (done < length) {
        if (this.descriptor < 0) throw this.readFailed();
        const pending = readAt(this.descriptor, buf, done, length - done, position + done);
        this.inflight.add(pending);
        const bytesRead = await pending.finally(() => this.inflight.delete(pending));
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw this.readFailed(err);
    }
    this.checkComplete(done, length);
  }

  /** Close the file (synchronously). Safe to call twice. */
  async close(): Promise<void> {
    this.blocks.clear();
    if (this.descriptor < 0) return;
    const fd = this.descriptor;
    this.descriptor = -1;
    unclosed.unregister(this);
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    closeQuietly(fd);
  }
}

/**
 * Descriptors of sources collected without `close()`: closed then, as Node closes a forgotten
 * `FileHandle`, so a caller that forgets does not run out of descriptors. `close()` unregisters.
 */
const unclosed = new FinalizationRegistry<number>((fd) => closeQuietly(fd));

/** One positioned read on the thread pool. */
function readAt(fd: number, buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

/** Close a descriptor opened read-only (nothing written through it, so nothing to report). */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed or never valid
  }
}

/** What a non-regular file is, for messages. */
function notRegular(path: string, st: Stats): Said {
  return said('err.io.notRegularFile', 'cannot read {path}: not a regular file ({kind})', { path, kind: kindOf(st) });
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a file';
}
