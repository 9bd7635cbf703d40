/**
 * Judge an OCSP response for one certificate: find the SingleResponse whose CertID names it,
 * and check that the response was signed by its issuer or by a responder the issuer
 * delegated (EKU OCSPSigning, issued by the issuer; RFC 6960 §4.2.2.2).
 */
import { createHash } from 'node:crypto';
import { decodeSignatureAlgorithm, verifySignature, type SignatureAlgorithm } from '../pki/algorithms.ts';
import { parseCertificate, type Certificate } from '../pki/certificate.ts';
import { namesEqual } from '../pki/names.ts';
import { publicKeyBits } from '../pki/cert-builder.ts';
import { EKU } from '../pki/oids.ts';
import { certIdMatches, decodeOcspResponse, type SingleStatus } from './protocol.ts';
import { ToolkitError } from '../errors.ts';

/** The verdict on one certificate. */
export interface OcspVerdict {
  /** `malformed`: unreadable; `unsuccessful`: not a successful basic response; `absent`: no entry for this certificate. */
  readonly status: 'good' | 'revoked' | 'unknown' | 'malformed' | 'unsuccessful' | 'absent';
  /** True when the response's signature verifies by the issuer or its delegated responder. */
  readonly signatureValid: boolean;
  readonly single?: SingleStatus;
  readonly producedAt?: Date;
  readonly message?: string;
  /** The embedded responder certificate that signed the response (delegated responders). */
  readonly responderDer?: Uint8Array;
  /** Every certificate the response embeds, in its order. */
  readonly certsDer?: readonly Uint8Array[];
}

/** Options of {@link checkOcspResponse}. */
export interface OcspCheckOptions {
  /**
   * Accept only a response signed by a certificate it embeds and names as responder (as
   * c2pa-rs does for stapled responses), not one signed directly by the issuer.
   */
  readonly requireEmbeddedResponder?: boolean;
}

function signedBy(key: Certificate, tbs: Uint8Array, alg: SignatureAlgorithm, sig: Uint8Array): boolean {
  try {
    return verifySignature(alg, tbs, sig, key.publicKey).ok;
  } catch {
    return false;
  }
}

/** Judge `der` for `cert` issued by `issuer`. Never throws. */
export function checkOcspResponse(der: Uint8Array, cert: Certificate, issuer: Certificate, opts: OcspCheckOptions = {}): OcspVerdict {
  let resp: ReturnType<typeof decodeOcspResponse>;
  try {
    resp = decodeOcspResponse(der);
  } catch (err) {
    return { status: 'malformed', signatureValid: false, message: err instanceof ToolkitError ? err.message : String(err) };
  }
  const b = resp.basic;
  if (!b) return { status: 'unsuccessful', signatureValid: false, message: `OCSP response status ${resp.responseStatus}` };
  const single = b.responses.find((s) => certIdMatches(s.certId, cert, issuer));
  let alg: SignatureAlgorithm;
  try {
    alg = decodeSignatureAlgorithm(b.signatureAlgorithm);
  } catch (err) {
    return { status: 'malformed', signatureValid: false, message: `OCSP signature algorithm: ${(err as Error).message}` };
  }
  let signatureValid = !opts.requireEmbeddedResponder && signedBy(issuer, b.tbs, alg, b.signature);
  let responderDer: Uint8Array | undefined;
  if (!signatureValid) {
    for (const d of b.certsDer) {
      let c: Certificate;
      try {
        c = parseCertificate(d, 'OCSP responder certificate');
      } catch {
        continue;
      }
      // Stapled responses: the caller checks the responder's trust; otherwise it must be the issuer's delegate.
      const delegated =
        opts.requireEmbeddedResponder ||
        (namesEqual(c.issuer, issuer.subject) &&
          signedBy(issuer, c.tbs, c.signatureAlgorithm, c.signature) &&
          (c.extensions.extKeyUsage?.oids.includes(EKU.ocspSigning) ?? false));
      const named = b.responderKeyHash
        ? b.responderKeyHash === createHash('sha1').update(publicKeyBits(c.publicKey)).digest('hex')
        : b.responderNameDer !== undefined && Buffer.from(b.responderNameDer).equals(Buffer.from(c.subject.der));
      if (delegated && named && signedBy(c, b.tbs, alg, b.signature)) {
        signatureValid = true;
        responderDer = d;
        break;
      }
    }
  }
  const via = { certsDer: b.certsDer, ...(responderDer ? { responderDer } : {}) };
  if (!single)
    return {
      status: 'absent',
      signatureValid,
      producedAt: b.producedAt,
      message: 'the OCSP response has no entry for this certificate',
      ...via,
    };
  return { status: single.status, signatureValid, single, producedAt: b.producedAt, ...via };
}
