/**
 * A content hash taken on trust for now and checked later, on another thread. `propagate`
 * verifies an upload before it can write the new file (the ingredient records the upload's
 * validation results), yet hashing the upload first and the new file afterwards is two
 * SHA-256 passes in a row. With {@link DeferredHashes} the verifier's flat hashes (the data
 * hash, the BMFF file-level hash) over a file on disk are started on the hashing thread and
 * assumed to match; the caller writes the new file meanwhile and, before committing it, calls
 * {@link DeferredHashes.settle}: on any mismatch or read failure it discards what it made
 * and verifies again the ordinary way, so a changed or tampered upload is reported and refused
 * exactly as without deferral.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { bytesEqual } from '../binary/bytes.ts';
import type { HashAlgorithm } from '../crypto/digest.ts';
import { checkSteps, hashSourceSteps, type HashStep } from './hash-steps.ts';
import { hashStepsOffThread } from './hash-thread.ts';

/**
 * Computes the digest of `steps` over `src`; `expected` is the digest the binding claims
 * (a deferring implementation may return it and check later).
 */
export type StepsDigest = (src: ByteSource, steps: readonly HashStep[], alg: HashAlgorithm, expected: Uint8Array) => Promise<Uint8Array>;

/** Hash now, on this thread: what the verifier does without a hook. */
export const digestNow: StepsDigest = (src, steps, alg) => hashSourceSteps(src, steps, alg);

/** The descriptor of a source that is an open file (a `FileSource`), else undefined. */
function fdOf(src: ByteSource): number | undefined {
  const fd = (src as { fd?: unknown }).fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/** Deferred content hashes of one verification (see the module comment). */
export class DeferredHashes {
  private readonly jobs: Promise<boolean>[] = [];
  private outcome: Promise<boolean> | undefined;

  /** The hook for the verifier: hashes over an open file are deferred, others run now. */
  readonly digest: StepsDigest = async (src, steps, alg, expected) => {
    const fd = fdOf(src);
    if (fd === undefined || this.outcome) return hashSourceSteps(src, steps, alg);
    checkSteps(steps, src.size);
    this.jobs.push(
      hashStepsOffThread(fd, steps, alg).then(
        (d) => bytesEqual(d, expected),
        () => false,
      ),
    );
    return expected;
  };

  /** Whether any hash was deferred. */
  get deferred(): boolean {
    return this.jobs.length > 0;
  }

  /**
   * Wait for the deferred hashes: true when each matched what was assumed (or none was
   * deferred). Never rejects; a read failure counts as a mismatch. Later digests run now.
   */
  settle(): Promise<boolean> {
    this.outcome ??= Promise.all(this.jobs).then((all) => all.every(Boolean));
    return this.outcome;
  }
}
