/**
 * Recording a stamped or propagated file into a manifest repository: its log record, its manifest
 * store and, for images, its perceptual hash (of the content as published, after any visible label).
 * `stamp({ record })`, `propagate({ record })`, `aigc stamp|propagate --record DIR` and the service
 * (with `repository` configured) all record through {@link recordOutput}.
 */
import { readFile } from 'node:fs/promises';
import { IoError, said } from '../errors.ts';
import { readRecord } from '../tlog/record.ts';
import { phashOfImage } from './phash.ts';
import type { ManifestRepository, RepositoryRecord } from './repository.ts';

/**
 * Record `file` in `repo`; resolves once its transparency-log entry is committed.
 * `sidecarStore`: the manifest store when it was written beside the file rather than into it.
 * @throws {ManifestNotFoundError} when the file carries no manifest.
 * @throws {IoError} / {UnsupportedFormatError} / {MalformedInputError} when it cannot be read.
 */
export async function recordFile(
  repo: ManifestRepository,
  file: string | Uint8Array,
  sidecarStore?: Uint8Array,
): Promise<RepositoryRecord> {
  const { record, store } = await readRecord(file, new Date(), sidecarStore);
  const phash = record.mediaType.startsWith('image/')
    ? await phashOfImage(typeof file === 'string' ? new Uint8Array(await readFile(file)) : file).catch(() => undefined)
    : undefined;
  return repo.add(record, store, phash);
}

/** What a recorded output reports (`StampResult.recorded`, `PropagateResult.recorded`, the CLI's and service's JSON). */
export interface RecordedOutput {
  /** The repository folder. */
  readonly repository: string;
  readonly manifestId: string;
  /** The entry's index in the repository's transparency log. */
  readonly logIndex: number;
  /** The log's origin line (which log the index is in). */
  readonly logOrigin: string;
  readonly watermarkAlg?: string;
  readonly watermarkId?: string;
  /** The 64-bit perceptual hash (hex), for images. */
  readonly phash?: string;
}

/** The report shape of a repository record. */
export function describeRecord(repo: ManifestRepository, r: RepositoryRecord): RecordedOutput {
  return {
    repository: repo.dir,
    manifestId: r.manifestId,
    logIndex: r.logIndex,
    logOrigin: repo.log.origin,
    ...(r.watermarkAlg ? { watermarkAlg: r.watermarkAlg } : {}),
    ...(r.watermarkId ? { watermarkId: r.watermarkId } : {}),
    ...(r.phash !== undefined ? { phash: r.phash.toString(16).padStart(16, '0') } : {}),
  };
}

/**
 * Record an output (a path, or the bytes of an output returned in memory) and describe the record.
 * @throws {IoError} when the sidecar cannot be read; otherwise as {@link recordFile}.
 */
export async function recordOutput(repo: ManifestRepository, file: string | Uint8Array, sidecar?: string): Promise<RecordedOutput> {
  const store = sidecar
    ? new Uint8Array(
        await readFile(sidecar).catch((err: unknown) => {
          throw new IoError(said('err.repo.cannotReadSidecar', 'cannot read the sidecar {sidecar}', { sidecar }), sidecar, { cause: err });
        }),
      )
    : undefined;
  return describeRecord(repo, await recordFile(repo, file, store));
}
