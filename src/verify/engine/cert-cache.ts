/**
 * Memoised certificate parsing and chain validation for the verifier. A service verifies
 * many files signed by the same few certificates; parsing and validating each chain once
 * per trust configuration saves most of the per-file PKI work. Only verdicts that do not
 * depend on the time within the path's common validity window are reused (trusted /
 * untrusted, without CRLs), and only when the new validation time lies in that window.
 */
import { createHash } from 'node:crypto';
import { parseCertificate, type Certificate } from '../../pki/certificate.ts';
import { verifyCertificateChain, type ChainResult } from '../../pki/chain.ts';
import type { TrustConfig } from './context.ts';

/** Entries kept in each cache (oldest dropped first). */
export const CERT_CACHE_SIZE = 256;

const certs = new Map<string, Certificate>();
const chains = new Map<string, ChainResult>();
const trustIds = new WeakMap<TrustConfig, number>();
let nextTrustId = 1;

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= CERT_CACHE_SIZE) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

const keyOf = (der: Uint8Array): string => createHash('sha256').update(der).digest('base64');

/**
 * A parsed certificate, from the cache when the same DER was parsed before.
 * @throws {CertificateError} {@link LimitExceededError} as `parseCertificate`.
 */
export function cachedCertificate(der: Uint8Array, what?: string): Certificate {
  const key = keyOf(der);
  // Parsed from a copy: a cached certificate outlives the file it came from, whose bytes may
  // be a read-pool buffer another file is read into next (`binary/read-pool.ts`).
  return certs.get(key) ?? remember(certs, key, parseCertificate(der.slice(), what));
}

/** Options of {@link cachedChain}. */
export interface CachedChainOptions {
  readonly trust: TrustConfig;
  readonly at: Date;
  readonly allowedEkus?: readonly string[];
  /** Also honour the allowed list (signers; not time-stamp authorities). */
  readonly allowedList?: boolean;
}

function insideWindow(r: ChainResult, at: Date): boolean {
  if (r.path.length === 0) return false;
  const from = Math.max(...r.path.map((c) => c.notBefore.getTime()));
  const to = Math.min(...r.path.map((c) => c.notAfter.getTime()));
  return at.getTime() >= from && at.getTime() <= to;
}

/** `verifyCertificateChain` with memoisation (see the module comment). Never throws. */
export function cachedChain(chainDer: readonly Uint8Array[], opts: CachedChainOptions): ChainResult {
  const chain = chainDer.map((der) => {
    try {
      return cachedCertificate(der);
    } catch {
      return der; // the chain check reports it as invalid
    }
  });
  const run = () =>
    verifyCertificateChain(chain, {
      anchors: opts.trust.anchorSet ?? opts.trust.anchors,
      crls: opts.trust.crls,
      at: opts.at,
      ...(opts.allowedEkus ? { allowedEkus: opts.allowedEkus } : {}),
      ...(opts.allowedList ? { allowedList: opts.trust.allowedList } : {}),
    });
  if (opts.trust.crls.length > 0) return run();
  let id = trustIds.get(opts.trust);
  if (id === undefined) trustIds.set(opts.trust, (id = nextTrustId++));
  const key = [id, opts.allowedList ? 1 : 0, (opts.allowedEkus ?? []).join(','), ...chainDer.map(keyOf)].join('|');
  const hit = chains.get(key);
  if (hit && insideWindow(hit, opts.at)) return hit;
  const r = run();
  if ((r.code === 'signingCredential.trusted' || r.code === 'signingCredential.untrusted') && insideWindow(r, opts.at))
    remember(chains, key, r);
  return r;
}
