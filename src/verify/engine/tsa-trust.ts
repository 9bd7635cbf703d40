/**
 * The anchors a time-stamp authority of a v2 claim is judged against. c2pa-rs 0.90 (as
 * `c2pa-node` 0.8.0 ships it, rust-native crypto, no OpenSSL and no system store) checks a
 * TSA chain against the configured anchors only (`trust_anchors` + `user_anchors`); with none,
 * every TSA is untrusted. Real files from Adobe or Samsung that read `timeStamp.trusted` with
 * no anchors configured carry C2PA 1.x claims, whose TSA trust c2pa-rs does not check at all
 * (see `steps/timestamp.ts`). We judge against the configured anchors plus the TSA anchors
 * (`tsaAnchors`: the C2PA TSA trust list, `--tsa-trust`); `publicTsaRoots: true` adds the
 * Mozilla root store bundled with Node (`tls.rootCertificates`) for those who want it. The
 * allowed list never applies to time-stamps (C2PA 2.2 §14.4.3).
 */
import { createRequire } from 'node:module';
import { decodePemBundle } from '../../pki/pem.ts';
import { parseCertificate, type Certificate } from '../../pki/certificate.ts';
import { checkAnchorProfile } from '../../pki/profile.ts';
import { NO_TRUST, type TrustConfig } from './context.ts';
import { anchorSetOf, unionAnchorSets, type AnchorSet } from '../../pki/anchor-set.ts';

let publicRoots: Certificate[] | undefined;

/** The public root store (parsed once; roots our parser or the anchor profile rejects are skipped). */
export function publicRootStore(): readonly Certificate[] {
  if (!publicRoots) {
    publicRoots = [];
    // node:tls is loaded only here (about 8 ms of a cold start otherwise; most runs never need it).
    const { rootCertificates } = createRequire(import.meta.url)('node:tls') as typeof import('node:tls');
    for (const pem of rootCertificates) {
      try {
        for (const b of decodePemBundle(pem, 'public root')) {
          const c = parseCertificate(b.der, 'public root');
          if (checkAnchorProfile(c).length === 0) publicRoots.push(c);
        }
      } catch {
        // an old root we cannot read is simply not an anchor
      }
    }
  }
  return publicRoots;
}

const derived = new WeakMap<TrustConfig, TrustConfig>();

/** The trust configuration for TSA chains derived from a verification's trust (memoised). */
export function tsaTrustOf(trust: TrustConfig): TrustConfig {
  let t: TrustConfig | undefined = derived.get(trust);
  if (!t) {
    let anchors: Certificate[] | undefined;
    const list = (): Certificate[] => {
      if (anchors) return anchors;
      const seen = new Set<string>();
      anchors = [];
      for (const c of [...trust.anchors, ...(trust.tsaAnchors ?? []), ...(trust.publicTsaRoots === true ? publicRootStore() : [])]) {
        if (seen.has(c.fingerprint256)) continue;
        seen.add(c.fingerprint256);
        anchors.push(c);
      }
      return anchors;
    };
    // Indexed sets (from resolveTrust): the same anchors, in the same order, parsed only as a chain needs them.
    let set: AnchorSet | undefined;
    if (trust.anchorSet && trust.tsaAnchorSet) {
      set = unionAnchorSets(trust.anchorSet, trust.tsaAnchorSet);
      if (trust.publicTsaRoots === true) set = unionAnchorSets(set, anchorSetOf(publicRootStore()));
    } else list();
    t = {
      ...NO_TRUST,
      get anchors() {
        return list();
      },
      ...(set ? { anchorSet: set } : {}),
      crls: trust.crls,
    };
    derived.set(trust, t);
  }
  return t;
}
