/**
 * The spool: a folder shared by the service and its workers. Uploads are streamed into
 * `tmp/` while hashed and counted (never held whole in memory: at most {@link SPOOL_WRITE_BYTES}
 * gathered per write), then renamed into `in/` (small uploads of the in-process service's read
 * jobs may stay in memory instead: see {@link receiveUpload});
 * outputs go to `out/`. An upload over the limit is cut off and its temp file removed, so
 * nothing is left behind. With workers on other machines the folder is a shared filesystem.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { ContentKey } from './content-key.ts';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { IoError, LimitExceededError, said } from '../errors.ts';

/** The spool's sub-folders. */
export interface SpoolDirs {
  readonly root: string;
  readonly tmp: string;
  readonly in: string;
  readonly out: string;
}

/**
 * Bytes gathered before one write to the spool file: a few large writes instead of one per
 * network chunk (each write is a round trip to the I/O thread pool). Per upload, memory stays
 * under this bound whatever the upload's size.
 */
export const SPOOL_WRITE_BYTES = 1024 * 1024;

/** What a received upload is. */
export interface SpooledUpload {
  /** Absolute path inside `in/`. */
  readonly path: string;
  /** Name inside `in/` (what a job carries). */
  readonly name: string;
  readonly size: number;
  /** Hex SHA-256 of the bytes. */
  readonly sha256: string;
}

/** The folders of a spool root. */
export function spoolDirs(root: string): SpoolDirs {
  return { root, tmp: path.join(root, 'tmp'), in: path.join(root, 'in'), out: path.join(root, 'out') };
}

/** Create the spool folders (mode 0700). */
export async function ensureSpool(root: string): Promise<SpoolDirs> {
  const dirs = spoolDirs(root);
  for (const d of [dirs.tmp, dirs.in, dirs.out]) await mkdir(d, { recursive: true, mode: 0o700 });
  return dirs;
}

/** A fresh unique file name. */
export function uniqueName(prefix = ''): string {
  return `${prefix}${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
}

/** An upload small enough to be kept in memory (see {@link receiveUpload}'s `memoryBytes`): no spool file. */
export interface MemoryUpload {
  /** The bytes (a fresh, exactly sized copy in a SharedArrayBuffer: a verify thread reads them in place). */
  readonly bytes: Uint8Array;
  readonly size: number;
  /** The bytes' {@link ContentKey} (what the job id derives from: in-process only). */
  readonly contentKey: string;
}

/** What {@link receiveUpload} returns: a spool file, or bytes in memory. */
export type ReceivedUpload = SpooledUpload | MemoryUpload;

/** Whether `u` is a spool file (not a {@link MemoryUpload}). */
export const isSpooled = (u: ReceivedUpload): u is SpooledUpload => 'path' in u;

/** Remove a received upload's spool file, if it has one (already gone is fine). */
export async function discardUpload(u: ReceivedUpload | undefined): Promise<void> {
  if (u && isSpooled(u)) await rm(u.path, { force: true });
}

/**
 * Stream `body` into the spool, hashing (SHA-256) and counting it. With `memoryBytes`, an upload of at
 * most that many bytes (and at least one) is kept in memory instead, keyed by a {@link ContentKey},
 * and never touches the disk (creating, writing, renaming, reading back and removing a spool file
 * cost more CPU than gathering the bytes); the temp file is created only once the upload is larger.
 * Memory per upload stays under `max(memoryBytes, SPOOL_WRITE_BYTES)` whatever its size.
 * @throws {LimitExceededError} past `maxBytes` (the temp file is removed first).
 * @throws {IoError} when the spool file takes fewer bytes than written.
 * @throws the stream's own error when the client aborts (the temp file is removed first).
 */
export async function receiveUpload(dirs: SpoolDirs, body: Readable, maxBytes: number, memoryBytes = 0): Promise<ReceivedUpload> {
  // An upload that may stay in memory is keyed with a ContentKey (cheaper than SHA-256); once it
  // outgrows memoryBytes, every byte so far is still held (nothing is written before), and SHA-256 takes over.
  let hash: Hash | undefined = memoryBytes > 0 ? undefined : createHash('sha256');
  let key: ContentKey | undefined = hash ? undefined : new ContentKey();
  let size = 0;
  let tmp: string | undefined;
  let fh: FileHandle | undefined;
  let held: Buffer[] = [];
  let heldBytes = 0;
  try {
    // Chunks are hashed as they come and written in blocks of up to SPOOL_WRITE_BYTES (one writev,
    // no copy); the next chunk is read only once the block is written, so memory stays flat.
    let at = 0;
    const flush = async (): Promise<void> => {
      if (!fh) {
        tmp = path.join(dirs.tmp, uniqueName('up-'));
        fh = await open(tmp, 'wx', 0o600);
      }
      await writeAll(fh, held, heldBytes, at);
      at += heldBytes;
      held = [];
      heldBytes = 0;
    };
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes)
        throw new LimitExceededError('limits.maxUploadBytes', said('err.upload.tooLarge', 'upload exceeds {max} bytes', { max: maxBytes }));
      if (!hash && size > memoryBytes) {
        hash = createHash('sha256');
        for (const c of held) hash.update(c);
        key = undefined;
      }
      if (hash) hash.update(chunk);
      else key!.update(chunk);
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes >= SPOOL_WRITE_BYTES && size > memoryBytes) await flush();
    }
    if (!fh && size > 0 && size <= memoryBytes) {
      // Shared memory: posted to a verify thread without a copy, and still here if the job must run again.
      const bytes = new Uint8Array(new SharedArrayBuffer(size));
      let o = 0;
      for (const c of held) {
        bytes.set(c, o);
        o += c.length;
      }
      return { bytes, size, contentKey: key!.digest() };
    }
    if (!hash) {
      // An empty upload is spooled (as ever), so it is keyed with SHA-256.
      hash = createHash('sha256');
      for (const c of held) hash.update(c);
    }
    if (heldBytes || !fh) await flush();
    const done = fh!;
    fh = undefined;
    await done.close();
  } catch (err) {
    await fh?.close().catch(() => undefined);
    if (tmp) await rm(tmp, { force: true });
    throw err;
  }
  const sha256 = hash.digest('hex');
  const name = `${sha256}-${randomBytes(6).toString('hex')}`;
  const dest = path.join(dirs.in, name);
  await rename(tmp!, dest);
  return { path: dest, name, size, sha256 };
}

/** Write `bufs` (`total` bytes) at `position`, finishing a short write. */
async function writeAll(fh: FileHandle, bufs: Buffer[], total: number, position: number): Promise<void> {
  let done = (await fh.writev(bufs, position)).bytesWritten;
  if (done >= total) return;
  const rest = Buffer.concat(bufs, total);
  while (done < total) {
    const n = (await fh.write(rest, done, total - done, position + done)).bytesWritten;
    if (n <= 0) throw new IoError(said('err.upload.shortWrite', 'short write to the spool ({done} of {total} bytes)', { done, total }));
    done += n;
  }
}

/**
 * Remove spool files older than `maxAgeMs` (abandoned uploads, expired outputs).
 * Returns how many were removed. Never throws for a file that vanished meanwhile.
 */
export async function sweepSpool(dirs: SpoolDirs, maxAgeMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const dir of [dirs.tmp, dirs.in, dirs.out]) {
    let names: string[] = [];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const p = path.join(dir, n);
      try {
        if (now - (await stat(p)).mtimeMs > maxAgeMs) {
          await rm(p, { recursive: true, force: true });
          removed++;
        }
      } catch {
        /* vanished meanwhile */
      }
    }
  }
  return removed;
}

/** Count the files in the spool's folders (tests, `/metrics`). */
export async function spoolCounts(dirs: SpoolDirs): Promise<{ tmp: number; in: number; out: number }> {
  const count = async (d: string): Promise<number> => (await readdir(d).catch(() => [])).length;
  return { tmp: await count(dirs.tmp), in: await count(dirs.in), out: await count(dirs.out) };
}
