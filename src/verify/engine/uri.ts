/**
 * JUMBF URLs as c2pa-rs reports them in status entries: always absolute
 * (`self#jumbf=/c2pa/<manifest>/...`), whatever form the claim used.
 */
import type { Manifest } from '../../manifest/index.ts';
import { assertionUri, manifestUri, parseJumbfUri, signatureUri } from '../../manifest/index.ts';

/** Absolute URLs of a manifest's parts. */
export const urls = {
  manifest: (m: Manifest): string => manifestUri(m.label),
  signature: (m: Manifest): string => signatureUri(m.label),
  claim: (m: Manifest): string => `${manifestUri(m.label)}/${m.claim?.label ?? m.claimBox?.description.label ?? 'c2pa.claim.v2'}`,
  assertion: (m: Manifest, label: string): string => assertionUri(m.label, label),
};

const PREFIX = 'self#jumbf=';

/**
 * Make a manifest-relative JUMBF URL (`self#jumbf=c2pa.assertions/x`) absolute for the
 * manifest labelled `manifestLabel`; absolute URLs and non-JUMBF strings are returned as is.
 */
export function toAbsolute(url: string, manifestLabel: string): string {
  if (!url.startsWith(PREFIX) || url.startsWith(`${PREFIX}/`)) return url;
  const rest = url.slice(PREFIX.length);
  // Some writers omit the leading slash of an absolute path.
  if (rest.startsWith('c2pa/') && rest.split('/')[1]?.includes(':')) return `${PREFIX}/${rest}`;
  return `${manifestUri(manifestLabel)}/${rest}`;
}

/**
 * The manifest label an absolute URL points into (`self#jumbf=/c2pa/<label>/...`), if any.
 * A bare manifest label (`urn:...`, which c2pa-rs uses as the url of some claim-level codes)
 * is returned as is.
 */
export function manifestLabelOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('urn:')) return url;
  const p = parseJumbfUri(url);
  if (!p?.absolute || p.segments[0] !== 'c2pa' || p.segments.length < 2) return undefined;
  return p.segments[1];
}

/** The last path segment of a JUMBF URL (an assertion label, `c2pa.signature`...). */
export function lastSegment(url: string): string | undefined {
  return parseJumbfUri(url)?.segments.at(-1);
}
