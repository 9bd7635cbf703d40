/**
 * Atomic output: write to a temporary file beside the target (fsync only when asked), then rename, so
 * a failure never leaves a half-written file and an input is never clobbered midway.
 */
import { open, rename, rm, chmod } from 'node:fs/promises';
import { outputErrorMessage, tempPath } from './temp-files.ts';
import type { ByteSource } from './byte-source.ts';
import { iterateParts, partsLength, partsToBytes, type Part } from './parts.ts';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writevSync } from 'node:fs';
import { IoError } from '../errors.ts';

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
  target: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, mode?: number, durable = process.env.AIGC_DURABLE_WRITES === '1',
): Promise<void> {
  const tmp = tempPath(target);
  let handle;
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
    throw err instanceof IoError ? err : new IoError(`cannot write ${target}: ${(err as Error).message}`, target, { cause: err });
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
export function writeBytesAtomic(target: string, bytes: Uint8Array | readonly Uint8Array[], durable = process.env.AIGC_DURABLE_WRITES === '1'): void {
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
    throw new IoError(created ? `cannot write ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` : outputErrorMessage(target, err), target, { cause: err });
  }
}

export { tempPath } from './temp-files.ts';
