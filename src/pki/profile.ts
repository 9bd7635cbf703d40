/**
 * The C2PA signer-certificate profile (c2pa-profile §3.4, the checks c2pa-rs makes) and
 * the matching checks on CA certificates in a path. Each check returns problems as
 * sentences; an empty list means the certificate fits.
 */
import type { Certificate } from './certificate.ts';
import { DEFAULT_SIGNER_EKUS, EKU, OID_NAMES } from './oids.ts';

/** Options of the signer profile. */
export interface SignerProfileOptions {
  /** EKU OIDs accepted for claim signing (default {@link DEFAULT_SIGNER_EKUS}). */
  readonly allowedEkus?: readonly string[];
}

/** Result of {@link checkSignerProfile}. */
export interface ProfileResult {
  readonly ok: boolean;
  /** One sentence per violation. */
  readonly problems: readonly string[];
}

const oidName = (oid: string): string => OID_NAMES[oid] ?? oid;

/** Problems with the certificate's own signature algorithm (ECDSA/RSA with SHA-2, RSASSA-PSS with MGF1 hash = hash, Ed25519). */
export function signatureAlgorithmProblems(cert: Certificate): string[] {
  const a = cert.signatureAlgorithm;
  const out: string[] = [];
  if (!cert.signatureAlgorithmsMatch) out.push('the signature algorithm inside the certificate differs from the outer one');
  if (a.family === 'unknown') out.push(`signature algorithm ${a.oid} is not allowed (ECDSA, RSA or RSASSA-PSS with SHA-2, or Ed25519)`);
  else if (a.paramsProblem) out.push(`RSASSA-PSS parameters are unusable: ${a.paramsProblem}`);
  else if (a.hash === 'sha1') out.push(`signature algorithm ${a.name} uses SHA-1`);
  else if (a.pss && a.pss.mgfHash !== a.pss.hash) out.push(`RSASSA-PSS MGF1 hash ${a.pss.mgfHash} differs from the hash ${a.pss.hash}`);
  return out;
}

/** Problems with the subject public key (Ed25519, EC P-256/384/521, RSA ≥ 2048). */
export function publicKeyProblems(cert: Certificate): string[] {
  const k = cert.publicKeyInfo;
  if (k.type === 'Ed25519') return [];
  if (k.type === 'EC')
    return ['prime256v1', 'secp384r1', 'secp521r1'].includes(k.curve ?? '') ? [] : [`EC curve ${k.curve ?? 'unknown'} is not allowed`];
  if (k.type === 'RSA' || k.type === 'RSA-PSS') return (k.bits ?? 0) >= 2048 ? [] : [`RSA key of ${k.bits} bits is shorter than 2048`];
  return [`public key type ${k.type} is not allowed`];
}

function common(cert: Certificate): string[] {
  const out: string[] = [];
  if (cert.version !== 3) out.push(`it is an X.509 v${cert.version} certificate (v3 required)`);
  if (cert.hasUniqueIds) out.push('it has issuer/subject unique identifiers');
  if (cert.extensions.unknownCritical.length > 0)
    out.push(`it has unknown critical extension(s) ${cert.extensions.unknownCritical.join(', ')}`);
  out.push(...signatureAlgorithmProblems(cert));
  return out;
}

/**
 * Check a signing (end-entity) certificate against the C2PA profile: v3, no unique IDs,
 * allowed signature algorithm and key, not a CA, AKI present, keyUsage with
 * digitalSignature and without keyCertSign, EKU present and non-empty without
 * anyExtendedKeyUsage and containing an allowed OID (timeStamping/OCSPSigning only alone),
 * no unknown critical extension. Use it as a preflight before signing.
 */
export function checkSignerProfile(leaf: Certificate, opts: SignerProfileOptions = {}): ProfileResult {
  const allowed = opts.allowedEkus ?? DEFAULT_SIGNER_EKUS;
  const problems = common(leaf);
  problems.push(...publicKeyProblems(leaf));
  const e = leaf.extensions;
  if (e.basicConstraints?.ca) problems.push('it is a CA certificate (basicConstraints CA:true)');
  if (!e.authorityKeyId) problems.push('it has no authority key identifier');
  if (!e.keyUsage) problems.push('it has no keyUsage extension');
  else {
    if (!e.keyUsage.usages.includes('digitalSignature')) problems.push('its keyUsage lacks digitalSignature');
    if (e.keyUsage.usages.includes('keyCertSign')) problems.push('its keyUsage has keyCertSign, which only CAs may have');
  }
  const eku = e.extKeyUsage;
  if (!eku) problems.push('it has no extended key usage (EKU) extension');
  else if (eku.oids.length === 0) problems.push('its extended key usage is empty');
  else {
    if (eku.oids.includes(EKU.any)) problems.push('its extended key usage contains anyExtendedKeyUsage');
    const alone = eku.oids.filter((o) => o === EKU.timeStamping || o === EKU.ocspSigning);
    if (alone.length > 0 && eku.oids.length > 1) problems.push(`${alone.map(oidName).join(', ')} must be the only extended key usage`);
    if (!eku.oids.some((o) => allowed.includes(o))) {
      problems.push(
        `its extended key usage (${eku.oids.map(oidName).join(', ')}) has none of the allowed purposes (${allowed.map(oidName).join(', ')})`,
      );
    }
  }
  return { ok: problems.length === 0, problems };
}

/**
 * Check an intermediate CA certificate: v3, CA:true, keyUsage with keyCertSign, SKI,
 * allowed signature algorithm, no unknown critical extension.
 */
export function checkIntermediateProfile(ca: Certificate): string[] {
  const problems = common(ca);
  const e = ca.extensions;
  if (!e.basicConstraints?.ca) problems.push('it is not a CA (basicConstraints CA:true missing)');
  if (!e.keyUsage) problems.push('it has no keyUsage extension');
  else if (!e.keyUsage.usages.includes('keyCertSign')) problems.push('its keyUsage lacks keyCertSign');
  if (!e.subjectKeyId) problems.push('it has no subject key identifier');
  return problems;
}

/**
 * Check a trust anchor loosely (it is trusted by configuration): it must not deny being a
 * CA, must allow keyCertSign when it has key usage, and have no unknown critical extension.
 */
export function checkAnchorProfile(anchor: Certificate): string[] {
  const problems: string[] = [];
  const e = anchor.extensions;
  if (e.basicConstraints && !e.basicConstraints.ca) problems.push('it is not a CA (basicConstraints CA:false)');
  if (e.keyUsage && !e.keyUsage.usages.includes('keyCertSign')) problems.push('its keyUsage lacks keyCertSign');
  if (e.unknownCritical.length > 0) problems.push(`it has unknown critical extension(s) ${e.unknownCritical.join(', ')}`);
  return problems;
}
