/**
 * Run one command over many files: stream the list, process each file in the main thread and,
 * with `--jobs N` > 1, on N − 1 worker threads beside it (the main thread is one of the N lanes:
 * it only prints otherwise, and it starts at once while the workers load), print each result as
 * it comes (or in input order with `--ordered`), then the summary. The workers are kept full
 * (4 files each); this thread takes one file at a time when they are, and lets the event loop
 * turn between its files so their results are taken and they are refilled. Memory is bounded: at
 * most `jobs × 4` files are in flight or waiting to be printed, and output waits for standard output to drain.
 */
import { InvalidArgumentError, IoError } from '../../src/errors.ts';
import { EXIT, errorLine } from '../exit-codes.ts';
import { t, type Lang } from '../../src/i18n/lang.ts';
import { cliLang, verdictWord } from '../lang.ts';
import { BlockWriter } from './block-writer.ts';
import { listInputs, type InputEntry, type ListOptions } from './inputs.ts';
import type { WorkerPool } from './pool.ts';
import { defaultJobs, startProgress } from './progress.ts';
import { TASKS } from './tasks.ts';
import { tuneForBatch } from './v8-tuning.ts';
import type { BatchConfig, RequireBar, Task, TaskInput, TaskResult } from './types.ts';

/** Files in flight (or awaiting their turn with --ordered) per worker. */
export const INFLIGHT_PER_JOB = 4;

/** A batch to run. */
export interface BatchRun {
  readonly config: BatchConfig;
  readonly args: readonly string[];
  readonly list: ListOptions;
  readonly jobs?: number;
  readonly ordered: boolean;
  readonly quiet: boolean;
  /** Map a listed file to its output path (stamp into a folder). */
  readonly outputFor?: (entry: InputEntry) => string;
  /** Run in the main thread on each result before it is printed (`--record`). */
  readonly after?: (r: TaskResult) => Promise<TaskResult>;
  /**
   * Worker threads already started for this batch ({@link WorkerPool.boot}, configured; `jobs − 1`
   * of them); closed with the batch. Without it, the batch launches its own when `jobs` > 1.
   */
  readonly pool?: WorkerPool;
}

/** Parse `--require`. @throws {InvalidArgumentError} for another value. */
export function parseRequire(value: string | undefined): RequireBar | undefined {
  if (value === undefined) return undefined;
  if (value === 'trusted' || value === 'valid' || value === 'labelled') return value;
  throw InvalidArgumentError.expected('trusted, valid or labelled', '--require', value);
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> | undefined {
  if (!text) return undefined;
  return stream.write(text) ? undefined : new Promise((resolve) => stream.once('drain', resolve));
}

/** The summary table: count per verdict, total, elapsed time and files/s. */
export function summaryTable(counts: ReadonlyMap<string, number>, total: number, seconds: number, lang: Lang = cliLang()): string {
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([v, n]) => `  ${verdictWord(v, lang).padEnd(12)} ${String(n).padStart(8)}`);
  const rate = t(lang, 'batch.rate', { seconds: seconds.toFixed(2), rate: Math.round(total / Math.max(seconds, 1e-6)) });
  return `${t(lang, 'batch.summary')}\n${rows.join('\n')}\n  ${t(lang, 'batch.total').padEnd(12)} ${String(total).padStart(8)}  ${rate}\n`;
}

/**
 * Run the batch; returns the exit code: 0 when every file met the bar, 1 otherwise, 66 when
 * no file was found.
 * @throws {WorkerFailure} when a worker thread cannot start its task or fails; {@link LimitExceededError} for too deep folders.
 */
export async function runBatch(b: BatchRun): Promise<number> {
  const started = Date.now();
  tuneForBatch();
  const jobs = Math.max(1, b.jobs ?? defaultJobs());
  const pool: WorkerPool | undefined = b.pool ?? (jobs > 1 ? (await import('./pool.ts')).WorkerPool.launch(jobs - 1, b.config) : undefined);
  let local: Task;
  try {
    local = await (await TASKS[b.config.command]!()).createTask(b.config);
  } catch (err) {
    await pool?.close();
    throw err;
  }
  let fatal: unknown;
  let wake: (() => void) | undefined;
  // Workers that cannot start leave the files to this thread (one warning); a worker failing with
  // files in flight is fatal below.
  pool?.ready.catch((err: unknown) => {
    process.stderr.write(
      `${t(cliLang(), 'err.warning', { message: `worker threads unavailable, continuing in one thread: ${err instanceof Error ? err.message : String(err)}` })}\n`,
    );
  });
  const progress = await startProgress(b.quiet || b.config.mode === 'single' || b.config.mode === 'json');
  const window = jobs * INFLIGHT_PER_JOB;
  const counts = new Map<string, number>();
  const waiting = new Map<number, TaskResult>();
  let next = 0;
  let open = 0;
  /** Whether this thread has a file (it takes one at a time). */
  let localBusy = false;
  let total = 0;
  let failed = 0;
  const out = new BlockWriter(process.stdout);
  let errDrain: Promise<void> | undefined;
  /** Standard output (or error) is full: wait for it before taking more files. */
  const full = (): Promise<void> | undefined => out.waiting ?? errDrain;

  const emit = (r: TaskResult): void => {
    counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
    if (!r.pass) failed++;
    out.push(r.stdout);
    const e = write(process.stderr, r.stderr);
    if (e)
      errDrain = e.then(() => {
        errDrain = undefined;
      });
    progress.done();
  };
  const settle = (r: TaskResult): void => {
    if (!b.ordered) {
      emit(r);
      open--;
    } else {
      waiting.set(r.seq, r);
      for (let w = waiting.get(next); w; w = waiting.get(next)) {
        waiting.delete(next);
        next++;
        emit(w);
        open--;
      }
    }
    wake?.();
  };
  const crash = (seq: number, path: string, err: unknown): TaskResult => ({
    seq,
    path,
    verdict: 'Failed',
    pass: false,
    exit: EXIT.SOFTWARE,
    stdout: '',
    stderr: `${errorLine(err)} (${path})\n`,
  });
  try {
    for await (const entry of listInputs(b.args, b.list)) {
      // Wait for room (the window) and a lane: a ready worker with fewer than 4 files, else this
      // thread when it has none. Workers first: a task hardly yields (verify reads and parses a
      // file in one go), so while this thread runs one, the workers' results wait.
      let onWorker: boolean;
      for (;;) {
        if (fatal) throw fatal;
        const drain = full();
        if (drain) await drain;
        else {
          const idlest = open < window ? pool?.idlest : undefined;
          onWorker = idlest !== undefined && idlest < INFLIGHT_PER_JOB;
          if (onWorker || (open < window && !localBusy)) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      }
      const input: TaskInput = { seq: total++, path: entry.path, ...(b.outputFor ? { out: b.outputFor(entry) } : {}) };
      open++;
      progress.found();
      let run: Promise<TaskResult>;
      if (onWorker) run = pool!.run(input);
      else {
        // After a turn of the event loop, so the workers' results are taken (and they are refilled) first.
        localBusy = true;
        run = new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => local(input))
          .finally(() => {
            localBusy = false;
          });
      }
      const p = b.after ? run.then(b.after) : run;
      p.then(settle, (err: unknown) => {
        if (onWorker) fatal ??= err;
        settle(crash(input.seq, input.path, err));
      });
    }
    progress.listed();
    while (open > 0)
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    if (fatal) throw fatal;
    await out.flush();
    if (errDrain) await errDrain;
  } finally {
    void out.flush(); // what was printed before a failure
    progress.stop();
    await pool?.close();
  }
  if (total === 0) {
    process.stderr.write(
      `${errorLine(new IoError(`no input files found in ${b.args.join(' ')}`, undefined, { detail: { key: 'err.noInputFound', params: { args: b.args.join(' ') } } }))}\n`,
    );
    return EXIT.NO_INPUT;
  }
  const seconds = (Date.now() - started) / 1000;
  if (b.config.mode === 'lines') await write(process.stdout, summaryTable(counts, total, seconds));
  else if (!b.quiet && process.stderr.isTTY) await write(process.stderr, summaryTable(counts, total, seconds));
  return failed ? EXIT.INVALID : EXIT.OK;
}

/**
 * Run one file in this thread (no worker start-up): the command's single-file output and exit code.
 * With `--require`, the exit code is 0 when the file meets the bar, else 1.
 */
export async function runSingle(
  config: BatchConfig,
  file: string,
  out?: string,
  after?: (r: TaskResult) => Promise<TaskResult>,
): Promise<number> {
  const task = await (await TASKS[config.command]!()).createTask(config);
  const done = await task({ seq: 0, path: file, ...(out ? { out } : {}) });
  const r = after ? await after(done) : done;
  await write(process.stdout, r.stdout);
  await write(process.stderr, r.stderr);
  if (config.require) return r.pass ? EXIT.OK : EXIT.INVALID;
  return r.exit;
}
