/** `aigc worker`: a BullMQ worker for `aigc serve --queue` (see src/server/worker.ts). */
import { parse } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { buildConfig, loadConfig } from '../../src/server/config.ts';
import { startWorker } from '../../src/server/worker.ts';
import { tuneWorkerProcess } from '../../src/server/heap-tuning.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'process queued jobs of `aigc serve --queue`';

/** Full usage text. */
export const usage = usageText('worker');

/** pino's numeric levels (the service's log lines use them too); `silent` writes no job lines. */
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY } as const;

/** Run `aigc worker` until SIGTERM/SIGINT. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { config: { type: 'string' }, queue: { type: 'string' }, concurrency: { type: 'string' } }, usage);
  const env = {
    ...process.env,
    ...(values.queue ? { AIGC_QUEUE: values.queue } : {}),
    ...(values.concurrency ? { AIGC_CONCURRENCY: values.concurrency } : {}),
  };
  tuneWorkerProcess(); // a heap that verifies files (src/server/heap-tuning.ts)
  const config = values.config ? loadConfig(values.config, env) : buildConfig({}, process.cwd(), env);
  const log = (o: Record<string, unknown>): void => {
    process.stdout.write(`${JSON.stringify({ time: Date.now(), pid: process.pid, ...o })}\n`);
  };
  // Per-job lines follow `logLevel` as the service's do (a line per job at `info`, none at `warn`);
  // the worker's own start and stop lines are always written.
  const least = LEVELS[config.logLevel];
  const worker = await startWorker(config, (e) => {
    if (LEVELS[e.level] >= least) log({ ...e, level: LEVELS[e.level] });
  });
  log({ msg: 'aigc worker ready', queue: config.queue?.url, concurrency: config.limits.concurrency });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log({ msg: 'finishing jobs in hand (send the signal again to stop at once)' });
  const force = (): void => {
    log({ msg: 'stopped at once; jobs in hand go back to the queue when their locks expire' });
    process.exit(EXIT.SOFTWARE);
  };
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  await worker.close();
  log({ msg: 'stopped', processed: worker.processed() });
  return EXIT.OK;
}
