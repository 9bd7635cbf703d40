/**
 * Trust configuration from PEM text: anchors (CA certificates for signers and time-stamp
 * authorities), an optional allowed list of end-entity certificates (PEM or base64 SHA-256
 * lines, as c2pa-rs reads `allowed_list`) and optional CRLs. Parsed sets are memoised, so
 * a service verifying many files with one configuration parses it once.
 */
import { parseAllowedList, loadTrustStore } from '../../pki/trust.ts';
import { parseCrls } from '../../pki/crl.ts';
import { NO_TRUST, type TrustConfig } from './context.ts';

/** Trust options of `verify()`/`inspect()`. */
export interface TrustOptions {
  /** PEM bundle(s) of trust anchors. None: nothing is trusted (Valid at best). */
  readonly anchorsPem?: string | readonly string[];
  /** Allowed end-entity certificates (PEM and/or base64 SHA-256 lines). */
  readonly allowedListPem?: string;
  /** PEM bundle of CRLs checked for every certificate of a signer's path. */
  readonly crlsPem?: string;
  /** PEM trust anchors for CAWG X.509 identity assertions (separate from claim signers, as in c2pa-rs). */
  readonly cawgAnchorsPem?: string;
}

const CACHE_SIZE = 4;
const cache = new Map<string, TrustConfig>();

/**
 * Parse trust options.
 * @throws {CertificateError} when a PEM block, an allowed-list line or a CRL is corrupt, or
 * no anchor is usable. @throws {LimitExceededError} above the PEM limits.
 */
export function resolveTrust(opts: TrustOptions | undefined): TrustConfig {
  if (!opts) return NO_TRUST;
  const anchorsPem = Array.isArray(opts.anchorsPem) ? opts.anchorsPem.join('\n') : (opts.anchorsPem as string | undefined) ?? '';
  const key = JSON.stringify([anchorsPem, opts.allowedListPem ?? '', opts.crlsPem ?? '', opts.cawgAnchorsPem ?? '']);
  const hit = cache.get(key);
  if (hit) return hit;
  const store = anchorsPem.trim() ? loadTrustStore({ anchorsPem }) : undefined;
  const config: TrustConfig = {
    anchors: store?.anchors ?? [],
    allowedList: opts.allowedListPem ? parseAllowedList(opts.allowedListPem) : [],
    crls: opts.crlsPem ? parseCrls(opts.crlsPem, 'CRL bundle') : [],
    ...(opts.cawgAnchorsPem?.trim() ? { cawgAnchors: loadTrustStore({ anchorsPem: opts.cawgAnchorsPem }).anchors } : {}),
    warnings: store?.warnings ?? [],
  };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, config);
  return config;
}
