/**
 * Batch worker threads started by the built CLI's loader (cli/main-loader.ts) before the CLI
 * bundle itself loads. A worker thread needs about 80 ms to boot (Node's own modules, the worker
 * bundle from its code cache, the task module) and the main thread about as long to load the CLI
 * and reach its batch; started from the batch (cli/commands/verify.ts), a worker took its first
 * file some 130 ms after the main thread had taken its own, on a run of about one second.
 * Started here, the two boots overlap on the two cores.
 *
 * The loader cannot parse the command line as the CLI does, so it guesses, and only from what
 * is cheap and certain to mean a batch of `verify` or `inspect` with more than one thread: a
 * folder (or `-`, a list on standard input) among the arguments, and no `--jobs 1`, `--help` or
 * `--version`. The CLI then adopts the threads ({@link adoptPrebooted}, from `WorkerPool.boot`)
 * or the loader drops them ({@link dropPrebooted}); until adopted they are unreferenced, so they
 * never keep the process alive, and a thread that failed meanwhile is not adopted.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { defaultJobs } from './progress.ts';

/** Where the loader leaves the threads for the CLI bundle (a separate module instance). */
const KEY = Symbol.for('aigc.batch.prebooted');

interface Prebooted {
  readonly command: string;
  readonly workers: { readonly worker: Worker; failed: boolean }[];
}

/** Commands whose batch the loader may start threads for. */
const COMMANDS = new Set(['verify', 'inspect']);
/** Options whose value may be a folder that is not an input (`inspect --extract DIR`). */
const FOLDER_VALUED = new Set(['--extract', '--certs', '--out', '-o']);

/** The value of `--jobs N`, `--jobs=N`, `-j N` or `-jN` (the last one wins), if any. */
function jobsOf(args: readonly string[]): number | undefined {
  let jobs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = a === '--jobs' || a === '-j' ? args[i + 1] : a.startsWith('--jobs=') ? a.slice(7) : /^-j\d/.test(a) ? a.slice(2) : undefined;
    if (v !== undefined) jobs = /^\d+$/.test(v) ? Number(v) : Number.NaN;
  }
  return jobs;
}

/**
 * The command and the number of worker threads to start when `args` (the arguments after
 * `aigc`) surely run a batch of `verify` or `inspect` with worker threads; else undefined.
 */
export function batchThreadsFor(args: readonly string[]): { command: string; threads: number } | undefined {
  const command = args[0];
  if (!command || !COMMANDS.has(command)) return undefined;
  const rest = args.slice(1);
  const end = rest.indexOf('--');
  const opts = end < 0 ? rest : rest.slice(0, end);
  if (opts.some((a) => a === '--help' || a === '-h' || a === '--version')) return undefined;
  const jobs = jobsOf(opts) ?? defaultJobs(); // the batch's own default
  if (!Number.isInteger(jobs) || jobs < 2) return undefined;
  const batch = rest.some((a, i) => {
    const beforeEnd = end < 0 || i < end;
    if (a === '-' && beforeEnd) return true;
    if (a.startsWith('-') && beforeEnd) return false;
    if (i > 0 && FOLDER_VALUED.has(rest[i - 1]!)) return false;
    try {
      return statSync(a).isDirectory();
    } catch {
      return false;
    }
  });
  return batch ? { command, threads: Math.min(jobs, 256) - 1 } : undefined;
}

/** Start the worker threads of the batch `args` would run, if it surely runs one (see the module comment). */
export function prebootBatch(args: readonly string[], workerUrl: URL): void {
  const plan = batchThreadsFor(args);
  if (!plan) return;
  const workers: Prebooted['workers'] = [];
  for (let i = 0; i < plan.threads; i++) {
    const worker = new Worker(workerUrl, { workerData: { command: plan.command }, stdout: false, stderr: false });
    const entry = { worker, failed: false };
    const failed = (): void => {
      entry.failed = true;
    };
    worker.on('error', failed).on('exit', failed);
    worker.unref();
    workers.push(entry);
  }
  (globalThis as Record<symbol, unknown>)[KEY] = { command: plan.command, workers } satisfies Prebooted;
}

/**
 * Take up to `count` threads started by {@link prebootBatch} for `command` (referenced again, with
 * the loader's listeners removed); any others are terminated. Empty when none were started.
 */
export function adoptPrebooted(command: string, count: number): Worker[] {
  const g = globalThis as Record<symbol, unknown>;
  const pre = g[KEY] as Prebooted | undefined;
  if (!pre) return [];
  delete g[KEY];
  const usable = pre.command === command ? pre.workers.filter((w) => !w.failed).slice(0, count) : [];
  for (const w of pre.workers) {
    if (!usable.includes(w)) {
      void w.worker.terminate(); // its listeners stay: a late 'error' is not unhandled
      continue;
    }
    w.worker.removeAllListeners('error').removeAllListeners('exit');
    w.worker.ref();
  }
  return usable.map((w) => w.worker);
}

/** Terminate threads started by {@link prebootBatch} that the CLI did not adopt (a single file, a usage error). */
export function dropPrebooted(): void {
  adoptPrebooted('', 0);
}
