/**
 * `aigc verify FILE|DIR|-...` — validate files' C2PA manifests and GB 45438 labels; print a
 * short summary, one line per file, or JSON (Lines); the exit code says what was found (see `usage`).
 */
import { parse } from '../args.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import type { VerifyOptions } from '../../src/service/verify.ts';
import type { TrustOptions } from '../../src/verify/engine/trust-options.ts';
import { TRUST_FLAGS, type TrustFlagValues, trustFromFlags } from './common.ts';
import { BATCH_OPTIONS, batchFlags } from '../batch/options.ts';
import { runBatch, runSingle } from '../batch/run.ts';
import { defaultJobs } from '../batch/progress.ts';
import { tuneForBatch } from '../batch/v8-tuning.ts';
import type { BatchConfig } from '../batch/types.ts';
import { cliLang } from '../lang.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'validate manifests, signatures, chains and labels';

/** Options shared by `verify` and `inspect`. */
export const TRUST_OPTIONS = {
  ...TRUST_FLAGS,
  fragment: { type: 'string', multiple: true },
  at: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Full usage text. */
export const usage = usageText('verify');

/**
 * Build `verify` options from parsed CLI values (see `trustFromFlags` in `common.ts`).
 * @throws {InvalidArgumentError} for an unreadable or unusable trust file or a bad date.
 */
export async function optionsFrom(
  values: TrustFlagValues & { at?: string; fragment?: string[] },
  text: string = usage,
): Promise<VerifyOptions> {
  const trust = await trustFromFlags(values, text);
  const out: { trust: TrustOptions; at?: Date; fragments?: string[] } = { trust };
  if (values.fragment?.length) out.fragments = values.fragment;
  if (values.at !== undefined) {
    const at = new Date(values.at);
    if (!Number.isFinite(at.getTime())) throw InvalidArgumentError.expected('an ISO 8601 date', '--at', values.at);
    out.at = at;
  }
  return out;
}

/** The single-file exit code of a report (see `usage`). */
export { exitCodeOf, verdictOf } from '../batch/verdict.ts';

/**
 * Run `verify` or `inspect` over one file or many (see `usage` and cli/batch/).
 * @throws {InvalidArgumentError} for usage errors; as `runBatch` otherwise.
 */
export async function runVerifyLike(
  command: 'verify' | 'inspect',
  argv: string[],
  single?: {
    options: Record<string, { type: 'string' | 'boolean' }>;
    run: (file: string, values: Record<string, unknown>) => Promise<number> | undefined;
  },
): Promise<number> {
  const { values, positionals } = parse(argv, { ...TRUST_OPTIONS, ...BATCH_OPTIONS, ...single?.options });
  const flags = batchFlags(values, positionals);
  const own = single ? Object.keys(single.options).filter((k) => (values as Record<string, unknown>)[k] !== undefined) : [];
  if (own.length) {
    if (!flags.single)
      throw new InvalidArgumentError(`--${own[0]} takes one FILE`, { detail: { key: 'err.oneFile', params: { option: `--${own[0]}` } } });
    const done = single!.run(positionals[0]!, values as Record<string, unknown>);
    if (done) return done;
  }
  // A batch starts its worker threads now, so they load the verifier while this thread does
  // (this module loads without it) and reads the trust flags.
  const jobs = flags.jobs ?? defaultJobs();
  if (!flags.single) tuneForBatch(); // before the verifier loads (cli/batch/v8-tuning.ts)
  const pool =
    !flags.single && jobs > 1 ? (await import('../batch/pool.ts')).WorkerPool.boot(jobs - 1, { command, lang: cliLang() }) : undefined;
  let options: VerifyOptions;
  try {
    options = await optionsFrom(values);
  } catch (err) {
    await pool?.close();
    throw err;
  }
  const config: BatchConfig = {
    command,
    mode: flags.mode,
    options,
    lang: cliLang(),
    ...(flags.fields ? { fields: flags.fields } : {}),
    ...(flags.require ? { require: flags.require } : {}),
  };
  if (flags.single) return runSingle(config, positionals[0]!);
  pool?.configure(config);
  return runBatch({
    config,
    args: positionals,
    list: flags.list,
    ordered: flags.ordered,
    quiet: flags.quiet,
    jobs,
    ...(pool ? { pool } : {}),
  });
}

/** Run `aigc verify`. */
export async function run(argv: string[]): Promise<number> {
  return runVerifyLike('verify', argv);
}
