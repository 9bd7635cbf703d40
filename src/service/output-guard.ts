/**
 * One rule for outputs (issue #12 §5): `stamp` and `propagate` never replace an existing
 * output file unless asked (`force: true`, CLI `--force`); writing over the input itself
 * needs `inPlace` (`--in-place`) instead. Outputs are written to a temporary file and renamed.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { RefusedError } from '../errors.ts';

/**
 * Refuse an existing `output` without `force` (the input path itself is `guardInPlace`'s).
 * @throws {RefusedError} naming `--force`.
 */
export function guardOutput(output: string | undefined, force: boolean | undefined, input: unknown): void {
  if (!output || force) return;
  if (typeof input === 'string' && path.resolve(input) === path.resolve(output)) return;
  let exists = false;
  try {
    exists = statSync(output).isFile() || true;
  } catch {
    exists = false;
  }
  if (exists) throw new RefusedError(`refusing to overwrite the existing output ${output}; pass --force (force: true) to replace it`, '--force');
}
