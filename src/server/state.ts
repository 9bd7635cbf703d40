/**
 * What the routes share: configuration, spool, runner, tokens, rate limiter, metrics and
 * the in-flight counter, plus the access checks every media route runs first.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from './config.ts';
import type { JobRunner } from './embedded-runner.ts';
import type { Metrics } from './metrics.ts';
import type { SpoolDirs } from './spool.ts';
import type { ManifestRepository } from '../repository/repository.ts';
import type { RecordedOutput } from '../repository/add-file.ts';
import { bearerOf, type RateLimiter, type TokenSet } from './auth.ts';
import { sendError } from './http-errors.ts';

/** Shared service state. */
export interface ServiceState {
  readonly config: ServerConfig;
  readonly dirs: SpoolDirs;
  readonly runner: JobRunner;
  readonly tokens: TokenSet;
  readonly limiter: RateLimiter;
  readonly metrics: Metrics;
  /** Media requests being served now. */
  inFlight: number;
  /** The manifest repository, when configured. */
  readonly repository?: ManifestRepository;
  /** Outputs being recorded now, by output SHA-256 (so one output is recorded once). */
  readonly recording?: Map<string, Promise<RecordedOutput>>;
}

/**
 * Authenticate and rate-limit a request. Signing routes need a valid token; other routes
 * need one only when `auth.requireForRead` is set, but a token given must be valid.
 * Returns false when it has already replied (401, 429).
 */
export function admit(state: ServiceState, request: FastifyRequest, reply: FastifyReply, needsToken: boolean): boolean {
  const token = bearerOf(request.headers.authorization);
  let who: string | undefined;
  if (token === null) {
    state.metrics.rejected.inc({ reason: 'auth' });
    reply.header('WWW-Authenticate', 'Bearer error="invalid_request"');
    sendError(reply, 'UNAUTHORIZED', 'the Authorization header must be "Bearer TOKEN"');
    return false;
  }
  if (token !== undefined) {
    who = state.tokens.check(token);
    if (!who) {
      state.metrics.rejected.inc({ reason: 'auth' });
      reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      sendError(reply, 'UNAUTHORIZED', 'unknown bearer token');
      return false;
    }
  } else if (needsToken || state.config.auth.requireForRead) {
    state.metrics.rejected.inc({ reason: 'auth' });
    reply.header('WWW-Authenticate', 'Bearer');
    sendError(
      reply,
      'UNAUTHORIZED',
      state.tokens.size ? 'this endpoint needs a bearer token' : 'this endpoint needs a bearer token, and the service has none configured',
    );
    return false;
  }
  const wait = state.limiter.take(who ? `token:${who}` : `ip:${request.ip}`);
  if (wait > 0) {
    state.metrics.rejected.inc({ reason: 'rate' });
    sendError(reply, 'RATE_LIMITED', 'too many requests for this token', { retryAfter: wait });
    return false;
  }
  request.log = request.log.child({ client: who ?? 'anonymous' });
  return true;
}
