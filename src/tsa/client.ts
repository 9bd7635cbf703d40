/**
 * RFC 3161 client over HTTP (RFC 3161 §3.4): hash the data, POST a `TimeStampReq`
 * (certReq, random nonce) as `application/timestamp-query`, and accept the answer only
 * when it is granted, echoes the nonce, and its token verifies over the data (imprint,
 * messageDigest and TSA signature). Timeouts and transient failures (network errors,
 * HTTP 5xx/429) are retried with a growing pause; a rejection is not.
 */
import { SigningError } from '../errors.ts';
import { verifyTimestampToken } from '../manifest/cose/timestamp.ts';
import { decodeTimestampResponse, encodeTimestampRequest, PKIStatus, randomNonce } from './protocol.ts';
import { digest, type TsaHash } from './hashes.ts';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { TSTInfo } from '@peculiar/asn1-tsp';

/** Largest response accepted from a TSA. */
export const MAX_TSA_RESPONSE_BYTES = 256 * 1024;

/** How to reach a TSA. */
export interface TsaClientOptions {
  /** The TSA's HTTP(S) URL. */
  readonly url: string;
  /** Imprint hash (default sha256). */
  readonly hash?: TsaHash;
  /** Per-attempt timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Extra attempts after the first for transient failures (default 2). */
  readonly retries?: number;
  /** First pause between attempts in ms, doubled each time (default 500). */
  readonly retryDelayMs?: number;
  /** Requested policy OID. */
  readonly policy?: string;
  /** Extra HTTP headers (e.g. an API key a commercial TSA asks for). */
  readonly headers?: Readonly<Record<string, string>>;
}

class Transient extends Error {}

async function attempt(opts: TsaClientOptions, body: Uint8Array): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply', ...opts.headers },
      body: Buffer.from(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new Transient(e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs ?? 10_000} ms` : `${e.cause?.code ?? (e.cause as Error | undefined)?.message ?? e.message}`);
  }
  if (res.status >= 500 || res.status === 429) throw new Transient(`HTTP ${res.status}`);
  if (res.status !== 200) throw new SigningError(`the time-stamp authority ${opts.url} answered HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_TSA_RESPONSE_BYTES) throw new SigningError(`the time-stamp authority ${opts.url} sent ${declared} bytes (limit MAX_TSA_RESPONSE_BYTES = ${MAX_TSA_RESPONSE_BYTES})`);
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.length > MAX_TSA_RESPONSE_BYTES) throw new SigningError(`the time-stamp authority ${opts.url} sent more than MAX_TSA_RESPONSE_BYTES (${MAX_TSA_RESPONSE_BYTES})`);
  return buf;
}

/**
 * Get a TimeStampToken (DER) over `data` from a TSA.
 * @throws {SigningError} when the TSA cannot be reached after the retries, rejects the
 * request, or answers with a token that does not verify over `data` or lacks the nonce.
 */
export async function requestTimestamp(data: Uint8Array, opts: TsaClientOptions): Promise<Uint8Array> {
  const hash = opts.hash ?? 'sha256';
  const nonce = randomNonce();
  const body = encodeTimestampRequest({ hash, imprint: digest(hash, data), nonce, certReq: true, ...(opts.policy ? { policy: opts.policy } : {}) });
  const retries = opts.retries ?? 2;
  let delay = opts.retryDelayMs ?? 500;
  let last = '';
  for (let i = 0; i <= retries; i++) {
    if (i > 0) {
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
    let raw: Uint8Array;
    try {
      raw = await attempt(opts, body);
    } catch (err) {
      if (err instanceof Transient) {
        last = err.message;
        continue;
      }
      throw err;
    }
    return checkResponse(raw, data, nonce, opts.url);
  }
  throw new SigningError(`the time-stamp authority ${opts.url} failed after ${retries + 1} attempt(s): ${last}`);
}

function checkResponse(raw: Uint8Array, data: Uint8Array, nonce: Uint8Array, url: string): Uint8Array {
  let resp: ReturnType<typeof decodeTimestampResponse>;
  try {
    resp = decodeTimestampResponse(raw);
  } catch (err) {
    throw new SigningError(`the time-stamp authority ${url} did not answer with a TimeStampResp: ${(err as Error).message}`, { cause: err });
  }
  if (resp.status !== PKIStatus.granted && resp.status !== PKIStatus.grantedWithMods) {
    throw new SigningError(`the time-stamp authority ${url} refused the request (status ${PKIStatus[resp.status] ?? resp.status}${resp.statusText ? `: ${resp.statusText}` : ''})`);
  }
  if (!resp.token) throw new SigningError(`the time-stamp authority ${url} granted the request but sent no token`);
  const info = verifyTimestampToken(resp.token, data, 2);
  if (info.status !== 'valid') throw new SigningError(`the time-stamp token from ${url} does not check out: ${info.message}`);
  if (info.tsaChainDer.length === 0) throw new SigningError(`the time-stamp token from ${url} carries no TSA certificate (certReq was set)`);
  if (!sameNonce(resp.token, nonce)) throw new SigningError(`the time-stamp token from ${url} does not echo the request's nonce`);
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
