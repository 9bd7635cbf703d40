/**
 * RFC 3161 client over HTTP (RFC 3161 §3.4): hash the data, POST a `TimeStampReq`
 * (certReq, random nonce) as `application/timestamp-query`, and accept the answer only
 * when it is granted, echoes the nonce, and its token verifies over the data (imprint,
 * messageDigest and TSA signature). Timeouts and transient failures (network errors,
 * HTTP 5xx/429) are retried with a growing pause; a rejection is not.
 */
import { SigningError, said } from '../errors.ts';
import { postDer, retryPolicy, type RetryPolicy } from '../net/der-http-client.ts';
import { verifyTimestampToken } from '../manifest/cose/timestamp.ts';
import { decodeTimestampResponse, encodeTimestampRequest, PKIStatus, randomNonce } from './protocol.ts';
import { digest, type TsaHash } from './hashes.ts';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { TSTInfo } from '@peculiar/asn1-tsp';

/** Largest response accepted from a TSA. */
export const MAX_TSA_RESPONSE_BYTES = 256 * 1024;

/** How to reach a TSA (timeout and retries: {@link RetryPolicy}). */
export interface TsaClientOptions extends RetryPolicy {
  /** The TSA's HTTP(S) URL. */
  readonly url: string;
  /** Imprint hash (default sha256). */
  readonly hash?: TsaHash;
  /** Requested policy OID. */
  readonly policy?: string;
  /** Extra HTTP headers (e.g. an API key a commercial TSA asks for). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Get a TimeStampToken (DER) over `data` from a TSA.
 * @throws {SigningError} when the TSA cannot be reached after the retries, rejects the
 * request, or answers with a token that does not verify over `data` or lacks the nonce.
 */
export async function requestTimestamp(data: Uint8Array, opts: TsaClientOptions): Promise<Uint8Array> {
  const hash = opts.hash ?? 'sha256';
  const nonce = randomNonce();
  const body = encodeTimestampRequest({
    hash,
    imprint: digest(hash, data),
    nonce,
    certReq: true,
    ...(opts.policy ? { policy: opts.policy } : {}),
  });
  const raw = await postDer(opts.url, body, {
    peer: 'the time-stamp authority',
    contentType: 'application/timestamp-query',
    accept: 'application/timestamp-reply',
    maxBytes: MAX_TSA_RESPONSE_BYTES,
    limitName: 'MAX_TSA_RESPONSE_BYTES',
    ...retryPolicy(opts),
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  return checkResponse(raw, data, nonce, opts.url);
}

function checkResponse(raw: Uint8Array, data: Uint8Array, nonce: Uint8Array, url: string): Uint8Array {
  let resp: ReturnType<typeof decodeTimestampResponse>;
  try {
    resp = decodeTimestampResponse(raw);
  } catch (err) {
    throw new SigningError(
      said('err.tsa.timeStampAuthorityDid', 'the time-stamp authority {url} did not answer with a TimeStampResp: {v2}', {
        url,
        v2: (err as Error).message,
      }),
      {
        cause: err,
      },
    );
  }
  if (resp.status !== PKIStatus.granted && resp.status !== PKIStatus.grantedWithMods) {
    throw new SigningError(
      resp.statusText
        ? said('err.tsa.refusedText', 'the time-stamp authority {url} refused the request (status {status}: {text})', {
            url,
            status: String(PKIStatus[resp.status] ?? resp.status),
            text: String(resp.statusText),
          })
        : said('err.tsa.refused', 'the time-stamp authority {url} refused the request (status {status})', {
            url,
            status: String(PKIStatus[resp.status] ?? resp.status),
          }),
    );
  }
  if (!resp.token)
    throw new SigningError(
      said('err.tsa.timeStampAuthorityGranted', 'the time-stamp authority {url} granted the request but sent no token', { url }),
    );
  const info = verifyTimestampToken(resp.token, data, 2);
  if (info.status !== 'valid')
    throw new SigningError(
      said('err.tsa.timeStampTokenFrom', 'the time-stamp token from {url} does not check out: {message}', {
        url,
        message: String(info.message),
      }),
    );
  if (info.tsaChainDer.length === 0)
    throw new SigningError(
      said('err.tsa.timeStampTokenFrom2', 'the time-stamp token from {url} carries no TSA certificate (certReq was set)', { url }),
    );
  if (!sameNonce(resp.token, nonce))
    throw new SigningError(
      said('err.tsa.timeStampTokenFrom3', "the time-stamp token from {url} does not echo the request's nonce", { url }),
    );
  return resp.token;
}

function sameNonce(token: Uint8Array, nonce: Uint8Array): boolean {
  const sd = AsnConvert.parse(AsnConvert.parse(token, ContentInfo).content, SignedData);
  const tst = AsnConvert.parse(sd.encapContentInfo.eContent!.single!.buffer, TSTInfo);
  const got = tst.nonce ? new Uint8Array(tst.nonce) : undefined;
  const strip = (b: Uint8Array) => (b[0] === 0 ? b.subarray(1) : b);
  return got !== undefined && Buffer.from(strip(got)).equals(Buffer.from(strip(nonce)));
}

/** A `timestamp` callback for `signClaim`/`prepareManifest` that asks this TSA. */
export function tsaTimestamper(opts: TsaClientOptions): (data: Uint8Array) => Promise<Uint8Array> {
  return (data) => requestTimestamp(data, opts);
}
