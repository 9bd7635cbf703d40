/**
 * Safe output for the renderers: results are written to a temporary file beside the destination
 * and renamed into place, so a failure never leaves a half-written file and the input is never
 * overwritten.
 */
import { randomBytes } from 'node:crypto';
import { realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, IoError } from '../../errors.ts';

async function resolved(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    // The destination may not exist yet: resolve its directory.
    try {
      return path.join(await realpath(path.dirname(path.resolve(p))), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

/**
 * Check that `input` is a readable regular file.
 * @throws {IoError} when it is missing or not a regular file.
 */
export async function assertInputFile(input: string): Promise<void> {
  try {
    const st = await stat(input);
    if (!st.isFile()) throw new IoError(`${input} is not a regular file`, input);
  } catch (err) {
    if (err instanceof IoError) throw err;
    throw new IoError(`cannot read ${input}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, input, { cause: err });
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
  if ((await resolved(input)) === (await resolved(output))) {
    throw InvalidArgumentError.expected('an output path different from the input (the input is never overwritten)', 'output', output);
  }
  const ext = path.extname(output);
  const tmp = path.join(path.dirname(path.resolve(output)), `.${path.basename(output, ext)}.${randomBytes(6).toString('hex')}.tmp${ext}`);
  try {
    const result = await produce(tmp);
    try {
      await rename(tmp, output);
    } catch (err) {
      throw new IoError(`cannot write ${output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, output, { cause: err });
    }
    return result;
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
