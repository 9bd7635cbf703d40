/**
 * Certificate extensions the C2PA profile cares about: decode them into plain data and
 * encode them for certificates we issue. Key usage and basic constraints are encoded by
 * hand so the DER is exactly the canonical form (trailing zero bits dropped, DEFAULT
 * FALSE omitted).
 */
import crypto from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, Extension } from '@peculiar/asn1-x509';
import { CertificateError, said } from '../errors.ts';
import { EXT, KNOWN_EXTENSIONS } from './oids.ts';
import { checkStrictDer, encodeTlv, readTlv, toHex } from './der.ts';

/** Key-usage bit names in bit order (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** A key-usage bit name. */
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

/** One raw extension. */
export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The DER inside extnValue. */
  readonly value: Uint8Array;
}

/** Decoded extensions of a certificate. */
export interface ParsedExtensions {
  readonly all: readonly RawExtension[];
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLen?: number; readonly critical: boolean };
  readonly keyUsage?: { readonly usages: readonly KeyUsageName[]; readonly critical: boolean };
  readonly extKeyUsage?: { readonly oids: readonly string[]; readonly critical: boolean };
  /** Subject key identifier, lowercase hex. */
  readonly subjectKeyId?: string;
  /** Authority key identifier (keyIdentifier field), lowercase hex. */
  readonly authorityKeyId?: string;
  /** Critical extensions this toolkit does not understand. */
  readonly unknownCritical: readonly string[];
}

function decode<T>(value: Uint8Array, type: new () => T, what: string): T {
  try {
    checkStrictDer(value, what);
    return AsnConvert.parse(value, type);
  } catch (err) {
    throw new CertificateError(
      said('err.pki.extensionMalformed', '{what} extension is malformed: {v2}', { what, v2: (err as Error).message }),
      { cause: err },
    );
  }
}

/** Decode a KeyUsage BIT STRING. @throws {CertificateError} when malformed. */
export function decodeKeyUsage(value: Uint8Array): KeyUsageName[] {
  try {
    const tlv = readTlv(value, 0, value.length, 'keyUsage');
    if (tlv.tag !== 0x03 || tlv.end !== value.length || tlv.length < 1)
      throw new CertificateError(said('err.pki.notBITSTRING', 'not a BIT STRING'));
    const unused = value[tlv.contentStart]!;
    if (unused > 7 || (tlv.length === 1 && unused !== 0))
      throw new CertificateError(said('err.pki.badUnusedBitsCount', 'bad unused-bits count {unused}', { unused }));
    const out: KeyUsageName[] = [];
    KEY_USAGE_BITS.forEach((name, bit) => {
      const byte = value[tlv.contentStart + 1 + (bit >> 3)];
      if (byte !== undefined && tlv.contentStart + 1 + (bit >> 3) < tlv.end && (byte & (0x80 >> (bit & 7))) !== 0) out.push(name);
    });
    return out;
  } catch (err) {
    throw new CertificateError(
      said('err.pki.keyusageExtensionMalformed', 'keyUsage extension is malformed: {v1}', { v1: (err as Error).message }),
      { cause: err },
    );
  }
}

/**
 * Decode the extensions of a certificate.
 * @throws {CertificateError} on a duplicated or malformed known extension.
 */
export function parseExtensions(exts: readonly Extension[] | undefined): ParsedExtensions {
  const all: RawExtension[] = [];
  const seen = new Set<string>();
  const out: { -readonly [K in keyof ParsedExtensions]: ParsedExtensions[K] } = { all, unknownCritical: [] };
  const unknownCritical: string[] = [];
  for (const e of exts ?? []) {
    if (seen.has(e.extnID))
      throw new CertificateError(said('err.pki.extensionAppearsTwice', 'extension {extnID} appears twice', { extnID: e.extnID }));
    seen.add(e.extnID);
    const value = new Uint8Array(e.extnValue.buffer);
    all.push({ oid: e.extnID, critical: e.critical, value });
    switch (e.extnID) {
      case EXT.basicConstraints: {
        const bc = decode(value, BasicConstraints, 'basicConstraints');
        out.basicConstraints = {
          ca: bc.cA,
          ...(bc.pathLenConstraint === undefined ? {} : { pathLen: bc.pathLenConstraint }),
          critical: e.critical,
        };
        break;
      }
      case EXT.keyUsage:
        out.keyUsage = { usages: decodeKeyUsage(value), critical: e.critical };
        break;
      case EXT.extKeyUsage:
        out.extKeyUsage = { oids: [...decode(value, ExtendedKeyUsage, 'extKeyUsage')], critical: e.critical };
        break;
      case EXT.subjectKeyIdentifier:
        out.subjectKeyId = toHex(new Uint8Array(decode(value, OctetString, 'subjectKeyIdentifier').buffer));
        break;
      case EXT.authorityKeyIdentifier: {
        const aki = decode(value, AuthorityKeyIdentifier, 'authorityKeyIdentifier');
        if (aki.keyIdentifier) out.authorityKeyId = toHex(new Uint8Array(aki.keyIdentifier.buffer));
        break;
      }
      default:
        if (e.critical && !KNOWN_EXTENSIONS.has(e.extnID)) unknownCritical.push(e.extnID);
    }
  }
  out.unknownCritical = unknownCritical;
  return out;
}

/** Encode a KeyUsage BIT STRING with trailing zero bits removed (DER). */
export function encodeKeyUsage(usages: readonly KeyUsageName[]): Uint8Array {
  let bits = 0;
  for (const u of usages) bits |= 1 << KEY_USAGE_BITS.indexOf(u);
  if (bits === 0) return encodeTlv(0x03, new Uint8Array([0]));
  const highest = 31 - Math.clz32(bits);
  const nBytes = (highest >> 3) + 1;
  const bytes = new Uint8Array(nBytes);
  for (let bit = 0; bit <= highest; bit++) if (bits & (1 << bit)) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const unused = 7 - (highest & 7);
  return encodeTlv(0x03, new Uint8Array([unused]), bytes);
}

/** Encode BasicConstraints (CA flag omitted when false, as DER requires). */
export function encodeBasicConstraints(ca: boolean, pathLen?: number): Uint8Array {
  const parts: Uint8Array[] = [];
  if (ca) parts.push(new Uint8Array([0x01, 0x01, 0xff]));
  if (pathLen !== undefined) parts.push(encodeTlv(0x02, new Uint8Array([pathLen & 0x7f])));
  return encodeTlv(0x30, ...parts);
}

/** Encode an ExtendedKeyUsage SEQUENCE of OIDs. */
export function encodeExtKeyUsage(oids: readonly string[]): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new ExtendedKeyUsage([...oids])));
}

/** Key identifier for a public key: leftmost 160 bits of SHA-256 of the subjectPublicKey bits (RFC 7093 §2 method 1). */
export function keyIdentifier(subjectPublicKey: Uint8Array): Uint8Array {
  return new Uint8Array(crypto.createHash('sha256').update(subjectPublicKey).digest().subarray(0, 20));
}

/** Encode a SubjectKeyIdentifier value. */
export function encodeSubjectKeyId(id: Uint8Array): Uint8Array {
  return encodeTlv(0x04, id);
}

/** Encode an AuthorityKeyIdentifier with only the keyIdentifier [0] field. */
export function encodeAuthorityKeyId(id: Uint8Array): Uint8Array {
  return encodeTlv(0x30, encodeTlv(0x80, id));
}

/** Wrap a value into an asn1-x509 `Extension`. */
export function makeExtension(oid: string, critical: boolean, value: Uint8Array): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(value) });
}
