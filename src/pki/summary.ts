/**
 * A JSON-friendly summary of a certificate and its human rendering (`aigc pki show`).
 */
import { tryParseProviderCode } from '../labels/provider-code.ts';
import { describeKey, type Certificate } from './certificate.ts';
import { providerCodeOf, roleOf } from './identity.ts';
import { OID_NAMES } from './oids.ts';
import { checkSignerProfile } from './profile.ts';
import { translator, type Translate } from '../i18n/lang.ts';

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

/**
 * Render a summary for people, one field per line, with its labels in the language of `tr`
 * (English by default). Values (names, hex, algorithms, codes) stay as they are.
 */
export function formatCertificateSummary(s: CertificateSummary, tr: Translate = translator('en')): string {
  const lines: [string, string][] = [
    [tr('tools.cert.subject'), s.subject],
    [tr('tools.cert.issuer'), s.issuer + (s.selfSigned ? tr('tools.cert.selfIssued') : '')],
    [tr('tools.cert.serial'), colonHex(s.serialNumber)],
    [tr('tools.cert.valid'), `${s.notBefore} .. ${s.notAfter}`],
    [tr('tools.cert.publicKey'), s.publicKey],
    [tr('tools.cert.signature'), s.signatureAlgorithm],
    [
      tr('tools.cert.ca'),
      s.ca ? `${tr('tools.cert.yes')}${s.pathLen === undefined ? '' : tr('tools.cert.pathLen', { n: s.pathLen })}` : tr('tools.cert.no'),
    ],
  ];
  if (s.keyUsage) lines.push([tr('tools.cert.keyUsage'), s.keyUsage.join(', ')]);
  if (s.extKeyUsage) lines.push([tr('tools.cert.extKeyUsage'), s.extKeyUsage.join(', ')]);
  if (s.subjectKeyId) lines.push([tr('tools.cert.subjectKeyId'), colonHex(s.subjectKeyId)]);
  if (s.authorityKeyId) lines.push([tr('tools.cert.authorityKeyId'), colonHex(s.authorityKeyId)]);
  if (s.providerCode) {
    const p = s.providerCode;
    lines.push([
      tr('tools.cert.providerCode'),
      tr('tools.cert.providerValue', { code: p.code, uscc: p.uscc, service: p.serviceType, model: p.modelCode }),
    ]);
  }
  if (s.role) lines.push([tr('tools.cert.role'), s.role]);
  lines.push(['SHA-256', colonHex(s.sha256)]);
  if (s.signerProfile) {
    lines.push([
      tr('tools.cert.c2paSigner'),
      s.signerProfile.ok ? tr('tools.cert.profileOk') : tr('tools.cert.profileBad', { problems: s.signerProfile.problems.join('; ') }),
    ]);
  }
  return lines.map(([k, v]) => `  ${padWide(`${k}:`, 18)}${v}`).join('\n');
}

/** Pad `s` to `width` terminal columns, counting CJK characters as two. */
function padWide(s: string, width: number): string {
  const cols = [...s].reduce((w, c) => w + (c.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  return s + ' '.repeat(Math.max(0, width - cols));
}
