/**
 * Running one job: the same code in the embedded runner and in a BullMQ worker. It reuses
 * the library's services (verify, inspect, decidePrompt, stamp, propagate) and their report
 * shapes. A job commits its result once (first writer wins, see {@link ResultStore}), and a
 * signing job's output folder is renamed into `out/` once, so one id never has two files.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createReadStream, unlinkSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, ToolkitError, said } from '../errors.ts';
import type { Signer } from '../crypto/signer.ts';
import { loadSigner } from '../crypto/local-signer.ts';
import { loadPkcs11Signer } from '../crypto/pkcs11-signer.ts';
import { createRemoteSigner } from '../crypto/remote-signer.ts';
import { readPkiFile } from '../crypto/keys.ts';
import { stamp } from '../service/stamp.ts';
import { propagate } from '../service/propagate.ts';
import { parseTranscodeSpec } from '../service/transcode.ts';
import { kindOf } from '../verify/report/status-codes.ts';
import { resolveTrust, type TrustOptions } from '../verify/engine/trust-options.ts';
import type { LabelPosition, CuePlacement } from '../labels/explicit/index.ts';
import type { ServerConfig, SignerConfig } from './config.ts';
import { SIGNING_OPERATIONS, type JobOutput, type JobResult, type JobSpec } from './job-spec.ts';
import type { ResultStore } from './result-store.ts';
import { attemptRead, failedResult } from './read-job.ts';
import { uniqueName, type SpoolDirs } from './spool.ts';

/** What jobs run with: the spool, trust and the configured signers. */
export interface JobContext {
  readonly dirs: SpoolDirs;
  readonly trust?: TrustOptions;
  readonly stamp?: { readonly signer: Signer; readonly producer: string; readonly model?: string };
  readonly propagate?: { readonly signer: Signer; readonly propagator: string };
  /** Release the signers (PKCS#11 sessions). */
  close(): void;
}

/**
 * The signer a configuration names (file, PKCS#11 or remote).
 * @throws {KeyError} {@link SigningError} {@link ExternalToolError} {@link IoError} from the chosen signer.
 */
export async function loadConfiguredSigner(c: SignerConfig): Promise<Signer & { close?: () => void }> {
  const secret = (name: string | undefined): string | undefined => (name ? process.env[name] || undefined : undefined);
  if (c.type === 'pkcs11') {
    const pin = secret(c.pinEnv);
    return loadPkcs11Signer({ uri: c.uri, chainPath: c.cert, ...(pin ? { pin } : {}) });
  }
  if (c.type === 'remote') {
    const token = secret(c.tokenEnv);
    return createRemoteSigner({ url: c.url, chainPath: c.cert, ...(token ? { token } : {}) });
  }
  const passphrase = secret(c.passphraseEnv);
  return loadSigner({ chainPath: c.cert, keyPath: c.key, ...(passphrase ? { passphrase } : {}) });
}

/**
 * Load the trust files and signers named by the configuration.
 * @throws {IoError} {@link KeyError} {@link CertificateError} for unusable files.
 */
export async function loadJobContext(config: ServerConfig, dirs: SpoolDirs): Promise<JobContext> {
  const t = config.trust;
  const trust: { anchorsPem?: string[]; allowedListPem?: string; crlsPem?: string } = {};
  if (t.anchors.length)
    trust.anchorsPem = await Promise.all(t.anchors.map(async (f) => (await readPkiFile(f, 'trust anchors')).toString('utf8')));
  if (t.allowed) trust.allowedListPem = (await readPkiFile(t.allowed, 'allowed list')).toString('utf8');
  if (t.crls.length)
    trust.crlsPem = (await Promise.all(t.crls.map(async (f) => (await readPkiFile(f, 'CRL')).toString('utf8')))).join('\n');
  const hasTrust = Object.keys(trust).length > 0;
  if (hasTrust) resolveTrust(trust);
  const stampSigner = config.stamp ? await loadConfiguredSigner(config.stamp.signer) : undefined;
  const propagateSigner = config.propagate ? await loadConfiguredSigner(config.propagate.signer) : undefined;
  return {
    dirs,
    ...(hasTrust ? { trust } : {}),
    ...(config.stamp && stampSigner
      ? { stamp: { signer: stampSigner, producer: config.stamp.producer, ...(config.stamp.model ? { model: config.stamp.model } : {}) } }
      : {}),
    ...(config.propagate && propagateSigner ? { propagate: { signer: propagateSigner, propagator: config.propagate.propagator } } : {}),
    close() {
      stampSigner?.close?.();
      propagateSigner?.close?.();
    },
  };
}

async function describeOutput(file: string, name: string, mime: string): Promise<JobOutput> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return { file: name, mime, size: (await stat(file)).size, sha256: h.digest('hex') };
}

/** Run the operation itself; ToolkitErrors propagate (the caller turns them into a failed result). */
async function runOperation(
  spec: JobSpec,
  ctx: JobContext,
  out: string,
  outName: string,
): Promise<{ result: unknown; output?: JobOutput }> {
  const input = path.join(ctx.dirs.in, spec.input);
  const o = spec.options;
  switch (spec.op) {
    case 'verify':
    case 'inspect':
    case 'decide':
      throw new InvalidArgumentError(said('err.job.readOp', '{op} is a read operation (read-job.ts)', { op: spec.op }));
    case 'stamp': {
      const s = ctx.stamp!;
      const r = await stamp(input, {
        signer: s.signer,
        producer: s.producer,
        output: out,
        ...(o.produce_id ? { produceId: o.produce_id } : {}),
        ...((o.model ?? s.model) ? { model: o.model ?? s.model! } : {}),
        ...(o.watermark ? { watermark: true } : {}),
        explicitLabel:
          o.explicit === false
            ? false
            : {
                ...(o.label_text ? { text: o.label_text } : {}),
                ...(o.label_position ? { position: o.label_position as LabelPosition } : {}),
                ...(o.label_scale ? { scale: o.label_scale } : {}),
                ...(o.audio_cue ? { audioCue: o.audio_cue as CuePlacement } : {}),
              },
      });
      const output = await describeOutput(out, outName, r.format);
      return {
        result: {
          output: output.file,
          format: r.format,
          manifest: r.manifestLabel,
          label: r.label,
          explicit: r.explicit ?? null,
          ...(r.watermark ? { watermark: { alg: r.watermark.alg, id: r.watermark.id } } : {}),
        },
        output,
      };
    }
    case 'propagate': {
      const p = ctx.propagate!;
      const r = await propagate(input, {
        signer: p.signer,
        propagator: p.propagator,
        output: out,
        declaredAi: o.declared_ai === true,
        ...(o.propagate_id ? { propagateId: o.propagate_id } : {}),
        ...(ctx.trust ? { trust: ctx.trust } : {}),
        ...(o.transcode !== undefined ? { transcode: parseTranscodeSpec(o.transcode) } : {}),
      });
      const output = await describeOutput(out, outName, r.incoming.format.mime ?? 'application/octet-stream');
      const labelFailures = r.incoming.labels.status.filter((e) => kindOf(e.code) === 'failure');
      return {
        output,
        result: {
          decision: r.decision,
          output: output.file,
          manifest: r.manifestLabel,
          label: r.label ?? null,
          incoming: {
            validation_state: r.incoming.validation_state,
            c2pa_validation_state: r.incoming.c2pa_validation_state,
            failures: [...r.incoming.validation_status, ...labelFailures],
          },
        },
      };
    }
  }
}

/** Name of the committed output folder's result file. */
const RESULT_FILE = 'result.json';

async function readCommitted(dir: string): Promise<JobResult | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, RESULT_FILE), 'utf8')) as JobResult;
  } catch {
    return undefined;
  }
}

/**
 * Run a signing job into a private folder under `tmp/` (the file and its result.json), then
 * rename that folder to `out/<id>`: the rename succeeds for the first run only, so one job
 * id never has two outputs, and a run killed at any point leaves nothing in `out/`.
 */
async function runSigning(spec: JobSpec, ctx: JobContext): Promise<JobResult> {
  const final = path.join(ctx.dirs.out, spec.id);
  const committed = await readCommitted(final);
  if (committed) return committed;
  const work = path.join(ctx.dirs.tmp, `${spec.id}-${uniqueName()}`);
  await mkdir(work, { mode: 0o700 });
  try {
    const mine = await attempt(spec, ctx, path.join(work, 'file'), `${spec.id}/file`);
    await writeFile(path.join(work, RESULT_FILE), JSON.stringify(mine));
    try {
      await rename(work, final);
      return mine;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw err;
      const winner = await readCommitted(final);
      if (!winner) throw err;
      return winner;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function attempt(spec: JobSpec, ctx: JobContext, outPath: string, outName: string): Promise<JobResult> {
  try {
    const { result, output } = await runOperation(spec, ctx, outPath, outName);
    return { id: spec.id, op: spec.op, status: 'completed', result, ...(output ? { output } : {}), finishedAt: new Date().toISOString() };
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw err;
    return failedResult(spec, err);
  }
}

/** Options of {@link executeJob}. */
export interface ExecuteOptions {
  /**
   * The job's first run (no earlier attempt, never stalled): skip reading the store first. Safe
   * either way: the commit still returns a result committed earlier (an identical job run before),
   * and a signing job still finds an output committed in `out/`; the read only spares a retry the work.
   */
  readonly firstRun?: boolean;
  /**
   * Remove a read job's consumed upload with one synchronous `unlink` rather than on the thread
   * pool (a queue worker: its event loop has nothing else to do meanwhile, and a hand-off to the
   * pool wakes a thread per job on cores the other workers and Redis share).
   */
  readonly removeInputSync?: boolean;
}

/**
 * Runs a read job somewhere else (a verify thread); same contract as {@link attemptRead}, and says
 * whether it removed the consumed upload itself.
 */
export type ReadJobRunner = (spec: JobSpec) => Promise<{ result: JobResult; inputRemoved: boolean }>;

/**
 * Execute a job at least once, committing its result exactly once: an already committed
 * result is returned as is; otherwise the operation runs and its result is committed, and
 * if another run of the same job committed first, that run's result is returned. Bad input
 * or arguments give a `failed` result (not retried); other errors are thrown so the queue
 * retries the job. `runRead`, when given, runs the read operations (verify, inspect, decide)
 * in place of this thread.
 */
export async function executeJob(
  spec: JobSpec,
  ctx: JobContext,
  store: ResultStore,
  runRead?: ReadJobRunner,
  options: ExecuteOptions = {},
): Promise<JobResult> {
  let result = options.firstRun ? undefined : await store.get(spec.id);
  let removed = false;
  if (!result) {
    let mine: JobResult;
    if (SIGNING_OPERATIONS.includes(spec.op)) mine = await runSigning(spec, ctx);
    else if (runRead) ({ result: mine, inputRemoved: removed } = await runRead(spec));
    else mine = await attemptRead(spec, ctx.dirs.in, ctx.trust);
    result = await store.commit(mine);
  }
  if (!removed && !spec.bytes) {
    const input = path.join(ctx.dirs.in, spec.input);
    if (options.removeInputSync && !SIGNING_OPERATIONS.includes(spec.op)) removeInputSync(input);
    else await removeInput(input);
  }
  return result;
}

/** {@link removeInput} without the thread pool. */
function removeInputSync(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Remove a consumed upload (one unlink; already gone is fine). */
async function removeInput(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
