/**
 * RFC 3161 time-stamps in COSE unprotected headers (`sigTst` v1, `sigTst2` v2; profile §3.3).
 * A token is a CMS SignedData over a TSTInfo. We check that the message imprint matches the
 * data the C2PA version prescribes, that the `messageDigest` signed attribute matches the
 * TSTInfo, and that the TSA's signature over the signed attributes verifies with the signer
 * certificate carried in the token. Trust in the TSA chain is the caller's decision: the
 * chain's DER is returned with `genTime`.
 */
import { constants, createHash, verify, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { type Certificate, Time } from '@peculiar/asn1-x509';
import { ContentInfo, SignedData, type SignerInfo } from '@peculiar/asn1-cms';
import { TSTInfo, id_ct_tstInfo } from '@peculiar/asn1-tsp';
import type { HashAlgorithm } from '../../crypto/digest.ts';
import { publicKeyFromCertificate } from '../../crypto/cose-keys.ts';
import { ToolkitError } from '../../errors.ts';
import { signedAttributesDer } from './cms-raw.ts';
import { asTimestampResponse } from '../../tsa/protocol.ts';
import { bytesEqual } from '../../binary/bytes.ts';

/** Outcome of checking one time-stamp token. */
export type TimestampStatus = 'valid' | 'imprint-mismatch' | 'signature-invalid' | 'outside-validity' | 'malformed' | 'unsupported';

/** What a time-stamp token says and whether it checks out. */
export interface TimestampInfo {
  /** 1 for `sigTst`, 2 for `sigTst2`. */
  readonly version: 1 | 2;
  readonly status: TimestampStatus;
  /** Why the status is not `valid`. */
  readonly message?: string;
  /** The TSA's time (present whenever the TSTInfo parsed). */
  readonly genTime?: Date;
  /** DER certificates from the token: the TSA signer first, then the others as stored. */
  readonly tsaChainDer: Uint8Array[];
  /** Hash algorithm of the message imprint. */
  readonly imprintAlg?: string;
  /** TSA policy OID. */
  readonly policy?: string;
  /** The raw TimeStampToken DER. */
  readonly token: Uint8Array;
  /** Set when the header held a whole `TimeStampResp` rather than the bare token. */
  readonly form?: 'TimeStampResp';
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const HASH_OIDS: Record<string, HashAlgorithm | 'sha1'> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithm OID → [scheme, hash (undefined = from digestAlgorithm)]. */
const SIG_OIDS: Record<string, [scheme: 'ecdsa' | 'rsa' | 'pss' | 'ed25519', hash?: HashAlgorithm | 'sha1']> = {
  '1.2.840.10045.4.3.2': ['ecdsa', 'sha256'],
  '1.2.840.10045.4.3.3': ['ecdsa', 'sha384'],
  '1.2.840.10045.4.3.4': ['ecdsa', 'sha512'],
  '1.2.840.10045.2.1': ['ecdsa'],
  '1.2.840.113549.1.1.1': ['rsa'],
  '1.2.840.113549.1.1.5': ['rsa', 'sha1'],
  '1.2.840.113549.1.1.11': ['rsa', 'sha256'],
  '1.2.840.113549.1.1.12': ['rsa', 'sha384'],
  '1.2.840.113549.1.1.13': ['rsa', 'sha512'],
  '1.2.840.113549.1.1.10': ['pss'],
  '1.3.101.112': ['ed25519'],
};

class TstProblem extends Error {
  constructor(
    readonly status: TimestampStatus,
    message: string,
  ) {
    super(message);
  }
}

function hashWith(alg: HashAlgorithm | 'sha1', data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(alg).update(data).digest());
}

/**
 * Check one TimeStampToken against the data it should cover (`tbs`, see
 * `timestampDataV2`/`timestampDataV1`). Never throws: problems become the `status`.
 */
export function verifyTimestampToken(token: Uint8Array, tbs: Uint8Array, version: 1 | 2): TimestampInfo {
  const partial: { genTime?: Date; tsaChainDer: Uint8Array[]; imprintAlg?: string; policy?: string } = { tsaChainDer: [] };
  try {
    // A whole TimeStampResp (as older writers stored it, and c2pa-rs accepts): use its token.
    const resp = asTimestampResponse(token);
    if (resp) {
      if (resp.status !== 0 && resp.status !== 1) throw new TstProblem('malformed', 'time stamp status not granted');
      if (!resp.token) throw new TstProblem('malformed', 'time-stamp response carries no token');
      token = resp.token;
    }
    check(token, tbs, partial);
    return { version, status: 'valid', token, ...(resp ? { form: 'TimeStampResp' as const } : {}), ...partial };
  } catch (err) {
    const status = err instanceof TstProblem ? err.status : 'malformed';
    const message =
      err instanceof TstProblem || err instanceof ToolkitError ? err.message : `malformed time-stamp token: ${(err as Error).message}`;
    return { version, status, message, token, ...partial };
  }
}

function check(
  token: Uint8Array,
  tbs: Uint8Array,
  out: { genTime?: Date; tsaChainDer: Uint8Array[]; imprintAlg?: string; policy?: string },
): void {
  // The order of checks, and the status each failure gets, follow c2pa-rs 0.90 (verify_time_stamp).
  const ci = AsnConvert.parse(token, ContentInfo);
  if (ci.contentType !== OID_SIGNED_DATA) throw new TstProblem('malformed', `time-stamp token is not CMS SignedData (${ci.contentType})`);
  const sd = AsnConvert.parse(ci.content, SignedData);
  const certs = (sd.certificates ?? []).map((c) => c.certificate);
  if (certs.length === 0) throw new TstProblem('signature-invalid', 'time-stamp token contains no certificates');
  if (certs.some((c) => c === undefined)) throw new TstProblem('signature-invalid', 'time-stamp certificate could not be processed');
  const full = certs as Certificate[];
  const si = sd.signerInfos[0];
  const signerIdx = si ? full.findIndex((c) => matchesSid(c, si)) : -1;
  const ders = full.map((c) => new Uint8Array(AsnConvert.serialize(c)));
  out.tsaChainDer = signerIdx < 0 ? ders : [ders[signerIdx]!, ...ders.filter((_, i) => i !== signerIdx)];
  if (!si || signerIdx < 0) throw new TstProblem('signature-invalid', 'the TSA certificate is not in the time-stamp token');

  if (sd.encapContentInfo.eContentType !== id_ct_tstInfo) throw new TstProblem('malformed', 'time-stamp token does not carry a TSTInfo');
  const ec = sd.encapContentInfo.eContent;
  const tstDer = ec?.single
    ? new Uint8Array(ec.single.buffer)
    : ec?.any
      ? new Uint8Array(AsnConvert.parse(ec.any, OctetString).buffer)
      : undefined;
  if (!tstDer) throw new TstProblem('malformed', 'time-stamp token has no TSTInfo content');
  const tst = AsnConvert.parse(tstDer, TSTInfo);
  out.genTime = tst.genTime;
  out.policy = tst.policy;

  const setDer = signedAttributesDer(token);
  if (si.signedAttrs && setDer) {
    const values = (oid: string) => si.signedAttrs!.find((a) => a.attrType === oid)?.attrValues;
    // A signed signing-time attribute is the time c2pa-rs uses (as genTime).
    const st = values(OID_SIGNING_TIME);
    if (st?.length === 1) {
      try {
        out.genTime = AsnConvert.parse(st[0]!, Time).getTime();
      } catch {
        // unreadable: keep genTime
      }
    }
    const md = values(OID_MESSAGE_DIGEST);
    if (!md) throw new TstProblem('malformed', 'time-stamp signer has no messageDigest attribute');
    if (md.length !== 1) throw new TstProblem('malformed', `time-stamp messageDigest attribute has ${md.length} values`);
    const digestAlg = HASH_OIDS[si.digestAlgorithm.algorithm];
    if (!digestAlg) throw new TstProblem('malformed', `unsupported TSA digest ${si.digestAlgorithm.algorithm}`);
    if (!bytesEqual(new Uint8Array(AsnConvert.parse(md[0]!, OctetString).buffer), hashWith(digestAlg, tstDer))) {
      throw new TstProblem('imprint-mismatch', 'time-stamp messageDigest does not match the TSTInfo');
    }
  }
  const digestAlg = HASH_OIDS[si.digestAlgorithm.algorithm];
  if (!digestAlg) throw new TstProblem('malformed', `unsupported TSA digest ${si.digestAlgorithm.algorithm}`);
  const key = publicKeyFromCertificate(ders[signerIdx]!);
  if (!verifySignerInfo(si, digestAlg, key, setDer ?? tstDer))
    throw new TstProblem('signature-invalid', 'the TSA signature does not verify');

  const validity = full[signerIdx]!.tbsCertificate.validity;
  const at = out.genTime!;
  if (at < validity.notBefore.getTime() || at > validity.notAfter.getTime()) {
    throw new TstProblem('outside-validity', 'timestamp signer outside of certificate validity');
  }
  const imprintAlg = HASH_OIDS[tst.messageImprint.hashAlgorithm.algorithm];
  out.imprintAlg = imprintAlg ?? tst.messageImprint.hashAlgorithm.algorithm;
  if (!imprintAlg) throw new TstProblem('unsupported', `unsupported message-imprint hash ${tst.messageImprint.hashAlgorithm.algorithm}`);
  if (!bytesEqual(hashWith(imprintAlg, tbs), new Uint8Array(tst.messageImprint.hashedMessage.buffer))) {
    throw new TstProblem('imprint-mismatch', 'the time-stamp message imprint does not match the signature');
  }
}

function matchesSid(cert: Certificate, si: SignerInfo): boolean {
  const ias = si.sid.issuerAndSerialNumber;
  if (ias) {
    return (
      bytesEqual(new Uint8Array(cert.tbsCertificate.serialNumber), new Uint8Array(ias.serialNumber)) &&
      bytesEqual(new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.issuer)), new Uint8Array(AsnConvert.serialize(ias.issuer)))
    );
  }
  const ski = si.sid.subjectKeyIdentifier;
  if (!ski) return false;
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.14');
  if (!ext) return false;
  const certSki = AsnConvert.parse(ext.extnValue.buffer, OctetString);
  return bytesEqual(new Uint8Array(certSki.buffer), new Uint8Array(ski.buffer));
}

function verifySignerInfo(si: SignerInfo, digestAlg: HashAlgorithm | 'sha1', key: KeyObject, data: Uint8Array): boolean {
  const entry = SIG_OIDS[si.signatureAlgorithm.algorithm];
  if (!entry) throw new TstProblem('unsupported', `unsupported TSA signature algorithm ${si.signatureAlgorithm.algorithm}`);
  const [scheme, fixedHash] = entry;
  const hash = fixedHash ?? digestAlg;
  const sig = new Uint8Array(si.signature.buffer);
  try {
    if (scheme === 'ed25519') return verify(null, data, key, sig);
    if (scheme === 'ecdsa') return verify(hash, data, key, sig);
    if (scheme === 'rsa') return verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
    return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
  } catch {
    return false;
  }
}
