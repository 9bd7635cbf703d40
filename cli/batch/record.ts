/**
 * `--record DIR` for batch commands: each output a task wrote is recorded in the manifest repository
 * from the main thread (the repository and its log have one writer), and the record is added to the
 * file's printed result. A file that was written but could not be recorded counts as failed.
 */
import { ToolkitError } from '../../src/errors.ts';
import { recordOutput, type RecordedOutput } from '../../src/repository/add-file.ts';
import { ManifestRepository } from '../../src/repository/repository.ts';
import { recordedText } from '../../src/service/human-text.ts';
import { errorLine, exitCodeFor } from '../exit-codes.ts';
import { cliLang } from '../lang.ts';
import type { OutputMode, TaskResult } from './types.ts';

/** Records the outputs of a batch. */
export interface BatchRecorder {
  /** Record the result's output (when it passed and wrote one) and amend what is printed. */
  after(r: TaskResult): Promise<TaskResult>;
  /** Flush the log and close the repository. */
  close(): Promise<void>;
}

function amend(r: TaskResult, rec: RecordedOutput, mode: OutputMode): TaskResult {
  if (mode === 'json' || mode === 'jsonl') {
    const obj = { ...(JSON.parse(r.stdout) as Record<string, unknown>), recorded: rec };
    return { ...r, stdout: `${mode === 'json' ? JSON.stringify(obj, null, 2) : JSON.stringify(obj)}\n` };
  }
  return { ...r, stdout: `${r.stdout}  ${recordedText(rec, cliLang())}\n` };
}

/**
 * Open the repository in `dir` (creating it and its log on first use).
 * @throws {ExternalToolError} when better-sqlite3 is not built; {@link IoError} / {@link LogIntegrityError} when the folder cannot be opened.
 */
export async function openRecorder(dir: string, mode: OutputMode, command: string): Promise<BatchRecorder> {
  const repo = await ManifestRepository.open(dir);
  return {
    async after(r) {
      if (!r.pass || !r.output) return r;
      try {
        return amend(r, await recordOutput(repo, r.output, r.sidecar), mode);
      } catch (err) {
        const error =
          err instanceof ToolkitError
            ? { code: err.code, message: err.message.split('\n', 1)[0] }
            : { code: 'INTERNAL', message: String(err) };
        const failed = { ...r, verdict: 'Failed', pass: false, exit: exitCodeFor(err) };
        if (mode === 'jsonl')
          return {
            ...failed,
            stdout: `${JSON.stringify({ path: r.path, verdict: 'Failed', output: r.output, error: { ...error, message: `written but not recorded: ${error.message}` } })}\n`,
          };
        return {
          ...failed,
          stdout: mode === 'json' ? '' : r.stdout,
          stderr: `${errorLine(err, command)} (${r.output} was written but not recorded)\n`,
        };
      }
    },
    close: () => repo.close(),
  };
}
