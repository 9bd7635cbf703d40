/**
 * The C2PA soft-binding resolution API on the service, over its manifest repository (configured with
 * `repository`): `GET|POST /matches/byBinding`, `POST /matches/byContent` (the asset as the raw body,
 * at most {@link MAX_MATCH_BYTES}), `GET /manifests/:manifestId` (`application/c2pa`) and
 * `GET /services/supportedAlgorithms`. The handlers are `src/repository/resolution-api.ts`; these are
 * read routes (a token only with `auth.requireForRead`). Without a repository they answer 501.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LimitExceededError, said } from '../../errors.ts';
import { watermarkDetector } from '../../repository/detector.ts';
import { resolutionApi, type ApiResponse } from '../../repository/resolution-api.ts';
import { WATERMARK_ALGS } from '../../watermark/soft-binding.ts';
import { sendError } from '../http-errors.ts';
import { admit, type ServiceState } from '../state.ts';

/** Largest asset `POST /matches/byContent` reads (it is decoded in memory to detect and hash it). */
export const MAX_MATCH_BYTES = 64 * 1024 * 1024;

const CODE_OF_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  404: 'NOT_FOUND',
  413: 'LIMIT_EXCEEDED',
  415: 'UNSUPPORTED_FORMAT',
};

function send(reply: FastifyReply, r: ApiResponse): FastifyReply {
  if (r.status >= 400) {
    const message = (JSON.parse(r.body as string) as { error: string }).error;
    return sendError(reply, CODE_OF_STATUS[r.status] ?? 'INTERNAL_ERROR', message, { status: r.status });
  }
  return reply
    .code(r.status)
    .header('Content-Type', r.type)
    .send(typeof r.body === 'string' ? r.body : Buffer.from(r.body));
}

async function readBody(request: FastifyRequest, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > max)
    throw new LimitExceededError(
      'MAX_MATCH_BYTES',
      said('err.match.declared', 'asset of {size} bytes exceeds {max} bytes', { size: declared, max }),
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      request.raw.resume();
      throw new LimitExceededError('MAX_MATCH_BYTES', said('err.match.exceeds', 'asset exceeds {max} bytes', { max }));
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const MATCHES = {
  type: 'object',
  properties: {
    matches: {
      type: 'array',
      items: {
        type: 'object',
        properties: { manifestId: { type: 'string' }, similarityScore: { type: 'integer', minimum: 0, maximum: 100 } },
        required: ['manifestId'],
      },
    },
  },
} as const;
const tags = ['soft-binding resolution'];

/** Register the resolution API. */
export async function resolutionRoutes(app: FastifyInstance, state: ServiceState): Promise<void> {
  const repo = state.repository;
  const api = repo ? resolutionApi(repo, { watermarkAlgs: Object.values(WATERMARK_ALGS), detect: await watermarkDetector() }) : undefined;
  const guard = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (!admit(state, request, reply, false)) return false;
    if (!api) {
      sendError(reply, 'NOT_CONFIGURED', 'this service has no manifest repository (configure "repository")');
      return false;
    }
    return true;
  };
  const byBindingQuery = {
    type: 'object',
    properties: { alg: { type: 'string' }, value: { type: 'string' }, maxResults: { type: 'integer', minimum: 1 } },
  } as const;
  app.get<{ Querystring: { alg?: string; value?: string; maxResults?: number } }>(
    '/matches/byBinding',
    {
      schema: {
        summary: 'manifest ids of a soft binding',
        tags,
        querystring: { ...byBindingQuery, required: ['alg', 'value'] },
        response: { 200: MATCHES },
      },
    },
    async (request, reply) => (guard(request, reply) ? send(reply, api!.byBinding(request.query)) : reply),
  );
  app.post<{ Querystring: { maxResults?: number } }>(
    '/matches/byBinding',
    {
      schema: {
        summary: 'manifest ids of a large soft binding (JSON {alg, value})',
        tags,
        querystring: { type: 'object', properties: { maxResults: { type: 'integer', minimum: 1 } } },
        response: { 200: MATCHES },
      },
    },
    async (request, reply) => {
      if (!guard(request, reply)) return reply;
      const text = Buffer.from(await readBody(request, 64 * 1024)).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return sendError(reply, 'INVALID_ARGUMENT', 'the body must be the JSON {"alg", "value"}');
      }
      return send(reply, api!.byBinding(request.query, body));
    },
  );
  app.post<{ Querystring: { alg?: string; maxResults?: number; hintAlg?: string; hintValue?: string } }>(
    '/matches/byContent',
    {
      schema: {
        summary: 'manifest ids of an asset (watermark, else perceptual hash)',
        tags,
        consumes: ['image/*', 'audio/*', 'video/*', 'application/octet-stream'],
        querystring: {
          type: 'object',
          properties: {
            alg: { type: 'string' },
            maxResults: { type: 'integer', minimum: 1 },
            hintAlg: { type: 'string' },
            hintValue: { type: 'string' },
          },
        },
        response: { 200: MATCHES },
      },
    },
    async (request, reply) => {
      if (!guard(request, reply)) return reply;
      if (state.inFlight >= state.config.limits.maxInFlight) {
        return sendError(reply, 'OVERLOADED', 'the service is busy; retry later', { retryAfter: state.config.limits.retryAfterSeconds });
      }
      state.inFlight++;
      try {
        const bytes = await readBody(request, Math.min(MAX_MATCH_BYTES, state.config.limits.maxUploadBytes));
        return send(reply, await api!.byContent(request.query, bytes));
      } finally {
        state.inFlight--;
      }
    },
  );
  app.get<{ Params: { manifestId: string }; Querystring: { returnActiveManifest?: boolean } }>(
    '/manifests/:manifestId',
    {
      schema: {
        summary: 'a manifest store by manifest id',
        tags,
        produces: ['application/c2pa'],
        params: { type: 'object', properties: { manifestId: { type: 'string', maxLength: 1024 } }, required: ['manifestId'] },
        querystring: { type: 'object', properties: { returnActiveManifest: { type: 'boolean' } } },
      },
    },
    async (request, reply) => (guard(request, reply) ? send(reply, api!.manifest(request.params.manifestId, request.query)) : reply),
  );
  app.get(
    '/services/supportedAlgorithms',
    {
      schema: { summary: 'the soft-binding algorithms this service resolves', tags },
    },
    async (request, reply) => (guard(request, reply) ? send(reply, api!.supportedAlgorithms()) : reply),
  );
}
