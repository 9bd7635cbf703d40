/**
 * Recovering the provenance of a stripped file: find its record in a manifest repository (by its
 * watermark identifier, or by its perceptual hash), check that the record belongs to this content
 * (a watermark transplanted onto other content is caught by the perceptual hash), check that the
 * record is in the repository's transparency log (its entry bytes and an inclusion proof against the
 * signed checkpoint), and verify the recovered manifest store. Results are data, with `recover.*` codes.
 */
import { readFile } from 'node:fs/promises';
import { encodeLogRecord } from '../tlog/entry.ts';
import { leafHash, verifyInclusion } from '../tlog/merkle.ts';
import { openCheckpoint } from '../tlog/audit.ts';
import { parseVerifierKey } from '../tlog/note.ts';
import { verify } from '../service/verify.ts';
import { hammingDistance, phashOfImage } from './phash.ts';
import type { ManifestRepository, RepositoryRecord } from './repository.ts';

/** What a watermark detector reports (the shape of the watermark module's detection). */
export interface WatermarkHit {
  readonly found: boolean;
  readonly alg: string;
  /** The identifier, hex. */
  readonly id?: string;
  readonly pValue?: number;
}

/** Options of {@link recover}. */
export interface RecoverOptions {
  readonly repo: ManifestRepository;
  /** Watermark detection; without it only the perceptual hash is used. */
  readonly detect?: (bytes: Uint8Array) => Promise<WatermarkHit | null>;
  /** Largest perceptual-hash distance accepted for a match without a watermark (default 6, at most 7). */
  readonly maxPhashDistance?: number;
  /** Largest distance between a watermarked record and the content before it counts as transplanted (default 16). */
  readonly maxWatermarkPhashDistance?: number;
}

/** A status code with its explanation. */
export interface RecoverStatus {
  readonly code: string;
  readonly explanation: string;
}

/** The outcome of {@link recover}. */
export interface RecoveryReport {
  readonly found: boolean;
  readonly via?: 'watermark' | 'perceptual-hash';
  readonly watermark?: WatermarkHit;
  readonly phashDistance?: number;
  readonly record?: RepositoryRecord;
  readonly log?: { readonly index: number; readonly treeSize: number; readonly included: boolean; readonly origin: string };
  /** The GB 45438 label that the recovered manifest signs (its producer, ID, propagators). */
  readonly label?: Record<string, unknown>;
  /** The verification report of the recovered manifest store (no content binding: the file was changed). */
  readonly manifest?: Awaited<ReturnType<typeof verify>>;
  readonly status: readonly RecoverStatus[];
}

const isImage = (mime: string | undefined) => mime === undefined || mime.startsWith('image/');

/**
 * Recover a file's manifest from a repository.
 * @throws {IoError} when the file cannot be read.
 */
export async function recover(input: string | Uint8Array, opts: RecoverOptions): Promise<RecoveryReport> {
  const bytes = typeof input === 'string' ? new Uint8Array(await readFile(input)) : input;
  const status: RecoverStatus[] = [];
  const phash = await phashOfImage(bytes).catch(() => undefined);
  const wm = opts.detect ? await opts.detect(bytes).catch(() => null) : null;
  let record: RepositoryRecord | undefined;
  let via: RecoveryReport['via'];
  let distance: number | undefined;
  if (wm?.found && wm.id) {
    const hits = opts.repo.byBinding(wm.alg, wm.id);
    if (hits.length === 0) status.push({ code: 'recover.watermark.unknown', explanation: `watermark ${wm.id} is not in this repository` });
    // One watermark can have several records (the producer's, then each platform's that published the
    // content): the nearest content wins, and among equals the latest, whose manifest carries the others.
    let best: { h: RepositoryRecord; d: number | undefined } | undefined;
    for (const h of hits) {
      const d = phash !== undefined && h.phash !== undefined ? hammingDistance(h.phash, phash) : undefined;
      if (d !== undefined && d > (opts.maxWatermarkPhashDistance ?? 16) && isImage(h.mediaType)) {
        status.push({
          code: 'recover.watermark.transplanted',
          explanation: `watermark ${wm.id} belongs to other content (perceptual distance ${d})`,
        });
        continue;
      }
      if (!best || (d ?? 64) <= (best.d ?? 64)) best = { h, d };
    }
    if (best) {
      record = best.h;
      via = 'watermark';
      distance = best.d;
    }
  }
  if (!record && phash !== undefined && !status.some((s) => s.code === 'recover.watermark.transplanted')) {
    const best = opts.repo.byPhash(phash, opts.maxPhashDistance ?? 6)[0];
    if (best) {
      record = best.record;
      via = 'perceptual-hash';
      distance = best.distance;
    }
  }
  if (!record) {
    if (status.length === 0) status.push({ code: 'recover.notFound', explanation: 'no watermark or perceptual match in the repository' });
    return { found: false, ...(wm ? { watermark: wm } : {}), status };
  }
  const log = await checkLogged(opts.repo, record);
  status.push(
    log.included
      ? {
          code: 'recover.log.included',
          explanation: `record is entry ${log.index} of ${log.origin} (tree size ${log.treeSize}), proven against its signed checkpoint`,
        }
      : { code: 'recover.log.mismatch', explanation: `record does not match entry ${log.index} of the repository's log` },
  );
  const manifest = await verify(opts.repo.manifestStore(record.storeSha256));
  const label = manifest.active_manifest
    ? (manifest.manifests[manifest.active_manifest] as { gb45438?: Record<string, unknown> } | undefined)?.gb45438
    : undefined;
  status.push({
    code: `recover.${via === 'watermark' ? 'watermark' : 'phash'}.match`,
    explanation: `found ${record.manifestId} by ${via}${distance === undefined ? '' : ` (perceptual distance ${distance})`}`,
  });
  return {
    found: log.included,
    via,
    ...(wm ? { watermark: wm } : {}),
    ...(distance !== undefined ? { phashDistance: distance } : {}),
    record,
    log,
    ...(label ? { label } : {}),
    manifest,
    status,
  };
}

async function checkLogged(
  repo: ManifestRepository,
  record: RepositoryRecord,
): Promise<{ index: number; treeSize: number; included: boolean; origin: string }> {
  const cp = await openCheckpoint(repo.log.checkpoint, parseVerifierKey(repo.log.verifierKey));
  const { logIndex: index, phash: _p, ...fields } = record;
  void _p;
  const entry = encodeLogRecord(fields);
  const logged = repo.log.reader(cp.size).entry(index);
  const same = logged.length === entry.length && logged.every((v, i) => v === entry[i]);
  const included = same && verifyInclusion(leafHash(entry), index, cp.size, repo.log.proveInclusion(index, cp.size), cp.root);
  return { index, treeSize: cp.size, included, origin: cp.origin };
}
