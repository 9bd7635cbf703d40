/**
 * The C2PA soft-binding resolution API over a manifest repository, as framework-free handlers that
 * any HTTP server mounts (the platform service does): each takes the request's query and body and
 * returns a status, a content type and a body. The service never fetches a URL a client gives it,
 * so `byReference` is not offered.
 *
 *   GET  /matches/byBinding?alg=A&value=V     V: the soft-binding value, base64 (as in the assertion) or hex
 *   POST /matches/byContent?alg=A             the asset as the body: detect the watermark (or the
 *                                             perceptual hash), then look it up
 *   GET  /manifests/{manifestId}              the manifest store, application/c2pa
 *   GET  /services/supportedAlgorithms        {"watermarks":[{"alg"}], "fingerprints":[{"alg"}]}
 * Matches: {"matches":[{"manifestId","similarityScore"?}]}.
 */
import { recover, type RecoverOptions } from './recover.ts';
import type { ManifestRepository } from './repository.ts';

/** The perceptual-hash fingerprint algorithm name we register under our reverse-DNS prefix. */
export const PHASH_ALG = 'cn.aigc-provenance.phash.1';

/** A handler's answer. */
export interface ApiResponse {
  readonly status: number;
  readonly type: string;
  readonly body: string | Uint8Array;
}

const json = (status: number, value: unknown): ApiResponse => ({ status, type: 'application/json', body: JSON.stringify(value) });
const problem = (status: number, message: string) => json(status, { error: message });

function valueToHex(value: string): string | undefined {
  if (/^[0-9a-fA-F]{16,}$/.test(value)) return value.toLowerCase();
  try {
    const bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
    return bytes.length ? [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('') : undefined;
  } catch {
    return undefined;
  }
}

/** The resolution API over one repository and the watermark algorithms it can detect. */
export function resolutionApi(repo: ManifestRepository, opts: { watermarkAlgs: readonly string[]; detect?: RecoverOptions['detect'] }) {
  return {
    /** GET /services/supportedAlgorithms */
    supportedAlgorithms(): ApiResponse {
      return json(200, { watermarks: opts.watermarkAlgs.map((alg) => ({ alg })), fingerprints: [{ alg: PHASH_ALG }] });
    },
    /** GET /matches/byBinding */
    byBinding(query: { alg?: string; value?: string }): ApiResponse {
      if (!query.alg || !query.value) return problem(400, 'alg and value are required');
      const hex = valueToHex(query.value);
      if (!hex) return problem(400, 'value must be base64 or hex');
      const matches = repo.byBinding(query.alg, hex).map((r) => ({ manifestId: r.manifestId }));
      return json(200, { matches });
    },
    /** POST /matches/byContent */
    async byContent(query: { alg?: string }, body: Uint8Array): Promise<ApiResponse> {
      if (body.length === 0) return problem(400, 'the asset is required as the request body');
      if (query.alg && query.alg !== PHASH_ALG && !opts.watermarkAlgs.includes(query.alg)) return problem(400, `unsupported alg ${query.alg}`);
      const r = await recover(body, { repo, ...(query.alg === PHASH_ALG || !opts.detect ? {} : { detect: opts.detect }) });
      if (!r.found || !r.record) return json(200, { matches: [] });
      const score = r.via === 'perceptual-hash' && r.phashDistance !== undefined ? Math.round((1 - r.phashDistance / 64) * 100) : 100;
      return json(200, { matches: [{ manifestId: r.record.manifestId, similarityScore: score }] });
    },
    /** GET /manifests/{manifestId} */
    manifest(manifestId: string): ApiResponse {
      const rec = repo.byManifest(decodeURIComponent(manifestId))[0];
      if (!rec) return problem(404, `no manifest ${manifestId}`);
      return { status: 200, type: 'application/c2pa', body: repo.manifestStore(rec.storeSha256) };
    },
  };
}
