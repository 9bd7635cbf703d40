/**
 * Public keys for COSE verification: the SubjectPublicKeyInfo of a certificate's DER, turned
 * into a node:crypto KeyObject, and raw COSE signature checks (Ed25519, ECDSA r‖s, RSA-PSS).
 * Full certificate parsing and chain validation live in `src/pki/`.
 */
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { CertificateError, said } from '../errors.ts';
import type { CoseAlgorithm } from './signer.ts';
import { COSE_ALG_CURVE, COSE_ALG_HASH } from '../manifest/cose/algorithms.ts';

/**
 * The public key of a DER certificate (its SubjectPublicKeyInfo).
 * @throws {CertificateError} when the DER is not a certificate or the key type is unknown to node:crypto.
 */
export function publicKeyFromCertificate(certDer: Uint8Array): KeyObject {
  let spki: Uint8Array;
  try {
    const cert = AsnConvert.parse(certDer, Certificate);
    spki = new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo));
  } catch (err) {
    throw new CertificateError(
      said('err.key.cannotParseSigningCertificate', 'cannot parse the signing certificate: {v1}', { v1: (err as Error).message }),
      { cause: err },
    );
  }
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (err) {
    throw new CertificateError(
      said('err.key.unsupportedPublicKeySigning', 'unsupported public key in the signing certificate: {v1}', {
        v1: (err as Error).message,
      }),
      { cause: err },
    );
  }
}

/** Why a key does not fit an algorithm, or undefined when it does. */
export function keyMismatch(alg: CoseAlgorithm, key: KeyObject): string | undefined {
  const type = key.asymmetricKeyType;
  if (alg === 'Ed25519') return type === 'ed25519' ? undefined : `EdDSA needs an Ed25519 key, the certificate has ${type}`;
  if (alg.startsWith('ES')) {
    if (type !== 'ec') return `${alg} needs an EC key, the certificate has ${type}`;
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === COSE_ALG_CURVE[alg] ? undefined : `${alg} needs curve ${COSE_ALG_CURVE[alg]}, the key is on ${curve}`;
  }
  if (type !== 'rsa' && type !== 'rsa-pss') return `${alg} needs an RSA key, the certificate has ${type}`;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return bits >= 2048 ? undefined : `${alg} needs an RSA key of at least 2048 bits, the key has ${bits}`;
}

/**
 * Verify a raw COSE signature (Ed25519 64 bytes; ECDSA r‖s, IEEE P1363; RSA-PSS with
 * MGF1 of the same hash and a salt of the hash length). Returns false on any mismatch,
 * including a wrong signature length; never throws for bad signatures.
 */
export function verifyRawSignature(alg: CoseAlgorithm, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const hash = COSE_ALG_HASH[alg];
  try {
    if (alg === 'Ed25519') return signature.length === 64 && verify(null, data, key, signature);
    if (alg.startsWith('ES')) return verify(hash!, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    const saltLength = { sha256: 32, sha384: 48, sha512: 64 }[hash!];
    return verify(hash!, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature);
  } catch {
    return false;
  }
}

function derLength(b: Uint8Array, at: number): [length: number, next: number] | undefined {
  const first = b[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, at + 1];
  const n = first & 0x7f;
  if (n === 0 || n > 2 || at + 1 + n > b.length) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[at + 1 + i]!;
  return [len, at + 1 + n];
}

/**
 * Whether an ECDSA signature is DER (`SEQUENCE { INTEGER r, INTEGER s }`) rather than the
 * raw r‖s COSE requires. c2pa-rs refuses such a claim signature with
 * `signingCredential.invalid` before looking at anything else.
 */
export function isDerEcdsaSignature(sig: Uint8Array): boolean {
  if (sig[0] !== 0x30) return false;
  const seq = derLength(sig, 1);
  if (!seq || seq[1] + seq[0] !== sig.length) return false;
  let at = seq[1];
  for (let i = 0; i < 2; i++) {
    if (sig[at] !== 0x02) return false;
    const int = derLength(sig, at + 1);
    if (!int || int[0] === 0) return false;
    at = int[1] + int[0];
  }
  return at === sig.length;
}
