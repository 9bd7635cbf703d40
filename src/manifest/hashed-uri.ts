/**
 * Hashed URIs (C2PA 2.2 §8.3; profile §1.4): `{url, hash, alg?}` references whose hash is
 * the SHA-2 of the target superbox's payload (its bytes without the box header). URLs are
 * `self#jumbf=/c2pa/<manifest>/<path>` (absolute) or manifest-relative `self#jumbf=<path>`.
 */
import { MalformedInputError, said } from '../errors.ts';
import { digest, toHashAlgorithm, type HashAlgorithm } from '../crypto/digest.ts';
import { isCborMap } from './cbor.ts';
import type { JumbfSuperbox } from './jumbf/types.ts';
import { ASSERTION_STORE_LABEL, SIGNATURE_LABEL, STORE_LABEL } from './jumbf/c2pa-types.ts';
import { bytesEqual } from '../binary/bytes.ts';

/** A hashed URI as stored in claims and assertions. */
export interface HashedUri {
  readonly url: string;
  readonly hash: Uint8Array;
  readonly alg?: string;
}

const PREFIX = 'self#jumbf=';

/** Absolute URI of a manifest: `self#jumbf=/c2pa/<label>`. */
export function manifestUri(manifestLabel: string): string {
  return `${PREFIX}/${STORE_LABEL}/${manifestLabel}`;
}

/** Absolute URI of an assertion: `self#jumbf=/c2pa/<manifest>/c2pa.assertions/<label>`. */
export function assertionUri(manifestLabel: string, assertionLabel: string): string {
  return `${manifestUri(manifestLabel)}/${ASSERTION_STORE_LABEL}/${assertionLabel}`;
}

/** Absolute URI of a manifest's claim signature: `self#jumbf=/c2pa/<manifest>/c2pa.signature`. */
export function signatureUri(manifestLabel: string): string {
  return `${manifestUri(manifestLabel)}/${SIGNATURE_LABEL}`;
}

/** The hash a hashed URI to `box` carries: digest of its payload (no header). */
export function hashSuperbox(box: JumbfSuperbox, alg: HashAlgorithm = 'sha256'): Uint8Array {
  return digest(alg, box.payload);
}

/** Build a hashed URI to `box`. `alg` is written only when given (it otherwise inherits the claim's). */
export function makeHashedUri(url: string, box: JumbfSuperbox, alg?: HashAlgorithm): HashedUri {
  const hash = hashSuperbox(box, alg ?? 'sha256');
  return alg ? { url, hash, alg } : { url, hash };
}

/** A parsed JUMBF URI. */
export interface JumbfPath {
  /** True when the path starts with `/` (from the store root). */
  readonly absolute: boolean;
  /** Percent-decoded label segments. */
  readonly segments: string[];
}

/**
 * Parse `self#jumbf=...` into label segments; undefined when the URL is not a self JUMBF
 * reference or contains `..`/empty segments.
 */
export function parseJumbfUri(url: string): JumbfPath | undefined {
  if (typeof url !== 'string' || !url.startsWith(PREFIX)) return undefined;
  let rest = url.slice(PREFIX.length);
  const absolute = rest.startsWith('/');
  if (absolute) rest = rest.slice(1);
  if (!rest) return undefined;
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    let seg = raw;
    if (raw.includes('%')) {
      try {
        seg = decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    }
    if (!seg || seg === '.' || seg === '..') return undefined;
    segments.push(seg);
  }
  return { absolute, segments };
}

/**
 * Resolve a JUMBF URI to a superbox. Absolute paths start at the store root (first segment
 * `c2pa`); relative paths start at `manifest`. A relative path that itself begins with
 * `c2pa/<known manifest>` is treated as absolute, as some writers omit the slash.
 */
export function resolveJumbfUri(root: JumbfSuperbox, manifest: JumbfSuperbox | undefined, url: string): JumbfSuperbox | undefined {
  const p = parseJumbfUri(url);
  if (!p) return undefined;
  let segs = p.segments;
  let at: JumbfSuperbox | undefined;
  if (p.absolute || (segs[0] === STORE_LABEL && segs.length > 1 && findChild(root, segs[1]))) {
    if (segs[0] !== root.description.label) return undefined;
    at = root;
    segs = segs.slice(1);
  } else at = manifest;
  for (const s of segs) {
    if (!at) return undefined;
    at = findChild(at, s);
  }
  return at;
}

function findChild(box: JumbfSuperbox, label: string): JumbfSuperbox | undefined {
  for (const c of box.children) if (c.kind === 'superbox' && c.description.label === label) return c;
  return undefined;
}

/** Result of {@link checkHashedUri}. */
export interface HashedUriCheck {
  readonly status: 'match' | 'mismatch' | 'missing' | 'unsupported-alg';
  /** The resolved target. */
  readonly target?: JumbfSuperbox;
  /** The hash computed over the target's payload. */
  readonly computed?: Uint8Array;
}

/**
 * Resolve `uri` and compare its hash with the target's payload hash. The algorithm is the
 * URI's own `alg`, else `defaultAlg` (the claim's), else SHA-256.
 */
export function checkHashedUri(
  root: JumbfSuperbox,
  manifest: JumbfSuperbox | undefined,
  uri: HashedUri,
  defaultAlg?: string,
): HashedUriCheck {
  const alg = toHashAlgorithm(uri.alg ?? defaultAlg ?? 'sha256');
  if (!alg) return { status: 'unsupported-alg' };
  const target = resolveJumbfUri(root, manifest, uri.url);
  if (!target) return { status: 'missing' };
  const computed = hashSuperbox(target, alg);
  return { status: bytesEqual(computed, uri.hash) ? 'match' : 'mismatch', target, computed };
}

/**
 * Read a hashed URI from decoded CBOR.
 * @throws {MalformedInputError} when `v` has no string `url` or byte-string `hash`.
 */
export function readHashedUri(v: unknown, name = 'hashed URI'): HashedUri {
  const hash = isCborMap(v) ? hashBytes(v.hash) : undefined;
  if (!isCborMap(v) || typeof v.url !== 'string' || !hash) {
    throw new MalformedInputError('c2pa', `${name} is not a hashed URI {url, hash}`);
  }
  if (v.alg !== undefined && typeof v.alg !== 'string')
    throw new MalformedInputError('c2pa', said('err.c2pa.algNotString', '{name}.alg is not a string', { name }));
  return v.alg === undefined ? { url: v.url, hash } : { url: v.url, hash, alg: v.alg };
}

/** Longest hash accepted in the integer-array form (SHA-512 is 64 bytes). */
const MAX_HASH_ARRAY = 64;

/**
 * A hash as stored: a byte string, or — as C2PA 1.x writers stored it and c2pa-rs's serde
 * reads it — an array of integers 0..255.
 */
function hashBytes(h: unknown): Uint8Array | undefined {
  if (h instanceof Uint8Array) return h;
  if (!Array.isArray(h) || h.length === 0 || h.length > MAX_HASH_ARRAY) return undefined;
  if (!h.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 255)) return undefined;
  return Uint8Array.from(h as number[]);
}

/** Whether a hashed URI's hash was stored as an integer array (C2PA 1.x), for `inspect`. */
export function isIntegerArrayHash(v: unknown): boolean {
  return isCborMap(v) && Array.isArray(v.hash);
}
