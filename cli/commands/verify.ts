/**
 * `aigc verify FILE` — validate a file's C2PA manifests and GB 45438 label; print a short
 * summary or the JSON report; the exit code says what was found (see `usage`).
 */
import path from 'node:path';
import { parse } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { verify, type VerifyOptions } from '../../src/service/verify.ts';
import type { TrustOptions } from '../../src/verify/engine/trust-options.ts';
import { TRUST_FLAGS, type TrustFlagValues, trustFromFlags } from './common.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { formatVerifySummary } from '../../src/verify/render/format-summary.ts';
import { kindOf } from '../../src/verify/report/status-codes.ts';

/** One-line description for `aigc --help`. */
export const summary = 'validate manifests, signatures, chains and labels';

/** Options shared by `verify` and `inspect`. */
export const TRUST_OPTIONS = {
  ...TRUST_FLAGS,
  'cawg-trust': { type: 'string', multiple: true },
  at: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Full usage text. */
export const usage = `Usage: aigc verify FILE [--fragment SEGMENT]... [--trust roots.pem]... [--allowed list.pem] [--crl crl.pem]... [--cawg-trust roots.pem]... [--at ISO-DATE] [--json]

Validate the C2PA manifest store of FILE (the active manifest and every ingredient: claim
signature, certificate chain at the trusted time-stamp's time, hashed URIs, hard binding,
actions) and its GB 45438 implicit label (carriers, signed assertion, provider codes, chain).
A file without an embedded manifest is checked against NAME.c2pa beside it (a sidecar), if
present; a bare .c2pa store given alone is reported but never Trusted or Valid. The verdict is
Invalid when any step of the provenance chain fails, including failures a platform recorded
for its ingredient (chain.* codes name the step).

  --trust FILE    PEM trust anchors (repeatable). Default: the file named by $AIGC_TRUST,
                  else none — then a good signature is at best "Valid" (not trusted).
  --allowed FILE  allowed end-entity certificates (PEM or base64 SHA-256 lines)
  --crl FILE      PEM CRLs to check every certificate of a signer's path (repeatable)
  --cawg-trust FILE  PEM anchors for CAWG identity (cawg.x509.cose) signers (repeatable);
                  kept apart from --trust, as c2pa-rs does. Default: none (untrusted)
  --at DATE       judge certificates at this time instead of now (a trusted time-stamp wins)
  --fragment SEG  a fragment (DASH/HLS .m4s) of the fragmented MP4 whose init segment is
                  FILE (repeatable): each is checked against FILE's c2pa.hash.bmff Merkle
                  maps, e.g. aigc verify dashinit.mp4 --fragment dash1.m4s
  --json          print the full JSON report

A file without a manifest is also searched for an aigc-provenance invisible watermark (images).

Exit codes:
  0   Trusted: valid and the signer chains to a trust anchor
  1   Invalid: a failure in the manifests or the label (or a damaged file)
  2   nothing found: no manifest and no label (also: a format we do not read)
  3   Valid but not trusted; also a GB 45438 label or an invisible watermark without any
      manifest (a stripped copy: the watermark's identifier is printed)
  64  usage error (including an unreadable --trust/--allowed/--crl file)
  66  FILE cannot be read
`;

/**
 * Build `verify` options from parsed CLI values (trust files, $AIGC_TRUST, --at).
 * @throws {InvalidArgumentError} for an unreadable or unusable trust file or a bad date.
 */
export async function optionsFrom(values: TrustFlagValues & { at?: string }, text: string): Promise<VerifyOptions> {
  const trust = await trustFromFlags(values, text);
  const out: { trust: TrustOptions; at?: Date } = { trust };
  if (values.at !== undefined) {
    const at = new Date(values.at);
    if (!Number.isFinite(at.getTime())) throw InvalidArgumentError.expected('an ISO 8601 date', '--at', values.at);
    out.at = at;
  }
  return out;
}

/** The exit code for a report (see `usage`). */
export function exitCodeOf(r: VerifyReport): number {
  if (r.error?.code === 'IO_ERROR') return EXIT.NO_INPUT;
  if (r.validation_state === 'Trusted') return EXIT.OK;
  if (r.validation_state === 'Valid') return EXIT.UNTRUSTED;
  if (r.validation_state === 'Invalid') return EXIT.INVALID;
  if (r.error) return r.error.code === 'UNSUPPORTED_FORMAT' ? EXIT.NOTHING_FOUND : EXIT.INVALID;
  if (r.labels.status.some((e) => kindOf(e.code) === 'failure')) return EXIT.INVALID;
  return r.labels.gb45438 || r.labels.iptc || (r.watermark && r.watermark.found) ? EXIT.UNTRUSTED : EXIT.NOTHING_FOUND;
}

/** The one positional FILE. @throws {InvalidArgumentError} otherwise. */
export function fileArg(positionals: string[], text: string): string {
  if (positionals.length !== 1) throw new InvalidArgumentError(`expected exactly one FILE, got ${positionals.length}\n\n${text}`);
  return positionals[0]!;
}

/** Options of `verify` and `inspect`: the trust options plus repeatable `--fragment`. */
export const VERIFY_OPTIONS = { ...TRUST_OPTIONS, fragment: { type: 'string', multiple: true } } as const;

/** Run `aigc verify`. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, VERIFY_OPTIONS, usage);
  const file = fileArg(positionals, usage);
  const options = await optionsFrom(values, usage);
  const report = await verify(file, values.fragment?.length ? { ...options, fragments: values.fragment } : options);
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatVerifySummary(report, path.basename(file))}\n`);
  return exitCodeOf(report);
}
