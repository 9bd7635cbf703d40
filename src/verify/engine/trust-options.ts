/**
 * Trust configuration (design: "trust as data, in one settings object, passed down"): the
 * bundled C2PA trust list and C2PA TSA trust list (`assets/trust/`, used unless turned off
 * or replaced), user anchors added to both, an allowed list of end-entity certificates (PEM
 * or base64 SHA-256 lines, as c2pa-rs reads `allowed_list`), extra signer EKUs (c2pa-rs
 * `trust_config`) and CRLs. Parsed sets are memoised, so a service verifying many files
 * with one configuration parses it once.
 */
import { CertificateError, said } from '../../errors.ts';
import { parseCertificate, type Certificate } from '../../pki/certificate.ts';
import { parseCrls } from '../../pki/crl.ts';
import { decodePemBundle } from '../../pki/pem.ts';
import { checkAnchorProfile } from '../../pki/profile.ts';
import { parseAllowedList } from '../../pki/trust.ts';
import { bundledTrustLists } from './bundled-trust.ts';
import { indexMatches } from './anchor-index.ts';
import { lazyAnchorSet, type AnchorSet, type AnchorSlot } from '../../pki/anchor-set.ts';
import { nameKey } from '../../pki/names.ts';
import { createHash } from 'node:crypto';
import type { TrustConfig, TrustListInfo } from './context.ts';
import { pemText, sameInputs, trustInputs, trustKey } from './trust-key.ts';

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
  if (blocks.length === 0) throw new CertificateError(said('err.trust.noBlockIn', '{what}: no CERTIFICATE block found', { what }));
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
  const list =
    typeof ekus === 'string'
      ? ekus
          .split(/\r?\n/)
          .map((l) => l.replace(/(#|\/\/).*/, '').trim())
          .filter(Boolean)
      : [...ekus];
  for (const oid of list) {
    if (typeof oid !== 'string' || !EKU_OID.test(oid))
      throw new CertificateError(said('err.vfy.ekuListNotOID', 'EKU list: {v1} is not an OID', { v1: JSON.stringify(oid) }));
  }
  return list.filter((oid) => !NEVER_EXTRA.has(oid));
}

/** No trust options: the bundled lists. */
const NO_OPTIONS: TrustOptions = Object.freeze({});
/** The configuration last resolved for an options object, and the inputs it was made from (`trust-key.ts`). */
const byObject = new WeakMap<TrustOptions, { inputs: unknown[]; config: TrustConfig }>();

/**
 * Parse trust options into the configuration validation uses. No options: the bundled lists.
 * An options object passed again is served by identity while its values are unchanged.
 * @throws {CertificateError} when a PEM block, an allowed-list line, an EKU or a CRL is
 * corrupt, or a list holds no certificate. @throws {LimitExceededError} above the PEM limits.
 * @throws {IoError} when the bundled lists are needed and missing from the installation.
 */
export function resolveTrust(opts: TrustOptions | undefined = NO_OPTIONS): TrustConfig {
  if (typeof opts !== 'object' || opts === null) return resolveByKey(opts);
  const inputs = trustInputs(opts);
  const known = byObject.get(opts);
  if (known && sameInputs(known.inputs, inputs)) return known.config;
  const config = resolveByKey(opts);
  byObject.set(opts, { inputs, config });
  return config;
}

/** {@link resolveTrust} by the text key of every input: the last {@link CACHE_SIZE} distinct option sets. */
function resolveByKey(opts: TrustOptions): TrustConfig {
  const key = trustKey(opts);
  const hit = cache.get(key);
  if (hit) return hit;
  const userPem = pemText(opts.anchorsPem);
  const useDefault = opts.defaultTrust !== false;
  const extraTsaPem = pemText(opts.tsaAnchorsPem);

  // Lists in force, in order. Everything the user gave is parsed now (its warnings and errors
  // belong to this call). The bundled lists are parsed only as far as a chain needs: with their
  // index (`anchor-index.ts`) an anchor is found by fingerprint or subject and parsed then; the
  // TSA list without an index only when a time-stamp or `aigc trust show` asks for it. Parsing
  // some 50 certificates was most of a cold CLI start.
  interface Entry {
    info: Omit<TrustListInfo, 'count' | 'skipped'>;
    into: ('signer' | 'tsa')[];
    pem: string;
    loaded?: ReturnType<typeof loadAnchors>;
    slots?: AnchorSlot[];
    pending?: Set<string>;
  }
  const entries: Entry[] = [];
  const warnings: string[] = [];
  const entry = (info: Entry['info'], pem: string, into: Entry['into'], lazy?: { index: unknown; always: boolean }): Entry => {
    const e: Entry = { info, into, pem };
    const blocks = lazy ? decodePemBundle(pem, info.name).filter((b) => b.label === 'CERTIFICATE') : [];
    const index = lazy?.index;
    if (lazy && indexMatches(index, pem, blocks.length)) {
      e.slots = blocks.map((b, i) => ({
        fingerprint256: index.certs[i]!.sha256,
        subjectKey: index.certs[i]!.subject,
        load: once(() => anchorOf(b.der, `${info.name} certificate ${i + 1}`)),
      }));
    } else if (lazy?.always) {
      // Certificates not parsed yet, by SHA-256 (cheap: no ASN.1): a lookup of one parses the list.
      e.pending = new Set(blocks.map((b) => createHash('sha256').update(b.der).digest('hex')));
    } else {
      e.loaded = loadAnchors(pem, info.name);
      // The bundled lists' skips are shown by `aigc trust show`; what the user gave is warned about.
      if (info.source !== 'bundled') warnings.push(...e.loaded.warnings);
    }
    entries.push(e);
    return e;
  };
  const bundled = useDefault && (!opts.trustListPem || !opts.tsaTrustListPem) ? bundledTrustLists() : undefined;
  if (opts.trustListPem)
    entry(
      {
        id: 'c2pa',
        name: opts.sourceNames?.trustList ?? 'C2PA trust list (replaced)',
        use: 'signers',
        source: opts.sourceNames?.trustList ?? 'given',
      },
      opts.trustListPem,
      ['signer'],
    );
  else if (bundled)
    entry(
      {
        id: 'c2pa',
        name: `${bundled.c2pa.info.name} ${bundled.c2pa.info.issued.slice(0, 10)} (bundled)`,
        use: 'signers',
        source: 'bundled',
        issued: bundled.c2pa.info.issued,
        next_update: bundled.c2pa.info.next_update,
      },
      bundled.c2pa.pem,
      ['signer'],
      { index: bundled.c2pa.index, always: false },
    );
  if (opts.tsaTrustListPem)
    entry(
      {
        id: 'tsa',
        name: opts.sourceNames?.tsaTrustList ?? 'C2PA TSA trust list (replaced)',
        use: 'time-stamping authorities',
        source: opts.sourceNames?.tsaTrustList ?? 'given',
      },
      opts.tsaTrustListPem,
      ['tsa'],
    );
  else if (bundled)
    entry(
      {
        id: 'tsa',
        name: `${bundled.tsa.info.name} ${bundled.tsa.info.issued.slice(0, 10)} (bundled)`,
        use: 'time-stamping authorities',
        source: 'bundled',
        issued: bundled.tsa.info.issued,
        next_update: bundled.tsa.info.next_update,
      },
      bundled.tsa.pem,
      ['tsa'],
      { index: bundled.tsa.index, always: true },
    );
  if (userPem.trim()) {
    const name = opts.sourceNames?.anchors ?? 'user anchors';
    const e = entry({ id: 'user', name, use: 'signers and time-stamping authorities', source: name }, userPem, ['signer', 'tsa']);
    if (e.loaded!.anchors.length === 0)
      throw new CertificateError(
        said('err.trust.noneUsable', 'trust anchors: none is usable ({why})', { why: e.loaded!.skipped.join(' | ') }),
      );
  }
  if (extraTsaPem.trim())
    entry({ id: 'tsa-extra', name: 'extra TSA anchors', use: 'time-stamping authorities', source: 'given' }, extraTsaPem, ['tsa']);

  const ensureLoaded = (e: Entry): NonNullable<Entry['loaded']> => (e.loaded ??= loadAnchors(e.pem, e.info.name));
  /** An entry's anchors as slots: from its index (parsed on demand), else from its parsed list. */
  const slotsOf = (e: Entry): AnchorSlot[] =>
    e.slots ?? ensureLoaded(e).anchors.map((c) => ({ fingerprint256: c.fingerprint256, subjectKey: nameKey(c.subject), load: () => c }));
  const setOf = (kind: 'signer' | 'tsa'): AnchorSet => lazyAnchorSet(entries.filter((e) => e.into.includes(kind)).flatMap(slotsOf));

  /** The anchor sets, list records and sources, every list parsed. */
  const build = () => {
    const signer: Certificate[] = [];
    const tsa: Certificate[] = [];
    const sources = new Map<string, string[]>();
    const lists: TrustListInfo[] = [];
    for (const e of entries) {
      const loaded = ensureLoaded(e);
      lists.push({ ...e.info, count: loaded.anchors.length, skipped: loaded.skipped });
      for (const a of loaded.anchors) {
        for (const set of e.into.map((k) => (k === 'signer' ? signer : tsa)))
          if (!set.some((x) => x.fingerprint256 === a.fingerprint256)) set.push(a);
        const names = sources.get(a.fingerprint256) ?? [];
        if (!names.includes(e.info.name)) names.push(e.info.name);
        sources.set(a.fingerprint256, names);
      }
    }
    return { signer, tsa, sources, lists };
  };
  let full: ReturnType<typeof build> | undefined;
  const complete = () => (full ??= build());
  /** The lists an anchor comes from, parsing only the lists (or indexed certificates) that hold it. */
  const sourcesOf = (fp: string): readonly string[] | undefined => {
    if (full) return full.sources.get(fp);
    const names: string[] = [];
    for (const e of entries) {
      let usable: boolean;
      if (e.slots) usable = e.slots.some((s) => s.fingerprint256 === fp && s.load() !== undefined);
      else if (e.pending && !e.pending.has(fp)) usable = false;
      else usable = ensureLoaded(e).anchors.some((a) => a.fingerprint256 === fp);
      if (usable && !names.includes(e.info.name)) names.push(e.info.name);
    }
    return names.length ? names : undefined;
  };
  const anchorSet = setOf('signer');
  let tsaSet: AnchorSet | undefined;
  let signerList: Certificate[] | undefined;
  const config: TrustConfig = {
    get anchors() {
      if (!signerList) {
        const seen = new Set<string>();
        signerList = [];
        for (const e of entries.filter((x) => x.into.includes('signer'))) {
          for (const a of ensureLoaded(e).anchors)
            if (!seen.has(a.fingerprint256)) {
              seen.add(a.fingerprint256);
              signerList.push(a);
            }
        }
      }
      return signerList;
    },
    anchorSet,
    get tsaAnchors() {
      return complete().tsa;
    },
    get tsaAnchorSet() {
      return (tsaSet ??= setOf('tsa'));
    },
    anchorSources: new LazySources(sourcesOf, () => complete().sources),
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

/** A function called at most once; later calls return its first result. */
function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

/** An anchor of a bundled list, parsed on demand: undefined when it is not usable as an anchor (as `loadAnchors` skips it). */
function anchorOf(der: Uint8Array, what: string): Certificate | undefined {
  const cert = parseCertificate(der, what);
  return checkAnchorProfile(cert).length ? undefined : cert;
}

/**
 * The lists each anchor comes from, by fingerprint: a lookup parses only what holds that
 * anchor; iterating or counting parses every list.
 */
class LazySources implements ReadonlyMap<string, readonly string[]> {
  constructor(
    private readonly lookup: (fingerprint: string) => readonly string[] | undefined,
    private readonly complete: () => ReadonlyMap<string, readonly string[]>,
  ) {}

  get(fingerprint: string): readonly string[] | undefined {
    return this.lookup(fingerprint);
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
