/**
 * `aigc trust show` — print the trust configuration in force: every list (bundled, replaced
 * or user anchors) with its use, source, date and anchors, plus the allowed list, extra EKUs
 * and CRLs. Takes the same trust flags as `verify`.
 */
import { parse } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { resolveTrust } from '../../src/verify/engine/trust-options.ts';
import { TRUST_FLAGS, TRUST_USAGE, trustFromFlags } from './common.ts';

/** One-line description for `aigc --help`. */
export const summary = 'show the trust lists and anchors in force';

/** Full usage text. */
export const usage = `Usage: aigc trust show [--trust FILE|DIR]... [--trust-list FILE] [--tsa-trust FILE] [--no-default-trust]
                       [--settings FILE] [--allowed FILE] [--crl FILE]... [--json]

Print the trust lists in force — by default the bundled C2PA trust list (claim signers) and
C2PA TSA trust list, with their issue dates — and every anchor in them, as 'aigc verify'
would use them with the same flags.

${TRUST_USAGE}  --json             print the configuration as JSON
`;

/** Run `aigc trust <sub-command>`. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'show')
    throw new InvalidArgumentError(`expected 'aigc trust show', got ${sub === undefined ? 'nothing' : `'${sub}'`}\n\n${usage}`);
  const { values, positionals } = parse(rest, { ...TRUST_FLAGS, json: { type: 'boolean' } }, usage);
  if (positionals.length) throw new InvalidArgumentError(`unexpected argument ${positionals[0]}\n\n${usage}`);
  const trust = await trustFromFlags(values, usage);
  const config = resolveTrust(trust);
  const seen = new Set(config.anchors.map((a) => a.fingerprint256));
  const all = [...config.anchors, ...config.tsaAnchors.filter((a) => !seen.has(a.fingerprint256))];
  const lists = config.lists.map((l) => ({
    ...l,
    anchors: all
      .filter((a) => config.anchorSources.get(a.fingerprint256)?.includes(l.name))
      .map((a) => ({ subject: a.subject.text, sha256: a.fingerprint256, not_after: a.notAfter.toISOString() })),
  }));
  const out = { lists, allowed_list: config.allowedList.length, extra_ekus: config.extraEkus, crls: config.crls.length };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.OK;
  }
  const lines: string[] = [];
  if (!lists.length) lines.push('no trust anchors: every signer is at best Valid (untrusted)');
  for (const l of lists) {
    lines.push(`${l.name}: ${l.count} anchor(s) for ${l.use}; source ${l.source}${l.issued ? `; issued ${l.issued}` : ''}`);
    if (l.next_update && Date.parse(l.next_update) < Date.now())
      lines.push(
        `  ! the publisher planned a newer issue for ${l.next_update.slice(0, 10)}: download it and pass it with --trust-list/--tsa-trust`,
      );
    for (const a of l.anchors) lines.push(`  - ${a.subject} (until ${a.not_after.slice(0, 10)})`);
    for (const s of l.skipped) lines.push(`  ! skipped ${s}`);
  }
  if (out.allowed_list) lines.push(`allowed list: ${out.allowed_list} end-entity certificate(s)`);
  if (out.extra_ekus.length) lines.push(`extra signer EKUs: ${out.extra_ekus.join(', ')}`);
  if (out.crls) lines.push(`CRLs: ${out.crls}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.OK;
}
