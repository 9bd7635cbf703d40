/**
 * The service's side of the BullMQ queue: jobs are added under their content-derived id
 * (BullMQ keeps one job per id, so a repeated request joins the first), results are read
 * from the shared {@link RedisResultStore}, and waiting is woken by BullMQ's queue events
 * with a slow poll as a fallback (events can be missed while Redis restarts).
 */
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobResult, JobSpec } from './job-spec.ts';
import { InvalidArgumentError, said } from '../errors.ts';
import { RedisResultStore } from './result-store.ts';
import type { JobRunner, QueueDepth } from './embedded-runner.ts';

/** Queue settings shared by the service and its workers. */
export interface QueueSettings {
  readonly url: string;
  readonly name: string;
  readonly attempts: number;
  readonly resultTtlSeconds: number;
}

/** A Redis connection as BullMQ wants it (commands wait through reconnects). */
export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 100, 2000) });
}

/** Job options for `Queue.add`: retries with back-off, finished jobs kept for the result time. */
export function jobOptions(
  s: QueueSettings,
  id: string,
): {
  jobId: string;
  attempts: number;
  backoff: { type: 'exponential'; delay: number };
  removeOnComplete: { age: number };
  removeOnFail: { age: number };
} {
  return {
    jobId: id,
    attempts: s.attempts,
    backoff: { type: 'exponential', delay: 200 },
    removeOnComplete: { age: s.resultTtlSeconds },
    removeOnFail: { age: s.resultTtlSeconds },
  };
}

const POLL_MS = 250;

/** The producer side of the queue. */
export class QueueRunner implements JobRunner {
  readonly kind = 'redis' as const;
  readonly #settings: QueueSettings;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #redis: Redis;
  readonly #connections: Redis[];
  readonly #store: RedisResultStore;
  readonly #wakers = new Map<string, Set<() => void>>();

  constructor(settings: QueueSettings) {
    this.#settings = settings;
    this.#redis = redisConnection(settings.url);
    this.#connections = [redisConnection(settings.url), redisConnection(settings.url)];
    for (const c of this.#connections) c.on('error', () => undefined);
    this.#queue = new Queue(settings.name, { connection: this.#connections[0]! });
    this.#events = new QueueEvents(settings.name, { connection: this.#connections[1]! });
    this.#store = new RedisResultStore(this.#redis, settings.name, settings.resultTtlSeconds);
    const wake = ({ jobId }: { jobId: string }): void => {
      for (const w of this.#wakers.get(jobId) ?? []) w();
    };
    this.#events.on('completed', wake);
    this.#events.on('failed', wake);
    // Connection errors are retried by ioredis; logged by the caller through ready().
    this.#queue.on('error', () => undefined);
    this.#events.on('error', () => undefined);
    this.#redis.on('error', () => undefined);
  }

  /** Resolves when the queue's connections are up. */
  async init(): Promise<void> {
    await Promise.all([this.#queue.waitUntilReady(), this.#events.waitUntilReady()]);
  }

  /**
   * Add the job under its id (joining an identical one).
   * @throws {InvalidArgumentError} for a job carrying its upload in memory ({@link JobSpec.bytes}):
   * workers read uploads from the shared spool.
   */
  async submit(spec: JobSpec): Promise<{ created: boolean }> {
    if (spec.bytes)
      throw new InvalidArgumentError(said('err.job.memoryQueued', 'a job with its upload in memory cannot be queued; spool the upload'));
    const job = await this.#queue.add(spec.op, spec, jobOptions(this.#settings, spec.id));
    return { created: (job.data as JobSpec).input === spec.input };
  }

  async wait(id: string, timeoutMs: number): Promise<JobResult | undefined> {
    const deadline = Date.now() + timeoutMs;
    let wake!: () => void;
    let woken = new Promise<void>((r) => {
      wake = r;
    });
    const waker = (): void => wake();
    const set = this.#wakers.get(id) ?? new Set();
    set.add(waker);
    this.#wakers.set(id, set);
    try {
      for (;;) {
        const r = await this.#store.get(id);
        if (r) return r;
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          woken,
          new Promise<void>((r2) => {
            timer = setTimeout(r2, Math.min(left, POLL_MS));
          }),
        ]);
        clearTimeout(timer);
        woken = new Promise<void>((r2) => {
          wake = r2;
        });
      }
    } finally {
      set.delete(waker);
      if (set.size === 0) this.#wakers.delete(id);
    }
  }

  result(id: string): Promise<JobResult | undefined> {
    return this.#store.get(id);
  }

  async pending(id: string): Promise<boolean> {
    const job = await this.#queue.getJob(id);
    if (!job) return false;
    const state = await job.getState();
    return state !== 'completed' && state !== 'failed' && state !== 'unknown';
  }

  async depth(): Promise<QueueDepth> {
    const c = await this.#queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return { waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0 };
  }

  async ready(): Promise<boolean> {
    if (this.#redis.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.#redis.ping().then((p) => p === 'PONG'),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(false), 1000);
        }),
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#queue.close(), this.#events.close()]);
    // Connections given to BullMQ as instances are ours to close.
    for (const c of [...this.#connections, this.#redis]) c.disconnect();
  }
}
