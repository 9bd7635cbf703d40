/** Helpers shared by CLI commands. */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, IoError } from '../../src/errors.ts';

/**
 * Read a passphrase from the environment variable named by a `--…-env` flag.
 * @throws {InvalidArgumentError} when the variable is unset or empty.
 */
export function passphraseFromEnv(envName: string | undefined, flag = '--passphrase-env'): string | undefined {
  if (envName === undefined) return undefined;
  const v = process.env[envName];
  if (v === undefined || v === '') throw InvalidArgumentError.expected(`a non-empty environment variable ${envName}`, flag, v);
  return v;
}

/**
 * Trust anchors for commands that verify: `--trust FILE`, else the file named by `$AIGC_TRUST`,
 * else none (nothing trusted).
 * @throws {IoError} when the file cannot be read.
 */
export async function trustFromFlags(trustPath: string | undefined): Promise<{ anchorsPem: string } | undefined> {
  const file = trustPath ?? process.env.AIGC_TRUST;
  if (!file) return undefined;
  try {
    return { anchorsPem: await readFile(file, 'utf8') };
  } catch (err) {
    throw new IoError(`cannot read trust anchors ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file, { cause: err });
  }
}
