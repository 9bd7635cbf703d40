/**
 * Certificate revocation lists (RFC 5280 §5): parse (strict DER) and build CRL v2 with
 * AKI and CRL number, signed by the issuing CA with node:crypto.
 */
import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, CertificateList, Name, RevokedCertificate, TBSCertList, Time, Version } from '@peculiar/asn1-x509';
import { CertificateError, LimitExceededError, said } from '../errors.ts';
import { MAX_CRL_BYTES } from '../binary/limits.ts';
import { checkStrictDer, encodeTlv, integerHex, readChildren, readTlv, toHex } from './der.ts';
import { decodeSignatureAlgorithm, signatureAlgorithmFor, signTbs, verifySignature, type SignatureAlgorithm } from './algorithms.ts';
import { namesEqual, toDistinguishedName, type DistinguishedName } from './names.ts';
import { keyIdOfIssuer } from './cert-builder.ts';
import { encodeAuthorityKeyId, makeExtension } from './extensions.ts';
import { EXT } from './oids.ts';
import { derBlocks } from './pem.ts';
import type { Certificate } from './certificate.ts';

/** A parsed CRL. */
export interface Crl {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  /** Revoked serials (lowercase hex, no sign padding) → revocation date. */
  readonly revoked: ReadonlyMap<string, Date>;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  /** AKI keyIdentifier, lowercase hex. */
  readonly authorityKeyId?: string;
  readonly crlNumber?: string;
}

/**
 * Parse one DER CRL.
 * @throws {CertificateError} when it is not a strict-DER CRL.
 * @throws {LimitExceededError} above MAX_CRL_BYTES.
 */
export function parseCrl(der: Uint8Array, what = 'CRL'): Crl {
  if (der.length > MAX_CRL_BYTES)
    throw new LimitExceededError(
      'MAX_CRL_BYTES',
      said('err.limit.fileSize', '{what} is {size} bytes, more than {max}', { what, size: der.length, max: MAX_CRL_BYTES }),
    );
  let asn: CertificateList;
  let tbs: Uint8Array;
  try {
    const top = checkStrictDer(der, 'CRL');
    const [tbsTlv] = readChildren(der, top, 'CRL');
    if (tbsTlv?.tag !== 0x30) throw new CertificateError(said('err.der.notSeq', 'not a SEQUENCE of SEQUENCE'));
    tbs = der.slice(tbsTlv.start, tbsTlv.end);
    asn = AsnConvert.parse(der, CertificateList);
  } catch (err) {
    throw new CertificateError(
      said('err.crl.notDer', '{what} is not a valid DER CRL: {reason}', { what, reason: (err as Error).message }),
      { cause: err },
    );
  }
  const t = asn.tbsCertList;
  const revoked = new Map<string, Date>();
  for (const r of t.revokedCertificates ?? []) revoked.set(integerHex(new Uint8Array(r.userCertificate)), r.revocationDate.getTime());
  let authorityKeyId: string | undefined;
  let crlNumber: string | undefined;
  for (const e of t.crlExtensions ?? []) {
    const v = new Uint8Array(e.extnValue.buffer);
    try {
      if (e.extnID === EXT.authorityKeyIdentifier) {
        const seq = readTlv(v, 0);
        const kid = readChildren(v, seq).find((c) => c.tag === 0x80);
        if (kid) authorityKeyId = toHex(v.subarray(kid.contentStart, kid.end));
      } else if (e.extnID === EXT.crlNumber) {
        const int = readTlv(v, 0);
        crlNumber = BigInt(`0x${integerHex(v.subarray(int.contentStart, int.end))}`).toString();
      } else if (e.critical) {
        throw new CertificateError(said('err.crl.critical', 'unknown critical CRL extension {oid}', { oid: e.extnID }));
      }
    } catch (err) {
      throw new CertificateError(said('err.in', '{where}: {message}', { where: what, message: (err as Error).message }), { cause: err });
    }
  }
  return {
    der: der.slice(),
    tbs,
    issuer: toDistinguishedName(t.issuer),
    thisUpdate: t.thisUpdate.getTime(),
    ...(t.nextUpdate ? { nextUpdate: t.nextUpdate.getTime() } : {}),
    revoked,
    signatureAlgorithm: decodeSignatureAlgorithm(asn.signatureAlgorithm),
    signature: new Uint8Array(asn.signature),
    ...(authorityKeyId ? { authorityKeyId } : {}),
    ...(crlNumber ? { crlNumber } : {}),
  };
}

/**
 * Parse CRLs from PEM (`X509 CRL` blocks) or one DER value.
 * @throws {CertificateError} on corrupt input.
 */
export function parseCrls(data: string | Uint8Array, what = 'CRL'): Crl[] {
  return derBlocks(data, 'X509 CRL', what).map((der) => parseCrl(der, what));
}

/**
 * Whether `issuer` issued and signed `crl` (name match, cRLSign if key usage is present, signature).
 * Returns the reason when not.
 */
export function checkCrlIssuer(crl: Crl, issuer: Certificate): { ok: boolean; reason?: string } {
  if (!namesEqual(crl.issuer, issuer.subject)) return { ok: false, reason: 'CRL issuer name differs from the certificate issuer' };
  const ku = issuer.extensions.keyUsage;
  if (ku && !ku.usages.includes('cRLSign')) return { ok: false, reason: `${issuer.subject.text} may not sign CRLs (no cRLSign)` };
  const v = verifySignature(crl.signatureAlgorithm, crl.tbs, crl.signature, issuer.publicKey);
  return v.ok ? { ok: true } : { ok: false, reason: `CRL signature: ${v.reason}` };
}

/** The CRL entry extension reasonCode (RFC 5280 §5.3.1), an ENUMERATED CRLReason. */
const REASON_CODE_OID = '2.5.29.21';

/** One revoked entry for {@link buildCrl}. */
export interface RevokedEntry {
  /** Serial, hex. */
  readonly serial: string;
  readonly revokedAt: Date;
  /** RFC 5280 CRLReason code, written as the entry's reasonCode extension. */
  readonly reason?: number;
}

/** Options of {@link buildCrl}. */
export interface BuildCrlOptions {
  readonly issuer: Certificate;
  readonly issuerKey: KeyObject;
  readonly revoked: readonly RevokedEntry[];
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly crlNumber: number;
}

function serialBytes(hex: string): ArrayBuffer {
  const clean = hex.length % 2 ? `0${hex}` : hex;
  const b = Buffer.from(clean, 'hex');
  const bytes = b[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  return new Uint8Array(bytes).buffer;
}

/**
 * Build and sign a CRL v2 (with AKI and CRLNumber).
 * @throws {KeyError} when the key cannot sign.
 */
export function buildCrl(opts: BuildCrlOptions): Crl {
  const { id } = signatureAlgorithmFor(opts.issuerKey);
  const crlNumber = encodeTlv(0x02, new Uint8Array(serialBytes(opts.crlNumber.toString(16))));
  const tbsCertList = new TBSCertList({
    version: Version.v2,
    signature: id,
    issuer: AsnConvert.parse(opts.issuer.subject.der, Name),
    thisUpdate: new Time(opts.thisUpdate),
    nextUpdate: new Time(opts.nextUpdate),
    ...(opts.revoked.length > 0
      ? {
          revokedCertificates: opts.revoked.map(
            (r) =>
              new RevokedCertificate({
                userCertificate: serialBytes(r.serial),
                revocationDate: new Time(r.revokedAt),
                ...(r.reason !== undefined
                  ? { crlEntryExtensions: [makeExtension(REASON_CODE_OID, false, encodeTlv(0x0a, Uint8Array.of(r.reason)))] }
                  : {}),
              }),
          ),
        }
      : {}),
    crlExtensions: [
      makeExtension(EXT.authorityKeyIdentifier, false, encodeAuthorityKeyId(keyIdOfIssuer(opts.issuer))),
      makeExtension(EXT.crlNumber, false, crlNumber),
    ],
  });
  const tbs = new Uint8Array(AsnConvert.serialize(tbsCertList));
  const signature = signTbs(tbs, opts.issuerKey);
  const list = new CertificateList({ tbsCertList, signatureAlgorithm: new AlgorithmIdentifier(id), signature: signature.slice().buffer });
  return parseCrl(new Uint8Array(AsnConvert.serialize(list)), 'issued CRL');
}
