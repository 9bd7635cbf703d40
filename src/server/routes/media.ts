/**
 * `POST /v1/{verify,inspect,decide,propagate,stamp}`: the media as the raw body or as the
 * `file` part of a multipart form (options as query parameters or an `options` JSON part).
 * The upload is streamed to the spool, the job is run (here or by a worker) and the answer
 * is the report, or for the signing routes the new file with its summary in `X-Aigc-Result`
 * (or both in a `multipart/mixed` response when the client accepts it).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { InvalidArgumentError, LimitExceededError, ToolkitError, said } from '../../errors.ts';
import { jobIdOf, OPERATIONS, OPTION_TYPES, parseJobOptions, SIGNING_OPERATIONS, type JobSpec, type Operation } from '../job-spec.ts';
import { discardUpload, isSpooled, receiveUpload, type ReceivedUpload } from '../spool.ts';
import { isReadOperation } from '../read-job.ts';
import { sendError } from '../http-errors.ts';
import { admit, type ServiceState } from '../state.ts';
import { verdictOf } from '../metrics.ts';
import { threadVerdict } from '../job-pool.ts';
import { sendResult } from './send-result.ts';

/** Largest `options` JSON part (bytes). */
export const MAX_OPTIONS_PART_BYTES = 64 * 1024;

const DESCRIPTIONS: Record<Operation, string> = {
  verify: "Validate the C2PA manifests and the GB 45438 label; the report is the CLI's `aigc verify --json`.",
  inspect: "The investigator's view; the report is the CLI's `aigc inspect --json`.",
  decide: "The platform's Art. 6 decision (display prompt, Label value, reasons and evidence) without signing.",
  propagate:
    "Verify, decide, add the platform's propagation label and a C2PA manifest signed with the server's platform certificate; returns the new file.",
  stamp: "Explicit + implicit labels and a C2PA manifest signed with the server's producer certificate; returns the new file.",
};

function querySchema(op: Operation): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(OPTION_TYPES[op])) properties[k] = { type: t };
  return { type: 'object', properties, additionalProperties: false };
}

/**
 * Read the upload (raw body or multipart) into the spool, or into memory when it has at most
 * `memoryBytes`, with the multipart options part if any.
 */
async function receive(
  state: ServiceState,
  request: FastifyRequest,
  memoryBytes: number,
): Promise<{ upload: ReceivedUpload; jsonOptions: Record<string, unknown> }> {
  const max = state.config.limits.maxUploadBytes;
  if (!request.isMultipart()) {
    const raw = request.raw;
    const pass = new PassThrough();
    // pipe() does not forward errors: a client that goes away must end the spooling too.
    const aborted = (): void => {
      if (!raw.complete)
        pass.destroy(
          Object.assign(new InvalidArgumentError(said('err.upload.aborted', 'the upload was aborted')), { code: 'ECONNABORTED' }),
        );
    };
    raw.once('close', aborted);
    raw.once('error', aborted);
    raw.pipe(pass);
    try {
      return { upload: await receiveUpload(state.dirs, pass, max, memoryBytes), jsonOptions: {} };
    } catch (err) {
      raw.unpipe(pass);
      raw.resume(); // discard the rest; the reply closes the connection
      throw err;
    }
  }
  let upload: ReceivedUpload | undefined;
  let jsonOptions: Record<string, unknown> = {};
  try {
    for await (const part of request.parts({
      limits: { fileSize: max, files: 1, fields: 4, fieldSize: MAX_OPTIONS_PART_BYTES, parts: 5 },
    })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || upload) {
          part.file.resume();
          throw new InvalidArgumentError(
            said('err.upload.filePart', 'unexpected file part "{name}"; send the media as one part named "file"', { name: part.fieldname }),
          );
        }
        upload = await receiveUpload(state.dirs, part.file as Readable, max, memoryBytes);
        if ((part.file as { truncated?: boolean }).truncated)
          throw new LimitExceededError('limits.maxUploadBytes', said('err.upload.tooLarge', 'upload exceeds {max} bytes', { max }));
      } else if (part.fieldname === 'options') {
        try {
          const v: unknown = JSON.parse(String(part.value));
          if (typeof v !== 'object' || v === null || Array.isArray(v)) throw InvalidArgumentError.expected('a JSON object', 'options', v);
          jsonOptions = v as Record<string, unknown>;
        } catch (err) {
          if (err instanceof ToolkitError) throw err;
          throw new InvalidArgumentError(
            said('err.upload.optionsJson', 'the options part is not valid JSON: {reason}', { reason: (err as Error).message }),
          );
        }
      } else {
        throw new InvalidArgumentError(
          said('err.upload.field', 'unexpected form field "{name}"; expected "file" and optionally "options"', { name: part.fieldname }),
        );
      }
    }
  } catch (err) {
    await discardUpload(upload);
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new LimitExceededError('limits.maxUploadBytes', said('err.upload.tooLarge', 'upload exceeds {max} bytes', { max }));
    throw err;
  }
  if (!upload) throw new InvalidArgumentError(said('err.upload.noFile', 'the form has no "file" part'));
  return { upload, jsonOptions };
}

/** Whether `err` is a client abort (connection reset or closed before the body ended). */
function isAbort(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNABORTED' || (err as Error).message === 'aborted';
}

async function handle(state: ServiceState, op: Operation, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const signing = SIGNING_OPERATIONS.includes(op);
  if (!admit(state, request, reply, signing)) return reply;
  if ((op === 'stamp' && !state.config.stamp) || (op === 'propagate' && !state.config.propagate)) {
    return sendError(reply, 'NOT_CONFIGURED', `${op} is not configured on this service (no signer)`);
  }
  const limits = state.config.limits;
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limits.maxUploadBytes) {
    state.metrics.rejected.inc({ reason: 'size' });
    reply.header('Connection', 'close');
    return sendError(reply, 'LIMIT_EXCEEDED', `upload of ${declared} bytes exceeds the limit of ${limits.maxUploadBytes} bytes`);
  }
  if (state.inFlight >= limits.maxInFlight) {
    state.metrics.rejected.inc({ reason: 'overload' });
    reply.header('Connection', 'close');
    return sendError(reply, 'OVERLOADED', `the service is busy (${state.inFlight} requests in flight); retry later`, {
      retryAfter: limits.retryAfterSeconds,
    });
  }
  state.inFlight++;
  try {
    const query = parseJobOptions(op, request.query as Record<string, unknown>);
    let received: Awaited<ReturnType<typeof receive>>;
    try {
      // Small uploads of read jobs run in this process stay in memory (limits.memoryUploadBytes).
      const memory = state.runner.kind === 'embedded' && isReadOperation(op) ? limits.memoryUploadBytes : 0;
      received = await receive(state, request, memory);
    } catch (err) {
      if (err instanceof LimitExceededError) {
        state.metrics.rejected.inc({ reason: 'size' });
        reply.header('Connection', 'close');
      }
      if (isAbort(err)) {
        // The client went away mid-upload: nothing was kept, and no one is left to answer.
        state.metrics.rejected.inc({ reason: 'aborted' });
        return sendError(reply, 'INVALID_ARGUMENT', 'the upload was aborted', { status: 400 });
      }
      throw err;
    }
    const upload = received.upload;
    const options = parseJobOptions(op, { ...query, ...received.jsonOptions });
    // A spooled upload is keyed by its SHA-256, one kept in memory by its content key (content-key.ts).
    const contentHash = isSpooled(upload) ? upload.sha256 : upload.contentKey;
    const spec: JobSpec = {
      id: jobIdOf(op, contentHash, options),
      op,
      sha256: contentHash,
      options,
      ...(isSpooled(upload) ? { input: upload.name } : { input: '', bytes: upload.bytes }),
    };
    const started = Date.now();
    let created: boolean;
    try {
      ({ created } = await state.runner.submit(spec));
    } catch (err) {
      await discardUpload(upload);
      throw err;
    }
    if (!created) await discardUpload(upload);
    const result = await state.runner.wait(spec.id, limits.jobWaitMs);
    if (!result) {
      reply.header('Location', `/v1/jobs/${spec.id}`).header('Retry-After', String(limits.retryAfterSeconds));
      return reply.code(202).send({ id: spec.id, status: 'pending', href: `/v1/jobs/${spec.id}` });
    }
    state.metrics.jobLatency.observe({ op }, (Date.now() - started) / 1000);
    state.metrics.verdicts.inc({ op, verdict: threadVerdict(result) ?? verdictOf(op, result.status, result.result) });
    return sendResult(state, request, reply, result);
  } finally {
    state.inFlight--;
  }
}

/** Register the five media routes. */
export async function mediaRoutes(app: FastifyInstance, state: ServiceState): Promise<void> {
  for (const op of OPERATIONS) {
    const signing = SIGNING_OPERATIONS.includes(op);
    app.post(
      `/v1/${op}`,
      {
        schema: {
          summary: op,
          description: DESCRIPTIONS[op],
          tags: [signing ? 'signing' : 'reading'],
          consumes: ['application/octet-stream', 'multipart/form-data'],
          produces: signing ? ['application/octet-stream', 'multipart/mixed', 'application/json'] : ['application/json'],
          querystring: querySchema(op),
          ...(signing ? { security: [{ bearer: [] }] } : {}),
        },
      },
      (request, reply) => handle(state, op, request, reply),
    );
  }
}
