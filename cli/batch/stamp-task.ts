/**
 * The `stamp` task: stamp one file into its output path. Each thread builds its signer once
 * (a key file, a PKCS#11 session or a remote signer).
 * Never throws: a failure is a result with verdict `Failed` and its one error line.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { signerFromFlags, type SignerFlagValues } from '../commands/signer-flags.ts';
import { stamp, type StampOptions } from '../../src/service/stamp.ts';
import { sidecarPathOf } from '../../src/verify/engine/sidecar.ts';
import { ToolkitError } from '../../src/errors.ts';
import { formatStampLine } from '../../src/service/human-text.ts';
import { EXIT, errorLine, exitCodeFor } from '../exit-codes.ts';
import type { BatchConfig, Task, TaskResult } from './types.ts';

/** The stamp options carried to each thread (the signer as paths, loaded there). */
export interface StampTaskOptions {
  /** The signing flags (--cert, --key or --remote-signer, ...); each thread builds its own signer. */
  readonly signer: SignerFlagValues;
  /** Single-file mode: the output path; folder mode uses each input's `out`. */
  readonly output?: string;
  /** Write each manifest store to a `NAME.c2pa` sidecar beside the output instead of embedding it. */
  readonly sidecar?: boolean;
  readonly stamp: Omit<StampOptions, 'signer' | 'output' | 'sidecar'>;
}

/** Create the stamp task. @throws as `signerFromFlags` when the certificate or key is unusable (before any file). */
export async function createTask(config: BatchConfig): Promise<Task> {
  const o = config.options as StampTaskOptions;
  const { signer } = await signerFromFlags(o.signer, ''); // released with the thread
  return async ({ seq, path: file, out }): Promise<TaskResult> => {
    const output = out ?? o.output!;
    try {
      if (out) mkdirSync(path.dirname(out), { recursive: true });
      const r = await stamp(file, { ...o.stamp, signer, output, ...(o.sidecar ? { sidecar: sidecarPathOf(output) } : {}) });
      const result = {
        output: r.path,
        format: r.format,
        manifest: r.manifestLabel,
        label: r.label,
        explicit: r.explicit ?? null,
        watermark: r.watermark ?? null,
        earlier: r.earlier ?? null,
        sidecar: r.sidecar ?? null,
      };
      const base = {
        seq,
        path: file,
        verdict: 'Stamped',
        pass: true,
        exit: EXIT.OK,
        stderr: '',
        output,
        ...(r.sidecar ? { sidecar: r.sidecar } : {}),
      };
      if (config.mode === 'jsonl') return { ...base, stdout: `${JSON.stringify({ path: file, verdict: 'Stamped', ...result })}\n` };
      if (config.mode === 'json') return { ...base, stdout: `${JSON.stringify(result, null, 2)}\n` };
      return { ...base, stdout: formatStampLine(file, r, config.lang ?? 'en') };
    } catch (err) {
      const exit = exitCodeFor(err);
      const error =
        err instanceof ToolkitError
          ? { code: err.code, message: err.message.split('\n', 1)[0] }
          : { code: 'INTERNAL', message: String(err) };
      const base = { seq, path: file, verdict: 'Failed', pass: false, exit };
      if (config.mode === 'jsonl') return { ...base, stdout: `${JSON.stringify({ path: file, verdict: 'Failed', error })}\n`, stderr: '' };
      return { ...base, stdout: '', stderr: `${errorLine(err, 'stamp')}${config.mode === 'lines' ? ` (${file})` : ''}\n` };
    }
  };
}
