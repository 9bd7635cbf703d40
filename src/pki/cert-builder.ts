/**
 * Build and sign X.509 v3 certificates (Ed25519 or ECDSA issuers) with
 * `@peculiar/asn1-x509` structures and node:crypto signatures. Used by the CA commands
 * and by the test-PKI recipe, which is why every field (extensions, dates, serial,
 * signing key) can be set freely, including to values the profile forbids.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AuthorityInfoAccessSyntax,
  Certificate as AsnCertificate,
  type Extension,
  Extensions,
  GeneralName,
  Name,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { InvalidArgumentError } from '../errors.ts';
import { signatureAlgorithmFor, signTbs } from './algorithms.ts';
import { buildName, type NameInput } from './names.ts';
import { parseCertificate, type Certificate } from './certificate.ts';
import {
  encodeAuthorityKeyId,
  encodeBasicConstraints,
  encodeExtKeyUsage,
  encodeKeyUsage,
  encodeSubjectKeyId,
  keyIdentifier,
  makeExtension,
  type KeyUsageName,
} from './extensions.ts';
import { EKU, EXT } from './oids.ts';

/** Everything that goes into one certificate. */
export interface CertificateSpec {
  /** Subject attributes (one per RDN, in order). */
  readonly subject: readonly NameInput[];
  /** The issuing certificate; omit for a self-signed certificate. */
  readonly issuer?: Certificate;
  /** The subject's public key. */
  readonly publicKey: KeyObject;
  /** The key that signs (the issuer's private key, or the subject's own for self-signed). */
  readonly signingKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Serial number bytes (positive); random 16 bytes when omitted. */
  readonly serial?: Uint8Array;
  readonly extensions: readonly Extension[];
}

/** A fresh random positive serial number (16 bytes, top bit clear, first byte non-zero). */
export function randomSerial(): Uint8Array {
  const s = new Uint8Array(crypto.randomBytes(16));
  s[0] = (s[0]! & 0x7f) | 0x01;
  return s;
}

/** Raw subjectPublicKey bits of a key (for key identifiers). */
export function publicKeyBits(key: KeyObject): Uint8Array {
  const spki = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(AsnConvert.parse(spki, SubjectPublicKeyInfo).subjectPublicKey);
}

/**
 * Build and sign a certificate; returns the parsed result (its `der` is the certificate).
 * @throws {InvalidArgumentError} when the dates are reversed.
 * @throws {KeyError} when the signing key cannot sign certificates.
 */
export function buildCertificate(spec: CertificateSpec): Certificate {
  if (!(spec.notAfter.getTime() > spec.notBefore.getTime())) {
    throw InvalidArgumentError.expected(
      'notAfter later than notBefore',
      'validity',
      `${spec.notBefore.toISOString()} .. ${spec.notAfter.toISOString()}`,
    );
  }
  const subject = buildName(spec.subject);
  const issuer = spec.issuer ? AsnConvert.parse(spec.issuer.subject.der, Name) : subject;
  const { id } = signatureAlgorithmFor(spec.signingKey);
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: (spec.serial ?? randomSerial()).slice().buffer,
    signature: id,
    issuer,
    validity: new Validity({ notBefore: spec.notBefore, notAfter: spec.notAfter }),
    subject,
    subjectPublicKeyInfo: AsnConvert.parse(spec.publicKey.export({ format: 'der', type: 'spki' }), SubjectPublicKeyInfo),
    ...(spec.extensions.length > 0 ? { extensions: new Extensions([...spec.extensions]) } : {}),
  });
  const tbs = new Uint8Array(AsnConvert.serialize(tbsCertificate));
  const signature = signTbs(tbs, spec.signingKey);
  const cert = new AsnCertificate({ tbsCertificate, signatureAlgorithm: id, signatureValue: signature.slice().buffer });
  return parseCertificate(new Uint8Array(AsnConvert.serialize(cert)), 'issued certificate');
}

/** Options for the standard extension sets. */
export interface ProfileExtensionOptions {
  /** Subject public key (for the SKI). */
  readonly publicKey: KeyObject;
  /** Issuer key identifier (for the AKI): the issuer's SKI, or the subject's own for a root. */
  readonly issuerKeyId: Uint8Array;
}

/** The key identifier of a key (RFC 7093 method 1). */
export function keyIdOfKey(key: KeyObject): Uint8Array {
  return keyIdentifier(publicKeyBits(key));
}

/** The key identifier to put in the AKI of certificates `issuer` signs: its SKI, else one computed from its key. */
export function keyIdOfIssuer(issuer: Certificate): Uint8Array {
  const ski = issuer.extensions.subjectKeyId;
  return ski ? new Uint8Array(Buffer.from(ski, 'hex')) : keyIdOfKey(issuer.publicKey);
}

/** Extensions of a CA certificate: BC CA:true (critical, optional pathLen), KU keyCertSign+cRLSign (critical), SKI, AKI. */
export function caExtensions(opts: ProfileExtensionOptions & { readonly pathLen?: number }): Extension[] {
  return [
    makeExtension(EXT.basicConstraints, true, encodeBasicConstraints(true, opts.pathLen)),
    makeExtension(EXT.keyUsage, true, encodeKeyUsage(['keyCertSign', 'cRLSign'])),
    makeExtension(EXT.subjectKeyIdentifier, false, encodeSubjectKeyId(keyIdOfKey(opts.publicKey))),
    makeExtension(EXT.authorityKeyIdentifier, false, encodeAuthorityKeyId(opts.issuerKeyId)),
  ];
}

/** The EKUs of our signer leaves: c2pa-kp-claimSigning + emailProtection (c2pa-profile §3.4). */
export const LEAF_EKUS: readonly string[] = [EKU.c2paClaimSigning, EKU.emailProtection];

/** Options of a C2PA signer leaf. */
export interface LeafExtensionOptions extends ProfileExtensionOptions {
  /** EKU OIDs (default {@link LEAF_EKUS}); an empty list omits the extension. */
  readonly ekus?: readonly string[];
  /** Key usages (default digitalSignature). */
  readonly keyUsage?: readonly KeyUsageName[];
  /** OCSP responder URL, written as an Authority Information Access extension. */
  readonly ocspUrl?: string;
}

/** The DER of an AuthorityInfoAccess extension value naming one OCSP responder. */
export function encodeOcspAia(url: string): Uint8Array {
  const aia = new AuthorityInfoAccessSyntax([
    new AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.1', accessLocation: new GeneralName({ uniformResourceIdentifier: url }) }),
  ]);
  return new Uint8Array(AsnConvert.serialize(aia));
}

/** Extensions of a C2PA claim-signing leaf: BC CA:false and KU digitalSignature (both critical), EKU, SKI, AKI. */
export function leafExtensions(opts: LeafExtensionOptions): Extension[] {
  const ekus = opts.ekus ?? LEAF_EKUS;
  const out = [
    makeExtension(EXT.basicConstraints, true, encodeBasicConstraints(false)),
    makeExtension(EXT.keyUsage, true, encodeKeyUsage(opts.keyUsage ?? ['digitalSignature'])),
  ];
  if (ekus.length > 0) out.push(makeExtension(EXT.extKeyUsage, false, encodeExtKeyUsage(ekus)));
  out.push(
    makeExtension(EXT.subjectKeyIdentifier, false, encodeSubjectKeyId(keyIdOfKey(opts.publicKey))),
    makeExtension(EXT.authorityKeyIdentifier, false, encodeAuthorityKeyId(opts.issuerKeyId)),
  );
  if (opts.ocspUrl) out.push(makeExtension(EXT.authorityInfoAccess, false, encodeOcspAia(opts.ocspUrl)));
  return out;
}
