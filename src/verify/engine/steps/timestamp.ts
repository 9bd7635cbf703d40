/**
 * Step `timestamp`: judge the RFC 3161 time-stamp of the claim signature (profile §3.3) as
 * c2pa-rs does — `timeStamp.validated` when the imprint and the TSA signature check out
 * and the TSA certificate was valid at genTime, then `timeStamp.trusted` when the TSA
 * chains to one of the signer trust anchors (else `timeStamp.untrusted`); problems are
 * informational (`timeStamp.mismatch`/`malformed`/`outsideValidity`/`untrusted`). Only a
 * trusted genTime becomes the time at which the signer's certificates are judged.
 *
 * As c2pa-rs 0.90 (`claim.rs`: `verify_timestamp_trust = false` when `claim.version() == 1`),
 * the time-stamp of a C2PA 1.x claim is not checked for trust at all: once validated it is
 * `timeStamp.trusted` and its genTime counts, whoever the TSA is. Claims v2 are held to the
 * anchors (profile EKU timeStamping, chain to a configured anchor at genTime).
 */
import type { Certificate } from '../../../pki/certificate.ts';
import { cachedCertificate, cachedChain } from '../cert-cache.ts';
import { nameValue } from '../../../pki/names.ts';
import { ATTR, EKU } from '../../../pki/oids.ts';
import type { ManifestContext, Step } from '../context.ts';
import { urls } from '../uri.ts';
import { tsaTrustOf } from '../tsa-trust.ts';

/** The claim version, as `generationOf` reads it (claim box label `c2pa.claim` = v1). */
function claimVersionOf(m: ManifestContext['manifest']): 1 | 2 {
  return m.claim?.version ?? (m.claimBox?.description.label === 'c2pa.claim' ? 1 : 2);
}

function commonName(cert: Certificate | undefined): string {
  return (cert && nameValue(cert.subject, ATTR.commonName)) ?? cert?.subject.text ?? 'unknown TSA';
}

/** Check the time-stamp and set the validation time. */
export const timestampStep: Step = {
  name: 'timestamp',
  onError: 'general.error',
  ingredients: true,
  run(ctx: ManifestContext): void {
    const { manifest: m, asset, result } = ctx;
    const ts = result.cose?.timestamp;
    if (!ts) return;
    const t = asset.tracker;
    const url = urls.signature(m);
    switch (ts.status) {
      case 'malformed':
        t.add('timeStamp.malformed', url, ts.message);
        return;
      case 'imprint-mismatch':
        t.add('timeStamp.mismatch', url, ts.message);
        return;
      case 'outside-validity':
        t.add('timeStamp.outsideValidity', url, ts.message);
        return;
      case 'signature-invalid':
      case 'unsupported':
        t.add('timeStamp.untrusted', url, ts.message);
        return;
      default:
        break;
    }
    let tsa: Certificate | undefined;
    try {
      tsa = ts.tsaChainDer[0] ? cachedCertificate(ts.tsaChainDer[0], 'TSA certificate') : undefined;
    } catch {
      tsa = undefined;
    }
    const cn = commonName(tsa);
    const gen = ts.genTime;
    if (!tsa || !gen) {
      t.add('timeStamp.untrusted', url, `time-stamp has no usable TSA certificate or time: ${cn}`);
      return;
    }
    if (gen < tsa.notBefore || gen > tsa.notAfter) {
      t.add('timeStamp.outsideValidity', url, `timestamp signer outside of certificate validity: ${cn}`);
      return;
    }
    t.add('timeStamp.validated', url, `timestamp message digest matched: ${cn}`);
    result.timestamp = ts;
    if (claimVersionOf(m) === 1) {
      t.add('timeStamp.trusted', url, `timestamp cert trusted: ${cn} (claim v1: the TSA's trust is not checked, as in c2pa-rs)`);
      result.timestampTrusted = true;
      result.validationTime = gen;
      return;
    }
    const chain = cachedChain(ts.tsaChainDer, { trust: tsaTrustOf(asset.trust), at: gen, allowedEkus: [EKU.timeStamping] });
    if (chain.code === 'signingCredential.trusted') {
      t.add('timeStamp.trusted', url, `timestamp cert trusted: ${cn}`);
      result.timestampTrusted = true;
      result.validationTime = gen;
    } else {
      t.add('timeStamp.untrusted', url, `timestamp cert untrusted: ${cn} (${chain.explanation})`);
      result.timestampTrusted = false;
    }
  },
};
