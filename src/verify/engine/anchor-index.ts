/**
 * The index of a trust list that lets a verification parse only the anchors a chain asks for:
 * for each certificate of the PEM bundle, in order, the SHA-256 of its DER and the comparison key
 * of its subject name (`nameKey`). For the bundled lists it is computed when the package is built
 * (`npm run build`, scripts/build.mjs) into `assets/trust/anchor-index.json`,
 * with the SHA-256 of each list's PEM text: an index that does not match its list is ignored and
 * the list is parsed whole, as without an index. The trust decisions are the same either way.
 */
import { createHash } from 'node:crypto';
import { parseCertificate } from '../../pki/certificate.ts';
import { nameKey } from '../../pki/names.ts';
import { decodePemBundle } from '../../pki/pem.ts';

/** The index of one PEM bundle of certificates. */
export interface AnchorIndex {
  /** SHA-256 (hex) of the PEM text the index was computed from. */
  readonly sha256: string;
  /** One row per CERTIFICATE block, in order. */
  readonly certs: readonly { readonly sha256: string; readonly subject: string }[];
}

/** SHA-256 (hex) of a list's PEM text, as {@link AnchorIndex.sha256}. */
export function pemDigest(pem: string): string {
  return createHash('sha256').update(pem, 'utf8').digest('hex');
}

/**
 * Compute the index of a PEM bundle (parses every certificate).
 * @throws {CertificateError} when a block is not a certificate we read. @throws {LimitExceededError} above the PEM limits.
 */
export function computeAnchorIndex(pem: string, what: string): AnchorIndex {
  const certs = decodePemBundle(pem, what)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b, i) => {
      const cert = parseCertificate(b.der, `${what} certificate ${i + 1}`);
      return { sha256: cert.fingerprint256, subject: nameKey(cert.subject) };
    });
  return { sha256: pemDigest(pem), certs };
}

/** Whether `x` is a well-formed index of `pem` with `count` certificates (else it is not used). */
export function indexMatches(x: unknown, pem: string, count: number): x is AnchorIndex {
  if (typeof x !== 'object' || x === null) return false;
  const idx = x as AnchorIndex;
  return (
    idx.sha256 === pemDigest(pem) &&
    Array.isArray(idx.certs) &&
    idx.certs.length === count &&
    idx.certs.every((c) => typeof c?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(c.sha256) && typeof c.subject === 'string')
  );
}
