/**
 * A verify thread of `aigc serve` (see {@link JobPool}): runs read jobs (verify, inspect, decide)
 * on uploads in the spool's `in/` folder (or posted as bytes) with the service's trust settings, removes the consumed
 * spool file, and answers each with the job's result, its body already serialized as JSON (the main
 * thread sends it as is). A job that throws keeps its upload (the job may run again).
 */
import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { attemptRead } from './read-job.ts';
import { verdictOf } from './metrics.ts';
import type { JobRequest, ThreadData } from './job-pool.ts';

const { inDir, trust } = workerData as ThreadData;
const port = parentPort!;
port.on('message', ({ seq, spec }: JobRequest) => {
  attemptRead(spec, inDir, trust).then(
    ({ result, ...meta }) => {
      const body = result === undefined ? undefined : JSON.stringify(result);
      if (!spec.bytes)
        try {
          unlinkSync(path.join(inDir, spec.input));
        } catch {
          // already gone (a repeated job), or the main thread's sweep removes it later
        }
      port.postMessage({ seq, meta, verdict: verdictOf(spec.op, meta.status, result), ...(body === undefined ? {} : { body }) });
    },
    (err: unknown) => port.postMessage({ seq, crash: err instanceof Error ? err.message : String(err) }),
  );
});
port.postMessage({ ready: true });
