/**
 * What a signature carries besides itself: an RFC 3161 time-stamp from a TSA (`sigTst2`,
 * so the signature outlives its certificate) and the signer's OCSP response stapled in
 * `rVals` (so any verifier can check revocation offline). Shared by stamp and propagate.
 * Failing services are errors unless marked optional; optional failures become warnings.
 */
import type { Signer } from '../crypto/signer.ts';
import { SigningError, ToolkitError, said } from '../errors.ts';
import { requestTimestamp, type TsaClientOptions } from '../tsa/client.ts';
import { fetchSignerOcsp, type OcspFetchOptions } from '../ocsp/client.ts';
import { completeResponderChain } from '../ocsp/staple.ts';

/** A TSA to time-stamp the signature with. */
export interface TimestampAuthorityOption extends TsaClientOptions {
  /** When the TSA fails: sign without a time-stamp and warn, instead of failing (default false). */
  readonly optional?: boolean;
}

/** OCSP stapling. */
export interface OcspStapleOption extends Omit<OcspFetchOptions, 'url'> {
  /** Responder URL (default: the one the signing certificate names in its AIA extension). */
  readonly url?: string;
  /** When the responder fails: sign without a staple and warn (default false). */
  readonly optional?: boolean;
}

/** Signing options shared by `stamp` and `propagate`. */
export interface SigningAidOptions {
  /** Time-stamp the signature: a TSA URL, or options. */
  tsa?: string | TimestampAuthorityOption;
  /**
   * Staple the signer's OCSP response. Default `'auto'`: fetch when the certificate names a
   * responder, warn (never fail) when it cannot be reached. `true` or options: required.
   * `false`: never. A response saying "revoked" always refuses to sign.
   */
  ocsp?: boolean | 'auto' | OcspStapleOption;
}

/** What the embed step receives. */
export interface SigningAids {
  timestamp?: (data: Uint8Array) => Promise<Uint8Array | undefined>;
  ocspVals?: Uint8Array[];
}

/**
 * Resolve the aids before signing: fetch the OCSP staple now (and refuse a revoked signer);
 * return a time-stamper that the COSE signer calls after signing.
 * @throws {SigningError} when the signer is revoked, or a required OCSP responder fails.
 */
export async function prepareSigningAids(signer: Signer, opts: SigningAidOptions, warnings: string[]): Promise<SigningAids> {
  const out: SigningAids = {};
  if (opts.tsa) {
    const tsa: TimestampAuthorityOption = typeof opts.tsa === 'string' ? { url: opts.tsa } : opts.tsa;
    out.timestamp = async (data) => {
      try {
        return await requestTimestamp(data, tsa);
      } catch (err) {
        if (!tsa.optional || !(err instanceof ToolkitError)) throw err;
        warnings.push(`signed without a time-stamp: ${err.message}`);
        return undefined;
      }
    };
  }
  const mode = opts.ocsp ?? 'auto';
  if (mode !== false) {
    const o: OcspStapleOption = typeof mode === 'object' ? mode : {};
    const required = mode !== 'auto' && !o.optional;
    let res: Awaited<ReturnType<typeof fetchSignerOcsp>>;
    try {
      res = await fetchSignerOcsp(signer.certChain, o);
    } catch (err) {
      if (required || !(err instanceof ToolkitError)) throw err;
      warnings.push(`no OCSP response stapled: ${err.message}`);
      return out;
    }
    if (res === undefined) {
      if (required)
        throw new SigningError(
          said('err.ocsp.noResponder', 'OCSP stapling was asked for, but the signing certificate names no OCSP responder: give its URL'),
        );
    } else if (res.status === 'revoked') {
      throw new SigningError(
        res.revokedAt
          ? said('err.ocsp.revokedOn', 'the signing certificate was revoked on {date} (OCSP {url}): refusing to sign', {
              date: res.revokedAt.toISOString(),
              url: res.url,
            })
          : said('err.ocsp.revoked', 'the signing certificate was revoked (OCSP {url}): refusing to sign', { url: res.url }),
      );
    } else if (res.status === 'unknown') {
      const unknown = said('err.ocsp.unknown', 'the OCSP responder {url} does not know the signing certificate', { url: res.url });
      if (required) throw new SigningError(unknown);
      warnings.push(`${unknown.text}; no OCSP response stapled`);
    } else {
      // Give c2pa-rs 0.90 the responder's path to an anchor (it does not borrow the x5chain).
      out.ocspVals = [completeResponderChain(res.der, signer.certChain)];
    }
  }
  return out;
}
