/**
 * Where finished jobs' results live for the configured time. `commit` is the one point
 * where a job becomes done: the first result committed for an id wins and every later
 * commit for that id gets the winner back (in memory for the embedded runner; Redis
 * `SET NX` for workers, shared by every machine).
 */
import type { Redis } from 'ioredis';
import type { JobResult } from './job-spec.ts';

/** Results of finished jobs. */
export interface ResultStore {
  /** The committed result of `id`, if any and not expired. */
  get(id: string): Promise<JobResult | undefined>;
  /** Commit `result` unless one is already committed for its id; returns the committed one. */
  commit(result: JobResult): Promise<JobResult>;
}

/** In-process results with a time to live, at most `maxEntries` of them (the oldest go first). */
export class MemoryResultStore implements ResultStore {
  /** In commit order, which is also expiry order (one time to live for all). */
  readonly #results = new Map<string, { result: JobResult; expires: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  /** @param ttlSeconds how long a result is kept; @param maxEntries how many are kept at most. */
  constructor(ttlSeconds: number, maxEntries = Number.POSITIVE_INFINITY) {
    this.#ttlMs = ttlSeconds * 1000;
    this.#maxEntries = Math.max(1, maxEntries);
  }

  /** Results held now (expired ones until the next sweep included). */
  get size(): number {
    return this.#results.size;
  }

  /** @inheritdoc */
  async get(id: string): Promise<JobResult | undefined> {
    const e = this.#results.get(id);
    if (!e) return undefined;
    if (e.expires < Date.now()) {
      this.#results.delete(id);
      return undefined;
    }
    return e.result;
  }

  /** @inheritdoc */
  async commit(result: JobResult): Promise<JobResult> {
    const existing = await this.get(result.id);
    if (existing) return existing;
    this.#results.set(result.id, { result, expires: Date.now() + this.#ttlMs });
    for (const id of this.#results.keys()) {
      if (this.#results.size <= this.#maxEntries) break;
      this.#results.delete(id); // the oldest: a later GET /v1/jobs/:id finds nothing, as after its expiry
    }
    return result;
  }

  /** Drop expired results (called periodically). */
  sweep(now = Date.now()): void {
    for (const [id, e] of this.#results) if (e.expires < now) this.#results.delete(id);
  }
}

/** Results in Redis, shared by the service and every worker. */
export class RedisResultStore implements ResultStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlSeconds: number;

  /** @param prefix key prefix (the queue name); @param ttlSeconds how long a result is kept. */
  constructor(redis: Redis, prefix: string, ttlSeconds: number) {
    this.#redis = redis;
    this.#prefix = `${prefix}:result:`;
    this.#ttlSeconds = ttlSeconds;
  }

  /** @inheritdoc */
  async get(id: string): Promise<JobResult | undefined> {
    const v = await this.#redis.get(this.#prefix + id);
    return v ? (JSON.parse(v) as JobResult) : undefined;
  }

  /** @inheritdoc */
  async commit(result: JobResult): Promise<JobResult> {
    const ok = await this.#redis.set(this.#prefix + result.id, JSON.stringify(result), 'EX', this.#ttlSeconds, 'NX');
    if (ok === 'OK') return result;
    return (await this.get(result.id)) ?? result;
  }
}
