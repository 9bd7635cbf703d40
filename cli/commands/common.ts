/** Helpers shared by CLI commands. */
import { usageError } from '../args.ts';
import { said } from '../../src/errors.ts';
import { t } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, ToolkitError } from '../../src/errors.ts';
import type { TrustOptions } from '../../src/verify/engine/trust-options.ts';
// The PKI file reader and the trust parser are loaded when a command reads its trust flags, not
// with this module: `aigc verify DIR` starts its worker threads first (cli/commands/verify.ts).

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
 * The trust flags of every command that verifies (`verify`, `inspect`, `propagate`) and of
 * `trust show`: `--trust FILE|DIR` (repeatable; a folder contributes its .pem/.crt/.cer
 * files), `--trust-list FILE` and `--tsa-trust FILE` (replace the bundled lists),
 * `--no-default-trust`, `--settings FILE` (c2patool-style JSON or TOML), `--allowed FILE`,
 * `--crl FILE` (repeatable). Flags win over settings.
 */
export const TRUST_FLAGS = {
  trust: { type: 'string', multiple: true },
  'trust-list': { type: 'string' },
  'no-default-trust': { type: 'boolean' },
  settings: { type: 'string' },
  allowed: { type: 'string' },
  crl: { type: 'string', multiple: true },
  'tsa-trust': { type: 'string', multiple: true },
  'public-tsa-roots': { type: 'boolean' },
  'no-public-tsa-roots': { type: 'boolean' },
  'ocsp-fetch': { type: 'boolean' },
  'cawg-trust': { type: 'string', multiple: true },
} as const;

/** Parsed values of {@link TRUST_FLAGS}. */
export interface TrustFlagValues {
  trust?: string[];
  'trust-list'?: string;
  'tsa-trust'?: string[];
  'no-default-trust'?: boolean;
  settings?: string;
  allowed?: string;
  crl?: string[];
  'public-tsa-roots'?: boolean;
  'no-public-tsa-roots'?: boolean;
  'ocsp-fetch'?: boolean;
  'cawg-trust'?: string[];
}

async function readOption(file: string, flag: string, usage: string): Promise<string> {
  const { readPkiFile } = await import('../../src/crypto/keys.ts');
  try {
    return (await readPkiFile(file, flag)).toString('utf8');
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}\n\n${usage}`, {
      cause: err,
      ...(err instanceof ToolkitError && err.detail ? { detail: err.detail } : {}),
    });
  }
}

const CERT_FILE = /\.(pem|crt|cer)$/i;

/** PEM text of a `--trust` argument: a file, or every certificate file of a folder. */
async function anchorsOf(arg: string, usage: string, flag = '--trust file'): Promise<string> {
  let isDir = false;
  try {
    isDir = (await stat(arg)).isDirectory();
  } catch {
    isDir = false; // readOption reports the missing file
  }
  if (!isDir) return readOption(arg, flag, usage);
  const files = (await readdir(arg)).filter((f) => CERT_FILE.test(f)).sort();
  if (files.length === 0)
    throw usageError(said('err.cli.trustFolder', '--trust folder {folder} holds no .pem/.crt/.cer file', { folder: arg }), usage);
  return (await Promise.all(files.map((f) => readOption(path.join(arg, f), '--trust file', usage)))).join('\n');
}

/**
 * The trust options from the flags (and $AIGC_TRUST, when no `--trust` is given), checked
 * once here. Without flags: the bundled C2PA trust lists. Anchors skipped from what the user
 * gave (not CAs) are reported on stderr as warnings.
 * @throws {InvalidArgumentError} for an unreadable or unusable file (exit 64 in every command).
 */
export async function trustFromFlags(values: TrustFlagValues, usage: string): Promise<TrustOptions> {
  const [{ resolveTrust }, { trustOptionsFromSettings }] = await Promise.all([
    import('../../src/verify/engine/trust-options.ts'),
    import('../../src/verify/engine/trust-settings.ts'),
  ]);
  const settings = values.settings ? trustOptionsFromSettings(await readOption(values.settings, '--settings file', usage)) : {};
  const trust: { -readonly [K in keyof TrustOptions]: TrustOptions[K] } = { ...settings };
  const names = { ...settings.sourceNames };
  const fromEnv = !values.trust?.length && !!process.env.AIGC_TRUST;
  const anchorArgs = values.trust?.length ? values.trust : fromEnv ? [process.env.AIGC_TRUST!] : [];
  if (anchorArgs.length) {
    const pems = await Promise.all(anchorArgs.map((a) => anchorsOf(a, usage, fromEnv ? '$AIGC_TRUST file' : '--trust file')));
    trust.anchorsPem = [...(settings.anchorsPem ? [settings.anchorsPem as string] : []), ...pems];
    names.anchors = [names.anchors, ...anchorArgs.map((a) => path.basename(a))].filter(Boolean).join(', ');
  }
  if (values['trust-list']) {
    trust.trustListPem = await readOption(values['trust-list'], '--trust-list file', usage);
    names.trustList = `${path.basename(values['trust-list'])} (--trust-list)`;
  }
  const tsaFiles = values['tsa-trust'] ?? [];
  if (tsaFiles.length) {
    trust.tsaTrustListPem = (await Promise.all(tsaFiles.map((f) => readOption(f, '--tsa-trust file', usage)))).join('\n');
    names.tsaTrustList = `${tsaFiles.map((f) => path.basename(f)).join(', ')} (--tsa-trust)`;
  }
  if (values['no-default-trust']) trust.defaultTrust = false;
  if (values.allowed) trust.allowedListPem = await readOption(values.allowed, '--allowed file', usage);
  if (values.crl?.length) trust.crlsPem = (await Promise.all(values.crl.map((f) => readOption(f, '--crl file', usage)))).join('\n');
  const cawg = values['cawg-trust'];
  if (cawg?.length) trust.cawgAnchorsPem = (await Promise.all(cawg.map((f) => readOption(f, '--cawg-trust file', usage)))).join('\n');
  if (values['public-tsa-roots'] && !values['no-public-tsa-roots']) trust.publicTsaRoots = true;
  if (values['ocsp-fetch']) trust.ocspFetch = true;
  trust.sourceNames = names;
  let config: ReturnType<typeof resolveTrust>;
  try {
    config = resolveTrust(trust);
  } catch (err) {
    if (err instanceof ToolkitError)
      throw usageError(
        said('err.cli.trustUnusable', 'unusable trust configuration: {message}', { message: err.message.split('\n', 1)[0]!.trim() }),
        usage,
        err,
      );
    throw err;
  }
  for (const w of config.warnings ?? []) process.stderr.write(`${t(cliLang(), 'err.warning', { message: w })}\n`);
  return trust;
}
