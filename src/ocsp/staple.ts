/**
 * Preparing an OCSP response for stapling. c2pa-rs 0.90 trusts a stapled response only by a
 * path built from the certificates the response embeds; many responders embed only their own
 * certificate. The `certs` field of a BasicOCSPResponse lies outside the signed
 * `tbsResponseData`, so the stapler may add the responder's issuing chain from the signer's
 * x5chain (RFC 6960 §4.2.2.2: a delegated responder is issued by the signer's CA) without
 * touching the signature, as newer c2pa-rs does when it reads (`extend_ocsp_cert_chain`).
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { BasicOCSPResponse, OCSPResponse, OCSPResponseStatus, ResponseBytes, id_pkix_ocsp_basic } from '@peculiar/asn1-ocsp';
import { parseCertificate, type Certificate } from '../pki/certificate.ts';
import { namesEqual } from '../pki/names.ts';
import { checkOcspResponse } from './check.ts';

function parsed(der: Uint8Array): Certificate | undefined {
  try {
    return parseCertificate(der, 'certificate');
  } catch {
    return undefined;
  }
}

/**
 * `der` with the responder's issuing chain appended from `signerChainDer` (leaf first) when the
 * response embeds a delegated responder but not its issuer; otherwise `der` unchanged. The
 * result is returned only when the response still verifies for the signing certificate exactly
 * as before (same status, same responder). Never throws.
 */
export function completeResponderChain(der: Uint8Array, signerChainDer: readonly Uint8Array[]): Uint8Array {
  const leaf = signerChainDer[0] ? parsed(signerChainDer[0]) : undefined;
  const issuer = signerChainDer[1] ? parsed(signerChainDer[1]) : undefined;
  if (!leaf || !issuer) return der;
  const before = checkOcspResponse(der, leaf, issuer, { requireEmbeddedResponder: true });
  if (!before.signatureValid || !before.responderDer || !before.certsDer) return der;
  const embedded = before.certsDer.map(parsed);
  const responder = parsed(before.responderDer);
  if (!responder || responder.selfIssued) return der;
  // Already there: the embedded certificates name the responder's issuer.
  if (embedded.some((c) => c && namesEqual(c.subject, responder.issuer))) return der;
  const at = signerChainDer.findIndex(
    (d, i) =>
      i > 0 &&
      (() => {
        const c = parsed(d);
        return c !== undefined && namesEqual(c.subject, responder.issuer);
      })(),
  );
  if (at < 0) return der;
  const extra = signerChainDer.slice(at).filter((d) => !parsed(d)?.selfIssued);
  if (extra.length === 0) return der;
  let out: Uint8Array;
  try {
    const r = AsnConvert.parse(der, OCSPResponse);
    const b = AsnConvert.parse(r.responseBytes!.response.buffer, BasicOCSPResponse);
    b.certs = [...(b.certs ?? []), ...extra.map((d) => AsnConvert.parse(d, AsnCertificate))];
    out = new Uint8Array(
      AsnConvert.serialize(
        new OCSPResponse({
          responseStatus: OCSPResponseStatus.successful,
          responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(b)) }),
        }),
      ),
    );
  } catch {
    return der;
  }
  const after = checkOcspResponse(out, leaf, issuer, { requireEmbeddedResponder: true });
  const same =
    after.signatureValid &&
    after.status === before.status &&
    after.responderDer !== undefined &&
    Buffer.from(after.responderDer).equals(Buffer.from(before.responderDer));
  return same ? out : der;
}
