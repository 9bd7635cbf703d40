/**
 * The verify threads of `aigc serve` (embedded mode): a fixed pool of worker threads that run the
 * read jobs (verify, inspect, decide), so the main thread only receives uploads and answers
 * requests while the verifications run on the other cores. Each job goes to the ready thread with
 * the fewest jobs in flight; the threads start with the first job. A thread that dies (a crash, an out-of-memory abort) is replaced, and
 * its jobs in flight run again on another thread; a job that was on a thread dying twice fails with
 * {@link VerifyThreadError} (the runner records it as `INTERNAL_ERROR`), so one poisonous file
 * cannot take the pool down. From the sources (tsx) each thread first registers tsx; from the
 * build it loads `job-thread.js` (beside this module, or beside the CLI bundle's chunks).
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { nameErrorClasses, ToolkitError } from '../errors.ts';
import type { TrustOptions } from '../verify/engine/trust-options.ts';
import type { JobResult, JobSpec } from './job-spec.ts';
import { tuneThreadHeaps } from './heap-tuning.ts';

/** What every thread is started with. */
export interface ThreadData {
  /** The spool's `in/` folder. */
  readonly inDir: string;
  readonly trust?: TrustOptions;
}

/** A job sent to a thread. */
export interface JobRequest {
  readonly seq: number;
  readonly spec: JobSpec;
}

type ThreadMessage =
  | { ready: true }
  | { seq: number; meta: Omit<JobResult, 'result'>; body?: string; verdict: string }
  | { seq: number; crash: string };

/** How many times a job is started on a thread before a thread dying under it fails it. */
export const MAX_JOB_TRIES = 2;
/** How long {@link JobPool.close} lets starting threads finish their start. */
const START_WAIT_MS = 15_000;
/** Threads that may die before ever becoming ready, in a row, before the pool gives up. */
const MAX_START_FAILURES = 3;

/** A verify thread failed a job: it threw something that is not a ToolkitError, or died under it twice. */
export class VerifyThreadError extends ToolkitError {
  constructor(message: string) {
    super('EXTERNAL_TOOL', message);
  }
}
nameErrorClasses({ VerifyThreadError });

/** What a thread sent with a result: its body's JSON text (sent as is by the routes) and its verdict. */
const FROM_THREAD = new WeakMap<JobResult, { readonly text: string; readonly verdict: string }>();

/** The JSON text of `result`'s body when a verify thread serialized it, else undefined. */
export function serializedBody(result: JobResult): string | undefined {
  return FROM_THREAD.get(result)?.text;
}

/** The verdict label (metrics) a verify thread gave `result`, else undefined. */
export function threadVerdict(result: JobResult): string | undefined {
  return FROM_THREAD.get(result)?.verdict;
}

/**
 * The result a thread answered: its body is parsed from the JSON text only when something reads
 * it (`GET /v1/jobs/:id`); the route answering the request sends the text as is.
 */
function resultFromThread(meta: Omit<JobResult, 'result'>, text: string, verdict: string): JobResult {
  let parsed: unknown;
  const result = { ...meta } as JobResult;
  Object.defineProperty(result, 'result', {
    enumerable: true,
    get: () => {
      parsed ??= JSON.parse(text);
      return parsed;
    },
  });
  FROM_THREAD.set(result, { text, verdict });
  return result;
}

function threadScript(): URL {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    // dist/src/server/job-pool.js -> ./job-thread.js; the CLI bundle's dist/cli/chunks/* -> ../job-thread.js
    const near = [new URL('./job-thread.js', here), new URL('../job-thread.js', here)];
    return near.find((u) => existsSync(u)) ?? near[0]!;
  }
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = new URL('./job-thread.ts', here).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

interface Pending {
  readonly spec: JobSpec;
  tries: number;
  readonly resolve: (r: JobResult) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  readonly inflight: Map<number, Pending>;
}

/** A pool of verify threads. */
export class JobPool {
  readonly #data: ThreadData;
  readonly #script = threadScript();
  readonly #slots: Slot[] = [];
  #seq = 0;
  #closing = false;
  #startFailures = 0;
  #completed = 0;
  #restarts = 0;
  #broken: string | undefined;
  readonly #size: number;
  #started = false;

  /** A pool of `size` threads, started by {@link start} (or the first {@link whenReady}). */
  constructor(size: number, data: ThreadData) {
    this.#data = data;
    this.#size = size;
  }

  /** Start the threads, once (not waiting for them: jobs sent meanwhile wait in their queues). */
  start(): void {
    if (this.#started || this.#closing) return;
    this.#started = true;
    tuneThreadHeaps(); // before the threads' isolates exist (heap-tuning.ts)
    for (let i = 0; i < this.#size; i++) this.#slots.push(this.#spawn());
  }

  /** Threads in the pool. */
  get size(): number {
    return this.#slots.length;
  }

  /** Threads ready to take jobs. */
  get readyCount(): number {
    return this.#slots.filter((s) => s.ready).length;
  }

  /** Whether a thread is ready to take jobs (until then the runner runs them itself). */
  get ready(): boolean {
    return this.#slots.some((s) => s.ready);
  }

  /** Start the threads if need be; resolves when every one is ready (or the pool gave up, see {@link broken}). */
  async whenReady(): Promise<void> {
    this.start();
    while (!this.#closing && !this.#broken && this.#slots.some((s) => !s.ready)) await new Promise((r) => setTimeout(r, 20));
  }

  /** Why the pool stopped starting threads (they died before becoming ready), if it did. */
  get broken(): string | undefined {
    return this.#broken;
  }

  /** Jobs the threads have answered. */
  get completed(): number {
    return this.#completed;
  }

  /** Threads that died and were replaced. */
  get restarts(): number {
    return this.#restarts;
  }

  /** The threads (monitoring and tests). */
  threads(): readonly Worker[] {
    return this.#slots.map((s) => s.worker);
  }

  /**
   * Run a read job on the least busy thread; the thread removes the job's upload once it has the result.
   * @throws {VerifyThreadError} when the job's code failed with something other than a ToolkitError,
   * when threads died under it {@link MAX_JOB_TRIES} times, or when the pool is closed or broken.
   */
  run(spec: JobSpec): Promise<JobResult> {
    return new Promise((resolve, reject) => this.#dispatch({ spec, tries: 0, resolve, reject }));
  }

  #dispatch(p: Pending): void {
    this.start();
    if (this.#closing || this.#broken || !this.#slots.length) {
      p.reject(new VerifyThreadError(this.#broken ?? 'the verify threads are shut down'));
      return;
    }
    let best: Slot | undefined;
    for (const s of this.#slots) if (s.ready && (!best || s.inflight.size < best.inflight.size)) best = s;
    best ??= this.#slots.reduce((a, b) => (b.inflight.size < a.inflight.size ? b : a));
    p.tries++;
    const seq = ++this.#seq;
    best.inflight.set(seq, p);
    best.worker.postMessage({ seq, spec: p.spec } satisfies JobRequest);
  }

  #spawn(): Slot {
    const worker = new Worker(this.#script, { workerData: this.#data });
    const slot: Slot = { worker, ready: false, inflight: new Map() };
    worker.on('message', (m: ThreadMessage) => {
      if ('ready' in m) {
        slot.ready = true;
        this.#startFailures = 0;
        return;
      }
      const p = slot.inflight.get(m.seq);
      if (!p) return;
      slot.inflight.delete(m.seq);
      this.#completed++;
      if ('crash' in m) return p.reject(new VerifyThreadError(m.crash));
      if (m.body === undefined) return p.resolve(m.meta as JobResult);
      p.resolve(resultFromThread(m.meta, m.body, m.verdict));
    });
    let gone = false;
    const lost = (why: string): void => {
      if (gone) return;
      gone = true;
      const i = this.#slots.indexOf(slot);
      if (i >= 0) this.#slots.splice(i, 1);
      if (!this.#closing) {
        if (!slot.ready && ++this.#startFailures >= MAX_START_FAILURES) this.#broken = `the verify threads cannot start: ${why}`;
        else {
          this.#restarts++;
          this.#slots.push(this.#spawn());
        }
      }
      for (const p of slot.inflight.values()) {
        if (p.tries >= MAX_JOB_TRIES || this.#closing || this.#broken)
          p.reject(new VerifyThreadError(`the verify thread stopped while running this job (${why})`));
        else this.#dispatch(p);
      }
      slot.inflight.clear();
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    return slot;
  }

  /**
   * Stop every thread (jobs still in flight fail with {@link VerifyThreadError}). Threads still
   * starting are let finish their start first (at most {@link START_WAIT_MS}): a thread stopped
   * while a module loader hook (tsx, from the sources) holds it can hang the stop.
   */
  async close(): Promise<void> {
    if (this.#started) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.whenReady(), new Promise<void>((r) => (timer = setTimeout(r, START_WAIT_MS)))]);
      clearTimeout(timer);
    }
    this.#closing = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
