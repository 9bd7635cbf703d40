/**
 * V8 tuning for a batch (`aigc verify DIR`, `aigc stamp DIR`): each thread of a batch starts cold,
 * and by default V8 optimises (TurboFan, on background threads of this process) every function
 * that is warm after a few files, re-optimising many as their type feedback settles. Measured over
 * 1,000 files with two threads, that compilation was about a fifth of the run's CPU time, on the
 * same two cores the files are verified on. A larger interrupt budget (eight times V8's 67,584
 * bytes of bytecode) lets a function gather more feedback before it is optimised: the hot paths
 * still are, within the first files, and a batch's CPU time fell by about a tenth (README,
 * "Benchmarks"). Flags are per process, so one call covers the worker threads; set before the
 * verifier's modules load, and in each worker before its code cache is checked (V8 accepts a cache
 * only under the flags it was made with: the build primes it under these).
 */
import v8 from 'node:v8';

/** The V8 flags of a batch. */
export const BATCH_V8_FLAGS = '--interrupt-budget=540672';

let tuned = false;

/** Apply {@link BATCH_V8_FLAGS} to this process (once; later calls do nothing). */
export function tuneForBatch(): void {
  if (tuned) return;
  v8.setFlagsFromString(BATCH_V8_FLAGS);
  tuned = true;
}
