/**
 * Trust configuration (design: "trust as data, in one settings object, passed down"): the
 * bundled C2PA trust list and C2PA TSA trust list (`assets/trust/`, used unless turned off
 * or replaced), user anchors added to both, an allowed list of end-entity certificates (PEM
 * or base64 SHA-256 lines, as c2pa-rs reads `allowed_list`), extra signer EKUs (c2pa-rs
 * `trust_config`) and CRLs. Parsed sets are memoised, so a service verifying many files
 * with one configuration parses it once.
 */
import { CertificateError } from '../../errors.ts';
import { parseCertificate, type Certificate } from '../../pki/certificate.ts';
import { parseCrls } from '../../pki/crl.ts';
import { decodePemBundle } from '../../pki/pem.ts';
import { checkAnchorProfile } from '../../pki/profile.ts';
import { parseAllowedList } from '../../pki/trust.ts';
import { bundledTrustLists } from './bundled-trust.ts';
import type { TrustConfig, TrustListInfo } from './context.ts';

/** Trust options of `verify()`/`inspect()`/`propagate()`. */
export interface TrustOptions {
  /** User trust anchors (PEM bundle or bundles), added to the lists for signers and TSAs. */
  readonly anchorsPem?: string | readonly string[];
  /** Use the bundled C2PA trust lists (default true). */
  readonly defaultTrust?: boolean;
  /** Replace the bundled C2PA trust list (claim signers) with this PEM bundle (a newer download). */
  readonly trustListPem?: string;
  /** Replace the bundled C2PA TSA trust list with this PEM bundle. */
  readonly tsaTrustListPem?: string;
  /** Allowed end-entity certificates (PEM and/or base64 SHA-256 lines). */
  readonly allowedListPem?: string;
  /** Signer EKU OIDs accepted besides the built-in list: an array, or c2pa-rs `trust_config` text (one per line). */
  readonly ekus?: string | readonly string[];
  /** PEM bundle of CRLs checked for every certificate of a signer's path. */
  readonly crlsPem?: string;
  /** PEM trust anchors for CAWG X.509 identity assertions (separate from claim signers, as in c2pa-rs). */
  readonly cawgAnchorsPem?: string;
  /** PEM bundle(s) of anchors for time-stamp authorities only (e.g. the C2PA TSA trust list). */
  readonly tsaAnchorsPem?: string | readonly string[];
  /**
   * Also trust TSAs chaining to the public root store bundled with Node (default false:
   * c2pa-rs 0.90 judges a TSA against the configured anchors only; see `verify/engine/tsa-trust.ts`).
   */
  readonly publicTsaRoots?: boolean;
  /**
   * Go to the network: ask the OCSP responder a signing certificate names when its signature
   * has no stapled response (c2pa-rs `ocsp_fetch`). Off by default; verification is offline.
   */
  readonly ocspFetch?: boolean;
  /** Names to report for the user anchors and replaced lists (e.g. their file names). */
  readonly sourceNames?: { readonly anchors?: string; readonly trustList?: string; readonly tsaTrustList?: string };
}

const CACHE_SIZE = 4;
const cache = new Map<string, TrustConfig>();

/** Anchors of one PEM bundle: CA certificates kept, others listed as skipped. */
function loadAnchors(pem: string, what: string): { anchors: Certificate[]; skipped: string[]; warnings: string[] } {
  const anchors: Certificate[] = [];
  const skipped: string[] = [];
  const warnings: string[] = [];
  const blocks = decodePemBundle(pem, what).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) throw new CertificateError(`${what}: no CERTIFICATE block found`);
  blocks.forEach((b, i) => {
    const cert = parseCertificate(b.der, `${what} certificate ${i + 1}`);
    const problems = checkAnchorProfile(cert);
    if (problems.length > 0) {
      skipped.push(`${cert.subject.text}: ${problems.join('; ')}`);
      warnings.push(`trust anchor ${i + 1} (${cert.subject.text}) skipped: ${problems.join('; ')} [${what}]`);
    } else anchors.push(cert);
  });
  return { anchors, skipped, warnings };
}

const EKU_OID = /^[0-2](\.\d+)+$/;
/**
 * serverAuth, clientAuth, codeSigning: c2pa-rs (x509-parser) reads these as named flags, never
 * as "other" EKUs, so a `trust_config` naming them never admits a signer; neither do we.
 */
const NEVER_EXTRA = new Set(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.3']);

function parseEkus(ekus: TrustOptions['ekus']): string[] {
  if (ekus === undefined) return [];
  const list = typeof ekus === 'string' ? ekus.split(/\r?\n/).map((l) => l.replace(/(#|\/\/).*/, '').trim()).filter(Boolean) : [...ekus];
  for (const oid of list) {
    if (typeof oid !== 'string' || !EKU_OID.test(oid)) throw new CertificateError(`EKU list: ${JSON.stringify(oid)} is not an OID`);
  }
  return list.filter((oid) => !NEVER_EXTRA.has(oid));
}

/**
 * Parse trust options into the configuration validation uses. No options: the bundled lists.
 * @throws {CertificateError} when a PEM block, an allowed-list line, an EKU or a CRL is
 * corrupt, or a list holds no certificate. @throws {LimitExceededError} above the PEM limits.
 * @throws {IoError} when the bundled lists are needed and missing from the installation.
 */
export function resolveTrust(opts: TrustOptions | undefined = {}): TrustConfig {
  const userPem = Array.isArray(opts.anchorsPem) ? opts.anchorsPem.join('\n') : (opts.anchorsPem as string | undefined) ?? '';
  const useDefault = opts.defaultTrust !== false;
  const extraTsaPem = Array.isArray(opts.tsaAnchorsPem) ? opts.tsaAnchorsPem.join('\n') : (opts.tsaAnchorsPem as string | undefined) ?? '';
  const key = JSON.stringify([userPem, useDefault, opts.trustListPem ?? '', opts.tsaTrustListPem ?? '', opts.allowedListPem ?? '', opts.ekus ?? '', opts.crlsPem ?? '', opts.sourceNames ?? {},
    opts.cawgAnchorsPem ?? '', extraTsaPem, opts.publicTsaRoots ?? false, opts.ocspFetch ?? false]);
  const hit = cache.get(key);
  if (hit) return hit;

  const lists: TrustListInfo[] = [];
  const sources = new Map<string, string[]>();
  const signer: Certificate[] = [];
  const tsa: Certificate[] = [];
  const warnings: string[] = [];
  const add = (info: Omit<TrustListInfo, 'count' | 'skipped'>, pem: string, into: Certificate[][]) => {
    const loaded = loadAnchors(pem, info.name);
    const { anchors, skipped } = loaded;
    lists.push({ ...info, count: anchors.length, skipped });
    // The bundled lists' skips are shown by `aigc trust show`; what the user gave is warned about.
    if (info.source !== 'bundled') warnings.push(...loaded.warnings);
    for (const a of anchors) {
      for (const set of into) if (!set.some((x) => x.fingerprint256 === a.fingerprint256)) set.push(a);
      const names = sources.get(a.fingerprint256) ?? [];
      if (!names.includes(info.name)) names.push(info.name);
      sources.set(a.fingerprint256, names);
    }
  };
  const bundled = useDefault && (!opts.trustListPem || !opts.tsaTrustListPem) ? bundledTrustLists() : undefined;
  if (opts.trustListPem) add({ id: 'c2pa', name: opts.sourceNames?.trustList ?? 'C2PA trust list (replaced)', use: 'signers', source: opts.sourceNames?.trustList ?? 'given' }, opts.trustListPem, [signer]);
  else if (bundled) add({ id: 'c2pa', name: `${bundled.c2pa.info.name} ${bundled.c2pa.info.issued.slice(0, 10)} (bundled)`, use: 'signers', source: 'bundled', issued: bundled.c2pa.info.issued, next_update: bundled.c2pa.info.next_update }, bundled.c2pa.pem, [signer]);
  if (opts.tsaTrustListPem) add({ id: 'tsa', name: opts.sourceNames?.tsaTrustList ?? 'C2PA TSA trust list (replaced)', use: 'time-stamping authorities', source: opts.sourceNames?.tsaTrustList ?? 'given' }, opts.tsaTrustListPem, [tsa]);
  else if (bundled) add({ id: 'tsa', name: `${bundled.tsa.info.name} ${bundled.tsa.info.issued.slice(0, 10)} (bundled)`, use: 'time-stamping authorities', source: 'bundled', issued: bundled.tsa.info.issued, next_update: bundled.tsa.info.next_update }, bundled.tsa.pem, [tsa]);
  if (userPem.trim()) {
    const name = opts.sourceNames?.anchors ?? 'user anchors';
    add({ id: 'user', name, use: 'signers and time-stamping authorities', source: name }, userPem, [signer, tsa]);
    if (lists.at(-1)!.count === 0) throw new CertificateError(`trust anchors: none is usable (${lists.at(-1)!.skipped.join(' | ')})`);
  }
  if (extraTsaPem.trim()) add({ id: 'tsa-extra', name: 'extra TSA anchors', use: 'time-stamping authorities', source: 'given' }, extraTsaPem, [tsa]);
  const config: TrustConfig = {
    anchors: signer,
    tsaAnchors: tsa,
    anchorSources: sources,
    lists,
    allowedList: opts.allowedListPem ? parseAllowedList(opts.allowedListPem) : [],
    extraEkus: parseEkus(opts.ekus),
    crls: opts.crlsPem ? parseCrls(opts.crlsPem, 'CRL bundle') : [],
    ...(opts.cawgAnchorsPem?.trim() ? { cawgAnchors: loadAnchors(opts.cawgAnchorsPem, 'CAWG anchors').anchors } : {}),
    ...(opts.publicTsaRoots === true ? { publicTsaRoots: true } : {}),
    ...(opts.ocspFetch ? { ocspFetch: true } : {}),
    warnings,
  };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, config);
  return config;
}
