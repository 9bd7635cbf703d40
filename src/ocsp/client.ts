/**
 * OCSP client (RFC 6960 Appendix A): POST the signer's CertID as
 * `application/ocsp-request` to the responder its certificate names (or a given URL),
 * with a timeout and retries, and judge the answer for that certificate.
 */
import { SigningError, said } from '../errors.ts';
import { postDer, retryPolicy, type RetryPolicy } from '../net/der-http-client.ts';
import { parseCertificate, type Certificate } from '../pki/certificate.ts';
import { checkOcspResponse } from './check.ts';
import { certIdFor, encodeOcspRequest, ocspUrlsOf } from './protocol.ts';

/** Largest OCSP response accepted. */
export const MAX_OCSP_RESPONSE_BYTES = 256 * 1024;

/** How to reach the responder (timeout and retries: {@link RetryPolicy}). */
export interface OcspFetchOptions extends RetryPolicy {
  /** Responder URL (default: the certificate's AIA OCSP URL). */
  readonly url?: string;
}

/** Leaf certificates (by their DER array) already parsed and found to name no OCSP responder. */
const NO_RESPONDER = new WeakSet<Uint8Array>();

/** A fetched, checked response. */
export interface FetchedOcsp {
  readonly url: string;
  readonly der: Uint8Array;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt?: Date;
}

/**
 * Fetch and check the OCSP response for the first certificate of `chainDer` (its issuer is
 * the second). Undefined when no responder is known (no URL given, none in the certificate).
 * @throws {SigningError} when the chain has no issuer, the responder cannot be reached after
 * the retries, or its answer is not a successful response signed by the issuer or its delegate.
 */
export async function fetchSignerOcsp(chainDer: readonly Uint8Array[], opts: OcspFetchOptions = {}): Promise<FetchedOcsp | undefined> {
  const leafDer = chainDer[0]!;
  // A service signs many files with one certificate: remember whether its leaf names a
  // responder, so the common case (none) costs no certificate parse per file.
  if (!opts.url && NO_RESPONDER.has(leafDer)) return undefined;
  const leaf = parseCertificate(leafDer, 'signing certificate');
  const url = opts.url ?? ocspUrlsOf(leaf)[0];
  if (!url) {
    NO_RESPONDER.add(leafDer);
    return undefined;
  }
  if (!chainDer[1])
    throw new SigningError(
      said('err.ocsp.ocspNeedsIssuerSigning', 'OCSP needs the issuer of the signing certificate: put it in the chain file after the leaf'),
    );
  const issuer = parseCertificate(chainDer[1], 'issuing certificate');
  const der = await post(url, encodeOcspRequest(certIdFor(leaf, issuer)), opts);
  return judge(der, leaf, issuer, url);
}

function judge(der: Uint8Array, leaf: Certificate, issuer: Certificate, url: string): FetchedOcsp {
  const v = checkOcspResponse(der, leaf, issuer);
  if (v.status === 'malformed' || v.status === 'unsuccessful' || v.status === 'absent')
    throw new SigningError(
      said('err.ocsp.ocspResponderGaveNo', 'the OCSP responder {url} gave no usable answer: {message}', {
        url,
        message: String(v.message),
      }),
    );
  if (!v.signatureValid)
    throw new SigningError(
      said(
        'err.ocsp.ocspResponseFromNot',
        "the OCSP response from {url} is not signed by the certificate's issuer or its delegated responder",
        { url },
      ),
    );
  return { url, der, status: v.status, ...(v.single?.revokedAt ? { revokedAt: v.single.revokedAt } : {}) };
}

/**
 * POST an OCSPRequest for `cert` (issued by `issuer`) and return the raw answer, unjudged.
 * @throws {SigningError} when the responder cannot be reached after the retries or answers non-200.
 */
export async function requestOcsp(url: string, cert: Certificate, issuer: Certificate, opts: OcspFetchOptions = {}): Promise<Uint8Array> {
  return post(url, encodeOcspRequest(certIdFor(cert, issuer)), opts);
}

function post(url: string, body: Uint8Array, opts: OcspFetchOptions): Promise<Uint8Array> {
  return postDer(url, body, {
    peer: 'the OCSP responder',
    contentType: 'application/ocsp-request',
    accept: 'application/ocsp-response',
    maxBytes: MAX_OCSP_RESPONSE_BYTES,
    limitName: 'MAX_OCSP_RESPONSE_BYTES',
    ...retryPolicy(opts),
  });
}
