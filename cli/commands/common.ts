/** Helpers shared by CLI commands. */
import { readPkiFile } from '../../src/crypto/keys.ts';
import { InvalidArgumentError, ToolkitError } from '../../src/errors.ts';
import { resolveTrust, type TrustOptions } from '../../src/verify/engine/trust-options.ts';

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

/** The trust flags of every command that verifies (`verify`, `inspect`, `propagate`). */
export const TRUST_FLAGS = {
  trust: { type: 'string', multiple: true },
  allowed: { type: 'string' },
  crl: { type: 'string', multiple: true },
} as const;

/** Parsed values of {@link TRUST_FLAGS}. */
export interface TrustFlagValues { trust?: string[]; allowed?: string; crl?: string[]; 'cawg-trust'?: string[] }

async function readOption(file: string, flag: string, usage: string): Promise<string> {
  try {
    return (await readPkiFile(file, flag)).toString('utf8');
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}\n\n${usage}`, { cause: err });
  }
}

/**
 * The trust configuration from `--trust FILE`... (else the file named by `$AIGC_TRUST`, else
 * none: nothing trusted), `--allowed FILE` `--crl FILE`... and `--cawg-trust FILE`... (CAWG identity anchors), checked once here. Anchors the
 * store skips (not CAs) are reported on stderr as warnings.
 * @throws {InvalidArgumentError} for an unreadable or unusable file (exit 64 in every command).
 */
export async function trustFromFlags(values: TrustFlagValues, usage: string): Promise<TrustOptions> {
  const trustFiles = values.trust?.length ? values.trust : process.env.AIGC_TRUST ? [process.env.AIGC_TRUST] : [];
  const trust: { anchorsPem?: string[]; allowedListPem?: string; crlsPem?: string; cawgAnchorsPem?: string } = {};
  if (trustFiles.length) trust.anchorsPem = await Promise.all(trustFiles.map((f) => readOption(f, '--trust file', usage)));
  if (values.allowed) trust.allowedListPem = await readOption(values.allowed, '--allowed file', usage);
  if (values.crl?.length) trust.crlsPem = (await Promise.all(values.crl.map((f) => readOption(f, '--crl file', usage)))).join('\n');
  const cawg = values['cawg-trust'];
  if (cawg?.length) trust.cawgAnchorsPem = (await Promise.all(cawg.map((f) => readOption(f, '--cawg-trust file', usage)))).join('\n');
  let config: ReturnType<typeof resolveTrust>;
  try {
    config = resolveTrust(trust);
  } catch (err) {
    if (err instanceof ToolkitError) throw new InvalidArgumentError(`unusable trust configuration: ${err.message}\n\n${usage}`, { cause: err });
    throw err;
  }
  for (const w of config.warnings ?? []) process.stderr.write(`aigc: warning: ${w}\n`);
  return trust;
}
