/**
 * A content hash started early, on the hashing thread. The verifier checks the hard binding
 * last (as c2pa-rs does), after the claim, the signature, the certificates and the labels; on
 * a large file the hash is most of the work, and the rest waited for nothing. Once the store
 * is parsed the flat steps of the active manifest's binding are known, so the hash of those
 * steps starts on {@link hashStepsOffThread} while this thread validates everything else; the
 * content-hash step then takes the digest when it asks for the same steps. Any other request,
 * and any failure of the thread, is hashed here the ordinary way, so a report is the same
 * with or without the prefetch, errors included.
 */
import { isMainThread } from 'node:worker_threads';
import type { ByteSource } from '../binary/byte-source.ts';
import type { HashAlgorithm } from '../crypto/digest.ts';
import type { StepsDigest } from './deferred-hash.ts';
import { checkSteps, hashSourceSteps, type HashStep } from './hash-steps.ts';
import { hashStepsOffThread, hashThreadRunning } from './hash-thread.ts';

/** From this many hashed bytes the hash is always handed over (the hashing thread's start is repaid at once). */
export const MIN_PREFETCH_HASH_BYTES = 4 * 1024 * 1024;

/**
 * Smaller hashes, down to this many bytes, are handed over too once this thread has verified
 * {@link PREFETCH_SMALL_AFTER} files (a service, a batch) and while a core is free for the
 * hashing thread. With a free core, handing one over costs this thread about 15 µs (one
 * message; the hashing thread reads the held file itself), while the hash of 64 KiB costs
 * about 40 µs and a verify's other work (claim, signature, labels, report) takes longer than
 * the hash of any file kept in memory, so the hash costs no wall time. Without one, the woken
 * hashing thread takes this thread's core and the message blocks for the whole hash (measured
 * here on a busy 2-core machine: a median of 0.3 ms per 1024² JPEG, more than hashing it here),
 * so the time each hand-over blocks is watched ({@link SMALL_HANDOVER_MAX_MS}).
 * A single verification does not start the thread for a small file.
 */
export const MIN_PREFETCH_SMALL_HASH_BYTES = 64 * 1024;
/** Files verified by this thread before small hashes are handed over (see {@link MIN_PREFETCH_SMALL_HASH_BYTES}). */
export const PREFETCH_SMALL_AFTER = 8;
/**
 * When the hand-overs of small hashes block this thread longer than this on average (the
 * hashing thread found no free core), small files are hashed here for the next
 * {@link SMALL_HANDOVER_PAUSE} verifications, then handing over is tried again.
 */
export const SMALL_HANDOVER_MAX_MS = 0.05;
/** Verifications without small hand-overs after they were found to block (see {@link SMALL_HANDOVER_MAX_MS}). */
export const SMALL_HANDOVER_PAUSE = 500;

let verifiedHere = 0;
/** Moving average of the ms a small hand-over blocked this thread (the last 8 or so). */
let handoverMs = 0;
let pausedUntil = 0;

/**
 * The fewest hashed bytes worth handing over for the next verification on this thread: small
 * files qualify only on the main thread (a worker of a batch or a service already shares the
 * cores with its siblings), after a few files, and while hand-overs do not block (see
 * {@link SMALL_HANDOVER_MAX_MS}). Counts the verification.
 */
export function prefetchMinBytes(): number {
  verifiedHere++;
  const small = isMainThread && verifiedHere >= PREFETCH_SMALL_AFTER && verifiedHere >= pausedUntil;
  return small ? MIN_PREFETCH_SMALL_HASH_BYTES : MIN_PREFETCH_HASH_BYTES;
}

/** Hand small hashes over again from the next verification (ends a pause; for tests, and callers that know a core is free). */
export function resumeSmallHandovers(): void {
  pausedUntil = 0;
  handoverMs = 0;
}

/** Record how long handing a small hash over blocked this thread. */
function noteHandover(ms: number): void {
  handoverMs = handoverMs * 0.875 + ms * 0.125;
  if (handoverMs > SMALL_HANDOVER_MAX_MS) {
    pausedUntil = verifiedHere + SMALL_HANDOVER_PAUSE;
    handoverMs = 0;
  }
}

function sameSteps(a: readonly HashStep[], b: readonly HashStep[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.start !== y.start || x.end !== y.end || x.prefix !== y.prefix) return false;
  }
  return true;
}

/** One prefetched digest over an open file; {@link settle} before the file is closed. */
export class PrefetchedHash {
  private constructor(
    private readonly steps: readonly HashStep[],
    private readonly alg: HashAlgorithm,
    private readonly pending: Promise<Uint8Array | undefined>,
  ) {}

  /**
   * Start hashing `steps` of `src` on the hashing thread, or return undefined when `src` is
   * not an open file, the steps do not fit it, or they cover fewer than `minBytes`.
   */
  static start(
    src: ByteSource,
    steps: readonly HashStep[],
    alg: HashAlgorithm,
    minBytes = MIN_PREFETCH_HASH_BYTES,
  ): PrefetchedHash | undefined {
    const fd = (src as { fd?: unknown }).fd;
    if (typeof fd !== 'number' || fd < 0) return undefined;
    try {
      checkSteps(steps, src.size);
    } catch {
      return undefined;
    }
    let bytes = 0;
    for (const s of steps) bytes += s.end - s.start;
    if (bytes < minBytes) return undefined;
    const t0 = bytes < MIN_PREFETCH_HASH_BYTES && hashThreadRunning() ? performance.now() : undefined;
    const handed = hashStepsOffThread(fd, steps, alg);
    if (t0 !== undefined) noteHandover(performance.now() - t0);
    const pending = handed.then(
      (d) => d,
      () => undefined,
    );
    return new PrefetchedHash(steps, alg, pending);
  }

  /** The verifier's hook: the prefetched digest for the same steps, else a hash made now. */
  readonly digest: StepsDigest = async (src, steps, alg) => {
    if (alg === this.alg && sameSteps(steps, this.steps)) {
      const d = await this.pending;
      if (d) return d;
    }
    return hashSourceSteps(src, steps, alg);
  };

  /** Resolves once the thread no longer reads the file (never rejects). */
  async settle(): Promise<void> {
    await this.pending;
  }
}
