/**
 * The anchors a time-stamp authority is judged against. c2pa-rs 0.90 (as `c2pa-node` 0.8.0
 * ships it) checks a TSA chain against the configured anchors *and* the platform's public
 * root store (its OpenSSL default paths): real files from Adobe or Samsung read
 * `timeStamp.trusted` with no anchors configured, while a private TSA does not. We do the
 * same: configured anchors, extra TSA anchors (`tsaAnchors`, e.g. the C2PA TSA trust list),
 * and — unless `publicTsaRoots` is false — the Mozilla root store bundled with Node
 * (`tls.rootCertificates`, the source of Debian's ca-certificates). The allowed list never
 * applies to time-stamps (C2PA 2.2 §14.4.3).
 */
import { rootCertificates } from 'node:tls';
import { decodePemBundle } from '../../pki/pem.ts';
import { parseCertificate, type Certificate } from '../../pki/certificate.ts';
import { checkAnchorProfile } from '../../pki/profile.ts';
import { NO_TRUST, type TrustConfig } from './context.ts';

let publicRoots: Certificate[] | undefined;

/** The public root store (parsed once; roots our parser or the anchor profile rejects are skipped). */
export function publicRootStore(): readonly Certificate[] {
  if (!publicRoots) {
    publicRoots = [];
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
    const seen = new Set<string>();
    const anchors: Certificate[] = [];
    for (const c of [...trust.anchors, ...(trust.tsaAnchors ?? []), ...(trust.publicTsaRoots === false ? [] : publicRootStore())]) {
      if (seen.has(c.fingerprint256)) continue;
      seen.add(c.fingerprint256);
      anchors.push(c);
    }
    t = { ...NO_TRUST, anchors, crls: trust.crls };
    derived.set(trust, t);
  }
  return t;
}
