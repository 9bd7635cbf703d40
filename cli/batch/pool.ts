/**
 * A fixed pool of worker threads running one command's task. Each input goes to the ready worker
 * with the fewest files in flight; results come back as promises. {@link WorkerPool.launch}
 * returns at once, so the caller can work while the workers load (a batch runs files in the
 * main thread meanwhile); {@link WorkerPool.start} waits until every worker is ready;
 * {@link WorkerPool.boot} starts the threads before the configuration is known (they load the
 * command's task module meanwhile; it first adopts any the built CLI's loader started, see
 * ./preboot.ts) and {@link WorkerPool.configure} hands it over. From the
 * sources (tsx), each worker first registers tsx; from the build, it loads dist/cli/worker.js directly.
 */
import { Worker } from 'node:worker_threads';
import { nameErrorClasses, ToolkitError } from '../../src/errors.ts';
import { adoptPrebooted } from './preboot.ts';
import type { BatchConfig, TaskInput, TaskResult, WorkerBoot } from './types.ts';

/** The worker's script: the bundle's worker.js beside aigc.js, or the TypeScript source through tsx. */
function workerScript(): { url: URL } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { url: new URL('../worker.js', here) }; // dist/cli/chunks/* -> dist/cli/worker.js
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = new URL('./worker.ts', here).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(boot)}`) };
}

/** A worker failed as a whole (its task could not be built, or it crashed). */
export class WorkerFailure extends ToolkitError {
  constructor(line: string) {
    super('EXTERNAL_TOOL', line.replace(/^aigc(?:: error|：错误) \[[A-Z_]+\](?:: |：)/, ''));
  }
}
nameErrorClasses({ WorkerFailure });

interface Slot {
  worker: Worker;
  ready: boolean;
  inflight: Map<number, { resolve: (r: TaskResult) => void; reject: (e: unknown) => void }>;
}

/** Worker threads for one batch. */
export class WorkerPool {
  private constructor(
    private readonly slots: Slot[],
    /** Settles when every worker has built its task; rejects with a {@link WorkerFailure} when one cannot. */
    readonly ready: Promise<void>,
  ) {}

  /**
   * Start `size` workers and wait until each has built its task.
   * @throws {WorkerFailure} when a worker cannot build its task.
   */
  static async start(size: number, config: BatchConfig): Promise<WorkerPool> {
    const pool = WorkerPool.launch(size, config);
    try {
      await pool.ready;
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /**
   * Start `size` workers without waiting: each takes files ({@link run}) once it has built its
   * task. A failure to start rejects {@link ready} (observe it, or the process reports it as unhandled).
   */
  static launch(size: number, config: BatchConfig): WorkerPool {
    const pool = WorkerPool.boot(size, { command: config.command, ...(config.lang ? { lang: config.lang } : {}) });
    pool.configure(config);
    return pool;
  }

  /**
   * Start `size` workers for `boot.command` before its configuration is known: each loads the
   * command's task module at once and builds its task when {@link configure} sends the
   * configuration. Files given to {@link run} before then wait in the first worker. {@link ready}
   * is observed here, so an unconfigured pool that is closed (a usage error) reports nothing.
   */
  static boot(size: number, boot: WorkerBoot): WorkerPool {
    const { url } = workerScript();
    const slots: Slot[] = [];
    const ready: Promise<void>[] = [];
    const prebooted = adoptPrebooted(boot.command, size); // started by the built CLI's loader (cli/batch/preboot.ts)
    for (let i = 0; i < size; i++) {
      const worker = prebooted[i] ?? new Worker(url, { workerData: boot, stdout: false, stderr: false });
      const slot: Slot = { worker, ready: false, inflight: new Map() };
      slots.push(slot);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const fail = (e: unknown): void => {
            const err = e instanceof ToolkitError ? e : new WorkerFailure(e instanceof Error ? e.message : String(e));
            reject(err);
            for (const p of slot.inflight.values()) p.reject(err);
            slot.inflight.clear();
          };
          worker.on('message', (m: TaskResult | { ready: true } | { fatal: string; seq?: number }) => {
            if ('ready' in m) {
              slot.ready = true;
              return resolve();
            }
            if ('fatal' in m) return fail(new WorkerFailure(m.fatal));
            const p = slot.inflight.get(m.seq);
            slot.inflight.delete(m.seq);
            p?.resolve(m);
          });
          worker.on('error', fail);
          worker.on('exit', (code) => {
            if (slot.inflight.size || code !== 0) fail(new WorkerFailure(`worker thread exited (${code})`));
          });
        }),
      );
    }
    const all = Promise.all(ready).then(() => undefined);
    all.catch(() => {}); // observed by whoever awaits `ready`; never an unhandled rejection
    return new WorkerPool(slots, all);
  }

  /** Send the configuration to every worker (once, after {@link boot}): each then builds its task and becomes ready. */
  configure(config: BatchConfig): void {
    for (const s of this.slots) s.worker.postMessage({ config });
  }

  /** Files in flight over all workers. */
  get inflight(): number {
    return this.slots.reduce((n, s) => n + s.inflight.size, 0);
  }

  /** The fewest files in flight on a ready worker; undefined while none is ready. */
  get idlest(): number | undefined {
    let min: number | undefined;
    for (const s of this.slots) if (s.ready && (min === undefined || s.inflight.size < min)) min = s.inflight.size;
    return min;
  }

  /**
   * Process one file on the least busy ready worker (the first worker when none is ready yet:
   * it takes the file once it is).
   */
  run(input: TaskInput): Promise<TaskResult> {
    let best: Slot | undefined;
    for (const s of this.slots) if (s.ready && (!best || s.inflight.size < best.inflight.size)) best = s;
    best ??= this.slots[0]!;
    return new Promise((resolve, reject) => {
      best!.inflight.set(input.seq, { resolve, reject });
      best!.worker.postMessage(input);
    });
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    await Promise.all(
      this.slots.map((s) => {
        s.worker.removeAllListeners('exit');
        return s.worker.terminate();
      }),
    );
  }
}
