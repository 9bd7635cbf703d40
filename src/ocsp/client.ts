/**
 * OCSP client (RFC 6960 Appendix A): POST the signer's CertID as
 * `application/ocsp-request` to the responder its certificate names (or a given URL),
 * with a timeout and retries, and judge the answer for that certificate.
 */
import { SigningError } from '../errors.ts';
import { parseCertificate, type Certificate } from '../pki/certificate.ts';
import { checkOcspResponse } from './check.ts';
import { certIdFor, encodeOcspRequest, ocspUrlsOf } from './protocol.ts';

/** Largest OCSP response accepted. */
export const MAX_OCSP_RESPONSE_BYTES = 256 * 1024;

/** How to reach the responder. */
export interface OcspFetchOptions {
  /** Responder URL (default: the certificate's AIA OCSP URL). */
  readonly url?: string;
  /** Per-attempt timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Extra attempts for network errors and HTTP 5xx (default 2). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
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
  if (!chainDer[1]) throw new SigningError('OCSP needs the issuer of the signing certificate: put it in the chain file after the leaf');
  const issuer = parseCertificate(chainDer[1], 'issuing certificate');
  const der = await post(url, encodeOcspRequest(certIdFor(leaf, issuer)), opts);
  return judge(der, leaf, issuer, url);
}

function judge(der: Uint8Array, leaf: Certificate, issuer: Certificate, url: string): FetchedOcsp {
  const v = checkOcspResponse(der, leaf, issuer);
  if (v.status === 'malformed' || v.status === 'unsuccessful' || v.status === 'absent') throw new SigningError(`the OCSP responder ${url} gave no usable answer: ${v.message}`);
  if (!v.signatureValid) throw new SigningError(`the OCSP response from ${url} is not signed by the certificate's issuer or its delegated responder`);
  return { url, der, status: v.status, ...(v.single?.revokedAt ? { revokedAt: v.single.revokedAt } : {}) };
}

/**
 * POST an OCSPRequest for `cert` (issued by `issuer`) and return the raw answer, unjudged.
 * @throws {SigningError} when the responder cannot be reached after the retries or answers non-200.
 */
export async function requestOcsp(url: string, cert: Certificate, issuer: Certificate, opts: OcspFetchOptions = {}): Promise<Uint8Array> {
  return post(url, encodeOcspRequest(certIdFor(cert, issuer)), opts);
}

async function post(url: string, body: Uint8Array, opts: OcspFetchOptions): Promise<Uint8Array> {
  const retries = opts.retries ?? 2;
  let delay = opts.retryDelayMs ?? 500;
  let last = '';
  for (let i = 0; i <= retries; i++) {
    if (i > 0) {
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
        body: Buffer.from(body), signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      last = e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs ?? 10_000} ms` : (e.cause?.code ?? (e.cause as Error | undefined)?.message ?? e.message);
      continue;
    }
    if (res.status >= 500 || res.status === 429) {
      last = `HTTP ${res.status}`;
      continue;
    }
    if (res.status !== 200) throw new SigningError(`the OCSP responder ${url} answered HTTP ${res.status}`);
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.length > MAX_OCSP_RESPONSE_BYTES) throw new SigningError(`the OCSP responder ${url} sent more than MAX_OCSP_RESPONSE_BYTES (${MAX_OCSP_RESPONSE_BYTES})`);
    return buf;
  }
  throw new SigningError(`the OCSP responder ${url} failed after ${retries + 1} attempt(s): ${last}`);
}
