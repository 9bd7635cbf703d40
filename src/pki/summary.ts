/**
 * A JSON-friendly summary of a certificate and its human rendering (`aigc pki show`).
 */
import { tryParseProviderCode } from '../labels/provider-code.ts';
import { describeKey, type Certificate } from './certificate.ts';
import { providerCodeOf, roleOf } from './identity.ts';
import { OID_NAMES } from './oids.ts';
import { checkSignerProfile } from './profile.ts';

/** Plain-data view of a certificate. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly version: number;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly publicKey: string;
  readonly signatureAlgorithm: string;
  readonly ca: boolean;
  readonly pathLen?: number;
  readonly keyUsage?: readonly string[];
  readonly extKeyUsage?: readonly string[];
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  readonly selfSigned: boolean;
  readonly providerCode?: { readonly code: string; readonly uscc: string; readonly serviceType: string; readonly modelCode: string };
  readonly role?: string;
  readonly sha256: string;
  /** C2PA signer-profile check, for end-entity certificates. */
  readonly signerProfile?: { readonly ok: boolean; readonly problems: readonly string[] };
}

const colonHex = (hex: string): string => (hex.match(/../g) ?? []).join(':').toUpperCase();

/** Summarise a certificate. */
export function summarizeCertificate(cert: Certificate): CertificateSummary {
  const e = cert.extensions;
  const code = providerCodeOf(cert);
  const parsed = code ? tryParseProviderCode(code) : undefined;
  const role = roleOf(cert);
  const ca = e.basicConstraints?.ca ?? false;
  return {
    subject: cert.subject.text,
    issuer: cert.issuer.text,
    serialNumber: cert.serialNumber,
    version: cert.version,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    publicKey: describeKey(cert.publicKeyInfo),
    signatureAlgorithm: cert.signatureAlgorithm.name,
    ca,
    ...(e.basicConstraints?.pathLen === undefined ? {} : { pathLen: e.basicConstraints.pathLen }),
    ...(e.keyUsage ? { keyUsage: e.keyUsage.usages } : {}),
    ...(e.extKeyUsage ? { extKeyUsage: e.extKeyUsage.oids.map((o) => OID_NAMES[o] ?? o) } : {}),
    ...(e.subjectKeyId ? { subjectKeyId: e.subjectKeyId } : {}),
    ...(e.authorityKeyId ? { authorityKeyId: e.authorityKeyId } : {}),
    selfSigned: cert.selfIssued,
    ...(parsed
      ? { providerCode: { code: parsed.code, uscc: parsed.uscc, serviceType: parsed.serviceTypeName, modelCode: parsed.modelCode } }
      : {}),
    ...(role ? { role } : {}),
    sha256: cert.fingerprint256,
    ...(ca ? {} : { signerProfile: checkSignerProfile(cert) }),
  };
}

/** Render a summary for people, one field per line. */
export function formatCertificateSummary(s: CertificateSummary): string {
  const lines: [string, string][] = [
    ['Subject', s.subject],
    ['Issuer', s.issuer + (s.selfSigned ? '  [self-issued]' : '')],
    ['Serial', colonHex(s.serialNumber)],
    ['Valid', `${s.notBefore} .. ${s.notAfter}`],
    ['Public key', s.publicKey],
    ['Signature', s.signatureAlgorithm],
    ['CA', s.ca ? `yes${s.pathLen === undefined ? '' : ` (pathLen ${s.pathLen})`}` : 'no'],
  ];
  if (s.keyUsage) lines.push(['Key usage', s.keyUsage.join(', ')]);
  if (s.extKeyUsage) lines.push(['Ext. key usage', s.extKeyUsage.join(', ')]);
  if (s.subjectKeyId) lines.push(['Subject key ID', colonHex(s.subjectKeyId)]);
  if (s.authorityKeyId) lines.push(['Authority key ID', colonHex(s.authorityKeyId)]);
  if (s.providerCode) {
    const p = s.providerCode;
    lines.push(['Provider code', `${p.code} (USCC ${p.uscc}, service ${p.serviceType}, model ${p.modelCode})`]);
  }
  if (s.role) lines.push(['Role', s.role]);
  lines.push(['SHA-256', colonHex(s.sha256)]);
  if (s.signerProfile) {
    lines.push([
      'C2PA signer',
      s.signerProfile.ok ? 'fits the C2PA signer profile' : `does NOT fit the C2PA signer profile: ${s.signerProfile.problems.join('; ')}`,
    ]);
  }
  return lines.map(([k, v]) => `  ${`${k}:`.padEnd(18)}${v}`).join('\n');
}
