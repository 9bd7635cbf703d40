/**
 * OCSP messages (RFC 6960): the CertID that names a certificate, the request a client
 * sends, and the response it gets back, decoded into plain data with the exact bytes of
 * the signed `tbsResponseData` kept for signature checks.
 */
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, AuthorityInfoAccessSyntax, Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_pkix_ocsp,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { MalformedInputError, said } from '../errors.ts';
import type { Certificate } from '../pki/certificate.ts';
import { publicKeyBits } from '../pki/cert-builder.ts';
import { children, tlv } from '../manifest/cose/cms-raw.ts';

const SHA1 = '1.3.14.3.2.26';
const HASHES: Record<string, string> = {
  [SHA1]: 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** A CertID as plain data (hex strings). */
export interface CertIdData {
  readonly hashOid: string;
  readonly issuerNameHash: string;
  readonly issuerKeyHash: string;
  /** Serial number, lowercase hex without leading zero bytes. */
  readonly serial: string;
}

function hex(b: ArrayBuffer | Uint8Array): string {
  return Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');
}

function serialHex(b: ArrayBuffer): string {
  return hex(b).replace(/^(00)+(?=.)/, '');
}

/** The CertID of `cert` issued by `issuer` (SHA-1 by default, as openssl and most responders use). */
export function certIdFor(cert: Certificate, issuer: Certificate, hash: 'sha1' | 'sha256' = 'sha1'): CertIdData {
  const h = (d: Uint8Array) => createHash(hash).update(d).digest('hex');
  return {
    hashOid: hash === 'sha1' ? SHA1 : '2.16.840.1.101.3.4.2.1',
    issuerNameHash: h(issuer.subject.der),
    issuerKeyHash: h(publicKeyBits(issuer.publicKey)),
    serial: cert.serialNumber.replace(/^(00)+(?=.)/, ''),
  };
}

/** Whether a CertID (any supported hash) names `cert` issued by `issuer`. */
export function certIdMatches(id: CertIdData, cert: Certificate, issuer: Certificate): boolean {
  const alg = HASHES[id.hashOid];
  if (!alg) return false;
  const h = (d: Uint8Array) => createHash(alg).update(d).digest('hex');
  return (
    id.serial === cert.serialNumber.replace(/^(00)+(?=.)/, '') &&
    id.issuerNameHash === h(issuer.subject.der) &&
    id.issuerKeyHash === h(publicKeyBits(issuer.publicKey))
  );
}

function asnCertId(id: CertIdData): CertID {
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: id.hashOid, parameters: null }),
    issuerNameHash: new OctetString(Buffer.from(id.issuerNameHash, 'hex')),
    issuerKeyHash: new OctetString(Buffer.from(id.issuerKeyHash, 'hex')),
    serialNumber: new Uint8Array(Buffer.from(id.serial.length % 2 ? `0${id.serial}` : id.serial, 'hex')).buffer,
  });
}

/** Encode an unsigned OCSPRequest for one certificate. */
export function encodeOcspRequest(id: CertIdData): Uint8Array {
  return new Uint8Array(
    AsnConvert.serialize(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: asnCertId(id) })] }) })),
  );
}

/**
 * Decode an OCSPRequest's CertIDs (what a responder receives).
 * @throws {MalformedInputError} when it is not one.
 */
export function decodeOcspRequest(der: Uint8Array): CertIdData[] {
  try {
    const r = AsnConvert.parse(der, OCSPRequest);
    return r.tbsRequest.requestList.map((q) => plainCertId(q.reqCert));
  } catch (err) {
    throw new MalformedInputError('ocsp', said('err.ocsp.notOCSPRequest', 'not an OCSPRequest: {v1}', { v1: (err as Error).message }), 0, {
      cause: err,
    });
  }
}

function plainCertId(c: CertID): CertIdData {
  return {
    hashOid: c.hashAlgorithm.algorithm,
    issuerNameHash: hex(c.issuerNameHash.buffer),
    issuerKeyHash: hex(c.issuerKeyHash.buffer),
    serial: serialHex(c.serialNumber),
  };
}

/** One SingleResponse. */
export interface SingleStatus {
  readonly certId: CertIdData;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revokedAt?: Date;
  /** CRLReason code when revoked. */
  readonly reason?: number;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

/** A decoded OCSPResponse. */
export interface DecodedOcspResponse {
  readonly responseStatus: OCSPResponseStatus;
  /** Present for a successful basic response. */
  readonly basic?: {
    readonly producedAt: Date;
    readonly responses: readonly SingleStatus[];
    /** Certificates the responder included (a delegated responder's, first). */
    readonly certsDer: readonly Uint8Array[];
    /** Exact signed bytes, algorithm and signature. */
    readonly tbs: Uint8Array;
    readonly signatureAlgorithm: AlgorithmIdentifier;
    readonly signature: Uint8Array;
    /** Responder by key hash (hex) or by name (DER). */
    readonly responderKeyHash?: string;
    readonly responderNameDer?: Uint8Array;
  };
}

/**
 * Decode an OCSPResponse.
 * @throws {MalformedInputError} when it is not one.
 */
export function decodeOcspResponse(der: Uint8Array): DecodedOcspResponse {
  try {
    const r = AsnConvert.parse(der, OCSPResponse);
    if (r.responseStatus !== OCSPResponseStatus.successful || !r.responseBytes) return { responseStatus: r.responseStatus };
    if (r.responseBytes.responseType !== id_pkix_ocsp_basic)
      throw new MalformedInputError(
        'ocsp',
        said('err.ocsp.unsupportedOCSPResponseType', 'unsupported OCSP response type {responseType}', {
          responseType: r.responseBytes.responseType,
        }),
      );
    const bytes = new Uint8Array(r.responseBytes.response.buffer);
    const basic = AsnConvert.parse(bytes, BasicOCSPResponse);
    const first = children(bytes, tlv(bytes, 0, bytes.length))[0]!;
    const rd = basic.tbsResponseData;
    return {
      responseStatus: r.responseStatus,
      basic: {
        producedAt: rd.producedAt,
        responses: rd.responses.map((s) => ({
          certId: plainCertId(s.certID),
          status: s.certStatus.revoked ? 'revoked' : s.certStatus.unknown !== undefined ? 'unknown' : 'good',
          ...(s.certStatus.revoked ? { revokedAt: s.certStatus.revoked.revocationTime } : {}),
          ...(s.certStatus.revoked?.revocationReason !== undefined ? { reason: Number(s.certStatus.revoked.revocationReason.reason) } : {}),
          thisUpdate: s.thisUpdate,
          ...(s.nextUpdate ? { nextUpdate: s.nextUpdate } : {}),
        })),
        certsDer: (basic.certs ?? []).map((c) => new Uint8Array(AsnConvert.serialize(c))),
        tbs: bytes.slice(first.start, first.end),
        signatureAlgorithm: basic.signatureAlgorithm,
        signature: new Uint8Array(basic.signature),
        ...(rd.responderID.byKey ? { responderKeyHash: hex(rd.responderID.byKey.buffer) } : {}),
        ...(rd.responderID.byName ? { responderNameDer: new Uint8Array(AsnConvert.serialize(rd.responderID.byName)) } : {}),
      },
    };
  } catch (err) {
    if (err instanceof MalformedInputError) throw err;
    throw new MalformedInputError(
      'ocsp',
      said('err.ocsp.notOCSPResponse', 'not an OCSPResponse: {v1}', { v1: (err as Error).message }),
      0,
      { cause: err },
    );
  }
}

/** The OCSP responder URLs a certificate names (AIA id-ad-ocsp, http only). */
export function ocspUrlsOf(cert: Certificate): string[] {
  const ext = cert.extensions.all.find((e) => e.oid === '1.3.6.1.5.5.7.1.1');
  if (!ext) return [];
  try {
    const aia = AsnConvert.parse(ext.value, AuthorityInfoAccessSyntax);
    return aia
      .filter((d) => d.accessMethod === id_pkix_ocsp && d.accessLocation.uniformResourceIdentifier)
      .map((d) => d.accessLocation.uniformResourceIdentifier!)
      .filter((u) => /^https?:\/\//i.test(u));
  } catch {
    return [];
  }
}

export { AsnCertificate, OCSPResponseStatus };
