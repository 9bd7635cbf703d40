/**
 * A verify thread of `aigc serve` (see {@link JobPool}): runs read jobs (verify, inspect, decide)
 * on uploads in the spool's `in/` folder with the service's trust settings, and answers each with
 * the job's result, its body already serialized as JSON (the main thread sends it as is).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attemptRead } from './read-job.ts';
import type { JobRequest, ThreadData } from './job-pool.ts';

const { inDir, trust } = workerData as ThreadData;
const port = parentPort!;
port.on('message', ({ seq, spec }: JobRequest) => {
  attemptRead(spec, inDir, trust).then(
    ({ result, ...meta }) => port.postMessage({ seq, meta, ...(result === undefined ? {} : { body: JSON.stringify(result) }) }),
    (err: unknown) => port.postMessage({ seq, crash: err instanceof Error ? err.message : String(err) }),
  );
});
port.postMessage({ ready: true });
