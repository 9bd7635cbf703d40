/**
 * `GET /healthz` (the process is up), `GET /readyz` (the runner's backend answers and the
 * service is not saturated) and `GET /metrics` (Prometheus text).
 */
import type { FastifyInstance } from 'fastify';
import { EmbeddedRunner } from '../embedded-runner.ts';
import { spoolCounts } from '../spool.ts';
import type { ServiceState } from '../state.ts';

/** Register the health and metrics routes. */
export async function healthRoutes(app: FastifyInstance, state: ServiceState): Promise<void> {
  app.get('/healthz', { schema: { summary: 'liveness', tags: ['operations'] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'readiness', tags: ['operations'] } }, async (_request, reply) => {
    const backend = await state.runner.ready();
    const saturated = state.inFlight >= state.config.limits.maxInFlight;
    const ok = backend && !saturated;
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? 'ready' : 'not ready', runner: state.runner.kind, backend: backend ? 'up' : 'down', inFlight: state.inFlight });
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'] } }, async (_request, reply) => {
    const depth = await Promise.race([
      state.runner.depth(),
      new Promise<undefined>((r) => {
        setTimeout(r, 1000);
      }),
    ]).catch(() => undefined);
    const spool = await spoolCounts(state.dirs);
    const pool = state.runner instanceof EmbeddedRunner ? state.runner.pool : undefined;
    type Gauge = { name: string; help: string; values: [Record<string, string>, number][] };
    const threads: Gauge[] = pool
      ? [
          {
            name: 'aigc_verify_threads',
            help: 'Verify threads ready (limits.threads; they start with the first read job).',
            values: [[{}, pool.readyCount]],
          },
          { name: 'aigc_verify_thread_jobs', help: 'Read jobs the verify threads answered.', values: [[{}, pool.completed]] },
          { name: 'aigc_verify_thread_restarts', help: 'Verify threads that died and were replaced.', values: [[{}, pool.restarts]] },
        ]
      : [];
    const body = state.metrics.render([
      ...threads,
      { name: 'aigc_http_in_flight', help: 'Media requests being served.', values: [[{}, state.inFlight]] },
      {
        name: 'aigc_queue_depth',
        help: 'Jobs waiting and active in the runner (-1: backend unreachable).',
        values: [
          [{ state: 'waiting' }, depth?.waiting ?? -1],
          [{ state: 'active' }, depth?.active ?? -1],
        ],
      },
      {
        name: 'aigc_spool_files',
        help: 'Files in the spool folders.',
        values: [
          [{ dir: 'tmp' }, spool.tmp],
          [{ dir: 'in' }, spool.in],
          [{ dir: 'out' }, spool.out],
        ],
      },
    ]);
    return reply.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8').send(body);
  });
}
