/**
 * COSE algorithm identifiers used by C2PA (profile §3.2; RFC 9053 / IANA COSE registry).
 */
import type { CoseAlgorithm } from '../../crypto/signer.ts';
import type { HashAlgorithm } from '../../crypto/digest.ts';

/** COSE `alg` integer of each algorithm. */
export const COSE_ALG_IDS: Readonly<Record<CoseAlgorithm, number>> = {
  ES256: -7,
  ES384: -35,
  ES512: -36,
  PS256: -37,
  PS384: -38,
  PS512: -39,
  Ed25519: -8,
};

/** The algorithm for a COSE `alg` integer, or undefined when unsupported. */
export function coseAlgorithmFromId(id: unknown): CoseAlgorithm | undefined {
  for (const [name, v] of Object.entries(COSE_ALG_IDS)) if (v === id) return name as CoseAlgorithm;
  return undefined;
}

/** Hash used inside each signature algorithm (Ed25519 hashes internally: undefined). */
export const COSE_ALG_HASH: Readonly<Record<CoseAlgorithm, HashAlgorithm | undefined>> = {
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  Ed25519: undefined,
};

/** Named curve each ECDSA algorithm must use (node:crypto names). */
export const COSE_ALG_CURVE: Readonly<Partial<Record<CoseAlgorithm, string>>> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
};

/**
 * Raw signature length of an algorithm: Ed25519 64, ECDSA r‖s 64/96/132. RSA-PSS is the
 * modulus length, so `undefined` here (see {@link maxSignatureLength}).
 */
export function fixedSignatureLength(alg: CoseAlgorithm): number | undefined {
  return { Ed25519: 64, ES256: 64, ES384: 96, ES512: 132 }[alg as 'Ed25519'];
}

/** An upper bound on the raw signature length (RSA moduli up to 8192 bits). */
export function maxSignatureLength(alg: CoseAlgorithm): number {
  return fixedSignatureLength(alg) ?? 1024;
}
