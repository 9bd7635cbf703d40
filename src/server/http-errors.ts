/**
 * How the service answers errors: each toolkit error code has one HTTP status, and every
 * error body has the same shape `{ error: { code, message } }`.
 */
import type { FastifyReply } from 'fastify';

/** HTTP status of each error code (toolkit codes plus the service's own). */
export const STATUS_OF_CODE: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  LIMIT_EXCEEDED: 413,
  UNSUPPORTED_FORMAT: 415,
  MALFORMED_INPUT: 422,
  MANIFEST_NOT_FOUND: 422,
  MULTIPLE_MANIFESTS: 422,
  EXTERNAL_TOOL: 422,
  RATE_LIMITED: 429,
  NOT_CONFIGURED: 501,
  OVERLOADED: 503,
  UNAVAILABLE: 503,
  REQUEST_TIMEOUT: 408,
};

/** The HTTP status for an error code (500 for anything unknown: a server-side fault). */
export function statusOfCode(code: string): number {
  return STATUS_OF_CODE[code] ?? 500;
}

/** Send `{ error: { code, message } }` with the code's status (and `Retry-After` when given). */
export function sendError(
  reply: FastifyReply,
  code: string,
  message: string,
  extra: { retryAfter?: number; status?: number; jobId?: string } = {},
): FastifyReply {
  if (extra.retryAfter !== undefined) reply.header('Retry-After', String(extra.retryAfter));
  return reply.code(extra.status ?? statusOfCode(code)).send({ error: { code, message }, ...(extra.jobId ? { id: extra.jobId } : {}) });
}

/** Encode a JSON value for an HTTP header (base64url, so any text survives). */
export function headerJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decode {@link headerJson}. */
export function parseHeaderJson(header: string): unknown {
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
}
