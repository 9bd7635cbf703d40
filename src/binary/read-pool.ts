/**
 * Reusable read buffers for small whole-file reads (one pool per thread).
 *
 * A service or batch verifies file after file. Reading each into a fresh `Buffer` gives V8
 * a few hundred kilobytes of external memory per file, and that pressure, not the heap,
 * starts its full collections: verifying one 350 KB JPEG over and over ran a mark-compact
 * every 100–400 files with fresh buffers and once in 6,000 with pooled ones (README,
 * "Benchmarks"). The pool keeps a few buffers for the next read instead.
 *
 * Ownership: a {@link PooledBytes} belongs to its taker until `release()`; after that its
 * bytes are another read's. Only a caller that knows nothing it made keeps a view of them
 * (the verify report is plain data: `test/service/read-pool.test.ts` checks it) may release.
 * Never throws.
 */

/** Most bytes the pool keeps between reads (per thread). */
export const READ_POOL_BYTES = 16 * 1024 * 1024;
/** Most buffers the pool keeps. */
export const READ_POOL_BUFFERS = 4;
/** Smallest capacity a pooled buffer is made with (files of similar sizes share buffers). */
export const READ_POOL_MIN_CAPACITY = 64 * 1024;

const free: Buffer[] = [];

/** Bytes the pool holds. */
const keptBytes = (): number => free.reduce((n, b) => n + b.length, 0);

/** Bytes lent by {@link takeReadBuffer}. */
export interface PooledBytes {
  /** Exactly the size asked for, backed by a pooled buffer. */
  readonly bytes: Buffer;
  /** Give the buffer back (later calls do nothing). Nothing may use `bytes` afterwards. */
  release(): void;
}

/** Capacity for `size` bytes: the next power of two, at least {@link READ_POOL_MIN_CAPACITY}. */
function capacityFor(size: number): number {
  let c = READ_POOL_MIN_CAPACITY;
  while (c < size) c *= 2;
  return c;
}

/**
 * A buffer of `size` bytes (contents undefined) from the pool, or a new one; larger than
 * {@link READ_POOL_BYTES} is never pooled.
 */
export function takeReadBuffer(size: number): PooledBytes {
  let at = -1;
  for (let i = 0; i < free.length; i++) if (free[i]!.length >= size && (at < 0 || free[i]!.length < free[at]!.length)) at = i;
  let backing: Buffer;
  if (at >= 0) {
    backing = free[at]!;
    free.splice(at, 1);
  } else {
    const capacity = capacityFor(size);
    backing = Buffer.allocUnsafeSlow(capacity <= READ_POOL_BYTES ? capacity : size);
  }
  let released = false;
  return {
    bytes: backing.subarray(0, size),
    release: () => {
      if (released) return;
      released = true;
      giveBack(backing);
    },
  };
}

function giveBack(backing: Buffer): void {
  if (backing.length > READ_POOL_BYTES) return;
  // Make room: drop the smallest buffers first while the new one would not fit.
  while (free.length && (free.length >= READ_POOL_BUFFERS || keptBytes() + backing.length > READ_POOL_BYTES)) {
    let smallest = 0;
    for (let i = 1; i < free.length; i++) if (free[i]!.length < free[smallest]!.length) smallest = i;
    if (free[smallest]!.length > backing.length) return; // the pool holds larger ones: keep those
    free.splice(smallest, 1);
  }
  free.push(backing);
}

/** What the pool holds now (for tests and the README's figures). */
export function readPoolState(): { buffers: number; bytes: number } {
  return { buffers: free.length, bytes: keptBytes() };
}
