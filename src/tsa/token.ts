/**
 * Issue RFC 3161 TimeStampTokens: a CMS SignedData over a DER `TSTInfo`, signed by the TSA
 * key over signed attributes (contentType, signingTime, messageDigest and the RFC 5816
 * `signingCertificateV2` that `openssl ts -verify` requires), with the TSA certificate
 * chain included. ECDSA (DER signatures), Ed25519 and RSA (PKCS#1 v1.5) TSA keys.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate as AsnCertificate, GeneralName, Name } from '@peculiar/asn1-x509';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  DigestAlgorithmIdentifiers,
} from '@peculiar/asn1-cms';
import { MessageImprint, TSTInfo, id_ct_tstInfo, Accuracy } from '@peculiar/asn1-tsp';
import { KeyError, said } from '../errors.ts';
import type { Certificate } from '../pki/certificate.ts';
import { encodeTlv } from '../pki/der.ts';
import { digest, hashOid, type TsaHash } from './hashes.ts';

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** What goes into one token. */
export interface TokenSpec {
  /** Imprint hash OID and value, copied from the request. */
  readonly imprintHashOid: string;
  readonly imprint: Uint8Array;
  readonly nonce?: Uint8Array;
  /** Include the TSA chain in the token (the request's certReq). */
  readonly includeCerts: boolean;
  /** TSA policy OID. */
  readonly policy: string;
  /** The TSA certificate first, then its issuers (never needed: the root). */
  readonly chain: readonly Certificate[];
  readonly key: KeyObject;
  /** Time to state (default now). */
  readonly genTime?: Date;
  /** Serial number bytes (default 16 random bytes). */
  readonly serial?: Uint8Array;
}

function signatureAlgorithm(key: KeyObject, hash: TsaHash): { id: string; sign: (data: Uint8Array) => Uint8Array } {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const id = { sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' }[hash];
      return { id, sign: (d) => new Uint8Array(crypto.sign(hash, d, { key, dsaEncoding: 'der' })) };
    }
    case 'ed25519':
      return { id: '1.3.101.112', sign: (d) => new Uint8Array(crypto.sign(null, d, key)) };
    case 'rsa': {
      const id = { sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13' }[hash];
      return { id, sign: (d) => new Uint8Array(crypto.sign(hash, d, { key, padding: crypto.constants.RSA_PKCS1_PADDING })) };
    }
    default:
      throw new KeyError(
        said('err.tsa.keyCannotSignTime', 'a {v1} key cannot sign time-stamps (use ECDSA, Ed25519 or RSA)', {
          v1: key.asymmetricKeyType ?? 'secret',
        }),
      );
  }
}

function attribute(oid: string, valueDer: Uint8Array): Attribute {
  return new Attribute({ attrType: oid, attrValues: [valueDer.slice().buffer] });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Build and sign a TimeStampToken (DER ContentInfo).
 * @throws {KeyError} when the key cannot sign.
 */
export function createTimestampToken(spec: TokenSpec): Uint8Array {
  const tsaCert = spec.chain[0];
  if (!tsaCert) throw new KeyError(said('err.tsa.tsaNeedsCertificate', 'a TSA needs its certificate'));
  const hash: TsaHash = 'sha256';
  const genTime = spec.genTime ?? new Date();
  const tsaName = AsnConvert.parse(tsaCert.subject.der, Name);
  const tst = new TSTInfo({
    policy: spec.policy,
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: spec.imprintHashOid, parameters: null }),
      hashedMessage: new OctetString(spec.imprint),
    }),
    serialNumber: (spec.serial ?? serial()).slice().buffer,
    genTime,
    accuracy: new Accuracy({ seconds: 1 }),
    ...(spec.nonce ? { nonce: spec.nonce.slice().buffer } : {}),
    tsa: new GeneralName({ directoryName: tsaName }),
  });
  const tstDer = new Uint8Array(AsnConvert.serialize(tst));
  const certHash = digest('sha256', tsaCert.der);
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }, ESSCertIDv2 ::= SEQUENCE { certHash OCTET STRING } (SHA-256 default).
  const essCertId = encodeTlv(0x30, encodeTlv(0x04, certHash));
  const signingCertV2 = encodeTlv(0x30, encodeTlv(0x30, essCertId));
  const attrs = [
    attribute(OID.contentType, encodeTlv(0x06, oidBody(id_ct_tstInfo))),
    attribute(OID.signingTime, utcTime(genTime)),
    attribute(OID.messageDigest, encodeTlv(0x04, digest(hash, tstDer))),
    attribute(OID.signingCertificateV2, signingCertV2),
  ]
    .map((a) => ({ a, der: new Uint8Array(AsnConvert.serialize(a)) }))
    .sort((x, y) => compareBytes(x.der, y.der));
  const setDer = encodeTlv(0x31, concat(attrs.map((x) => x.der)));
  const alg = signatureAlgorithm(spec.key, hash);
  const signature = alg.sign(setDer);
  const asnTsa = AsnConvert.parse(tsaCert.der, AsnCertificate);
  const signerInfo = new SignerInfo({
    version: 1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: asnTsa.tbsCertificate.issuer,
        serialNumber: asnTsa.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm: new AlgorithmIdentifier({ algorithm: hashOid(hash), parameters: null }),
    signedAttrs: attrs.map((x) => x.a),
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: alg.id }),
    signature: new OctetString(signature),
  });
  const signedData = new SignedData({
    version: 3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([new AlgorithmIdentifier({ algorithm: hashOid(hash), parameters: null })]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: id_ct_tstInfo,
      eContent: new EncapsulatedContent({ single: new OctetString(tstDer) }),
    }),
    ...(spec.includeCerts
      ? {
          certificates: new CertificateSet(
            spec.chain.map((c) => new CertificateChoices({ certificate: AsnConvert.parse(c.der, AsnCertificate) })),
          ),
        }
      : {}),
    signerInfos: new SignerInfos([signerInfo]),
  });
  const ci = new ContentInfo({ contentType: OID.signedData, content: AsnConvert.serialize(signedData) });
  return new Uint8Array(AsnConvert.serialize(ci));
}

function serial(): Uint8Array {
  const s = new Uint8Array(crypto.randomBytes(16));
  s[0] = (s[0]! & 0x7f) | 0x01;
  return s;
}

function utcTime(d: Date): Uint8Array {
  const p = (n: number) => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  const body = `${p(y % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  // UTCTime for 1950..2049 (RFC 5280), GeneralizedTime otherwise.
  return y >= 1950 && y < 2050
    ? encodeTlv(0x17, new TextEncoder().encode(body))
    : encodeTlv(0x18, new TextEncoder().encode(`${y}${body.slice(2)}`));
}

function oidBody(oid: string): Uint8Array {
  const parts = oid.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const n of parts.slice(2)) {
    const bytes = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
