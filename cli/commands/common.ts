/** Helpers shared by CLI commands. */
import { InvalidArgumentError } from '../../src/errors.ts';

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
