/**
 * The read-only operations (verify, inspect, decide): the same code on the service's main
 * thread, in its verify threads ({@link JobPool}) and in queue workers. They only read the
 * upload and the trust settings, so they can run on any thread; the signing operations stay
 * with the signers (operations.ts).
 */
import path from 'node:path';
import { InvalidArgumentError, ToolkitError, said } from '../errors.ts';
import { verify, type VerifyOptions } from '../service/verify.ts';
import { inspect } from '../service/inspect.ts';
import { decidePrompt } from '../service/decision.ts';
import type { TrustOptions } from '../verify/engine/trust-options.ts';
import type { JobResult, JobSpec, Operation } from './job-spec.ts';

/** Operations that only read their input (they may run on a verify thread). */
export const READ_OPERATIONS: readonly Operation[] = ['verify', 'inspect', 'decide'];

/** Whether `op` is one of {@link READ_OPERATIONS}. */
export const isReadOperation = (op: Operation): boolean => READ_OPERATIONS.includes(op);

/**
 * Run a read operation on `input` (a spool file's path, or the upload's bytes); ToolkitErrors propagate.
 * @throws {InvalidArgumentError} for an operation that is not a read operation; the errors of
 * `verify()`/`inspect()` for unreadable input.
 */
export async function runReadOperation(spec: JobSpec, input: string | Uint8Array, trust: TrustOptions | undefined): Promise<unknown> {
  const o = spec.options;
  const vopts: VerifyOptions = { ...(trust ? { trust } : {}), ...(o.at ? { at: new Date(o.at) } : {}) };
  switch (spec.op) {
    case 'verify':
      return verify(input, vopts);
    case 'inspect':
      return inspect(input, vopts);
    case 'decide':
      return decidePrompt(await verify(input, vopts), o.declared_ai === true);
    default:
      throw new InvalidArgumentError(said('err.job.notReadOp', '{op} is not a read operation', { op: String(spec.op) }));
  }
}

/** The `failed` result of a job that met a {@link ToolkitError} (bad input or arguments: final, not retried). */
export function failedResult(spec: JobSpec, err: ToolkitError): JobResult {
  return {
    id: spec.id,
    op: spec.op,
    status: 'failed',
    error: { code: err.code, message: err.message },
    finishedAt: new Date().toISOString(),
  };
}

/**
 * Run a read job on its upload (in `inDir`, or its bytes): its `completed` result, or `failed` for bad input.
 * @throws anything that is not a {@link ToolkitError} (a bug, the machine failing): the caller
 * records it as `INTERNAL_ERROR` or lets the queue retry.
 */
export async function attemptRead(spec: JobSpec, inDir: string, trust: TrustOptions | undefined): Promise<JobResult> {
  try {
    const result = await runReadOperation(spec, spec.bytes ?? path.join(inDir, spec.input), trust);
    return { id: spec.id, op: spec.op, status: 'completed', result, finishedAt: new Date().toISOString() };
  } catch (err) {
    if (err instanceof ToolkitError) return failedResult(spec, err);
    throw err;
  }
}
