/**
 * A BullMQ worker (`aigc worker --queue redis://…`): takes jobs from the queue, runs them
 * with the same code as the embedded runner and commits each result once. A worker killed
 * with SIGKILL loses nothing: its jobs' locks expire and another worker's stalled-job check
 * takes them back. `close()` (SIGTERM) finishes the jobs in hand before exiting.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ServerConfig } from './config.ts';
import type { JobResult, JobSpec } from './job-spec.ts';
import { executeJob, loadJobContext } from './operations.ts';
import { redisConnection } from './queue-runner.ts';
import { RedisResultStore } from './result-store.ts';
import { ensureSpool } from './spool.ts';
import { InvalidArgumentError, said } from '../errors.ts';

/** A running worker. */
export interface RunningWorker {
  /** Jobs finished by this worker (committed or joined). */
  readonly processed: () => number;
  /** Finish the jobs in hand, then disconnect. */
  close(): Promise<void>;
}

/** What a finished BullMQ job keeps as its return value (the result is in the result store). */
export interface JobReturn {
  readonly status: JobResult['status'];
}

/** A worker's event: a log line's fields, with its level. */
export interface WorkerEvent extends Record<string, unknown> {
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: string;
}

/** How many times a job may stall (its worker died) before it is failed instead of retried. */
const MAX_STALLED_COUNT = 10;

/**
 * Start a worker for the configuration's queue.
 * @throws {InvalidArgumentError} when the configuration has no queue.
 * @throws {IoError} {@link KeyError} {@link CertificateError} for unusable trust or signer files.
 */
export async function startWorker(config: ServerConfig, onEvent: (event: WorkerEvent) => void = () => undefined): Promise<RunningWorker> {
  const q = config.queue;
  if (!q)
    throw new InvalidArgumentError(
      said('err.worker.noQueue', 'a worker needs a queue: pass --queue redis://HOST:PORT or set "queue" in the configuration'),
    );
  const dirs = await ensureSpool(config.spool);
  const ctx = await loadJobContext(config, dirs);
  const redis: Redis = redisConnection(q.url);
  redis.on('error', () => undefined);
  const store = new RedisResultStore(redis, q.name, config.resultTtlSeconds);
  let processed = 0;
  // The job's return value is its status only: the result itself lives in the result store, and
  // BullMQ would otherwise keep a second copy in the job and a third in its events stream.
  const processor = async (job: Job<JobSpec>): Promise<JobReturn> => {
    const started = Date.now();
    try {
      // A first run skips the store read (one Redis round trip less per job): see ExecuteOptions.
      const firstRun = job.attemptsMade === 0 && (job.attemptsStarted ?? 1) <= 1 && !job.stalledCounter;
      const r = await executeJob(job.data, ctx, store, undefined, { firstRun, removeInputSync: true });
      processed++;
      onEvent({
        level: 'info',
        msg: 'job done',
        id: job.id,
        op: job.data.op,
        status: r.status,
        ms: Date.now() - started,
        attempt: job.attemptsMade + 1,
      });
      return { status: r.status };
    } catch (err) {
      onEvent({ level: 'warn', msg: 'job error', id: job.id, op: job.data.op, err: (err as Error).message, attempt: job.attemptsMade + 1 });
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const r = await store.commit({
          id: job.data.id,
          op: job.data.op,
          status: 'failed',
          error: { code: 'INTERNAL_ERROR', message: (err as Error).message },
          finishedAt: new Date().toISOString(),
        });
        return { status: r.status };
      }
      throw err;
    }
  };
  const connection = redisConnection(q.url);
  connection.on('error', () => undefined);
  const worker = new Worker<JobSpec, JobReturn>(q.name, processor, {
    connection,
    concurrency: config.limits.concurrency,
    lockDuration: q.lockDurationMs,
    stalledInterval: q.stalledIntervalMs,
    maxStalledCount: MAX_STALLED_COUNT,
  });
  worker.on('error', (err) => onEvent({ level: 'error', msg: 'worker error', err: err.message }));
  await worker.waitUntilReady();
  return {
    processed: () => processed,
    async close() {
      await worker.close();
      // Connections given to BullMQ as instances are the caller's to close.
      connection.disconnect();
      redis.disconnect();
      ctx.close();
    },
  };
}
