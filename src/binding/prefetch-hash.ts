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
import type { ByteSource } from '../binary/byte-source.ts';
import { bytesEqual } from '../binary/bytes.ts';
import type { HashAlgorithm } from '../crypto/digest.ts';
import type { StepsDigest } from './deferred-hash.ts';
import { checkSteps, hashSourceSteps, type HashStep } from './hash-steps.ts';
import { hashStepsOffThread } from './hash-thread.ts';

/**
 * Below this many hashed bytes the hash runs on the caller's thread: handing it over costs
 * about a tenth of a millisecond, which a small file's whole hash does not repay.
 */
export const MIN_PREFETCH_HASH_BYTES = 4 * 1024 * 1024;

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
    const pending = hashStepsOffThread(fd, steps, alg).then(
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

  /** The digests {@link assume} took on trust. */
  private readonly assumed: Uint8Array[] = [];

  /**
   * The verifier's hook when the report may be built before the hash is done: for the same
   * steps, the digest the binding claims, at once (checked by {@link confirm}); else a hash
   * made now. The report then no longer waits for the hash to begin its last part (results,
   * summaries, chain, label checks: about 0.4 ms a file), which runs while the thread hashes.
   */
  readonly assume: StepsDigest = async (src, steps, alg, expected) => {
    if (alg === this.alg && sameSteps(steps, this.steps)) {
      this.assumed.push(expected);
      return expected;
    }
    return hashSourceSteps(src, steps, alg);
  };

  /**
   * Whether every digest {@link assume} took on trust is the real one: false on a mismatch or
   * when the thread could not hash the file (then verify again with {@link digest}, which
   * reports either as an ordinary verification does). Never rejects.
   */
  async confirm(): Promise<boolean> {
    if (this.assumed.length === 0) return true;
    const real = await this.pending;
    return real !== undefined && this.assumed.every((e) => bytesEqual(real, e));
  }

  /** Resolves once the thread no longer reads the file (never rejects). */
  async settle(): Promise<void> {
    await this.pending;
  }
}
