/**
 * Answer with a finished job: the report as JSON, or the output file streamed with the
 * summary in the `X-Aigc-Result` header (base64url JSON), or — when the client accepts
 * `multipart/mixed` — a JSON part then the file part. A failed job answers with its error.
 * With a repository configured, a signed output is recorded there first (`recorded` in the summary).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JobResult } from '../job-spec.ts';
import { headerJson, sendError } from '../http-errors.ts';
import type { ServiceState } from '../state.ts';
import { withRecord } from '../record-output.ts';
import { serializedBody } from '../job-pool.ts';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/flac': 'flac',
  'audio/mpeg': 'mp3',
  'video/mp4': 'mp4',
  'audio/mp4': 'm4a',
  'video/quicktime': 'mov',
  'video/3gpp': '3gp',
};

/** Send `result` (see the module comment). */
export async function sendResult(
  state: ServiceState,
  request: FastifyRequest,
  reply: FastifyReply,
  done: JobResult,
  wantFile = true,
): Promise<FastifyReply> {
  reply.header('X-Aigc-Job', done.id);
  const result = await withRecord(state, done);
  if (result.status === 'failed') {
    const e = result.error ?? { code: 'INTERNAL_ERROR', message: 'the job failed' };
    return sendError(reply, e.code, e.message, { jobId: result.id });
  }
  if (!result.output || !wantFile) {
    // A verify thread's result comes with its JSON text: sent as is (what send() would serialize).
    const text = serializedBody(result);
    return text === undefined ? reply.code(200).send(result.result) : reply.code(200).type('application/json; charset=utf-8').send(text);
  }
  const file = path.join(state.dirs.out, result.output.file);
  try {
    await stat(file);
  } catch {
    return sendError(reply, 'NOT_FOUND', `the output of job ${result.id} has expired`, { jobId: result.id });
  }
  const name = `${result.id}.${EXTENSIONS[result.output.mime] ?? 'bin'}`;
  const accept = String(request.headers.accept ?? '');
  if (/multipart\/mixed/i.test(accept)) {
    const boundary = `aigc-${randomBytes(12).toString('hex')}`;
    const body = new PassThrough();
    const json = JSON.stringify(result.result);
    body.write(`--${boundary}\r\nContent-Type: application/json\r\nContent-Disposition: inline; name="result"\r\n\r\n${json}\r\n`);
    body.write(
      `--${boundary}\r\nContent-Type: ${result.output.mime}\r\nContent-Disposition: attachment; name="file"; filename="${name}"\r\nContent-Length: ${result.output.size}\r\n\r\n`,
    );
    const src = createReadStream(file);
    src.on('error', (err) => body.destroy(err));
    src.on('end', () => body.end(`\r\n--${boundary}--\r\n`));
    src.pipe(body, { end: false });
    return reply.code(200).header('Content-Type', `multipart/mixed; boundary=${boundary}`).send(body);
  }
  return reply
    .code(200)
    .header('Content-Type', result.output.mime)
    .header('Content-Length', String(result.output.size))
    .header('Content-Disposition', `attachment; filename="${name}"`)
    .header('X-Aigc-Result', headerJson(result.result))
    .header('X-Aigc-Output-Sha256', result.output.sha256)
    .send(createReadStream(file));
}
