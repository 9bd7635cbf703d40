/** `aigc serve`: the HTTP service (see src/server/). */
import { parse } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { buildConfig, loadConfig } from '../../src/server/config.ts';
import { createService } from '../../src/server/app.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'HTTP API: verify, inspect, decide, propagate, stamp';

/** Full usage text. */
export const usage = usageText('serve');

/** Run `aigc serve` until SIGTERM/SIGINT. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      queue: { type: 'string' },
      threads: { type: 'string' },
    },
    usage,
  );
  const env = {
    ...process.env,
    ...(values.host ? { AIGC_HOST: values.host } : {}),
    ...(values.port ? { AIGC_PORT: values.port } : {}),
    ...(values.queue ? { AIGC_QUEUE: values.queue } : {}),
    ...(values.threads ? { AIGC_THREADS: values.threads } : {}),
  };
  const config = values.config ? loadConfig(values.config, env) : buildConfig({}, process.cwd(), env);
  const service = await createService(config);
  const address = await service.listen();
  service.app.log.info({ address, runner: service.state.runner.kind, spool: config.spool }, 'aigc serve listening');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  service.app.log.info('shutting down');
  await service.close();
  return EXIT.OK;
}
