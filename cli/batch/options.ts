/** The options every batch-capable command shares (`-r`, `--include`, `--jsonl`, `--jobs`, ...). */
import { said } from '../../src/errors.ts';
import { statSync } from 'node:fs';
import { InvalidArgumentError } from '../../src/errors.ts';
import { integer, usageError } from '../args.ts';
import { parseFields } from './fields.ts';
import { globToRegExp, type ListOptions } from './inputs.ts';
import { parseRequire } from './run.ts';
import type { OutputMode, RequireBar } from './types.ts';

/** parseArgs options of batch mode. */
export const BATCH_OPTIONS = {
  recursive: { type: 'boolean', short: 'r' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  jsonl: { type: 'boolean' },
  fields: { type: 'string' },
  require: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  ordered: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** Parsed batch options. */
export interface BatchFlags {
  readonly list: ListOptions;
  readonly jobs?: number;
  readonly ordered: boolean;
  readonly quiet: boolean;
  readonly fields?: string[];
  readonly require?: RequireBar;
  /** One named regular file (or not-a-folder path) and no --jsonl: the command's single-file output and exit codes. */
  readonly single: boolean;
  readonly mode: OutputMode;
}

type Values = {
  recursive?: boolean;
  include?: string[];
  exclude?: string[];
  jsonl?: boolean;
  fields?: string;
  require?: string;
  jobs?: string;
  ordered?: boolean;
  quiet?: boolean;
  json?: boolean;
};

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Read the batch flags and decide between single-file and batch mode.
 * @throws {InvalidArgumentError} for no input, a bad --jobs/--require/--fields, or --fields without --jsonl.
 */
export function batchFlags(values: Values, positionals: string[], noun = 'FILE'): BatchFlags {
  if (!positionals.length)
    throw new InvalidArgumentError(`expected at least one ${noun}, folder or - (standard input)`, {
      detail: { key: 'err.noInputs', params: { noun } },
    });
  const fields = parseFields(values.fields);
  if (fields && !values.jsonl)
    throw new InvalidArgumentError('--fields needs --jsonl', { detail: { key: 'err.fieldsNeedJsonl', params: {} } });
  if (positionals.filter((p) => p === '-').length > 1) throw usageError(said('err.cli.stdinTwice', "'-' (standard input) given twice"));
  const jobs = integer(values.jobs, '--jobs', 1, 256);
  const require = parseRequire(values.require);
  const single = positionals.length === 1 && positionals[0] !== '-' && !values.jsonl && !isFolder(positionals[0]!);
  const mode: OutputMode = values.jsonl || (!single && values.json) ? 'jsonl' : single ? (values.json ? 'json' : 'single') : 'lines';
  return {
    list: {
      recursive: values.recursive === true,
      include: (values.include ?? []).map(globToRegExp),
      exclude: (values.exclude ?? []).map(globToRegExp),
    },
    ...(jobs !== undefined ? { jobs } : {}),
    ordered: values.ordered === true,
    quiet: values.quiet === true,
    ...(fields ? { fields } : {}),
    ...(require ? { require } : {}),
    single,
    mode,
  };
}
