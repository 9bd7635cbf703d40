/**
 * Jobs: what the service asks a runner (in-process or a BullMQ worker) to do, and what
 * comes back. A job's id derives from the operation, the content hash and the normalised
 * options, so the same request is the same job: a retried or repeated job never produces
 * a second, different output.
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError, said } from '../errors.ts';
import { CUE_PLACEMENTS, LABEL_POSITIONS } from '../labels/explicit/index.ts';

/** The operations the service runs. */
export const OPERATIONS = ['verify', 'inspect', 'decide', 'propagate', 'stamp'] as const;
/** One of {@link OPERATIONS}. */
export type Operation = (typeof OPERATIONS)[number];
/** Operations that sign and return a new file. */
export const SIGNING_OPERATIONS: readonly Operation[] = ['propagate', 'stamp'];

/** Client options of an operation (normalised; never credentials, never URLs). */
export interface JobOptions {
  /** verify/inspect/decide: judge certificates at this ISO time. */
  at?: string;
  /** decide/propagate: the uploader declared the content AI-generated. */
  declared_ai?: boolean;
  /** stamp: ProduceID. */
  produce_id?: string;
  /** stamp: the model name (the action's softwareAgent). */
  model?: string;
  /** stamp: render the explicit label (default true). */
  explicit?: boolean;
  label_text?: string;
  label_position?: string;
  label_scale?: number;
  audio_cue?: string;
  /** stamp: also embed an invisible watermark (images), declared as a soft binding. */
  watermark?: boolean;
  /** propagate: PropagateID. */
  propagate_id?: string;
  /** propagate: re-encode spec (`max=PIXELS,quality=1..100`). */
  transcode?: string;
}

/** What a runner is given. */
export interface JobSpec {
  readonly id: string;
  readonly op: Operation;
  /** Upload name inside the spool's `in/` (empty when the upload is {@link JobSpec.bytes}). */
  readonly input: string;
  /**
   * The content's hex SHA-256; for an upload kept in memory ({@link JobSpec.bytes}), its content key
   * (`gmac:…`, content-key.ts), which means something in this process only.
   */
  readonly sha256: string;
  readonly options: JobOptions;
  /**
   * The in-process service's read jobs only: a small upload kept in memory in place of a spool
   * file (`limits.memoryUploadBytes`). Never sent to a queue (workers read the shared spool).
   */
  readonly bytes?: Uint8Array;
}

/** A stamped or propagated file in the spool's `out/`. */
export interface JobOutput {
  readonly file: string;
  readonly mime: string;
  readonly size: number;
  readonly sha256: string;
}

/** What a finished job leaves (kept for the configured time, read by `GET /v1/jobs/:id`). */
export interface JobResult {
  readonly id: string;
  readonly op: Operation;
  readonly status: 'completed' | 'failed';
  /** verify/inspect: the report (the CLI's `--json`); decide: the decision; stamp/propagate: the summary. */
  readonly result?: unknown;
  readonly output?: JobOutput;
  readonly error?: { readonly code: string; readonly message: string };
  readonly finishedAt: string;
}

/** Which options each operation accepts, with their types (also the OpenAPI query schema). */
export const OPTION_TYPES: Record<Operation, Record<string, 'string' | 'boolean' | 'number'>> = {
  verify: { at: 'string' },
  inspect: { at: 'string' },
  decide: { at: 'string', declared_ai: 'boolean' },
  stamp: {
    produce_id: 'string',
    model: 'string',
    explicit: 'boolean',
    label_text: 'string',
    label_position: 'string',
    label_scale: 'number',
    audio_cue: 'string',
    watermark: 'boolean',
  },
  propagate: { declared_ai: 'boolean', propagate_id: 'string', transcode: 'string' },
};

const MAX_OPTION_CHARS = 1024;

function coerce(value: unknown, type: 'string' | 'boolean' | 'number', name: string): string | boolean | number {
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw InvalidArgumentError.expected('true or false', name, value);
  }
  if (type === 'number') {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw InvalidArgumentError.expected('a number', name, value);
    return n;
  }
  if (typeof value !== 'string' || value.length > MAX_OPTION_CHARS)
    throw InvalidArgumentError.expected(`a string of at most ${MAX_OPTION_CHARS} characters`, name, value);
  return value;
}

/**
 * Normalise a client's options (query parameters or a JSON part) for `op`.
 * @throws {InvalidArgumentError} for an unknown option or a bad value.
 */
export function parseJobOptions(op: Operation, raw: Record<string, unknown>): JobOptions {
  const types = OPTION_TYPES[op];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw).sort()) {
    const type = types[key];
    if (!type)
      throw new InvalidArgumentError(
        said('err.job.option', 'unknown option "{key}" for {op}; expected one of: {names}', {
          key,
          op,
          names: Object.keys(types).join(', ') || 'none',
        }),
      );
    out[key] = coerce(raw[key], type, key);
  }
  const o = out as JobOptions;
  if (o.at !== undefined && !Number.isFinite(new Date(o.at).getTime())) throw InvalidArgumentError.expected('an ISO 8601 date', 'at', o.at);
  if (o.label_position !== undefined && !(LABEL_POSITIONS as readonly string[]).includes(o.label_position)) {
    throw InvalidArgumentError.expected(LABEL_POSITIONS.join(' | '), 'label_position', o.label_position);
  }
  if (o.audio_cue !== undefined && !(CUE_PLACEMENTS as readonly string[]).includes(o.audio_cue))
    throw InvalidArgumentError.expected(CUE_PLACEMENTS.join(' | '), 'audio_cue', o.audio_cue);
  if (o.label_scale !== undefined && !(o.label_scale > 0))
    throw InvalidArgumentError.expected('a positive number', 'label_scale', o.label_scale);
  return o;
}

/** The job id: the operation, the content hash and the options (keys sorted). */
export function jobIdOf(op: Operation, sha256: string, options: JobOptions): string {
  const canonical = JSON.stringify([
    op,
    sha256,
    Object.keys(options)
      .sort()
      .map((k) => [k, options[k as keyof JobOptions]]),
  ]);
  return `${op}-${createHash('sha256').update(canonical).digest('hex').slice(0, 40)}`;
}

/** Whether `id` has the shape of a job id (checked before any lookup). */
export function isJobId(id: string): boolean {
  return /^(verify|inspect|decide|propagate|stamp)-[0-9a-f]{40}$/.test(id);
}
