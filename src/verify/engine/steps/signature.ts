/**
 * Steps `signature` and `signatureResult`: verify the COSE_Sign1 claim signature over the
 * exact stored claim bytes (keeping the parsed chain and time-stamps for the next steps),
 * then — after the time-stamp and credential steps, in the order c2pa-rs logs them —
 * report `claimSignature.insideValidity`/`outsideValidity` and `claimSignature.validated`
 * or `claimSignature.mismatch` / `algorithm.unsupported`.
 */
import { resolveJumbfUri } from '../../../manifest/index.ts';
import { checkClaimSignature } from '../cose-check.ts';
import type { ManifestContext, Step } from '../context.ts';
import { urls } from '../uri.ts';

/** Verify the claim signature; log only a claim that names another signature box. */
export const signatureStep: Step = {
  name: 'signature',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset, result } = ctx;
    const claim = m.claim;
    if (!claim || !m.signature) return;
    const target = resolveJumbfUri(asset.store.root, m.box, claim.signature);
    if (target !== m.signature.box) {
      asset.tracker.add('claimSignature.missing', urls.signature(m), `the claim's signature reference ${claim.signature} does not name this manifest's signature box`);
      return;
    }
    const { leaf, ...cose } = checkClaimSignature(m.signature.cose, claim.raw);
    result.cose = cose;
    if (leaf) result.leaf = leaf; // an unparsable leaf is the credential step's signingCredential.invalid
    for (const w of cose.cose?.warnings ?? []) asset.warnings.push(`${m.label}: ${w}`);
  },
};

/** Report the signature verdict once the validation time and the credential are known. */
export const signatureResultStep: Step = {
  name: 'signatureResult',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset, result } = ctx;
    const v = result.cose;
    if (!v) return;
    const url = urls.signature(m);
    const t = asset.tracker;
    switch (v.status) {
      case 'valid': {
        const leaf = result.leaf;
        const at = result.validationTime;
        if (leaf && (at < leaf.notBefore || at > leaf.notAfter)) {
          t.add('claimSignature.outsideValidity', url, `the signing certificate is valid ${leaf.notBefore.toISOString()} .. ${leaf.notAfter.toISOString()}, not at ${at.toISOString()}`);
        } else {
          t.add('claimSignature.insideValidity', url);
        }
        t.add('claimSignature.validated', url);
        return;
      }
      case 'unsupported-algorithm':
        t.add('algorithm.unsupported', url, v.message);
        return;
      case 'bad-certificate':
        // An unparsable leaf is the credential step's signingCredential.invalid; a leaf whose
        // key does not fit the algorithm cannot have made this signature.
        if (result.leaf) t.add('claimSignature.mismatch', url, v.message);
        return;
      default:
        t.add('claimSignature.mismatch', url, v.message ?? 'claim signature is not valid');
    }
  },
};
