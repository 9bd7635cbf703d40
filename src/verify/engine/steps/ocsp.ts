/**
 * Step `ocsp`: the OCSP response stapled in the signature's unprotected header
 * (`rVals: {ocspVals: [der, ...]}`), judged offline as c2pa-rs 0.90 does. Only a response
 * it can vouch for counts: successful, signed by an embedded responder certificate named
 * by the responder ID, that certificate an OCSP signer (EKU OCSPSigning) chaining to a trust
 * anchor at the signing time through the certificates the response itself embeds (c2pa-rs
 * 0.90 does not borrow the signer's x5chain for the responder's path). Then its entry for the
 * signing certificate (by CertID) gives `signingCredential.ocsp.notRevoked` (informational,
 * as c2pa-rs logs it) or `signingCredential.ocsp.revoked` (failure; c2pa-rs logs it and then
 * refuses the whole file); "unknown", or a revocation with a reason dated after a trusted
 * signing time, leaves no code, as in c2pa-rs.
 * The signing time is the trusted time-stamp's, else the verification time. No network,
 * unless the trust options set `ocspFetch`: then a signature without a staple makes the
 * certificate's responder (AIA) be asked, judged the same way, and an unreachable one is
 * `signingCredential.ocsp.inaccessible`.
 */
import { cachedCertificate, cachedChain } from '../cert-cache.ts';
import { checkOcspResponse } from '../../../ocsp/check.ts';
import { requestOcsp } from '../../../ocsp/client.ts';
import { ocspUrlsOf } from '../../../ocsp/protocol.ts';
import { EKU } from '../../../pki/oids.ts';
import type { ManifestContext, Step } from '../context.ts';
import { urls } from '../uri.ts';

/** CRLReason removeFromCRL. */
const REMOVE_FROM_CRL = 8;
const DAY_MS = 86_400_000;

/** The first stapled OCSP response of a signature's unprotected header, if any. */
export function stapledOcsp(unprotected: Map<unknown, unknown> | undefined): Uint8Array | undefined {
  const r = unprotected?.get('rVals');
  const vals = r instanceof Map ? r.get('ocspVals') : undefined;
  const first = Array.isArray(vals) ? vals[0] : undefined;
  return first instanceof Uint8Array ? first : undefined;
}

/** Judge the stapled OCSP response of the claim signature. */
export const ocspStep: Step = {
  name: 'ocsp',
  onError: 'general.error',
  ingredients: true,
  async run(ctx: ManifestContext): Promise<void> {
    const { manifest: m, asset, result } = ctx;
    let der = stapledOcsp(result.cose?.cose?.unprotectedHeader);
    const chainDer = result.cose?.chainDer ?? [];
    if (!result.leaf || chainDer.length < 2 || (!der && !asset.trust.ocspFetch)) return;
    let issuer: ReturnType<typeof cachedCertificate>;
    try {
      issuer = cachedCertificate(chainDer[1]!, 'issuing certificate');
    } catch {
      return;
    }
    if (!der) {
      const url = ocspUrlsOf(result.leaf)[0];
      if (!url) return;
      try {
        der = await requestOcsp(url, result.leaf, issuer, { retries: 1 });
      } catch (err) {
        asset.tracker.add('signingCredential.ocsp.inaccessible', urls.signature(m), `OCSP responder ${url}: ${(err as Error).message}`);
        return;
      }
    }
    const at = result.timestampTrusted && result.timestamp?.genTime ? result.timestamp.genTime : asset.now;
    const verdict = checkOcspResponse(der, result.leaf, issuer, { requireEmbeddedResponder: true });
    if (!verdict.signatureValid || !verdict.responderDer || !verdict.single) return;
    // The responder must be an OCSP signer trusted at the signing time, by the path the
    // response embeds (the responder first, then its issuers).
    const responderDer = verdict.responderDer;
    const path = [responderDer, ...(verdict.certsDer ?? []).filter((d) => !Buffer.from(d).equals(Buffer.from(responderDer)))];
    const trust = cachedChain(path, { trust: asset.trust, at, allowedEkus: [EKU.ocspSigning] });
    if (trust.code !== 'signingCredential.trusted') return;
    const s = verdict.single;
    const t = asset.tracker;
    const url = urls.signature(m);
    const serial = result.leaf.serialNumber;
    const st = at.getTime();
    // c2pa-rs `OcspResponse::from_der_checked`: a "good" entry in range is not revoked; a
    // revocation with a reason that the signing time precedes clears it without a code.
    let verdictCode: 'revoked' | 'notRevoked' | undefined;
    if (s.status === 'good') {
      const from = s.thisUpdate.getTime();
      // Without nextUpdate, producedAt + 24 h.
      const to = s.nextUpdate ? s.nextUpdate.getTime() : (verdict.producedAt?.getTime() ?? from) + DAY_MS;
      const inRange = result.timestampTrusted ? st < from || (st >= from && st <= to) : st >= from && st <= to;
      verdictCode = inRange ? 'notRevoked' : 'revoked';
    } else if (s.status === 'revoked') {
      const when = s.revokedAt!.getTime();
      if (s.reason === REMOVE_FROM_CRL) verdictCode = when > st ? undefined : 'revoked';
      else if (s.reason !== undefined) verdictCode = result.timestampTrusted && st < when ? undefined : 'revoked';
      else verdictCode = 'revoked';
    }
    // "unknown", or a revocation that does not count: c2pa-rs reports neither code.
    if (verdictCode === 'revoked')
      t.add(
        'signingCredential.ocsp.revoked',
        url,
        `signing cert revoked: ${serial}${s.revokedAt ? ` (at ${s.revokedAt.toISOString()})` : ''}`,
      );
    else if (verdictCode === 'notRevoked') t.add('signingCredential.ocsp.notRevoked', url, `signing cert not revoked: ${serial}`);
  },
};
