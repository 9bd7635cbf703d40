/**
 * Temporary output files: named so they are recognisable and tied to their process
 * (`.NAME.aigc-PID-HEX.tmp` beside the target, so the final rename is atomic), and removed
 * later if a process was killed (`kill -9`, power loss) before it could clean up. The first
 * write into a folder by a process removes that folder's temp files whose process is no longer
 * running on this machine, or that are older than {@link STALE_TEMP_MAX_AGE_MS} whatever their process.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Said, said } from '../errors.ts';

/** A temp file older than this is removed even if a process with its PID is running (PIDs are reused). */
export const STALE_TEMP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Matches our temp names; group 1 is the PID. */
export const TEMP_NAME = /^\..+\.aigc-(\d+)-[0-9a-f]{12}\.tmp(\.[^.]*)?$/;

const cleaned = new Set<string>();

function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Remove the stale temp files of `dir` (see the module comment); returns the names removed.
 * Never throws: a folder that cannot be listed or a file that cannot be removed is left alone.
 */
export function cleanStaleTemps(dir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const full = path.join(dir, name);
    try {
      const old = now - statSync(full).mtimeMs > STALE_TEMP_MAX_AGE_MS;
      if (old || !running(Number(m[1]))) {
        rmSync(full, { force: true });
        removed.push(name);
      }
    } catch {
      // vanished or not removable: leave it
    }
  }
  return removed;
}

/**
 * A fresh temporary path beside `target` (same folder, so the rename is atomic). With
 * `keepExtension` it ends in the target's extension (tools such as ffmpeg pick the output
 * format from it). The first call for a folder in this process removes that folder's stale
 * temp files.
 */
export function tempPath(target: string, keepExtension = false): string {
  const dir = path.dirname(path.resolve(target));
  if (!cleaned.has(dir)) {
    cleaned.add(dir);
    if (cleaned.size > 10_000) cleaned.clear();
    cleanStaleTemps(dir);
  }
  const ext = keepExtension ? path.extname(target) : '';
  return path.join(dir, `.${path.basename(target, ext)}.aigc-${process.pid}-${randomHex6()}.tmp${ext}`);
}

/** Random bytes drawn 64 at a time (one call to the generator per ten names, not one per name). */
let randomPool = Buffer.alloc(0);
let randomAt = 0;

/** Six random bytes as twelve hex digits. */
function randomHex6(): string {
  if (randomAt + 6 > randomPool.length) {
    randomPool = randomBytes(64);
    randomAt = 0;
  }
  randomAt += 6;
  return randomPool.toString('hex', randomAt - 6, randomAt);
}

/** Why an output could not be created, naming the target (not the temp file) and a missing folder. */
export function outputErrorMessage(target: string, err: unknown): Said {
  const code = (err as NodeJS.ErrnoException).code;
  const folder = path.dirname(target);
  if (code === 'ENOENT')
    return said('err.io.createNoFolder', 'cannot create {path}: folder {folder} does not exist', { path: target, folder });
  if (code === 'EACCES' || code === 'EPERM')
    return said('err.io.createDenied', 'cannot create {path}: permission denied in {folder}', { path: target, folder });
  return said('err.io.create', 'cannot create {path}: {why}', { path: target, why: code ?? String(err) });
}
