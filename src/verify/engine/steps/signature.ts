/**
 * Steps `signature` and `signatureResult`: verify the COSE_Sign1 claim signature over the
 * exact stored claim bytes (keeping the parsed chain and time-stamps for the next steps),
 * then — after the time-stamp and credential steps, in the order c2pa-rs logs them —
 * report `claimSignature.insideValidity` and `claimSignature.validated` (as c2pa-rs: validity
 * is the credential step's `signingCredential.expired`)
 * or `claimSignature.mismatch` / `algorithm.unsupported`.
 */
import { resolveJumbfUri } from '../../../manifest/index.ts';
import { checkClaimSignature } from '../cose-check.ts';
import type { ManifestContext, Step } from '../context.ts';
import { nameValue } from '../../../pki/names.ts';
import { ATTR } from '../../../pki/oids.ts';
import { urls } from '../uri.ts';

/** The url c2pa-rs gives the codes it logs while parsing the COSE structure. */
export const COSE_SIGN1_URL = 'Cose_Sign1';

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
      asset.tracker.add(
        'claimSignature.missing',
        urls.signature(m),
        `the claim's signature reference ${claim.signature} does not name this manifest's signature box`,
      );
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
        // c2pa-rs (Verifier::verify_signature) takes the signer's name from the last O= of the
        // leaf's subject and fails the signature as a whole when there is none.
        const leaf = result.leaf;
        if (leaf && nameValue(leaf.subject, ATTR.organization) === undefined) {
          t.add(
            'claimSignature.mismatch',
            url,
            'claim signature is not valid: the signing certificate subject has no organization (O=), which c2pa-rs requires',
          );
          return;
        }
        // As c2pa-rs 0.90: a signature that verifies is inside validity; a signing certificate
        // not valid at the validation time is the credential step's signingCredential.expired
        // (the spec's claimSignature.outsideValidity is never reported; see the README).
        t.add('claimSignature.insideValidity', url, 'claim signature valid');
        t.add('claimSignature.validated', url, 'claim signature valid');
        return;
      }
      case 'unsupported-algorithm':
      case 'der-ecdsa-signature':
        // c2pa-rs stops at these before the profile, trust and signature checks, logs them
        // under the literal url "Cose_Sign1", then fails the claim signature.
        t.add(v.status === 'unsupported-algorithm' ? 'algorithm.unsupported' : 'signingCredential.invalid', COSE_SIGN1_URL, v.message);
        t.add('claimSignature.mismatch', url, 'claim signature is not valid');
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
