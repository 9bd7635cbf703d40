/**
 * Step `claim`: report what went wrong inside the manifest box (claim missing, several
 * claims, claim CBOR invalid or a required field missing, no claim signature, assertion
 * content that does not decode) and interpret every assertion once for later steps.
 * Without a usable claim nothing else can be checked, so the manifest's validation stops.
 */
import { interpretAssertion } from '../../../manifest/index.ts';
import { isStatusCode } from '../../report/status-codes.ts';
import type { ManifestContext, Step } from '../context.ts';
import { urls } from '../uri.ts';

/** Store problem codes that end the manifest's validation. */
const FATAL = new Set(['claim.missing', 'claim.cbor.invalid', 'claim.malformed', 'manifest.compressed.unsupported']);

/** Map the parser's per-manifest problems to status codes and interpret the assertions. */
export const claimStep: Step = {
  name: 'claim',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset, result } = ctx;
    const t = asset.tracker;
    for (const p of m.problems) {
      if (p.code.startsWith('assertion.')) continue; // reported per assertion below
      if (p.code === 'claimSignature.missing') t.add('claimSignature.missing', urls.signature(m), p.message);
      else if (p.code === 'claim.missing') t.add('claim.missing', urls.manifest(m), p.message);
      else if (isStatusCode(p.code)) t.add(p.code, urls.claim(m), p.message);
      else t.add('general.error', urls.manifest(m), `${p.code}: ${p.message}`);
      if (FATAL.has(p.code) && !m.claim) result.stopped = p.code;
    }
    if (!m.claim) {
      result.stopped ??= 'claim.missing';
      return;
    }
    for (const a of m.assertions) {
      if (a.error) {
        t.add(
          a.kind === 'json' ? 'assertion.json.invalid' : 'assertion.cbor.invalid',
          urls.assertion(m, a.label),
          `${a.label}: ${a.error.message}`,
        );
        continue;
      }
      try {
        const k = interpretAssertion(a);
        if (k) result.known.set(a.label, k);
      } catch (err) {
        result.malformed.set(a.label, (err as Error).message);
      }
    }
  },
};
