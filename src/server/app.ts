/**
 * `createService(config)`: the Fastify application of `aigc serve` — media routes, job
 * routes, health and metrics, the OpenAPI document with its page at `/docs` — over an
 * embedded runner, or a BullMQ queue when the configuration names one.
 *
 * Route modules are listed in {@link ROUTES}: health, media, jobs, the soft-binding resolution
 * API (with a repository configured) and the report page at `/`. The service never fetches a URL a client gives it: clients
 * send media bytes only, and options are plain values.
 */
import fastify, { LogController, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ToolkitError } from '../errors.ts';
import { RateLimiter, TokenSet } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { EmbeddedRunner, type JobRunner } from './embedded-runner.ts';
import { JobPool } from './job-pool.ts';
import { sendError, statusOfCode } from './http-errors.ts';
import { Metrics } from './metrics.ts';
import { loadJobContext } from './operations.ts';
import { QueueRunner } from './queue-runner.ts';
import { ensureSpool, sweepSpool } from './spool.ts';
import type { ServiceState } from './state.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { mediaRoutes } from './routes/media.ts';
import { resolutionRoutes } from './routes/resolution.ts';
import { reportPageRoutes } from './routes/report-page.ts';
import { ManifestRepository } from '../repository/repository.ts';

/** Route modules, registered in order. */
export const ROUTES: readonly ((app: FastifyInstance, state: ServiceState) => Promise<void>)[] = [
  healthRoutes,
  mediaRoutes,
  jobRoutes,
  resolutionRoutes,
  reportPageRoutes,
];

/** A created service. */
export interface Service {
  readonly app: FastifyInstance;
  readonly state: ServiceState;
  /** Listen on the configured host and port; returns the address. */
  listen(): Promise<string>;
  /** Stop accepting, finish requests in flight, close the runner. */
  close(): Promise<void>;
}

/** Options of {@link createService}. */
export interface CreateServiceOptions {
  /** Fastify logger setting; default JSON logs at the configured level to stdout. */
  readonly logger?: boolean | Record<string, unknown>;
}

/**
 * Build the service (not yet listening).
 * @throws {IoError} {@link KeyError} {@link CertificateError} for unusable trust, signer or token files;
 * {@link LogIntegrityError} {@link ExternalToolError} for a repository that cannot be opened.
 */
export async function createService(config: ServerConfig, options: CreateServiceOptions = {}): Promise<Service> {
  const dirs = await ensureSpool(config.spool);
  const ctx = await loadJobContext(config, dirs);
  const tokens = new TokenSet(config.auth);
  let runner: JobRunner;
  if (config.queue) {
    const q = new QueueRunner({
      url: config.queue.url,
      name: config.queue.name,
      attempts: config.queue.attempts,
      resultTtlSeconds: config.resultTtlSeconds,
    });
    await q.init();
    runner = q;
  } else {
    const threads = config.limits.threads;
    const pool = threads > 0 ? new JobPool(threads, { inDir: dirs.in, ...(ctx.trust ? { trust: ctx.trust } : {}) }) : undefined;
    runner = new EmbeddedRunner(ctx, config.limits.concurrency, config.resultTtlSeconds, pool, config.limits.storedResults);
  }
  const repository = config.repository
    ? await ManifestRepository.open(config.repository.dir, config.repository.origin ? { origin: config.repository.origin } : {})
    : undefined;
  const state: ServiceState = {
    config,
    dirs,
    runner,
    tokens,
    limiter: new RateLimiter(config.auth.ratePerSecond, config.auth.burst),
    metrics: new Metrics(),
    inFlight: 0,
    ...(repository ? { repository, recording: new Map() } : {}),
  };
  const app = fastify({
    logger: options.logger ?? { level: config.logLevel },
    // One line per request (below, on the response) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: config.limits.requestTimeoutMs,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  await app.register(multipart);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'aigc-provenance service',
        version: '0.1.0',
        description: 'GB 45438 labels and C2PA manifests: verify, inspect, decide, propagate, stamp.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // While closing, answers to the requests still in flight close their connections: a kept-alive
  // idle connection would otherwise hold close() until its keep-alive timeout.
  let closing = false;
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('Connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    state.metrics.requests.inc({ route, method: request.method, code: String(reply.statusCode) });
    state.metrics.latency.observe({ route }, reply.elapsedTime / 1000);
    request.log.info(
      {
        req: { method: request.method, url: request.url, remoteAddress: request.ip },
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      'request completed',
    );
  });
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof ToolkitError) return sendError(reply, err.code, err.message);
    const e = err as { statusCode?: number; code?: string; message: string; validation?: unknown };
    if (e.validation) return sendError(reply, 'INVALID_ARGUMENT', e.message);
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      if (e.statusCode === 413) reply.header('Connection', 'close');
      return sendError(reply, e.statusCode === 413 ? 'LIMIT_EXCEEDED' : 'INVALID_ARGUMENT', e.message, { status: e.statusCode });
    }
    if (config.queue && /Connection is closed|ECONNREFUSED|ETIMEDOUT|ECONNRESET/.test(e.message)) {
      request.log.warn({ err }, 'queue backend unavailable');
      return sendError(reply, 'UNAVAILABLE', 'the job queue is unavailable; retry later', { retryAfter: config.limits.retryAfterSeconds });
    }
    request.log.error({ err }, 'unexpected error');
    return sendError(reply, 'INTERNAL_ERROR', 'internal error', { status: statusOfCode('INTERNAL_ERROR') });
  });
  for (const routes of ROUTES) await routes(app, state);
  const sweeper = setInterval(
    () => {
      sweepSpool(dirs, config.resultTtlSeconds * 1000).catch((err) => app.log.warn({ err }, 'spool sweep failed'));
    },
    Math.min(config.resultTtlSeconds * 1000, 10 * 60_000),
  ).unref();
  return {
    app,
    state,
    async listen() {
      return app.listen({ host: config.host, port: config.port });
    },
    async close() {
      clearInterval(sweeper);
      closing = true;
      // A kept-alive connection whose last answer finishes after close() began is idle only then:
      // close idle connections until the server has stopped (requests in flight still finish).
      const idle = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(idle);
      }
      await runner.close();
      await repository?.close();
      ctx.close();
    },
  };
}
