/**
 * Atomic output: write to a temporary file beside the target, fsync, then rename, so
 * a failure never leaves a half-written file and an input is never clobbered midway.
 */
import { open, rename, rm, chmod } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ByteSource } from './byte-source.ts';
import { iterateParts, type Part } from './parts.ts';
import { IoError } from '../errors.ts';

/**
 * Write `chunks` atomically to `target`.
 * @throws {IoError} when the temp file cannot be written or renamed (the temp file is removed).
 */
export async function writeAtomic(target: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, mode?: number): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'wx', mode ?? 0o644);
  } catch (err) {
    throw new IoError(`cannot create ${tmp}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, target, { cause: err });
  }
  try {
    for await (const c of chunks) {
      let off = 0;
      while (off < c.length) {
        const { bytesWritten } = await handle.write(c, off, c.length - off);
        off += bytesWritten;
      }
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, target);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err instanceof IoError ? err : new IoError(`cannot write ${target}: ${(err as Error).message}`, target, { cause: err });
  }
}

/** Write a plan's parts atomically to `target`, streaming copied ranges from `src`. */
export async function writePartsAtomic(target: string, src: ByteSource, parts: readonly Part[]): Promise<void> {
  await writeAtomic(target, iterateParts(src, parts));
}
