/**
 * Certificates for the CA's own services: a time-stamping authority (EKU timeStamping,
 * critical, alone, as RFC 3161 §2.3 requires) and an OCSP responder (EKU OCSPSigning),
 * both issued by the CA's intermediate and written as `chain.pem` + `key.pem` (0600).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, IoError, said } from '../errors.ts';
import { generateKeyPair, writeFileAtomic, writePrivateKey, type KeyAlgorithm } from '../crypto/keys.ts';
import { buildCertificate, keyIdOfIssuer, keyIdOfKey } from './cert-builder.ts';
import { loadCa, CA_DEFAULTS } from './ca.ts';
import type { Certificate } from './certificate.ts';
import {
  encodeAuthorityKeyId,
  encodeBasicConstraints,
  encodeExtKeyUsage,
  encodeKeyUsage,
  encodeSubjectKeyId,
  makeExtension,
} from './extensions.ts';
import { ATTR, EKU, EXT } from './oids.ts';
import { toPem } from './pem.ts';

const DAY = 86_400_000;

/** Which service certificate. */
export type ServiceCertKind = 'tsa' | 'ocsp';

/** Options of {@link issueServiceCertificateFor}. */
export interface IssueServiceCertOptions {
  readonly caDir: string;
  readonly outDir: string;
  readonly kind: ServiceCertKind;
  /** Common name (default "<org> Time-Stamping Authority" / "<org> OCSP Responder"). */
  readonly name?: string;
  /** Key algorithm (default es256: ECDSA P-256, which every RFC 3161 verifier reads). */
  readonly alg?: KeyAlgorithm;
  readonly days?: number;
  readonly caPassphrase?: string;
  readonly keyPassphrase?: string;
  readonly now?: Date;
}

/**
 * Issue a TSA or OCSP-responder certificate from a CA directory.
 * @throws {InvalidArgumentError} for a validity beyond the intermediate's.
 * @throws {IoError} / {CertificateError} / {KeyError} when the CA cannot be loaded or files written.
 */
export async function issueServiceCertificateFor(
  opts: IssueServiceCertOptions,
): Promise<{ cert: Certificate; chainPath: string; keyPath: string }> {
  const ca = await loadCa(opts.caDir, opts.caPassphrase);
  const now = opts.now ?? new Date();
  const days = opts.days ?? CA_DEFAULTS.leafDays;
  if (!Number.isInteger(days) || days < 1) throw InvalidArgumentError.expected('a positive whole number of days', 'days', days);
  const notAfter = new Date(now.getTime() + days * DAY);
  if (notAfter > ca.intermediate.notAfter) {
    throw InvalidArgumentError.expected(
      `a validity ending by ${ca.intermediate.notAfter.toISOString()} (when the intermediate expires)`,
      'days',
      days,
    );
  }
  const org = ca.intermediate.subject.text.match(/O=([^,]+)/)?.[1] ?? 'AIGC Provenance';
  const name = opts.name ?? (opts.kind === 'tsa' ? `${org} Time-Stamping Authority` : `${org} OCSP Responder`);
  const keys = generateKeyPair(opts.alg ?? 'es256');
  const cert = buildCertificate({
    subject: [
      { oid: ATTR.organization, value: org },
      { oid: ATTR.commonName, value: name },
    ],
    issuer: ca.intermediate,
    publicKey: keys.publicKey,
    signingKey: ca.intermediateKey,
    notBefore: now,
    notAfter,
    extensions: [
      makeExtension(EXT.basicConstraints, true, encodeBasicConstraints(false)),
      makeExtension(EXT.keyUsage, true, encodeKeyUsage(['digitalSignature'])),
      makeExtension(EXT.extKeyUsage, opts.kind === 'tsa', encodeExtKeyUsage([opts.kind === 'tsa' ? EKU.timeStamping : EKU.ocspSigning])),
      makeExtension(EXT.subjectKeyIdentifier, false, encodeSubjectKeyId(keyIdOfKey(keys.publicKey))),
      makeExtension(EXT.authorityKeyIdentifier, false, encodeAuthorityKeyId(keyIdOfIssuer(ca.intermediate))),
    ],
  });
  try {
    await mkdir(opts.outDir, { recursive: true });
  } catch (err) {
    throw new IoError(
      said('err.pki.cannotCreateDirectory', 'cannot create directory {outDir}: {v2}', { outDir: opts.outDir, v2: (err as Error).message }),
      opts.outDir,
      { cause: err },
    );
  }
  const chainPath = path.join(opts.outDir, 'chain.pem');
  const keyPath = path.join(opts.outDir, 'key.pem');
  await writeFileAtomic(chainPath, toPem('CERTIFICATE', cert.der) + toPem('CERTIFICATE', ca.intermediate.der));
  await writePrivateKey(keyPath, keys.privateKey, opts.keyPassphrase);
  return { cert, chainPath, keyPath };
}
