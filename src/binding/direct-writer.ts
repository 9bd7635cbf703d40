/**
 * The one pass of a very large embed, written around the page cache (`O_DIRECT`).
 *
 * Why: a buffered write of a multi-GB output needs as many fresh page-cache pages as the
 * output has bytes. Where the kernel has to find them (free memory handed back to a VM's
 * host by free-page reporting, memory full of other files' pages, or more dirty data than
 * the write-back limits allow, which throttles the writer to the disk anyway) the kernel
 * work to supply and later write back the pages costs more CPU than hashing the bytes: on
 * the 2-core development VM a 2 GB buffered copy-and-hash took about 5 s of CPU against
 * 1.3 s for the hash alone. Written directly, the output goes from our few reusable buffers
 * to the device: no page allocation, no copy into the cache, no write-back later, and the
 * cache keeps the pages it had (the input's among them).
 *
 * How: the output is cut into aligned windows of {@link STREAM_CHUNK} bytes; each window is
 * filled from the plan's parts (new bytes copied in, copied ranges read from the source
 * into it), hashed in order, and written at its aligned offset through a second file
 * descriptor opened with `O_DIRECT`, a few windows in flight on the thread pool while the
 * next is read and the current hashed. The last, partial window and the later slot patches
 * go through the ordinary descriptor (after every direct write has completed). Where
 * direct I/O is not available (no `O_DIRECT` on the platform, a file system that refuses
 * it, no aligned memory) or a direct write is refused, the same bytes are written through
 * the ordinary descriptor instead: the output is identical either way.
 */
import { closeSync, constants, openSync, write } from 'node:fs';
import type { ByteSource } from '../binary/byte-source.ts';
import { FileSource } from '../binary/file-source.ts';
import type { Part } from '../binary/parts.ts';
import { IoError, said } from '../errors.ts';
import type { StepHasher } from './hash-steps.ts';

/** Size of one window (read, hashed, written); a multiple of {@link DIRECT_ALIGN}. */
export const DIRECT_CHUNK = 1 << 20;
/** Windows in the ring: one being filled, one being hashed, the rest being written. */
export const DIRECT_BUFFERS = 4;
/** Alignment of direct writes (offset, length and memory); covers 512- and 4096-byte devices. */
export const DIRECT_ALIGN = 4096;
/**
 * Outputs at least this large are written directly by default. Below it the pages a buffered
 * write needs are usually at hand and the output stays cached for whoever reads it next.
 */
export const DIRECT_WRITE_BYTES = 1024 * 1024 * 1024;

/**
 * Whether an output of `size` bytes should be written directly: `AIGC_DIRECT_WRITES=1`
 * always (for streamed outputs), `=0` never, unset from {@link DIRECT_WRITE_BYTES} up.
 */
export function wantsDirectWrite(size: number, env = process.env.AIGC_DIRECT_WRITES): boolean {
  if (env === '0') return false;
  if (env === '1') return true;
  return size >= DIRECT_WRITE_BYTES;
}

/**
 * `path` (the temp file, already created) opened a second time for direct writes, with
 * {@link DIRECT_BUFFERS} aligned buffers; undefined where direct I/O is not available.
 * Never throws.
 */
export function openDirect(path: string): { fd: number; buffers: Buffer[] } | undefined {
  const flag = (constants as { O_DIRECT?: number }).O_DIRECT;
  if (!flag) return undefined;
  let buffers: Buffer[];
  try {
    // WebAssembly memory is page-aligned (an ordinary Buffer is 16 bytes past a page), and
    // its pages are only committed when touched.
    const pages = (DIRECT_CHUNK * DIRECT_BUFFERS) / 65536;
    const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
    buffers = Array.from({ length: DIRECT_BUFFERS }, (_, i) => Buffer.from(mem.buffer, i * DIRECT_CHUNK, DIRECT_CHUNK));
  } catch {
    return undefined;
  }
  try {
    return { fd: openSync(path, constants.O_WRONLY | flag), buffers };
  } catch {
    return undefined; // EINVAL: the file system has no direct I/O
  }
}

/** Write all of `bytes` at `position`, directly while allowed, else (and for any remainder) through `plain`. */
function writeWindow(direct: { fd: number; ok: boolean }, plain: number, bytes: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (done: number): void => {
      if (done >= bytes.length) {
        resolve();
        return;
      }
      const useDirect = direct.ok && done % DIRECT_ALIGN === 0 && (bytes.length - done) % DIRECT_ALIGN === 0;
      write(useDirect ? direct.fd : plain, bytes, done, bytes.length - done, position + done, (err, n) => {
        if (err && useDirect && (err as NodeJS.ErrnoException).code === 'EINVAL') {
          direct.ok = false; // a stricter alignment than ours: the rest goes through the cache
          step(done);
        } else if (err) reject(err);
        else if (n <= 0) reject(new IoError(said('err.bind.writeMadeNoProgress', 'write made no progress')));
        else step(done + n);
      });
    };
    step(0);
  });
}

/** Where each part starts in the output. */
function starts(parts: readonly Part[]): number[] {
  const at: number[] = [];
  let o = 0;
  for (const p of parts) {
    at.push(o);
    o += 'copy' in p ? p.copy.length : p.bytes.length;
  }
  at.push(o);
  return at;
}

/**
 * The read–hash–write pipeline over aligned output windows (see the module comment). `plain`
 * is the temp file's ordinary descriptor; `direct` is closed before returning.
 * @throws {IoError} {@link MalformedInputError} from the reads or writes.
 */
export async function pumpDirect(
  src: ByteSource,
  plain: number,
  direct: { fd: number; buffers: Buffer[] },
  parts: readonly Part[],
  hasher: StepHasher,
): Promise<void> {
  const at = starts(parts);
  const size = at[at.length - 1]!;
  const file = src instanceof FileSource ? src : undefined;
  const state = { fd: direct.fd, ok: true };
  const free = direct.buffers.slice();
  const writes = new Set<Promise<void>>();
  let part = 0;
  // Fill `buf` with output bytes [w, w + len): parts are visited in order, windows too.
  const fill = async (buf: Buffer, w: number, len: number): Promise<Buffer> => {
    while (at[part + 1]! <= w) part++;
    for (let i = part, o = w; o < w + len; i++) {
      const p = parts[i]!;
      const a = o - at[i]!;
      const n = Math.min(at[i + 1]!, w + len) - o;
      if ('bytes' in p) buf.set(p.bytes.subarray(a, a + n), o - w);
      else if (file) await file.readInto(buf.subarray(o - w, o - w + n), n, p.copy.offset + a);
      else buf.set(await src.read(p.copy.offset + a, n), o - w);
      o += n;
    }
    return buf;
  };
  const begin = async (w: number): Promise<Buffer> => {
    while (!free.length) await Promise.race(writes);
    return fill(free.pop()!, w, Math.min(DIRECT_CHUNK, size - w));
  };
  let next: Promise<Buffer> | undefined;
  try {
    next = size > 0 ? begin(0) : undefined;
    for (let w = 0; next; w += DIRECT_CHUNK) {
      const buf = await next;
      const len = Math.min(DIRECT_CHUNK, size - w);
      next = w + len < size ? begin(w + len) : undefined;
      next?.catch(() => undefined); // awaited in turn
      const data = buf.subarray(0, len);
      hasher.update(data);
      const done: Promise<void> = writeWindow(state, plain, data, w).then(() => {
        writes.delete(done);
        free.push(buf);
      });
      done.catch(() => undefined); // observed through the waits
      writes.add(done);
    }
    while (writes.size) await Promise.race(writes);
  } catch (err) {
    await Promise.allSettled([next, ...writes]);
    throw err;
  } finally {
    closeSync(direct.fd);
  }
}
