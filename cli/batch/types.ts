/** Shapes shared by the batch runner, its worker threads and the per-command tasks. */
import type { Lang } from '../../src/i18n/lang.ts';

/** How results are printed. */
export type OutputMode =
  /** one file, for a person: the command's full human output */
  | 'single'
  /** many files, for a person: one line per file (inspect: one tree per file) */
  | 'lines'
  /** one JSON object per line: path, verdict and the report (or `--fields`) */
  | 'jsonl'
  /** one file: the full JSON report, indented */
  | 'json';

/** The bar a file must meet for a batch to exit 0 (`--require`). */
export type RequireBar = 'trusted' | 'valid' | 'labelled';

/** Everything a task needs; structured-cloned into each worker thread. */
export interface BatchConfig {
  readonly command: string;
  readonly mode: OutputMode;
  readonly fields?: readonly string[];
  readonly require?: RequireBar;
  /** Command-specific options (verify: VerifyOptions; stamp: paths and label options). */
  readonly options: unknown;
  /** The language of human-facing output (`--lang`, else the environment's); default English. */
  readonly lang?: Lang;
}

/** One file to process. */
export interface TaskInput {
  readonly seq: number;
  readonly path: string;
  /** stamp: the output path (folder mode) */
  readonly out?: string;
}

/** A processed file: what to print, its verdict, whether it meets the bar, its single-file exit code. */
export interface TaskResult {
  readonly seq: number;
  readonly path: string;
  /** Text for standard output (with its final newline), possibly empty. */
  readonly stdout: string;
  /** One error line for standard error, possibly empty. */
  readonly stderr: string;
  readonly verdict: string;
  readonly pass: boolean;
  readonly exit: number;
  /** stamp: the file written (and its sidecar manifest store), for `--record`. */
  readonly output?: string;
  readonly sidecar?: string;
}

/** A task: process one file. Never throws; a failure is a result with verdict `Error`. */
export type Task = (input: TaskInput) => Promise<TaskResult>;

/** What a task module exports. */
export interface TaskModule {
  createTask(config: BatchConfig): Promise<Task>;
}

/** What a worker thread is started with: the command whose task module it loads at once (its {@link BatchConfig} follows in a `{ config }` message). */
export interface WorkerBoot {
  readonly command: string;
  /** The language of its error lines. */
  readonly lang?: Lang;
}
