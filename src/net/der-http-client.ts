/**
 * POST a DER request over HTTP(S) and get the DER answer back, with a per-attempt timeout
 * and retries, as the RFC 3161 (time-stamp) and RFC 6960 (OCSP) clients need: network
 * errors, timeouts, HTTP 5xx and 429 are retried with a pause that doubles each time; any
 * other non-200 answer, or an answer above the size limit, fails at once.
 */
import { SigningError, said } from '../errors.ts';

/** Retry and timeout policy shared by the TSA and OCSP clients. */
export interface RetryPolicy {
  /** Per-attempt timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Extra attempts after the first for transient failures (default 2). */
  readonly retries?: number;
  /** First pause between attempts in ms, doubled each time (default 500). */
  readonly retryDelayMs?: number;
}

/** One kind of DER exchange. */
export interface DerPostOptions extends RetryPolicy {
  /** Who answers, for messages: "the time-stamp authority", "the OCSP responder". */
  readonly peer: string;
  readonly contentType: string;
  readonly accept: string;
  /** Extra HTTP headers (e.g. an API key). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest answer accepted, and the name of that limit for messages. */
  readonly maxBytes: number;
  readonly limitName: string;
}

/** The policy fields of `o`, without undefined members (for exact optional properties). */
export function retryPolicy(o: RetryPolicy): RetryPolicy {
  return {
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
    ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs } : {}),
  };
}

class Transient extends Error {}

async function attempt(url: string, body: Uint8Array, o: DerPostOptions): Promise<Uint8Array> {
  const timeout = o.timeoutMs ?? 10_000;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': o.contentType, accept: o.accept, ...o.headers },
      body: Buffer.from(body),
      signal: AbortSignal.timeout(timeout),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new Transient(
      e.name === 'TimeoutError'
        ? `no answer within ${timeout} ms`
        : `${e.cause?.code ?? (e.cause as Error | undefined)?.message ?? e.message}`,
    );
  }
  if (res.status >= 500 || res.status === 429) throw new Transient(`HTTP ${res.status}`);
  if (res.status !== 200)
    throw new SigningError(said('err.net.answeredHTTP', '{peer} {url} answered HTTP {status}', { peer: o.peer, url, status: res.status }));
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > o.maxBytes)
    throw new SigningError(
      said('err.net.sentBytesLimit', '{peer} {url} sent {declared} bytes (limit {limitName} = {maxBytes})', {
        peer: o.peer,
        url,
        declared,
        limitName: o.limitName,
        maxBytes: o.maxBytes,
      }),
    );
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.length > o.maxBytes)
    throw new SigningError(
      said('err.net.sentMore', '{peer} {url} sent more than {limitName} ({maxBytes})', {
        peer: o.peer,
        url,
        limitName: o.limitName,
        maxBytes: o.maxBytes,
      }),
    );
  return buf;
}

/**
 * POST `body` to `url` and return the answer's bytes.
 * @throws {SigningError} when the peer cannot be reached after the retries, answers a
 * non-200 status that is not transient, or sends more than `maxBytes`.
 */
export async function postDer(url: string, body: Uint8Array, o: DerPostOptions): Promise<Uint8Array> {
  const retries = o.retries ?? 2;
  let delay = o.retryDelayMs ?? 500;
  let last = '';
  for (let i = 0; i <= retries; i++) {
    if (i > 0) {
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
    try {
      return await attempt(url, body, o);
    } catch (err) {
      if (!(err instanceof Transient)) throw err;
      last = err.message;
    }
  }
  throw new SigningError(
    said('err.net.failedAfterAttemptS', '{peer} {url} failed after {v3} attempt(s): {last}', { peer: o.peer, url, v3: retries + 1, last }),
  );
}
