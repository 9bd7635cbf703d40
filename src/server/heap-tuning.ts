/**
 * V8 heap settings for the service's job runners. Both fix one V8 behaviour, measured with
 * `--trace-gc --trace-incremental-marking`: a runner verifying files keeps little alive (10–20 MB),
 * V8 sets the old generation's limit a few times that, and when the slack under the limit is below
 * the young generation's capacity (up to 32 MB here) V8 starts incremental marking at once. So a
 * verify thread of `aigc serve` ran a full (mark-compact) collection every 60–70 jobs, and an
 * `aigc worker` process every 25–30 jobs, each a 5–16 ms pause plus as much again in marking steps
 * and concurrent marking on the other core — about a third of a worker's CPU per verify job.
 * The library verifying in a loop (a larger heap) runs one per 1,500 files.
 */
import v8 from 'node:v8';

/**
 * The old generation a verify thread's heap starts with, in MB (V8's `--initial-old-space-size`,
 * which is also the floor of its collection limit): about one full collection per 2,500 jobs.
 */
export const THREAD_INITIAL_OLD_SPACE_MB = 64;

/** The V8 flag of an `aigc worker` process (see {@link tuneWorkerProcess}). */
export const WORKER_V8_FLAGS = '--no-incremental-marking';

/**
 * Give isolates created from now on (the verify threads) a {@link THREAD_INITIAL_OLD_SPACE_MB}
 * floor. Heap flags are read when an isolate is created, so the main thread keeps its own heap
 * (the service's, which holds the stored results and keeps incremental marking for short pauses).
 */
export function tuneThreadHeaps(): void {
  v8.setFlagsFromString(`--initial-old-space-size=${THREAD_INITIAL_OLD_SPACE_MB}`);
}

/**
 * For a process that runs queued jobs (`aigc worker`): its heap is configured already, so the
 * floor cannot be raised; without incremental marking, V8 collects when the limit is reached
 * instead of as soon as the slack looks small: one full collection per ~1,000–2,000 verify jobs
 * instead of one per 25–30, each a pause of 10–20 ms, which a job queue does not mind. Measured:
 * CPU per warm verify job 2.9 → 1.9–2.0 ms (README, "Benchmarks").
 */
export function tuneWorkerProcess(): void {
  v8.setFlagsFromString(WORKER_V8_FLAGS);
}
