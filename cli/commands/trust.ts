/**
 * `aigc trust show` — print the trust configuration in force: every list (bundled, replaced
 * or user anchors) with its use, source, date and anchors, plus the allowed list, extra EKUs
 * and CRLs. Takes the same trust flags as `verify`.
 */
import { said } from '../../src/errors.ts';
import { parse, usageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { resolveTrust } from '../../src/verify/engine/trust-options.ts';
import { TRUST_FLAGS, trustFromFlags } from './common.ts';
import { translator } from '../../src/i18n/lang.ts';
import { cliLang } from '../lang.ts';
import { usageText } from '../../src/i18n/usage.ts';

/** One-line description for `aigc --help`. */
export const summary = 'show the trust lists and anchors in force';

/** Full usage text. */
export const usage = usageText('trust');

/** Run `aigc trust <sub-command>`. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'show')
    throw sub === undefined
      ? usageError(said('err.cli.trustNothing', "expected 'aigc trust show', got nothing"), usage)
      : usageError(said('err.cli.trustGot', "expected 'aigc trust show', got '{sub}'", { sub }), usage);
  const { values, positionals } = parse(rest, { ...TRUST_FLAGS, json: { type: 'boolean' } }, usage);
  if (positionals.length) throw usageError(said('err.unexpectedArgument', 'unexpected argument {arg}', { arg: positionals[0]! }), usage);
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
  const tr = translator(cliLang());
  const lines: string[] = [];
  if (!lists.length) lines.push(tr('tools.trust.none'));
  for (const l of lists) {
    const issued = l.issued ? tr('tools.trust.issued', { date: l.issued }) : '';
    lines.push(tr('tools.trust.list', { name: l.name, count: l.count, use: l.use, source: l.source, issued }));
    if (l.next_update && Date.parse(l.next_update) < Date.now()) lines.push(tr('tools.trust.stale', { date: l.next_update.slice(0, 10) }));
    for (const a of l.anchors) lines.push(tr('tools.trust.anchor', { subject: a.subject, date: a.not_after.slice(0, 10) }));
    for (const s of l.skipped) lines.push(tr('tools.trust.skipped', { what: s }));
  }
  if (out.allowed_list) lines.push(tr('tools.trust.allowed', { count: out.allowed_list }));
  if (out.extra_ekus.length) lines.push(tr('tools.trust.ekus', { ekus: out.extra_ekus.join(', ') }));
  if (out.crls) lines.push(tr('tools.trust.crls', { count: out.crls }));
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.OK;
}
