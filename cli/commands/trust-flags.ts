/**
 * Trust flags shared by `verify`, `inspect` and `trust show`: `--trust FILE|DIR` (repeatable;
 * a folder contributes its .pem/.crt/.cer files), `--trust-list FILE` and `--tsa-trust FILE`
 * (replace the bundled lists), `--no-default-trust`, `--settings FILE` (c2patool-style JSON or
 * TOML), `--allowed FILE`, `--crl FILE` (repeatable), `--at DATE`. Flags win over settings.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, ToolkitError } from '../../src/errors.ts';
import { readPkiFile } from '../../src/crypto/keys.ts';
import type { VerifyOptions } from '../../src/service/verify.ts';
import { resolveTrust, type TrustOptions } from '../../src/verify/trust-options.ts';
import { trustOptionsFromSettings } from '../../src/verify/trust-settings.ts';

/** parseArgs options of the trust flags. */
export const TRUST_OPTIONS = {
  trust: { type: 'string', multiple: true },
  'trust-list': { type: 'string' },
  'tsa-trust': { type: 'string' },
  'no-default-trust': { type: 'boolean' },
  settings: { type: 'string' },
  allowed: { type: 'string' },
  crl: { type: 'string', multiple: true },
  at: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Usage lines of the trust flags. */
export const TRUST_USAGE = `  --trust FILE|DIR   add PEM trust anchors (repeatable; a folder adds its .pem/.crt/.cer files).
                     Default: the file named by $AIGC_TRUST, if set. User anchors count for
                     signers and time-stamp authorities, next to the bundled lists.
  --trust-list FILE  use this C2PA trust list (a newer download) instead of the bundled one
  --tsa-trust FILE   use this C2PA TSA trust list instead of the bundled one
  --no-default-trust do not use the bundled C2PA trust lists
  --settings FILE    c2patool-style settings (JSON or TOML): [trust] user_anchors,
                     trust_anchors, tsa_anchors, allowed_list, trust_config (EKU OIDs),
                     default_trust. Flags win over the file.
  --allowed FILE     allowed end-entity certificates (PEM or base64 SHA-256 lines)
  --crl FILE         PEM CRLs to check every certificate of a signer's path (repeatable)
  --at DATE          judge certificates at this time instead of now (a trusted time-stamp wins)
`;

/** The flag values {@link trustFrom} reads. */
export interface TrustFlagValues {
  trust?: string[]; 'trust-list'?: string; 'tsa-trust'?: string; 'no-default-trust'?: boolean;
  settings?: string; allowed?: string; crl?: string[]; at?: string;
}

async function readText(file: string, flag: string, usage: string): Promise<string> {
  try {
    return (await readPkiFile(file, flag)).toString('utf8');
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}\n\n${usage}`, { cause: err });
  }
}

const CERT_FILE = /\.(pem|crt|cer)$/i;

/** PEM text of a `--trust` argument: a file, or every certificate file of a folder. */
async function anchorsOf(arg: string, usage: string): Promise<string> {
  let isDir = false;
  try {
    isDir = (await stat(arg)).isDirectory();
  } catch {
    isDir = false; // readText reports the missing file
  }
  if (!isDir) return readText(arg, '--trust file', usage);
  const files = (await readdir(arg)).filter((f) => CERT_FILE.test(f)).sort();
  if (files.length === 0) throw new InvalidArgumentError(`--trust folder ${arg} holds no .pem/.crt/.cer file\n\n${usage}`);
  return (await Promise.all(files.map((f) => readText(path.join(arg, f), '--trust file', usage)))).join('\n');
}

/**
 * Build trust options from the flags (and $AIGC_TRUST), checking that they parse.
 * @throws {InvalidArgumentError} for an unreadable or unusable file, or a bad date.
 */
export async function trustFrom(values: TrustFlagValues, usage: string): Promise<VerifyOptions> {
  const settings = values.settings ? trustOptionsFromSettings(await readText(values.settings, '--settings file', usage)) : {};
  const trust: { -readonly [K in keyof TrustOptions]: TrustOptions[K] } = { ...settings };
  const names = { ...settings.sourceNames };
  const anchorArgs = values.trust?.length ? values.trust : process.env.AIGC_TRUST ? [process.env.AIGC_TRUST] : [];
  if (anchorArgs.length) {
    const pems = await Promise.all(anchorArgs.map((a) => anchorsOf(a, usage)));
    trust.anchorsPem = [...(settings.anchorsPem ? [settings.anchorsPem as string] : []), ...pems];
    names.anchors = [names.anchors, ...anchorArgs.map((a) => path.basename(a))].filter(Boolean).join(', ');
  }
  if (values['trust-list']) {
    trust.trustListPem = await readText(values['trust-list'], '--trust-list file', usage);
    names.trustList = `${path.basename(values['trust-list'])} (--trust-list)`;
  }
  if (values['tsa-trust']) {
    trust.tsaTrustListPem = await readText(values['tsa-trust'], '--tsa-trust file', usage);
    names.tsaTrustList = `${path.basename(values['tsa-trust'])} (--tsa-trust)`;
  }
  if (values['no-default-trust']) trust.defaultTrust = false;
  if (values.allowed) trust.allowedListPem = await readText(values.allowed, '--allowed file', usage);
  if (values.crl?.length) trust.crlsPem = (await Promise.all(values.crl.map((f) => readText(f, '--crl file', usage)))).join('\n');
  trust.sourceNames = names;
  try {
    resolveTrust(trust);
  } catch (err) {
    if (err instanceof ToolkitError) throw new InvalidArgumentError(`unusable trust configuration: ${err.message}\n\n${usage}`, { cause: err });
    throw err;
  }
  const out: { trust: TrustOptions; at?: Date } = { trust };
  if (values.at !== undefined) {
    const at = new Date(values.at);
    if (!Number.isFinite(at.getTime())) throw InvalidArgumentError.expected('an ISO 8601 date', '--at', values.at);
    out.at = at;
  }
  return out;
}
