/**
 * Step `credential`: validate the signer's certificate chain (x5chain) against the trust
 * configuration at the validation time, with the C2PA signer profile (`src/pki/`), and log
 * the `signingCredential.*` verdict as c2pa-rs does: a certificate that breaks the profile
 * is `signingCredential.invalid` and, since c2pa-rs then cannot trust it either, also
 * `signingCredential.untrusted`; a signing certificate outside its validity is
 * `signingCredential.expired`, next to `trusted`/`untrusted` judged apart from time (as
 * c2pa-rs 0.90, which also ignores the validity of the chain's CA certificates).
 */
import { cachedChain } from '../cert-cache.ts';
import { checkSignerProfile } from '../../../pki/profile.ts';
import type { Certificate } from '../../../pki/certificate.ts';
import { DEFAULT_SIGNER_EKUS } from '../../../pki/oids.ts';
import type { ManifestContext, Step, TrustAnchorRef, TrustConfig } from '../context.ts';
import { urls } from '../uri.ts';

/** The list and anchor a path ends with, when it ends with an anchor of `trust`. */
export function anchorRef(trust: TrustConfig, top: Certificate | undefined): TrustAnchorRef | undefined {
  const names = top ? trust.anchorSources.get(top.fingerprint256) : undefined;
  return top && names ? { list: names.join(', '), subject: top.subject.text, sha256: top.fingerprint256 } : undefined;
}

/** Whether `cert` is one of the signer anchors of `trust` (looked up, not parsed from every list). */
function isAnchor(trust: TrustConfig, cert: Certificate): boolean {
  return trust.anchorSet
    ? trust.anchorSet.byFingerprint(cert.fingerprint256) !== undefined
    : trust.anchors.some((a) => a.fingerprint256 === cert.fingerprint256);
}

/** Validate the signing chain and log its verdict. */
export const credentialStep: Step = {
  name: 'credential',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset, result } = ctx;
    const chainDer = result.cose?.chainDer ?? [];
    // c2pa-rs checks neither profile nor trust without a chain, an algorithm or a P1363 signature.
    if (chainDer.length === 0 || result.cose?.status === 'unsupported-algorithm' || result.cose?.status === 'der-ecdsa-signature') return;
    const extra = asset.trust.extraEkus;
    const chain = cachedChain(chainDer, {
      trust: asset.trust,
      at: result.validationTime,
      allowedList: true,
      ...(extra.length ? { allowedEkus: [...DEFAULT_SIGNER_EKUS, ...extra] } : {}),
    });
    result.chain = chain;
    for (const w of chain.warnings) asset.warnings.push(`${m.label}: ${w}`);
    const url = urls.signature(m);
    const t = asset.tracker;
    switch (chain.code) {
      case 'signingCredential.trusted': {
        const ref = chain.trustedBy === 'anchor' ? anchorRef(asset.trust, chain.path.at(-1)) : undefined;
        if (ref) result.trustAnchor = ref;
        t.add('signingCredential.trusted', url, `signing certificate trusted: ${chain.explanation}${ref ? `, in ${ref.list}` : ''}`);
        return;
      }
      case 'signingCredential.invalid':
        t.add('signingCredential.invalid', url, chain.explanation);
        if (!result.leaf || !checkSignerProfile(result.leaf).ok)
          t.add('signingCredential.untrusted', url, 'signing certificate untrusted (it is not a valid C2PA signer)');
        return;
      case 'signingCredential.expired': {
        // c2pa-rs 0.90 judges trust apart from time: say whether the path built reaches an
        // anchor (the path ends with the anchor when it does). Only the signing certificate's
        // own validity is signingCredential.expired; an expired intermediate or root is not
        // (c2pa-rs checks the leaf alone), so such a chain is simply trusted or untrusted.
        const top = chain.path.at(-1);
        const anchored = top !== undefined && chain.path.length > 1 && isAnchor(asset.trust, top);
        const leaf = result.leaf;
        const at = result.validationTime;
        const leafOutside = !leaf || at < leaf.notBefore || at > leaf.notAfter;
        if (anchored) result.trustAnchor = anchorRef(asset.trust, top);
        if (anchored)
          t.add(
            'signingCredential.trusted',
            url,
            `signing certificate chains to a trust anchor${leafOutside ? ' (but is outside its validity)' : ''}${result.trustAnchor ? `, in ${result.trustAnchor.list}` : ''}`,
          );
        else t.add('signingCredential.untrusted', url, 'signing certificate untrusted');
        if (leafOutside) t.add('signingCredential.expired', url, chain.explanation);
        else
          asset.warnings.push(
            `${m.label}: ${chain.explanation} (a CA certificate of the chain; c2pa-rs judges the signing certificate's validity alone)`,
          );
        return;
      }
      default:
        t.add(chain.code, url, chain.explanation);
    }
  },
};
