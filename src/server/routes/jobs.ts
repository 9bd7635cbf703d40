/**
 * `GET /v1/jobs/:id` (the result JSON as stored: status, result, output description, error)
 * and `GET /v1/jobs/:id/output` (the stamped or propagated file), for jobs answered 202
 * or results read again later. Results are kept for `resultTtlSeconds`.
 */
import type { FastifyInstance } from 'fastify';
import { isJobId } from '../job-spec.ts';
import { sendError } from '../http-errors.ts';
import { admit, type ServiceState } from '../state.ts';
import { sendResult } from './send-result.ts';
import { withRecord } from '../record-output.ts';

const params = { type: 'object', properties: { id: { type: 'string', maxLength: 80 } }, required: ['id'] } as const;

/** Register the job routes. */
export async function jobRoutes(app: FastifyInstance, state: ServiceState): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/v1/jobs/:id',
    {
      schema: {
        summary: 'job result',
        description: 'The stored result of a job: `{id, op, status, result, output, error, finishedAt}`; 202 while pending.',
        tags: ['jobs'],
        params,
      },
    },
    async (request, reply) => {
      if (!admit(state, request, reply, false)) return reply;
      const { id } = request.params;
      if (!isJobId(id)) return sendError(reply, 'NOT_FOUND', `no job ${id}`);
      const result = await state.runner.result(id);
      if (result) return reply.header('X-Aigc-Job', id).send(await withRecord(state, result));
      if (await state.runner.pending(id)) {
        return reply
          .code(202)
          .header('Retry-After', String(state.config.limits.retryAfterSeconds))
          .send({ id, status: 'pending', href: `/v1/jobs/${id}` });
      }
      return sendError(reply, 'NOT_FOUND', `no job ${id} (unknown or expired)`);
    },
  );
  app.get<{ Params: { id: string } }>(
    '/v1/jobs/:id/output',
    {
      schema: {
        summary: 'job output',
        description: 'The file a stamp or propagate job produced, with its summary in `X-Aigc-Result`.',
        tags: ['jobs'],
        params,
        security: [{ bearer: [] }],
      },
    },
    async (request, reply) => {
      if (!admit(state, request, reply, true)) return reply;
      const { id } = request.params;
      const result = isJobId(id) ? await state.runner.result(id) : undefined;
      if (!result) return sendError(reply, 'NOT_FOUND', `no finished job ${id}`);
      if (!result.output && result.status === 'completed') return sendError(reply, 'NOT_FOUND', `job ${id} has no output file`);
      return sendResult(state, request, reply, result);
    },
  );
}
