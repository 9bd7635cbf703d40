/**
 * An OCSP responder for this toolkit's CA (RFC 6960): answers for certificates issued by
 * the CA's intermediate from its revocation database (`revoked.json`, read on every request
 * so a revocation counts at once), signed by the intermediate itself or by a delegated
 * responder certificate (`aigc pki issue-ocsp`). HTTP POST `application/ocsp-request`;
 * listens on 127.0.0.1 unless told otherwise.
 */
import type { KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate as AsnCertificate, CRLReason } from '@peculiar/asn1-x509';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  KeyHash,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { createHash } from 'node:crypto';
import { startDerServer, type DerServer } from '../net/der-http-server.ts';
import type { Certificate } from '../pki/certificate.ts';
import { publicKeyBits } from '../pki/cert-builder.ts';
import { signatureAlgorithmFor, signTbs } from '../pki/algorithms.ts';
import { certIdFor, decodeOcspRequest, type CertIdData } from './protocol.ts';

/** Largest request accepted. */
export const MAX_OCSP_REQUEST_BYTES = 16 * 1024;

/** What the responder knows about one serial number (`reason`: RFC 5280 CRLReason code, omitted when unspecified). */
export type SerialStatus = { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason?: number } | { status: 'unknown' };

/** Options of {@link answerOcspRequest} and {@link startOcspServer}. */
export interface OcspResponderOptions {
  /** The CA certificate whose issued certificates this responder answers for. */
  readonly issuer: Certificate;
  /** The signing certificate: the issuer itself, or a delegated responder (EKU OCSPSigning) it issued. */
  readonly signerCert: Certificate;
  readonly signerKey: KeyObject;
  /**
   * Certificates embedded after a delegated signer: its issuing chain (the CA's intermediate, up to
   * but not including the root). c2pa-rs 0.90 builds the responder's path to a trust anchor from the
   * response's own certificates only, so a stapled response without them is never counted there.
   */
  readonly signerChain?: readonly Certificate[];
  /** Status of a serial (lowercase hex); called per request. */
  readonly lookup: (serial: string) => SerialStatus | Promise<SerialStatus>;
  /** Minutes until nextUpdate (default 60 * 24). */
  readonly validityMinutes?: number;
  readonly now?: () => Date;
  readonly host?: string;
  readonly port?: number;
}

function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

function simple(status: OCSPResponseStatus): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new OCSPResponse({ responseStatus: status })));
}

function revokedInfo(at: Date, reason: number | undefined): RevokedInfo {
  const info = new RevokedInfo({ revocationTime: wholeSeconds(at) });
  if (reason !== undefined) info.revocationReason = new CRLReason(reason);
  return info;
}

/** Answer one DER OCSPRequest with a DER OCSPResponse. Never throws for a bad request. */
export async function answerOcspRequest(body: Uint8Array, opts: OcspResponderOptions): Promise<Uint8Array> {
  let ids: CertIdData[];
  try {
    ids = decodeOcspRequest(body);
  } catch {
    return simple(OCSPResponseStatus.malformedRequest);
  }
  if (ids.length === 0) return simple(OCSPResponseStatus.malformedRequest);
  // Whole seconds: DER GeneralizedTime without fractions, which c2pa-rs requires to read the times.
  const now = wholeSeconds(opts.now?.() ?? new Date());
  const next = new Date(now.getTime() + (opts.validityMinutes ?? 1440) * 60_000);
  const ours = certIdFor(opts.issuer, opts.issuer);
  const ours256 = certIdFor(opts.issuer, opts.issuer, 'sha256');
  const responses: SingleResponse[] = [];
  for (const id of ids) {
    const mine =
      (id.issuerNameHash === ours.issuerNameHash && id.issuerKeyHash === ours.issuerKeyHash) ||
      (id.issuerNameHash === ours256.issuerNameHash && id.issuerKeyHash === ours256.issuerKeyHash);
    const st: SerialStatus = mine ? await opts.lookup(id.serial) : { status: 'unknown' };
    const certStatus =
      st.status === 'good'
        ? new CertStatus({ good: null })
        : st.status === 'revoked'
          ? new CertStatus({ revoked: revokedInfo(st.revokedAt, st.reason) })
          : new CertStatus({ unknown: null });
    responses.push(
      new SingleResponse({
        certID: new CertID({
          hashAlgorithm: new AlgorithmIdentifier({ algorithm: id.hashOid, parameters: null }),
          issuerNameHash: new OctetString(Buffer.from(id.issuerNameHash, 'hex')),
          issuerKeyHash: new OctetString(Buffer.from(id.issuerKeyHash, 'hex')),
          serialNumber: new Uint8Array(Buffer.from(id.serial.length % 2 ? `0${id.serial}` : id.serial, 'hex')).buffer,
        }),
        certStatus,
        thisUpdate: now,
        nextUpdate: next,
      }),
    );
  }
  const keyHash = createHash('sha1').update(publicKeyBits(opts.signerCert.publicKey)).digest();
  const tbs = new ResponseData({ responderID: new ResponderID({ byKey: new KeyHash(keyHash) }), producedAt: now, responses });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const delegated = opts.signerCert.fingerprint256 !== opts.issuer.fingerprint256;
  const basic = new BasicOCSPResponse({
    tbsResponseData: tbs,
    signatureAlgorithm: signatureAlgorithmFor(opts.signerKey).id,
    signature: signTbs(tbsDer, opts.signerKey).slice().buffer,
    ...(delegated ? { certs: [opts.signerCert, ...(opts.signerChain ?? [])].map((c) => AsnConvert.parse(c.der, AsnCertificate)) } : {}),
  });
  return new Uint8Array(
    AsnConvert.serialize(
      new OCSPResponse({
        responseStatus: OCSPResponseStatus.successful,
        responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
      }),
    ),
  );
}

/** A running responder (`url`, `served()`, `close()`). */
export type OcspServer = DerServer;

/**
 * Start the responder over HTTP.
 * @throws {IoError} when the port cannot be bound.
 */
export async function startOcspServer(opts: OcspResponderOptions): Promise<OcspServer> {
  return startDerServer({
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    maxRequestBytes: MAX_OCSP_REQUEST_BYTES,
    contentType: 'application/ocsp-response',
    answer: (body) => answerOcspRequest(body, opts),
    onError: () => ({ status: 200, contentType: 'application/ocsp-response', body: simple(OCSPResponseStatus.internalError) }),
  });
}
