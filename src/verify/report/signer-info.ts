/**
 * `signature_info` of a manifest: what c2pa-rs prints (alg, issuer = the signer's
 * organisation, common name, decimal serial, time) plus the certificate's full names,
 * validity, GB 45438 provider code and role, and the credential verdict.
 */
import type { Certificate } from '../../pki/certificate.ts';
import { providerCodeOf, roleOf } from '../../pki/identity.ts';
import { nameValue } from '../../pki/names.ts';
import { ATTR } from '../../pki/oids.ts';
import { tryParseProviderCode } from '../../labels/provider-code.ts';
import { parseCoseSign1, type Manifest } from '../../manifest/index.ts';
import type { ManifestResult } from '../engine/context.ts';
import { cachedCertificate } from '../engine/cert-cache.ts';
import { c2paTime } from './json-safe.ts';
import type { SignatureInfo } from './report.ts';
import { sha256 } from '../../crypto/digest.ts';
import { describeOcspResponse } from '../../ocsp/describe.ts';
import { stapledOcsp } from '../engine/steps/ocsp.ts';

const ALG_NAMES: Readonly<Record<string, string>> = {
  ES256: 'Es256',
  ES384: 'Es384',
  ES512: 'Es512',
  PS256: 'Ps256',
  PS384: 'Ps384',
  PS512: 'Ps512',
  Ed25519: 'Ed25519',
};

function decimal(hex: string): string {
  try {
    return BigInt(`0x${hex || '0'}`).toString(10);
  } catch {
    return hex;
  }
}

/**
 * Summaries already made, by certificate object and algorithm: the verifier's certificate cache
 * hands out one object per DER, so a service that verifies many files of one signer makes each
 * summary once. Each caller gets its own copy.
 */
const infos = new WeakMap<Certificate, Map<string, SignatureInfo>>();

/** Signer summary of a certificate. */
export function certificateInfo(cert: Certificate, alg: string | undefined): SignatureInfo {
  let byAlg = infos.get(cert);
  if (!byAlg) infos.set(cert, (byAlg = new Map()));
  const key = alg ?? '';
  let info = byAlg.get(key);
  if (!info) byAlg.set(key, (info = makeCertificateInfo(cert, alg)));
  return info.provider ? { ...info, provider: { ...info.provider } } : { ...info };
}

function makeCertificateInfo(cert: Certificate, alg: string | undefined): SignatureInfo {
  const code = providerCodeOf(cert);
  const provider = code ? tryParseProviderCode(code) : undefined;
  const role = roleOf(cert);
  const info: SignatureInfo = { alg: alg ? (ALG_NAMES[alg] ?? alg) : 'unknown' };
  const org = nameValue(cert.subject, ATTR.organization);
  const cn = nameValue(cert.subject, ATTR.commonName);
  if (org) info.issuer = org;
  if (cn) info.common_name = cn;
  info.cert_serial_number = decimal(cert.serialNumber);
  info.cert_sha256 = Array.from(sha256(cert.der), (b) => b.toString(16).padStart(2, '0')).join('');
  info.subject = cert.subject.text;
  info.issuer_dn = cert.issuer.text;
  info.not_before = cert.notBefore.toISOString();
  info.not_after = cert.notAfter.toISOString();
  if (code) info.provider_code = code;
  if (provider) info.provider = provider;
  if (role) info.role = role;
  return info;
}

/**
 * The signature info of a manifest from its validation result, or — for a manifest no
 * ingredient references — from its COSE signature read without validation. Never throws.
 */
export function signatureInfoOf(m: Manifest, result: ManifestResult | undefined): SignatureInfo | undefined {
  let leaf = result?.leaf;
  let alg: string | undefined = result?.cose?.alg;
  if (!result && m.signature) {
    try {
      const cose = parseCoseSign1(m.signature.cose);
      alg = cose.alg ?? String(cose.algId);
      leaf = cose.chainDer[0] ? cachedCertificate(cose.chainDer[0]) : undefined;
    } catch {
      return undefined;
    }
  }
  if (!leaf) return alg ? { alg: ALG_NAMES[alg] ?? alg } : undefined;
  const info = certificateInfo(leaf, alg);
  const gen = result?.timestamp?.genTime;
  if (gen) info.time = c2paTime(gen);
  if (result?.timestampTrusted !== undefined) info.timestamp_trusted = result.timestampTrusted;
  const ts = result?.cose?.timestamp;
  if (ts) info.timestamp_form = { header: ts.version === 2 ? 'sigTst2' : 'sigTst', token: ts.form ?? 'TimeStampToken', status: ts.status };
  if (result?.cose?.cose?.unprotectedHeader.has('rVals')) {
    info.ocsp_stapled = true;
    const der = stapledOcsp(result.cose.cose.unprotectedHeader);
    if (der) info.ocsp = describeOcspResponse(der, result.cose.chainDer ?? []);
  }
  if (result?.chain) info.credential = result.chain.code;
  if (result?.trustAnchor) info.trust_anchor = result.trustAnchor;
  return info;
}
