/**
 * Hashing for C2PA: small in-memory digests (hashed URIs, claim hashes). The streaming
 * hashes of the hard bindings (data hash, BMFF hash) live in `src/binding/`.
 *
 * Everything uses `node:crypto` (OpenSSL, with SHA extensions where the CPU has them): one
 * implementation for bulk and small inputs, several times faster than pure-JS SHA-256 on
 * large files. `@noble/hashes` is used only in tests as an independent cross-check.
 */
import { createHash } from 'node:crypto';

/** Hash algorithms C2PA uses. */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/**
 * Map a C2PA `alg` string to a supported algorithm, or undefined.
 * Accepts `sha256`/`sha384`/`sha512` (and `sha-256` style spellings).
 */
export function toHashAlgorithm(alg: unknown): HashAlgorithm | undefined {
  if (typeof alg !== 'string') return undefined;
  const a = alg.toLowerCase().replace('-', '');
  return a === 'sha256' || a === 'sha384' || a === 'sha512' ? a : undefined;
}

/** One-shot digest of one or more byte arrays. */
export function digest(alg: HashAlgorithm, ...data: readonly Uint8Array[]): Uint8Array {
  const h = createHash(alg);
  for (const d of data) h.update(d);
  return new Uint8Array(h.digest());
}

/** One-shot SHA-256. */
export function sha256(...data: readonly Uint8Array[]): Uint8Array {
  return digest('sha256', ...data);
}
