/**
 * Atomic output, the one place that does it: write to a temporary file beside the target (fsync
 * only when asked), then rename, so a failure never leaves a half-written file and an input is
 * never clobbered midway. Also the one in-place guard ({@link samePath}, through `realpath`).
 */
import { open, rename, rm, chmod, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { outputErrorMessage, tempPath } from './temp-files.ts';
import type { ByteSource } from './byte-source.ts';
import { iterateParts, partsLength, partsToBytes, type Part } from './parts.ts';
import { closeSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writevSync } from 'node:fs';
import { IoError, asToolkitError, said } from '../errors.ts';

/** Bytes gathered before one `writev`. */
export const WRITE_BATCH_BYTES = 1 << 20;

function skipWritten(buffers: Uint8Array[], written: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const b of buffers) {
    if (written >= b.length) {
      written -= b.length;
      continue;
    }
    out.push(written > 0 ? b.subarray(written) : b);
    written = 0;
  }
  return out;
}

/**
 * Write `chunks` atomically to `target`. With `durable`, the data is fsynced before the
 * rename (survives a power cut; costs milliseconds per file); without it a failure of the
 * process still never leaves a half-written target.
 * @throws {IoError} when the temp file cannot be written or renamed (the temp file is removed).
 */
export async function writeAtomic(
  target: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  mode?: number,
  durable = process.env.AIGC_DURABLE_WRITES === '1',
): Promise<void> {
  const tmp = tempPath(target);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', mode ?? 0o644);
  } catch (err) {
    throw new IoError(outputErrorMessage(target, err), target, { cause: err });
  }
  try {
    // Small pieces (segment headers, labels) are gathered and written with one writev.
    let batch: Uint8Array[] = [];
    let batched = 0;
    const flush = async (): Promise<void> => {
      let pending = batch;
      while (pending.length) {
        const { bytesWritten } = await handle!.writev(pending);
        pending = skipWritten(pending, bytesWritten);
      }
      batch = [];
      batched = 0;
    };
    for await (const c of chunks) {
      if (!c.length) continue;
      batch.push(c);
      batched += c.length;
      if (batched >= WRITE_BATCH_BYTES || batch.length >= 512) await flush();
    }
    await flush();
    if (durable) await handle.sync();
    await handle.close();
    handle = undefined;
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, target);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err instanceof IoError
      ? err
      : new IoError(said('err.io.write', 'cannot write {path}: {why}', { path: target, why: (err as Error).message }), target, {
          cause: err,
        });
  }
}

/** Outputs up to this size are assembled in memory and written with synchronous calls (cheaper per file). */
export const SMALL_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * Write a plan's parts atomically to `target`, streaming copied ranges from `src` (small
 * outputs are assembled in memory first).
 * @throws {IoError} when the output cannot be written (no temp file is left behind).
 */
export async function writePartsAtomic(target: string, src: ByteSource, parts: readonly Part[]): Promise<void> {
  const durable = process.env.AIGC_DURABLE_WRITES === '1';
  if (partsLength(parts) > SMALL_OUTPUT_BYTES) {
    await writeAtomic(target, iterateParts(src, parts), undefined, durable);
    return;
  }
  writeBytesAtomic(target, await partsToBytes(src, parts), durable);
}

/**
 * Write `bytes` (one array, or pieces written in order with `writev`) atomically to
 * `target` with synchronous calls (temp file, optional fsync, rename): for small outputs,
 * where the calls cost less than their event-loop round trips.
 * @throws {IoError} when the output cannot be written (no temp file is left behind).
 */
export function writeBytesAtomic(
  target: string,
  bytes: Uint8Array | readonly Uint8Array[],
  durable = process.env.AIGC_DURABLE_WRITES === '1',
): void {
  const tmp = tempPath(target);
  let fd: number | undefined;
  let created = false;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    created = true;
    let pending = (bytes instanceof Uint8Array ? [bytes] : bytes).filter((b) => b.length > 0);
    while (pending.length) {
      const batch = pending.slice(0, 512);
      pending = [...skipWritten(batch, writevSync(fd, batch)), ...pending.slice(512)];
    }
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new IoError(
      created
        ? said('err.io.write', 'cannot write {path}: {why}', {
            path: target,
            why: (err as NodeJS.ErrnoException).code ?? (err as Error).message,
          })
        : outputErrorMessage(target, err),
      target,
      { cause: err },
    );
  }
}

export { tempPath } from './temp-files.ts';

/**
 * Open a fresh temp file beside `target`, let `fill(fd, tmp)` write it (`tmp` is its path,
 * to open it a second time), then (fsync when `durable`) close and rename it onto `target`.
 * On any failure the temp file is removed.
 * @throws {IoError} when the temp file cannot be created, written or renamed; whatever
 * `fill` throws (a non-toolkit error becomes an {@link IoError}).
 */
export async function writeViaTempFd(
  target: string,
  fill: (fd: number, tmp: string) => Promise<void>,
  durable = process.env.AIGC_DURABLE_WRITES === '1',
  mode = 0o644,
): Promise<void> {
  const tmp = tempPath(target);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (err) {
    throw new IoError(outputErrorMessage(target, err), target, { cause: err });
  }
  // The few small calls around `fill` are synchronous: each costs less than a round trip
  // through the thread pool.
  try {
    await fill(fd, tmp);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, target);
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    rmSync(tmp, { force: true });
    throw asToolkitError(
      err,
      (cause) => new IoError(said('err.io.write', 'cannot write {path}: {why}', { path: target, why: String(cause) }), target, { cause }),
    );
  }
}

/**
 * Run `produce(tmp)`, which must write the complete result to `tmp` (a fresh path beside
 * `target` with the target's extension), then rename it onto `target`. The temporary file
 * is removed on failure.
 * @throws {IoError} when the rename fails; whatever `produce` throws.
 */
export async function writeViaTempPath<T>(target: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = tempPath(target, true);
  try {
    const result = await produce(tmp);
    try {
      await rename(tmp, target);
    } catch (err) {
      throw new IoError(
        said('err.io.write', 'cannot write {path}: {why}', { path: target, why: (err as NodeJS.ErrnoException).code ?? String(err) }),
        target,
        {
          cause: err,
        },
      );
    }
    return result;
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/**
 * Whether two paths name the same file, with symbolic links and `..` resolved (`realpath`).
 * Cheap on the common path: a target that does not exist yet is not the input, decided with
 * one synchronous `stat` (this runs once per stamped file). Never throws.
 */
export async function samePath(a: string, b: string): Promise<boolean> {
  if (path.resolve(a) === path.resolve(b)) return true;
  if (!statSync(b, { throwIfNoEntry: false })) return false;
  try {
    return realpathSync.native(a) === realpathSync.native(b);
  } catch {
    return false;
  }
}
