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
import { createHash } from 'node:crypto';
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

  // Lists in force, in order; each entry is parsed on first need. Everything the user gave is
  // parsed now (its warnings and errors belong to this call); the bundled TSA list only when a
  // time-stamp, `aigc trust show` or an anchor also on that list asks for it: most files carry
  // no time-stamp, and parsing 22 certificates is most of a cold CLI start's trust cost.
  interface Entry { info: Omit<TrustListInfo, 'count' | 'skipped'>; into: ('signer' | 'tsa')[]; pem: string; loaded?: ReturnType<typeof loadAnchors> }
  const entries: Entry[] = [];
  const warnings: string[] = [];
  const entry = (info: Entry['info'], pem: string, into: Entry['into'], lazy = false): Entry => {
    const e: Entry = { info, into, pem };
    if (!lazy) {
      e.loaded = loadAnchors(pem, info.name);
      // The bundled lists' skips are shown by `aigc trust show`; what the user gave is warned about.
      if (info.source !== 'bundled') warnings.push(...e.loaded.warnings);
    }
    entries.push(e);
    return e;
  };
  const bundled = useDefault && (!opts.trustListPem || !opts.tsaTrustListPem) ? bundledTrustLists() : undefined;
  if (opts.trustListPem) entry({ id: 'c2pa', name: opts.sourceNames?.trustList ?? 'C2PA trust list (replaced)', use: 'signers', source: opts.sourceNames?.trustList ?? 'given' }, opts.trustListPem, ['signer']);
  else if (bundled) entry({ id: 'c2pa', name: `${bundled.c2pa.info.name} ${bundled.c2pa.info.issued.slice(0, 10)} (bundled)`, use: 'signers', source: 'bundled', issued: bundled.c2pa.info.issued, next_update: bundled.c2pa.info.next_update }, bundled.c2pa.pem, ['signer']);
  if (opts.tsaTrustListPem) entry({ id: 'tsa', name: opts.sourceNames?.tsaTrustList ?? 'C2PA TSA trust list (replaced)', use: 'time-stamping authorities', source: opts.sourceNames?.tsaTrustList ?? 'given' }, opts.tsaTrustListPem, ['tsa']);
  else if (bundled) entry({ id: 'tsa', name: `${bundled.tsa.info.name} ${bundled.tsa.info.issued.slice(0, 10)} (bundled)`, use: 'time-stamping authorities', source: 'bundled', issued: bundled.tsa.info.issued, next_update: bundled.tsa.info.next_update }, bundled.tsa.pem, ['tsa'], true);
  if (userPem.trim()) {
    const name = opts.sourceNames?.anchors ?? 'user anchors';
    const e = entry({ id: 'user', name, use: 'signers and time-stamping authorities', source: name }, userPem, ['signer', 'tsa']);
    if (e.loaded!.anchors.length === 0) throw new CertificateError(`trust anchors: none is usable (${e.loaded!.skipped.join(' | ')})`);
  }
  if (extraTsaPem.trim()) entry({ id: 'tsa-extra', name: 'extra TSA anchors', use: 'time-stamping authorities', source: 'given' }, extraTsaPem, ['tsa']);

  /** The anchor sets, list records and sources of the entries parsed so far (all of them with `all`). */
  const build = (all: boolean) => {
    const signer: Certificate[] = [];
    const tsa: Certificate[] = [];
    const sources = new Map<string, string[]>();
    const lists: TrustListInfo[] = [];
    for (const e of entries) {
      if (!e.loaded && all) e.loaded = loadAnchors(e.pem, e.info.name);
      if (!e.loaded) continue;
      lists.push({ ...e.info, count: e.loaded.anchors.length, skipped: e.loaded.skipped });
      for (const a of e.loaded.anchors) {
        for (const set of e.into.map((k) => (k === 'signer' ? signer : tsa))) if (!set.some((x) => x.fingerprint256 === a.fingerprint256)) set.push(a);
        const names = sources.get(a.fingerprint256) ?? [];
        if (!names.includes(e.info.name)) names.push(e.info.name);
        sources.set(a.fingerprint256, names);
      }
    }
    return { signer, tsa, sources, lists };
  };
  const eager = build(false);
  let full: ReturnType<typeof build> | undefined = entries.every((e) => e.loaded) ? eager : undefined;
  const complete = () => (full ??= build(true));
  // Certificates of the lists not parsed yet, by SHA-256 (cheap: no ASN.1): an anchor found on
  // one of them needs the full sources.
  const pendingFingerprints = new Set(entries.filter((e) => !e.loaded).flatMap((e) => decodePemBundle(e.pem, e.info.name)
    .filter((b) => b.label === 'CERTIFICATE').map((b) => createHash('sha256').update(b.der).digest('hex'))));
  const anchorSources = new LazySources(() => (full ?? (pendingFingerprints.size ? undefined : eager))?.sources, () => complete().sources, eager.sources, pendingFingerprints);
  const config: TrustConfig = {
    anchors: eager.signer,
    get tsaAnchors() {
      return complete().tsa;
    },
    anchorSources,
    get lists() {
      return complete().lists;
    },
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

/**
 * The lists each anchor comes from, by fingerprint, completed on demand: a lookup of an anchor
 * that is also on a list not parsed yet (known by the SHA-256 of its certificates) parses it.
 */
class LazySources implements ReadonlyMap<string, readonly string[]> {
  constructor(
    private readonly ready: () => ReadonlyMap<string, readonly string[]> | undefined,
    private readonly complete: () => ReadonlyMap<string, readonly string[]>,
    private readonly eager: ReadonlyMap<string, readonly string[]>,
    private readonly pending: ReadonlySet<string>,
  ) {}

  get(fingerprint: string): readonly string[] | undefined {
    const done = this.ready();
    if (done) return done.get(fingerprint);
    return this.pending.has(fingerprint) ? this.complete().get(fingerprint) : this.eager.get(fingerprint);
  }

  has(fingerprint: string): boolean {
    return this.get(fingerprint) !== undefined;
  }

  get size(): number {
    return this.complete().size;
  }

  forEach(fn: (value: readonly string[], key: string, map: ReadonlyMap<string, readonly string[]>) => void): void {
    for (const [k, v] of this.complete()) fn(v, k, this);
  }

  entries(): MapIterator<[string, readonly string[]]> {
    return this.complete().entries();
  }

  keys(): MapIterator<string> {
    return this.complete().keys();
  }

  values(): MapIterator<readonly string[]> {
    return this.complete().values();
  }

  [Symbol.iterator](): MapIterator<[string, readonly string[]]> {
    return this.complete()[Symbol.iterator]();
  }
}
