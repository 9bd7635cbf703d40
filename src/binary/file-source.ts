/**
 * A {@link ByteSource} over a file on disk, read by positioned reads so the file is
 * never loaded whole. Node-only.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { type ByteSource, checkRange, ioError } from './byte-source.ts';

/** A file opened for random access. Create with {@link FileSource.open}; call `close()` when done. */
export class FileSource implements ByteSource {
  private constructor(private readonly handle: FileHandle, readonly size: number, readonly path: string) {}

  /**
   * Open `path` read-only.
   * @throws {IoError} when the file cannot be opened or is not a regular file.
   */
  static async open(path: string): Promise<FileSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw ioError(`cannot open ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, path, err);
    }
    let st;
    try {
      st = await handle.stat();
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw ioError(`cannot read ${path}: ${(err as Error).message}`, path, err);
    }
    if (!st.isFile()) {
      await handle.close().catch(() => undefined);
      throw ioError(`cannot read ${path}: not a regular file`, path, undefined);
    }
    return new FileSource(handle, st.size, path);
  }

  /** @throws {MalformedInputError} past end of file; {@link IoError} on read failure. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.size, offset, length);
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await this.handle.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (err) {
      throw ioError(`read failed on ${this.path}`, this.path, err);
    }
    if (done !== length) throw ioError(`short read on ${this.path} (file changed while reading?)`, this.path, undefined);
    return new Uint8Array(buf.buffer, buf.byteOffset, length);
  }

  /** Close the file handle. */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
