/**
 * The C2PA soft-binding resolution API over a manifest repository, as framework-free handlers that
 * any HTTP server mounts (the platform service does, `src/server/routes/resolution.ts`): each takes the
 * request's query and body and returns a status, a content type and a body. The service never fetches
 * a URL a client gives it, so `byReference` is not offered.
 *
 *   GET  /matches/byBinding?alg=A&value=V[&maxResults=N]   V: the soft-binding value, base64 (as the
 *                                                          specification says) or our 16 hex digits
 *   POST /matches/byBinding[?maxResults=N]                 the same as JSON {"alg","value"}
 *   POST /matches/byContent[?alg=A&hintAlg=&hintValue=]    the asset as the body: detect the watermark
 *                                                          (or the perceptual hash), then look it up
 *   GET  /manifests/{manifestId}                           the manifest store, application/c2pa
 *   GET  /services/supportedAlgorithms                     {"watermarks":[{"alg"}], "fingerprints":[{"alg"}]}
 * Matches: {"matches":[{"manifestId","similarityScore"?}]} (the specification's softBindingQueryResult).
 */
import { MAX_MANIFEST_BYTES } from '../binary/limits.ts';
import { recover, type RecoverOptions } from './recover.ts';
import type { ManifestRepository } from './repository.ts';

/** The perceptual-hash fingerprint algorithm name we register under our reverse-DNS prefix. */
export const PHASH_ALG = 'cn.aigc-provenance.phash.1';

/** Default and largest `maxResults` (the specification's default is 10). */
export const DEFAULT_MAX_RESULTS = 10;
export const MAX_MAX_RESULTS = 1000;

/** A handler's answer. */
export interface ApiResponse {
  readonly status: number;
  readonly type: string;
  readonly body: string | Uint8Array;
}

/** One match (softBindingQueryResult.matches[]). */
export interface ApiMatch {
  readonly manifestId: string;
  readonly similarityScore?: number;
}

const json = (status: number, value: unknown): ApiResponse => ({ status, type: 'application/json', body: JSON.stringify(value) });
const problem = (status: number, message: string) => json(status, { error: message });

function valueToHex(value: string): string | undefined {
  if (/^[0-9a-fA-F]{16,}$/.test(value)) return value.toLowerCase();
  if (value.length > 4 * 1024 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 0) return undefined;
  // The value of our soft-binding assertion is the identifier's 16 hex digits as text: base64 of that text is accepted too.
  const text = bytes.toString('latin1');
  return /^[0-9a-fA-F]{16,}$/.test(text) ? text.toLowerCase() : bytes.toString('hex');
}

function maxResultsOf(v: unknown): number | undefined {
  if (v === undefined || v === '') return DEFAULT_MAX_RESULTS;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= MAX_MAX_RESULTS ? n : undefined;
}

/** The resolution API over one repository and the watermark algorithms it can detect. */
export function resolutionApi(repo: ManifestRepository, opts: { watermarkAlgs: readonly string[]; detect?: RecoverOptions['detect'] }) {
  const lookup = (alg: string, value: string, max: number): ApiResponse => {
    const hex = valueToHex(value);
    if (!hex) return problem(400, 'value must be base64 (or the identifier in hex)');
    const seen = new Set<string>();
    const matches: ApiMatch[] = [];
    // Latest first: a platform's record carries the producer's manifest as its ingredient.
    for (const r of repo.byBinding(alg, hex).reverse()) {
      if (seen.has(r.manifestId)) continue;
      seen.add(r.manifestId);
      matches.push({ manifestId: r.manifestId });
      if (matches.length >= max) break;
    }
    return json(200, { matches });
  };
  return {
    /** GET /services/supportedAlgorithms */
    supportedAlgorithms(): ApiResponse {
      return json(200, { watermarks: opts.watermarkAlgs.map((alg) => ({ alg })), fingerprints: [{ alg: PHASH_ALG }] });
    },
    /** GET /matches/byBinding (query) and POST /matches/byBinding (`body`: the softBindingQuery JSON). */
    byBinding(query: { alg?: string; value?: string; maxResults?: unknown }, body?: unknown): ApiResponse {
      const q = body === undefined ? query : (body as { alg?: unknown; value?: unknown } | null);
      if (typeof q !== 'object' || q === null || typeof q.alg !== 'string' || typeof q.value !== 'string' || !q.alg || !q.value) {
        return problem(400, 'alg and value are required');
      }
      const max = maxResultsOf(query.maxResults);
      if (max === undefined) return problem(400, `maxResults must be an integer from 1 to ${MAX_MAX_RESULTS}`);
      return lookup(q.alg, q.value, max);
    },
    /** POST /matches/byContent */
    async byContent(
      query: { alg?: string; maxResults?: unknown; hintAlg?: string; hintValue?: string },
      body: Uint8Array,
    ): Promise<ApiResponse> {
      if (body.length === 0) return problem(400, 'the asset is required as the request body');
      if (query.alg && query.alg !== PHASH_ALG && !opts.watermarkAlgs.includes(query.alg))
        return problem(400, `unsupported alg ${query.alg}`);
      const max = maxResultsOf(query.maxResults);
      if (max === undefined) return problem(400, `maxResults must be an integer from 1 to ${MAX_MAX_RESULTS}`);
      const r = await recover(body, { repo, ...(query.alg === PHASH_ALG || !opts.detect ? {} : { detect: opts.detect }) });
      const matches: ApiMatch[] = [];
      if (r.found && r.record) {
        const score = r.via === 'perceptual-hash' && r.phashDistance !== undefined ? Math.round((1 - r.phashDistance / 64) * 100) : 100;
        matches.push({ manifestId: r.record.manifestId, similarityScore: score });
      }
      if (query.hintAlg && query.hintValue && matches.length < max) {
        const hinted = lookup(query.hintAlg, query.hintValue, max);
        if (hinted.status !== 200) return hinted;
        for (const m of (JSON.parse(hinted.body as string) as { matches: ApiMatch[] }).matches) {
          if (matches.length < max && !matches.some((x) => x.manifestId === m.manifestId)) matches.push(m);
        }
      }
      return json(200, { matches });
    },
    /** GET /manifests/{manifestId} (the whole store; `returnActiveManifest=true` is not offered: 400). */
    manifest(manifestId: string, query: { returnActiveManifest?: unknown } = {}): ApiResponse {
      if (query.returnActiveManifest === true || query.returnActiveManifest === 'true') {
        return problem(400, 'returnActiveManifest is not supported: the manifest store is returned whole');
      }
      let id: string;
      try {
        id = decodeURIComponent(manifestId);
      } catch {
        return problem(400, 'invalid manifest id');
      }
      if (id.length === 0 || id.length > 1024) return problem(400, 'invalid manifest id');
      const rec = repo.byManifest(id)[0];
      if (!rec) return problem(404, `no manifest ${id}`);
      const store = repo.manifestStore(rec.storeSha256);
      if (store.length > MAX_MANIFEST_BYTES) return problem(500, 'stored manifest store exceeds the limit');
      return { status: 200, type: 'application/c2pa', body: store };
    },
  };
}
