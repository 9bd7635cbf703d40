/**
 * The service's configuration: a JSON file (`aigc serve --config FILE`) overlaid by
 * environment variables, with every limit named and defaulted. Paths in the file are
 * relative to the file's folder. Signing credentials live here only: clients never send them.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, IoError, said } from '../errors.ts';
import { SPOOL_WRITE_BYTES } from './spool.ts';

/** Largest `limits.memoryUploadBytes`: uploads held in memory are bounded by it times `maxInFlight`. */
export const MAX_MEMORY_UPLOAD_BYTES = 16 * 1024 * 1024;

/**
 * A signer configured on the server (the library's signer seam): a local PKCS#8 key file, a key
 * in a PKCS#11 token (RFC 7512 URI), or a remote signing service. The chain is always a file.
 */
export type SignerConfig =
  | {
      readonly type: 'file';
      readonly cert: string;
      readonly key: string /** Environment variable holding the key's passphrase. */;
      readonly passphraseEnv?: string;
    }
  | {
      readonly type: 'pkcs11';
      readonly cert: string;
      readonly uri: string /** Environment variable holding the user PIN. */;
      readonly pinEnv?: string;
    }
  | {
      readonly type: 'remote';
      readonly cert: string;
      readonly url: string /** Environment variable holding the bearer token. */;
      readonly tokenEnv?: string;
    };

/** Limits and safety settings. */
export interface LimitsConfig {
  /** Largest accepted upload (bytes); larger ones get 413 and leave nothing in the spool. */
  readonly maxUploadBytes: number;
  /** Media requests in flight (uploading, queued or running) before new ones get 503. */
  readonly maxInFlight: number;
  /** Jobs run at once by the embedded runner (and by each worker by default). */
  readonly concurrency: number;
  /**
   * Verify threads of the embedded runner: the read jobs (verify, inspect, decide) run on them,
   * off the thread that serves HTTP; 0 runs them on that thread. Default: one less than the
   * CPU count (at least one), the last core being the HTTP thread's.
   */
  readonly threads: number;
  /**
   * In-process service: a verify, inspect or decide upload of at most this many bytes is kept in
   * memory and handed to the job as is, never written to the spool; 0 spools every upload.
   * Queue mode and the signing routes always spool. Default {@link SPOOL_WRITE_BYTES} (1 MiB, the
   * block the spool writer gathers in memory anyway); at most {@link MAX_MEMORY_UPLOAD_BYTES}.
   */
  readonly memoryUploadBytes: number;
  /** Time to receive a whole request (ms); 0 disables (Node's `requestTimeout`). */
  readonly requestTimeoutMs: number;
  /** How long a request waits for its job before answering 202 with the job's URL (ms). */
  readonly jobWaitMs: number;
  /** `Retry-After` seconds sent with 503 and 429. */
  readonly retryAfterSeconds: number;
  /**
   * Finished jobs' results the in-process service keeps (each for `resultTtlSeconds`); past this
   * count the oldest are dropped first, so memory stays bounded at any request rate (queue mode keeps
   * them in Redis, with their time to live).
   */
  readonly storedResults: number;
}

/** Bearer tokens and their rate limit. */
export interface AuthConfig {
  /** File with one token per line (`name:token` or `token`; `#` comments). */
  readonly tokensFile?: string;
  /** Tokens given inline or by `AIGC_TOKENS` (comma-separated). */
  readonly tokens: readonly string[];
  /** Also require a token for verify, inspect, decide and job reads. */
  readonly requireForRead: boolean;
  /** Requests per second per token (and per client address without a token); 0: no limit. */
  readonly ratePerSecond: number;
  /** Burst size of the per-token bucket. */
  readonly burst: number;
}

/** The whole configuration. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Shared folder for uploads and outputs (a shared filesystem when workers run elsewhere). */
  readonly spool: string;
  readonly limits: LimitsConfig;
  readonly auth: AuthConfig;
  /** PEM files: trust anchors, allowed list, CRLs (used by verify, inspect, decide, propagate). */
  readonly trust: { readonly anchors: readonly string[]; readonly allowed?: string; readonly crls: readonly string[] };
  /** `POST /v1/stamp`: the producer's signer and its 27-character provider code. */
  readonly stamp?: { readonly signer: SignerConfig; readonly producer: string; readonly model?: string };
  /** `POST /v1/propagate`: the platform's signer and its provider code. */
  readonly propagate?: { readonly signer: SignerConfig; readonly propagator: string };
  /** `redis://…` to run jobs through BullMQ workers; absent: in-process. */
  readonly queue?: {
    readonly url: string;
    readonly name: string;
    readonly attempts: number;
    readonly stalledIntervalMs: number;
    readonly lockDurationMs: number;
  };
  /**
   * The manifest repository (a folder; created on first use): every stamp or propagate output is recorded
   * there before it is handed out, and the C2PA soft-binding resolution API (`/matches/…`, `/manifests/…`,
   * `/services/supportedAlgorithms`) answers from it. One service process owns a repository.
   */
  readonly repository?: { readonly dir: string; readonly origin?: string };
  /** How long job results (and stamped outputs) are kept (seconds). */
  readonly resultTtlSeconds: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Defaults of every limit. */
export const DEFAULT_LIMITS: LimitsConfig = {
  maxUploadBytes: 4 * 1024 ** 3,
  maxInFlight: 64,
  concurrency: Math.max(1, os.availableParallelism?.() ?? 2),
  threads: Math.max(1, (os.availableParallelism?.() ?? 2) - 1),
  memoryUploadBytes: SPOOL_WRITE_BYTES,
  requestTimeoutMs: 15 * 60_000,
  jobWaitMs: 60_000,
  retryAfterSeconds: 2,
  storedResults: 10_000,
};

type Json = Record<string, unknown>;

function num(v: unknown, name: string, min = 0, max = Number.POSITIVE_INFINITY): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max)
    throw InvalidArgumentError.expected(max === Number.POSITIVE_INFINITY ? `a number ≥ ${min}` : `a number from ${min} to ${max}`, name, v);
  return n;
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw InvalidArgumentError.expected('a non-empty string', name, v);
  return v;
}

function obj(v: unknown, name: string): Json {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw InvalidArgumentError.expected('an object', name, v);
  return v as Json;
}

function list(v: unknown, name: string): string[] {
  if (v === undefined) return [];
  const arr = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(arr) || arr.some((x) => typeof x !== 'string'))
    throw InvalidArgumentError.expected('a string or a list of strings', name, v);
  return arr as string[];
}

function signer(v: unknown, name: string, base: string): SignerConfig {
  const o = obj(v, name);
  const type = o.type ?? 'file';
  const cert = path.resolve(base, str(o.cert, `${name}.cert`));
  const env = (k: string): Record<string, string> => (o[k] !== undefined ? { [k]: str(o[k], `${name}.${k}`) } : {});
  if (type === 'file') return { type, cert, key: path.resolve(base, str(o.key, `${name}.key`)), ...env('passphraseEnv') };
  if (type === 'pkcs11') {
    const uri = str(o.uri, `${name}.uri`);
    if (!uri.startsWith('pkcs11:')) throw InvalidArgumentError.expected('an RFC 7512 pkcs11: URI', `${name}.uri`, uri);
    return { type, cert, uri, ...env('pinEnv') };
  }
  if (type === 'remote') return { type, cert, url: str(o.url, `${name}.url`), ...env('tokenEnv') };
  throw InvalidArgumentError.expected('"file", "pkcs11" or "remote"', `${name}.type`, type);
}

/**
 * Build a configuration from a parsed JSON object and the environment.
 * Environment: AIGC_HOST, AIGC_PORT, AIGC_SPOOL, AIGC_QUEUE, AIGC_TOKENS, AIGC_TOKENS_FILE,
 * AIGC_TRUST, AIGC_MAX_UPLOAD_BYTES, AIGC_MAX_IN_FLIGHT, AIGC_CONCURRENCY, AIGC_THREADS, AIGC_STORED_RESULTS, AIGC_MEMORY_UPLOAD_BYTES, AIGC_LOG_LEVEL, AIGC_REPOSITORY.
 * @throws {InvalidArgumentError} for a value of the wrong type or range.
 */
export function buildConfig(raw: unknown, base = process.cwd(), env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const o = obj(raw, 'config');
  const l = obj(o.limits, 'limits');
  const a = obj(o.auth, 'auth');
  const t = obj(o.trust, 'trust');
  const q = o.queue === undefined ? undefined : obj(typeof o.queue === 'string' ? { url: o.queue } : o.queue, 'queue');
  const abs = (p: string): string => path.resolve(base, p);
  const limits: LimitsConfig = {
    maxUploadBytes: num(env.AIGC_MAX_UPLOAD_BYTES ?? l.maxUploadBytes ?? DEFAULT_LIMITS.maxUploadBytes, 'limits.maxUploadBytes', 1),
    maxInFlight: num(env.AIGC_MAX_IN_FLIGHT ?? l.maxInFlight ?? DEFAULT_LIMITS.maxInFlight, 'limits.maxInFlight', 1),
    concurrency: num(env.AIGC_CONCURRENCY ?? l.concurrency ?? DEFAULT_LIMITS.concurrency, 'limits.concurrency', 1),
    threads: Math.floor(num(env.AIGC_THREADS ?? l.threads ?? DEFAULT_LIMITS.threads, 'limits.threads', 0)),
    memoryUploadBytes: Math.floor(
      num(
        env.AIGC_MEMORY_UPLOAD_BYTES ?? l.memoryUploadBytes ?? DEFAULT_LIMITS.memoryUploadBytes,
        'limits.memoryUploadBytes',
        0,
        MAX_MEMORY_UPLOAD_BYTES,
      ),
    ),
    requestTimeoutMs: num(l.requestTimeoutMs ?? DEFAULT_LIMITS.requestTimeoutMs, 'limits.requestTimeoutMs'),
    jobWaitMs: num(l.jobWaitMs ?? DEFAULT_LIMITS.jobWaitMs, 'limits.jobWaitMs', 1),
    retryAfterSeconds: num(l.retryAfterSeconds ?? DEFAULT_LIMITS.retryAfterSeconds, 'limits.retryAfterSeconds', 1),
    storedResults: Math.floor(num(env.AIGC_STORED_RESULTS ?? l.storedResults ?? DEFAULT_LIMITS.storedResults, 'limits.storedResults', 1)),
  };
  const envTokens = env.AIGC_TOKENS
    ? env.AIGC_TOKENS.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const tokensFile = env.AIGC_TOKENS_FILE ?? (a.tokensFile !== undefined ? abs(str(a.tokensFile, 'auth.tokensFile')) : undefined);
  const auth: AuthConfig = {
    tokens: [...list(a.tokens, 'auth.tokens'), ...envTokens],
    requireForRead: a.requireForRead === true,
    ratePerSecond: num(a.ratePerSecond ?? 0, 'auth.ratePerSecond'),
    burst: num(a.burst ?? 20, 'auth.burst', 1),
    ...(tokensFile ? { tokensFile } : {}),
  };
  const anchors = [...list(t.anchors, 'trust.anchors').map(abs), ...(env.AIGC_TRUST && t.anchors === undefined ? [env.AIGC_TRUST] : [])];
  const queueUrl = env.AIGC_QUEUE ?? (q ? str(q.url, 'queue.url') : undefined);
  const config: ServerConfig = {
    host: str(env.AIGC_HOST ?? o.host ?? '127.0.0.1', 'host'),
    port: num(env.AIGC_PORT ?? o.port ?? 8080, 'port'),
    spool: abs(str(env.AIGC_SPOOL ?? o.spool ?? path.join(os.tmpdir(), 'aigc-spool'), 'spool')),
    limits,
    auth,
    trust: {
      anchors,
      crls: list(t.crls, 'trust.crls').map(abs),
      ...(t.allowed !== undefined ? { allowed: abs(str(t.allowed, 'trust.allowed')) } : {}),
    },
    resultTtlSeconds: num(o.resultTtlSeconds ?? 3600, 'resultTtlSeconds', 1),
    logLevel: logLevel(env.AIGC_LOG_LEVEL ?? o.logLevel ?? 'info'),
  };
  const s = o.stamp === undefined ? undefined : obj(o.stamp, 'stamp');
  const p = o.propagate === undefined ? undefined : obj(o.propagate, 'propagate');
  const r = env.AIGC_REPOSITORY
    ? { dir: env.AIGC_REPOSITORY }
    : o.repository === undefined
      ? undefined
      : obj(typeof o.repository === 'string' ? { dir: o.repository } : o.repository, 'repository');
  return {
    ...config,
    ...(r
      ? {
          repository: {
            dir: abs(str(r.dir, 'repository.dir')),
            ...(r.origin !== undefined ? { origin: str(r.origin, 'repository.origin') } : {}),
          },
        }
      : {}),
    ...(s
      ? {
          stamp: {
            signer: signer(s.signer, 'stamp.signer', base),
            producer: str(s.producer, 'stamp.producer'),
            ...(s.model ? { model: str(s.model, 'stamp.model') } : {}),
          },
        }
      : {}),
    ...(p
      ? { propagate: { signer: signer(p.signer, 'propagate.signer', base), propagator: str(p.propagator, 'propagate.propagator') } }
      : {}),
    ...(queueUrl
      ? {
          queue: {
            url: queueUrl,
            name: str(q?.name ?? 'aigc', 'queue.name'),
            attempts: num(q?.attempts ?? 5, 'queue.attempts', 1),
            stalledIntervalMs: num(q?.stalledIntervalMs ?? 5000, 'queue.stalledIntervalMs', 100),
            lockDurationMs: num(q?.lockDurationMs ?? 30_000, 'queue.lockDurationMs', 100),
          },
        }
      : {}),
  };
}

function logLevel(v: unknown): ServerConfig['logLevel'] {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  if (!levels.includes(v as ServerConfig['logLevel'])) throw InvalidArgumentError.expected(levels.join(' | '), 'logLevel', v);
  return v as ServerConfig['logLevel'];
}

/**
 * Read a JSON configuration file (or none) and the environment.
 * @throws {IoError} when the file cannot be read. @throws {InvalidArgumentError} for bad JSON or values.
 */
export function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  if (!file) return buildConfig({}, process.cwd(), env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new IoError(
      said('err.io.readWhat', 'cannot read {what} {path}: {why}', {
        what: 'configuration',
        path: file,
        why: (err as NodeJS.ErrnoException).code ?? String(err),
      }),
      file,
      { cause: err },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(
      said('err.config.json', 'configuration {path} is not valid JSON: {reason}', { path: file, reason: (err as Error).message }),
      {
        cause: err,
      },
    );
  }
  return buildConfig(raw, path.dirname(path.resolve(file)), env);
}
