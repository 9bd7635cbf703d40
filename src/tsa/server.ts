/**
 * A small RFC 3161 time-stamping responder over HTTP (RFC 3161 §3.4): POST a DER
 * `TimeStampReq` as `application/timestamp-query`, get a `TimeStampResp` as
 * `application/timestamp-reply`. Listens on 127.0.0.1 unless told otherwise. Each
 * request is stateless: a fresh serial, the current time, the TSA key's signature.
 */
import type { KeyObject } from 'node:crypto';
import { InvalidArgumentError, ToolkitError, said } from '../errors.ts';
import { startDerServer, type DerServer } from '../net/der-http-server.ts';
import type { Certificate } from '../pki/certificate.ts';
import { EKU } from '../pki/oids.ts';
import { decodeTimestampRequest, encodeTimestampResponse, PKIStatus } from './protocol.ts';
import { hashFromOid } from './hashes.ts';
import { createTimestampToken } from './token.ts';

/** Largest request body accepted (a TimeStampReq is ~100 bytes). */
export const MAX_TSA_REQUEST_BYTES = 16 * 1024;
/** Default TSA policy OID (a private arc for this toolkit's development TSA). */
export const DEFAULT_TSA_POLICY = '1.3.6.1.4.1.62558.99.1';

/** Options of {@link startTsaServer}. */
export interface TsaServerOptions {
  /** The TSA certificate first, then its issuers. */
  readonly chain: readonly Certificate[];
  readonly key: KeyObject;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  readonly policy?: string;
  /** Clock (tests). */
  readonly now?: () => Date;
}

/** A running responder (`url`, `served()`, `close()`). */
export type TsaServer = DerServer;

/**
 * Answer one DER request with a DER response (granted, or rejection with the reason).
 * Never throws for a bad request.
 */
export function answerTimestampRequest(body: Uint8Array, opts: TsaServerOptions): Uint8Array {
  let req: ReturnType<typeof decodeTimestampRequest>;
  try {
    req = decodeTimestampRequest(body);
  } catch {
    return encodeTimestampResponse(PKIStatus.rejection, undefined, 'badDataFormat: not a TimeStampReq');
  }
  const hash = hashFromOid(req.hashOid);
  if (!hash || req.imprint.length !== { sha256: 32, sha384: 48, sha512: 64 }[hash]) {
    return encodeTimestampResponse(PKIStatus.rejection, undefined, 'badAlg: use SHA-256, SHA-384 or SHA-512');
  }
  const policy = opts.policy ?? DEFAULT_TSA_POLICY;
  if (req.policy && req.policy !== policy)
    return encodeTimestampResponse(PKIStatus.rejection, undefined, `unacceptedPolicy: this TSA uses ${policy}`);
  const token = createTimestampToken({
    imprintHashOid: req.hashOid,
    imprint: req.imprint,
    ...(req.nonce ? { nonce: req.nonce } : {}),
    includeCerts: req.certReq,
    policy,
    chain: opts.chain,
    key: opts.key,
    genTime: opts.now?.() ?? new Date(),
  });
  return encodeTimestampResponse(PKIStatus.granted, token);
}

/**
 * Start the responder.
 * @throws {InvalidArgumentError} when the certificate is not a TSA certificate (EKU timeStamping).
 * @throws {IoError} when the port cannot be bound.
 */
export async function startTsaServer(opts: TsaServerOptions): Promise<TsaServer> {
  const leaf = opts.chain[0];
  if (!leaf?.extensions.extKeyUsage?.oids.includes(EKU.timeStamping)) {
    throw new InvalidArgumentError(
      said(
        'err.tsa.tsaCertificateMustHave',
        'the TSA certificate must have the timeStamping extended key usage (issue one with `aigc pki issue-tsa`)',
      ),
    );
  }
  return startDerServer({
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    maxRequestBytes: MAX_TSA_REQUEST_BYTES,
    contentType: 'application/timestamp-reply',
    answer: (body) => answerTimestampRequest(body, opts),
    onError: (err) => ({ status: 500, contentType: 'text/plain', body: err instanceof ToolkitError ? err.message : 'internal error' }),
  });
}
