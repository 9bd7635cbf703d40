/** `aigc serve`: the HTTP service (see src/server/). */
import { parse } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { buildConfig, loadConfig } from '../../src/server/config.ts';
import { createService } from '../../src/server/app.ts';

/** One-line description for `aigc --help`. */
export const summary = 'HTTP API: verify, inspect, decide, propagate, stamp';

/** Full usage text. */
export const usage = `Usage: aigc serve [--config FILE] [--host HOST] [--port PORT] [--queue redis://HOST:PORT] [--threads N]

Runs the HTTP service: POST /v1/verify, /v1/inspect, /v1/decide, /v1/propagate, /v1/stamp
(media as the raw body or a multipart "file" part), GET /v1/jobs/:id, /healthz, /readyz,
/metrics and the OpenAPI page at /docs. Without --queue, jobs run in this process; with it,
they go to BullMQ on Redis and 'aigc worker' processes run them.

  --config FILE   JSON configuration (port, limits, trust, signers, tokens, queue); see README
  --host HOST     listen address (default 127.0.0.1; $AIGC_HOST)
  --port PORT     listen port (default 8080; $AIGC_PORT)
  --queue URL     redis://HOST:PORT: enqueue jobs for workers ($AIGC_QUEUE)
  --threads N     verify threads for verify, inspect and decide without a queue (default: CPU
                  count - 1, at least 1; 0: on the HTTP thread; $AIGC_THREADS)

Stops gracefully on SIGTERM or SIGINT (requests in flight finish).
`;

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
