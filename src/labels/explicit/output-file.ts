/**
 * Safe output for the renderers: results are written to a temporary file beside the destination
 * and renamed into place (`binary/atomic-write.ts`), so a failure never leaves a half-written
 * file and the input is never overwritten.
 */
import { stat } from 'node:fs/promises';
import { samePath, writeViaTempPath } from '../../binary/atomic-write.ts';
import { InvalidArgumentError, IoError, said } from '../../errors.ts';

/**
 * Check that `input` is a readable regular file.
 * @throws {IoError} when it is missing or not a regular file.
 */
export async function assertInputFile(input: string): Promise<void> {
  try {
    const st = await stat(input);
    if (!st.isFile()) throw new IoError(said('err.io.notRegularPath', '{path} is not a regular file', { path: input }), input);
  } catch (err) {
    if (err instanceof IoError) throw err;
    throw new IoError(
      said('err.io.read', 'cannot read {path}: {why}', { path: input, why: (err as NodeJS.ErrnoException).code ?? String(err) }),
      input,
      {
        cause: err,
      },
    );
  }
}

/**
 * Run `produce(tmp)` which must write the complete result to `tmp` (a fresh path in the output's
 * directory with the output's extension), then rename it to `output`. The temporary file is removed
 * on failure.
 * @throws {InvalidArgumentError} when `output` is the input file.
 * @throws {IoError} when the rename fails; whatever `produce` throws.
 */
export async function writeViaTemp<T>(input: string, output: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  if (await samePath(input, output)) {
    throw InvalidArgumentError.expected('an output path different from the input (the input is never overwritten)', 'output', output);
  }
  return writeViaTempPath(output, produce);
}
