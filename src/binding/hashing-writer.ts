/**
 * The single pass of an embed: write a planned output (parts, with a zeroed manifest
 * slot) to a temporary file while hashing it, then ask for the final parts (signed with
 * that hash), write the bytes that changed into their slots, and rename.
 *
 * The input is read once. Reads and writes run on libuv's thread pool while the main
 * thread hashes: chunk n+1 is being read and chunk n-1 written while chunk n is hashed,
 * through a small ring of reusable buffers, so memory stays at a few MiB whatever the
 * file size and throughput approaches that of SHA-256 alone.
 */
import { createHash } from 'node:crypto';
import { write, writeSync } from 'node:fs';
import { type ByteSource, checkRange } from '../binary/byte-source.ts';
import { FileSource } from '../binary/file-source.ts';
import { type Part, partsLength } from '../binary/parts.ts';
import { concatBytes } from '../binary/bytes.ts';
import { type HashStep, overlapsSteps, StepHasher } from './hash-steps.ts';
import { SMALL_OUTPUT_BYTES, writeBytesAtomic, writeViaTempFd } from '../binary/atomic-write.ts';
import type { HashAlgorithm } from '../crypto/digest.ts';
import { InvalidArgumentError, IoError, said } from '../errors.ts';
import { openDirect, pumpDirect, wantsDirectWrite } from './direct-writer.ts';

/** Size of one streamed chunk (read, hashed, written). */
export const STREAM_CHUNK = 1 << 20;
/** Buffers in the ring: one being read, one being hashed, the rest being written. */
export const STREAM_BUFFERS = 4;

/** Hash algorithms of the hard binding. */
export type StreamHashAlgorithm = HashAlgorithm;

/** Given the digest of the planned output, the final parts (same shape, slot filled). */
export type FinishParts = (digest: Uint8Array) => Promise<readonly Part[]>;

/** An output byte range whose final bytes differ from the plan's placeholder. */
export interface Patch {
  /** Index of the replaced part. */
  readonly index: number;
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * The bytes `final` changes relative to `planned`: parts replaced by new byte parts of the
 * same length. Every patch must lie outside the hashed steps.
 * @throws {InvalidArgumentError} when the shapes differ or a patch touches hashed bytes.
 */
export function diffParts(planned: readonly Part[], final: readonly Part[], steps: readonly HashStep[]): Patch[] {
  if (planned.length !== final.length)
    throw new InvalidArgumentError(
      said('err.bind.finalPlanHasParts', 'final plan has {v1} parts, planned {v2}', { v1: final.length, v2: planned.length }),
    );
  const patches: Patch[] = [];
  let at = 0;
  for (let i = 0; i < planned.length; i++) {
    const p = planned[i]!;
    const f = final[i]!;
    const len = 'copy' in p ? p.copy.length : p.bytes.length;
    if (f !== p) {
      const same = 'copy' in p && 'copy' in f && p.copy.offset === f.copy.offset && p.copy.length === f.copy.length;
      if (!same) {
        if (!('bytes' in f) || f.bytes.length !== len)
          throw new InvalidArgumentError(said('err.bind.finalPartChangesLength', 'final part {i} changes length or kind', { i }));
        if (overlapsSteps(steps, at, at + len))
          throw new InvalidArgumentError(
            said('err.bind.finalPartChangesHashed', 'final part {i} ({at}+{len}) changes hashed bytes', { i, at, len }),
          );
        patches.push({ index: i, offset: at, bytes: f.bytes });
      }
    }
    at += len;
  }
  return patches;
}

/**
 * The final output as pieces in order (views of the source's bytes where it is in memory,
 * new bytes, filled slots): the planned pieces are hashed, then the slots replaced.
 * @throws {InvalidArgumentError} {@link MalformedInputError} {@link IoError} and whatever `finish` throws.
 */
export async function hashAndFillPieces(
  src: ByteSource,
  parts: readonly Part[],
  steps: readonly HashStep[],
  alg: StreamHashAlgorithm,
  finish: FinishParts,
): Promise<Uint8Array[]> {
  const pieces: Uint8Array[] = [];
  for (const p of parts) pieces.push('bytes' in p ? p.bytes : await src.read(p.copy.offset, p.copy.length));
  const hasher = new StepHasher(createHash(alg), steps, partsLength(parts));
  for (const piece of pieces) hasher.update(piece);
  for (const patch of diffParts(parts, await finish(hasher.finish()), steps)) pieces[patch.index] = patch.bytes;
  return pieces;
}

/**
 * Materialise in memory: hash the planned output, fill the slots, join the pieces.
 * @throws as {@link hashAndFillPieces}.
 */
export async function hashAndFillInMemory(
  src: ByteSource,
  parts: readonly Part[],
  steps: readonly HashStep[],
  alg: StreamHashAlgorithm,
  finish: FinishParts,
): Promise<Uint8Array> {
  return concatBytes(await hashAndFillPieces(src, parts, steps, alg, finish));
}

/**
 * Write the output of `parts` over `src` atomically to `target`, hashing `steps` on the
 * way, then fill the slots from `finish(digest)`. Small outputs are built in memory; very
 * large ones are written around the page cache (`direct-writer.ts`).
 * @throws {IoError} when the output cannot be written (no temp file is left behind);
 * {@link MalformedInputError} for copy ranges past the end of `src`; whatever `finish` throws.
 */
export async function writeHashedAtomic(
  target: string,
  src: ByteSource,
  parts: readonly Part[],
  steps: readonly HashStep[],
  alg: StreamHashAlgorithm,
  finish: FinishParts,
  durable = process.env.AIGC_DURABLE_WRITES === '1',
): Promise<void> {
  for (const p of parts) if ('copy' in p) checkRange(src.size, p.copy.offset, p.copy.length);
  if (partsLength(parts) <= SMALL_OUTPUT_BYTES) {
    writeBytesAtomic(target, await hashAndFillPieces(src, parts, steps, alg, finish), durable);
    return;
  }
  await writeViaTempFd(
    target,
    async (out, tmp) => {
      const hasher = new StepHasher(createHash(alg), steps, partsLength(parts));
      const direct = wantsDirectWrite(partsLength(parts)) ? openDirect(tmp) : undefined;
      if (direct) await pumpDirect(src, out, direct, parts, hasher);
      else await pump(src, out, parts, hasher);
      for (const p of diffParts(parts, await finish(hasher.finish()), steps)) {
        for (let done = 0; done < p.bytes.length; ) done += writeSync(out, p.bytes, done, p.bytes.length - done, p.offset + done);
      }
    },
    durable,
  );
}

/** Write all of `bytes` at `position` of `fd` on the thread pool. */
function writeAt(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (done: number): void => {
      if (done >= bytes.length) {
        resolve();
        return;
      }
      write(fd, bytes, done, bytes.length - done, position + done, (err, n) => {
        if (err) reject(err);
        else if (n <= 0) reject(new IoError(said('err.bind.writeMadeNoProgress', 'write made no progress')));
        else step(done + n);
      });
    };
    step(0);
  });
}

/** One output chunk: new bytes, or a run of at most {@link STREAM_CHUNK} source bytes. */
type Chunk = { at: number; bytes: Uint8Array } | { at: number; offset: number; length: number };

function* chunksOf(parts: readonly Part[]): Generator<Chunk> {
  let at = 0;
  for (const p of parts) {
    if ('bytes' in p) {
      if (p.bytes.length) yield { at, bytes: p.bytes };
      at += p.bytes.length;
      continue;
    }
    for (let o = 0; o < p.copy.length; o += STREAM_CHUNK) {
      const length = Math.min(STREAM_CHUNK, p.copy.length - o);
      yield { at: at + o, offset: p.copy.offset + o, length };
    }
    at += p.copy.length;
  }
}

/** The read–hash–write pipeline. */
async function pump(src: ByteSource, out: number, parts: readonly Part[], hasher: StepHasher): Promise<void> {
  const free: Buffer[] = [];
  for (let i = 0; i < STREAM_BUFFERS; i++) free.push(Buffer.allocUnsafe(STREAM_CHUNK));
  // Writes in flight; each gives its buffer back to `free` when done. A failed write
  // rejects the next wait on it, which ends the pump.
  const writes = new Set<Promise<void>>();
  const write = (data: Uint8Array, at: number, buf: Buffer | undefined): void => {
    const done: Promise<void> = writeAt(out, data, at).then(() => {
      writes.delete(done);
      if (buf) free.push(buf);
    });
    done.catch(() => undefined); // observed through the waits below
    writes.add(done);
  };
  const file = src instanceof FileSource ? src : undefined;
  type Read = { done: Promise<{ data: Uint8Array; buf?: Buffer }> };
  // Issue the read of `c` on the thread pool and return it unawaited; undefined when it
  // needs a buffer and none is free yet.
  const begin = (c: Chunk): Read | undefined => {
    let done: Read['done'];
    if ('bytes' in c) {
      done = Promise.resolve({ data: c.bytes });
    } else if (!file) {
      done = src.read(c.offset, c.length).then((data) => ({ data }));
    } else {
      const buf = free.pop();
      if (!buf) return undefined;
      done = file.readInto(buf, c.length, c.offset).then(() => ({ data: buf.subarray(0, c.length), buf }));
    }
    done.catch(() => undefined); // awaited in turn; a failure must not surface as unhandled meanwhile
    return { done };
  };
  const beginWhenFree = async (c: Chunk): Promise<Read> => {
    for (;;) {
      const r = begin(c);
      if (r) return r;
      await Promise.race(writes);
    }
  };
  const it = chunksOf(parts);
  let cur = it.next();
  let pending = cur.done ? undefined : await beginWhenFree(cur.value);
  try {
    while (pending) {
      const chunk = cur.value as Chunk;
      const { data, buf } = await pending.done;
      cur = it.next();
      // The next read goes out before this chunk is hashed, if a buffer is free; if all
      // are still being written, hash first and wait after.
      pending = cur.done ? undefined : begin(cur.value);
      hasher.update(data);
      write(data, chunk.at, buf);
      if (!pending && !cur.done) pending = await beginWhenFree(cur.value);
      while (writes.size > 2 * STREAM_BUFFERS) await Promise.race(writes); // new-bytes parts hold no buffer
    }
    while (writes.size) await Promise.race(writes);
  } catch (err) {
    await Promise.allSettled([pending?.done, ...writes]);
    throw err;
  }
}
