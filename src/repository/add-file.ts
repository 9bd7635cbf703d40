/**
 * Recording a stamped or propagated file into a manifest repository: its log record, its manifest
 * store and, for images, its perceptual hash (of the content as published, after any visible label).
 */
import { readFile } from 'node:fs/promises';
import { readRecord } from '../tlog/record.ts';
import { phashOfImage } from './phash.ts';
import type { ManifestRepository, RepositoryRecord } from './repository.ts';

/**
 * Record `file` in `repo`; resolves once its transparency-log entry is committed.
 * @throws {ManifestNotFoundError} when the file carries no manifest.
 * @throws {IoError} / {UnsupportedFormatError} / {MalformedInputError} when it cannot be read.
 */
export async function recordFile(repo: ManifestRepository, file: string | Uint8Array): Promise<RepositoryRecord> {
  const { record, store } = await readRecord(file);
  const phash = record.mediaType.startsWith('image/')
    ? await phashOfImage(typeof file === 'string' ? new Uint8Array(await readFile(file)) : file).catch(() => undefined)
    : undefined;
  return repo.add(record, store, phash);
}
