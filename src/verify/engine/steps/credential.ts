/**
 * Step `credential`: validate the signer's certificate chain (x5chain) against the trust
 * configuration at the validation time, with the C2PA signer profile (`src/pki/`), and log
 * the `signingCredential.*` verdict as c2pa-rs does: a certificate that breaks the profile
 * is `signingCredential.invalid` and, since c2pa-rs then cannot trust it either, also
 * `signingCredential.untrusted`; an expired one is `signingCredential.expired`, next to
 * `trusted`/`untrusted` judged inside its validity window (c2pa-rs judges trust apart from time).
 */
import { cachedChain } from '../cert-cache.ts';
import { checkSignerProfile } from '../../../pki/profile.ts';
import type { ManifestContext, Step } from '../context.ts';
import { urls } from '../uri.ts';

/** Validate the signing chain and log its verdict. */
export const credentialStep: Step = {
  name: 'credential',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset, result } = ctx;
    const chainDer = result.cose?.chainDer ?? [];
    if (chainDer.length === 0) return;
    const chain = cachedChain(chainDer, { trust: asset.trust, at: result.validationTime, allowedList: true });
    result.chain = chain;
    for (const w of chain.warnings) asset.warnings.push(`${m.label}: ${w}`);
    const url = urls.signature(m);
    const t = asset.tracker;
    switch (chain.code) {
      case 'signingCredential.trusted':
        t.add('signingCredential.trusted', url, `signing certificate trusted: ${chain.explanation}`);
        return;
      case 'signingCredential.invalid':
        t.add('signingCredential.invalid', url, chain.explanation);
        if (!result.leaf || !checkSignerProfile(result.leaf).ok) t.add('signingCredential.untrusted', url, 'signing certificate untrusted (it is not a valid C2PA signer)');
        return;
      case 'signingCredential.expired': {
        // c2pa-rs judges trust apart from time: say whether the path built reaches an anchor
        // (the path ends with the anchor when it does), then that it expired.
        const top = chain.path.at(-1);
        const anchored = top !== undefined && chain.path.length > 1 && asset.trust.anchors.some((a) => a.fingerprint256 === top.fingerprint256);
        if (anchored) t.add('signingCredential.trusted', url, 'signing certificate chains to a trust anchor (but is outside its validity)');
        else t.add('signingCredential.untrusted', url, 'signing certificate untrusted');
        t.add('signingCredential.expired', url, chain.explanation);
        return;
      }
      default:
        t.add(chain.code, url, chain.explanation);
    }
  },
};
