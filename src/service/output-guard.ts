/**
 * One rule for outputs (issue #12 §5): `stamp` and `propagate` never replace an existing
 * output file unless asked (`force: true`, CLI `--force`); writing over the input itself
 * needs `inPlace` (`--in-place`) instead. Outputs are written to a temporary file and renamed.
 */
import { statSync } from 'node:fs';
import { samePath } from '../binary/atomic-write.ts';
import { RefusedError } from '../errors.ts';

/**
 * Refuse an existing `output` without `force` (the input file itself, also through a link,
 * is `guardInPlace`'s: the paths are compared as it compares them, with `samePath`).
 * Returns whether `output` was found to exist: false lets `guardInPlace` skip its own lookup
 * of the path; undefined when it was not looked up (no output, or `force`).
 * @throws {RefusedError} naming `--force`.
 */
export async function guardOutput(output: string | undefined, force: boolean | undefined, input: unknown): Promise<boolean | undefined> {
  if (!output || force) return undefined;
  let exists = false;
  try {
    exists = statSync(output, { throwIfNoEntry: false }) !== undefined;
  } catch {
    exists = false;
  }
  if (exists && typeof input === 'string' && (await samePath(input, output))) return true;
  if (exists) {
    throw new RefusedError(`refusing to overwrite the existing output ${output}; pass --force (force: true) to replace it`, '--force', {
      detail: { key: 'err.refused.overwrite', params: { path: output } },
    });
  }
  return false;
}
