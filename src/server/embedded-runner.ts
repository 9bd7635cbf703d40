/**
 * The runner interface the routes talk to, and its embedded (in-process) implementation:
 * jobs run in this process, at most `concurrency` at once, identical jobs joined. With a
 * {@link JobPool}, the read jobs (verify, inspect, decide) run on its verify threads (here while
 * the threads start, or if they cannot); signing jobs stay here, with the signers.
 */
import type { JobResult, JobSpec } from './job-spec.ts';
import { MemoryResultStore } from './result-store.ts';
import { executeJob, type JobContext, type ReadJobRunner } from './operations.ts';
import type { JobPool } from './job-pool.ts';
import { attemptRead } from './read-job.ts';

/** Queue depth as `/metrics` shows it. */
export interface QueueDepth {
  waiting: number;
  active: number;
}

/** Runs jobs: in this process or through a queue. */
export interface JobRunner {
  /** `embedded` or `redis`. */
  readonly kind: 'embedded' | 'redis';
  /**
   * Submit a job; an identical job already queued, running or finished is joined.
   * Returns whether this submission created the job (false: joined an existing one).
   */
  submit(spec: JobSpec): Promise<{ created: boolean }>;
  /** Wait for the job's result up to `timeoutMs`; undefined when still pending. */
  wait(id: string, timeoutMs: number): Promise<JobResult | undefined>;
  /** The committed result, if finished. */
  result(id: string): Promise<JobResult | undefined>;
  /** Whether the job is known (queued or running) though not finished. */
  pending(id: string): Promise<boolean>;
  depth(): Promise<QueueDepth>;
  /** Whether the runner can take jobs (its backend is reachable). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** In-process runner. */
export class EmbeddedRunner implements JobRunner {
  readonly kind = 'embedded' as const;
  readonly #ctx: JobContext;
  readonly #store: MemoryResultStore;
  readonly #concurrency: number;
  readonly #running = new Map<string, Promise<JobResult>>();
  readonly #waiting: (() => void)[] = [];
  #active = 0;
  readonly #sweeper: NodeJS.Timeout;
  readonly #pool: JobPool | undefined;
  readonly #runRead: ReadJobRunner | undefined;

  /** @param pool verify threads for the read jobs (closed with the runner); none: every job runs on this thread. */
  constructor(ctx: JobContext, concurrency: number, ttlSeconds: number, pool?: JobPool, storedResults?: number) {
    this.#ctx = ctx;
    this.#store = new MemoryResultStore(ttlSeconds, storedResults);
    this.#concurrency = concurrency;
    this.#sweeper = setInterval(() => this.#store.sweep(), 60_000).unref();
    this.#pool = pool;
    // The threads start with the first read job; until one is ready (or if none can start), read jobs run here.
    this.#runRead = pool
      ? (spec) => {
          if (pool.ready && !pool.broken) return pool.run(spec).then((result) => ({ result, inputRemoved: true }));
          pool.start();
          return attemptRead(spec, ctx.dirs.in, ctx.trust).then((result) => ({ result, inputRemoved: false }));
        }
      : undefined;
  }

  /** The verify threads, if any. */
  get pool(): JobPool | undefined {
    return this.#pool;
  }

  async submit(spec: JobSpec): Promise<{ created: boolean }> {
    if (this.#running.has(spec.id) || (await this.#store.get(spec.id))) return { created: false };
    const p = this.#run(spec).finally(() => this.#running.delete(spec.id));
    p.catch(() => undefined);
    this.#running.set(spec.id, p);
    return { created: true };
  }

  async #run(spec: JobSpec): Promise<JobResult> {
    if (this.#active >= this.#concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await executeJob(spec, this.#ctx, this.#store, this.#runRead);
    } catch (err) {
      // Not a ToolkitError: a bug or the machine failing. Recorded so waiters get an answer.
      return this.#store.commit({
        id: spec.id,
        op: spec.op,
        status: 'failed',
        error: { code: 'INTERNAL_ERROR', message: (err as Error).message ?? String(err) },
        finishedAt: new Date().toISOString(),
      });
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }

  async wait(id: string, timeoutMs: number): Promise<JobResult | undefined> {
    const running = this.#running.get(id);
    if (!running) return this.#store.get(id);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return await Promise.race([running, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  result(id: string): Promise<JobResult | undefined> {
    return this.#store.get(id);
  }

  async pending(id: string): Promise<boolean> {
    return this.#running.has(id);
  }

  async depth(): Promise<QueueDepth> {
    return { waiting: this.#running.size - this.#active, active: this.#active };
  }

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.allSettled([...this.#running.values()]);
    await this.#pool?.close();
  }
}
