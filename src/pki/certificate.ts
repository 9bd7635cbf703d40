/**
 * The neutral certificate model: strict DER in, plain data out (names, serial, validity,
 * public key as a node `KeyObject`, decoded extensions, raw DER and TBS bytes). Structures
 * come from `@peculiar/asn1-x509`; every byte is first checked as strict DER (`der.ts`).
 */
import crypto, { type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { CertificateError, LimitExceededError, said } from '../errors.ts';
import { MAX_CERTIFICATE_BYTES, MAX_CHAIN_LENGTH } from '../binary/limits.ts';
import { checkStrictDer, integerHex, readChildren } from './der.ts';
import { decodeSignatureAlgorithm, type SignatureAlgorithm } from './algorithms.ts';
import { toDistinguishedName, type DistinguishedName } from './names.ts';
import { parseExtensions, type ParsedExtensions } from './extensions.ts';
import { derBlocks } from './pem.ts';

/** Public-key summary. */
export interface PublicKeyInfo {
  /** `Ed25519`, `EC`, `RSA`, `RSA-PSS` or the node key type. */
  readonly type: string;
  /** EC curve as node names it (`prime256v1`, `secp384r1`, `secp521r1`). */
  readonly curve?: string;
  /** RSA modulus size. */
  readonly bits?: number;
}

/** A parsed X.509 certificate. */
export interface Certificate {
  /** The whole certificate, DER. */
  readonly der: Uint8Array;
  /** The exact `tbsCertificate` bytes the signature covers. */
  readonly tbs: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: number;
  /** Serial number, lowercase hex without sign padding. */
  readonly serialNumber: string;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  readonly publicKey: KeyObject;
  readonly publicKeyInfo: PublicKeyInfo;
  /** Outer signature algorithm. */
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** Whether the TBS `signature` field equals the outer algorithm (RFC 5280 requires it). */
  readonly signatureAlgorithmsMatch: boolean;
  readonly signature: Uint8Array;
  readonly extensions: ParsedExtensions;
  /** issuerUniqueID or subjectUniqueID present (C2PA forbids them). */
  readonly hasUniqueIds: boolean;
  /** Subject and issuer names are equal. */
  readonly selfIssued: boolean;
  /** SHA-256 of the DER, lowercase hex. */
  readonly fingerprint256: string;
}

/**
 * Parse one DER certificate.
 * @throws {CertificateError} when the bytes are not a strict-DER X.509 certificate.
 * @throws {LimitExceededError} above MAX_CERTIFICATE_BYTES.
 */
export function parseCertificate(der: Uint8Array, what = 'certificate'): Certificate {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    throw new LimitExceededError(
      'MAX_CERTIFICATE_BYTES',
      said('err.limit.fileSize', '{what} is {size} bytes, more than {max}', { what, size: der.length, max: MAX_CERTIFICATE_BYTES }),
    );
  }
  let asn: AsnCertificate;
  let tbs: Uint8Array;
  try {
    const top = checkStrictDer(der, 'X.509');
    const [tbsTlv] = readChildren(der, top, 'X.509');
    if (top.tag !== 0x30 || !tbsTlv || tbsTlv.tag !== 0x30)
      throw new CertificateError(said('err.der.notSeq', 'not a SEQUENCE of SEQUENCE'));
    tbs = der.slice(tbsTlv.start, tbsTlv.end);
    asn = AsnConvert.parse(der, AsnCertificate);
  } catch (err) {
    if (err instanceof LimitExceededError) throw err;
    throw new CertificateError(
      said('err.cert.notDer', '{what} is not a valid DER X.509 certificate: {reason}', { what, reason: (err as Error).message }),
      {
        cause: err,
      },
    );
  }
  const t = asn.tbsCertificate;
  const spki = new Uint8Array(AsnConvert.serialize(t.subjectPublicKeyInfo));
  let publicKey: KeyObject;
  try {
    publicKey = crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (err) {
    throw new CertificateError(
      said('err.cert.keyLoad', '{what} has a public key node:crypto cannot load ({alg})', {
        what,
        alg: t.subjectPublicKeyInfo.algorithm.algorithm,
      }),
      {
        cause: err,
      },
    );
  }
  let extensions: ParsedExtensions;
  try {
    extensions = parseExtensions(t.extensions);
  } catch (err) {
    throw new CertificateError(said('err.in', '{where}: {message}', { where: what, message: (err as Error).message }), { cause: err });
  }
  const subject = toDistinguishedName(t.subject);
  const issuer = toDistinguishedName(t.issuer);
  const sigAlg = decodeSignatureAlgorithm(asn.signatureAlgorithm);
  const innerAlg = AsnConvert.serialize(t.signature);
  const outerAlg = AsnConvert.serialize(asn.signatureAlgorithm);
  return {
    der: der.slice(),
    tbs,
    version: t.version + 1,
    serialNumber: integerHex(new Uint8Array(t.serialNumber)),
    subject,
    issuer,
    notBefore: t.validity.notBefore.getTime(),
    notAfter: t.validity.notAfter.getTime(),
    spki,
    publicKey,
    publicKeyInfo: keyInfo(publicKey),
    signatureAlgorithm: sigAlg,
    signatureAlgorithmsMatch: Buffer.from(innerAlg).equals(Buffer.from(outerAlg)),
    signature: new Uint8Array(asn.signatureValue),
    extensions,
    hasUniqueIds: t.issuerUniqueID !== undefined || t.subjectUniqueID !== undefined,
    selfIssued: Buffer.from(subject.der).equals(Buffer.from(issuer.der)),
    fingerprint256: crypto.createHash('sha256').update(der).digest('hex'),
  };
}

/** Summarise a node public key. */
export function keyInfo(key: KeyObject): PublicKeyInfo {
  const d = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return { type: 'Ed25519' };
    case 'ec':
      return { type: 'EC', ...(d.namedCurve ? { curve: d.namedCurve } : {}) };
    case 'rsa':
      return { type: 'RSA', ...(d.modulusLength ? { bits: d.modulusLength } : {}) };
    case 'rsa-pss':
      return { type: 'RSA-PSS', ...(d.modulusLength ? { bits: d.modulusLength } : {}) };
    default:
      return { type: key.asymmetricKeyType ?? 'unknown' };
  }
}

/** Human label of a key, e.g. `EC P-256`, `RSA 2048`, `Ed25519`. */
export function describeKey(info: PublicKeyInfo): string {
  const curves: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
  if (info.curve) return `${info.type} ${curves[info.curve] ?? info.curve}`;
  if (info.bits) return `${info.type} ${info.bits}`;
  return info.type;
}

/**
 * Parse certificates from PEM text (a bundle of `CERTIFICATE` blocks) or one DER value.
 * For signing chains prefer {@link parseCertificateChain}, which also caps the length.
 * @throws {CertificateError} on corrupt input or when there is no certificate.
 * @throws {LimitExceededError} above the PEM or certificate size limits.
 */
export function parseCertificates(data: string | Uint8Array, what = 'certificate input'): Certificate[] {
  const blocks = derBlocks(data, 'CERTIFICATE', what);
  return blocks.map((der, i) => parseCertificate(der, blocks.length > 1 ? `${what} (certificate ${i + 1})` : what));
}

/**
 * Parse a signing chain (leaf first), at most MAX_CHAIN_LENGTH certificates.
 * @throws {CertificateError} on corrupt input.
 * @throws {LimitExceededError} when the chain is longer than MAX_CHAIN_LENGTH.
 */
export function parseCertificateChain(data: string | Uint8Array, what = 'certificate chain'): Certificate[] {
  const blocks = derBlocks(data, 'CERTIFICATE', what);
  if (blocks.length > MAX_CHAIN_LENGTH) {
    throw new LimitExceededError(
      'MAX_CHAIN_LENGTH',
      said('err.limit.chain', '{what} has {count} certificates, more than {max}', { what, count: blocks.length, max: MAX_CHAIN_LENGTH }),
    );
  }
  return blocks.map((der, i) => parseCertificate(der, `${what} (certificate ${i + 1})`));
}

/** Whether a value is a parsed {@link Certificate}. */
export function isCertificate(value: unknown): value is Certificate {
  return typeof value === 'object' && value !== null && 'tbs' in value && 'fingerprint256' in value;
}

/** Accept a parsed certificate or DER bytes. @throws {CertificateError} on bad DER. */
export function asCertificate(value: Certificate | Uint8Array, what = 'certificate'): Certificate {
  return isCertificate(value) ? value : parseCertificate(value, what);
}
