/**
 * RFC 3161 messages: the `TimeStampReq` a client sends, the `TimeStampResp` a TSA answers,
 * and the `TimeStampToken` inside it (a CMS ContentInfo). The raw token bytes are kept
 * exactly as the TSA wrote them: its signature is over stored bytes, not a re-encoding.
 */
import { randomBytes } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { MessageImprint, PKIStatus, PKIStatusInfo, PKIFreeText, TimeStampReq, TimeStampResp } from '@peculiar/asn1-tsp';
import { MalformedInputError, said } from '../errors.ts';
import { children, tlv } from '../manifest/cose/cms-raw.ts';
import { hashOid, type TsaHash } from './hashes.ts';

/** What a client asks for. */
export interface TimestampRequest {
  readonly hash: TsaHash;
  /** The message imprint: the hash of the data to time-stamp. */
  readonly imprint: Uint8Array;
  /** Random nonce (up to 20 bytes, positive); echoed in the token. */
  readonly nonce?: Uint8Array;
  /** Ask the TSA to include its certificate (C2PA requires it). */
  readonly certReq: boolean;
  /** Requested TSA policy OID. */
  readonly policy?: string;
}

/** A fresh positive 16-byte nonce. */
export function randomNonce(): Uint8Array {
  const n = new Uint8Array(randomBytes(16));
  n[0] = (n[0]! & 0x7f) | 0x01;
  return n;
}

/** Encode a `TimeStampReq` (DER). */
export function encodeTimestampRequest(req: TimestampRequest): Uint8Array {
  const asn = new TimeStampReq({
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: hashOid(req.hash), parameters: null }),
      hashedMessage: new OctetString(req.imprint),
    }),
    certReq: req.certReq,
    ...(req.nonce ? { nonce: req.nonce.slice().buffer } : {}),
    ...(req.policy ? { reqPolicy: req.policy } : {}),
  });
  return new Uint8Array(AsnConvert.serialize(asn));
}

/**
 * Decode a `TimeStampReq` (what a responder receives).
 * @throws {MalformedInputError} when it is not one.
 */
export function decodeTimestampRequest(der: Uint8Array): {
  hashOid: string;
  imprint: Uint8Array;
  nonce?: Uint8Array;
  certReq: boolean;
  policy?: string;
} {
  try {
    const r = AsnConvert.parse(der, TimeStampReq);
    return {
      hashOid: r.messageImprint.hashAlgorithm.algorithm,
      imprint: new Uint8Array(r.messageImprint.hashedMessage.buffer),
      certReq: r.certReq,
      ...(r.nonce ? { nonce: new Uint8Array(r.nonce) } : {}),
      ...(r.reqPolicy ? { policy: r.reqPolicy } : {}),
    };
  } catch (err) {
    throw new MalformedInputError(
      'rfc3161',
      said('err.tsa.notTimeStampReq', 'not a TimeStampReq: {v1}', { v1: (err as Error).message }),
      0,
      { cause: err },
    );
  }
}

/** Encode a `TimeStampResp`: granted with the token's exact bytes, or a rejection. */
export function encodeTimestampResponse(status: PKIStatus, token?: Uint8Array, text?: string): Uint8Array {
  const info = new PKIStatusInfo({ status, ...(text ? { statusString: new PKIFreeText([text]) } : {}) });
  const statusDer = new Uint8Array(AsnConvert.serialize(new TimeStampResp({ status: info })));
  if (!token) return statusDer;
  // Append the token as stored: SEQUENCE { PKIStatusInfo, token }.
  const outer = tlv(statusDer, 0, statusDer.length);
  const body = new Uint8Array(outer.end - outer.body + token.length);
  body.set(statusDer.subarray(outer.body, outer.end));
  body.set(token, outer.end - outer.body);
  return derSequence(body);
}

/** A decoded `TimeStampResp`. */
export interface TimestampResponse {
  readonly status: PKIStatus;
  readonly statusText?: string;
  /** The TimeStampToken bytes exactly as stored, when present. */
  readonly token?: Uint8Array;
}

/**
 * Decode a `TimeStampResp`, keeping the token's stored bytes.
 * @throws {MalformedInputError} when it is not one.
 */
export function decodeTimestampResponse(der: Uint8Array): TimestampResponse {
  let parsed: TimeStampResp;
  try {
    parsed = AsnConvert.parse(der, TimeStampResp);
  } catch (err) {
    throw new MalformedInputError(
      'rfc3161',
      said('err.tsa.notTimeStampResp', 'not a TimeStampResp: {v1}', { v1: (err as Error).message }),
      0,
      { cause: err },
    );
  }
  const parts = children(der, tlv(der, 0, der.length));
  const token = parts[1] ? der.slice(parts[1].start, parts[1].end) : undefined;
  const text = parsed.status.statusString?.join(' ');
  return { status: parsed.status.status, ...(text ? { statusText: text } : {}), ...(token ? { token } : {}) };
}

/**
 * If `der` is a whole `TimeStampResp` (it starts with the PKIStatusInfo), return its status
 * and token; undefined when it is not one (then it should be a bare TimeStampToken).
 */
export function asTimestampResponse(der: Uint8Array): TimestampResponse | undefined {
  try {
    const outer = tlv(der, 0, der.length);
    if (outer.tag !== 0x30) return undefined;
    const first = children(der, outer)[0];
    // A ContentInfo starts with an OID (0x06); a TimeStampResp with the PKIStatusInfo SEQUENCE.
    if (first?.tag !== 0x30) return undefined;
    return decodeTimestampResponse(der);
  } catch {
    return undefined;
  }
}

function derSequence(body: Uint8Array): Uint8Array {
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(1 + len.length + n);
  out[0] = 0x30;
  out.set(len, 1);
  out.set(body, 1 + len.length);
  return out;
}

export { PKIStatus };
