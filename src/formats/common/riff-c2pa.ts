/**
 * Reading the manifest store of a RIFF file (WAV, WebP, AVI): the data of its one top-level
 * `C2PA` chunk (C2PA 2.x, RIFF embedding).
 */
import type { ByteSource } from '../../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES } from '../../binary/limits.ts';
import { MultipleManifestsError, said } from '../../errors.ts';
import { chunksWithId, RIFF_C2PA_CHUNK_ID, readChunkData, type RiffFile } from './riff.ts';

/**
 * The store bytes of the `C2PA` chunk of `file` (parsed from `src`), or undefined when there is none.
 * @throws {MultipleManifestsError} when there is more than one `C2PA` chunk (`name` names the format).
 * @throws {LimitExceededError} above MAX_MANIFEST_BYTES; {@link MalformedInputError} / {@link IoError} on a short read.
 */
export async function readRiffManifest(src: ByteSource, file: RiffFile, name: string): Promise<Uint8Array | undefined> {
  const found = chunksWithId(file, RIFF_C2PA_CHUNK_ID);
  if (found.length > 1)
    throw new MultipleManifestsError(
      said('err.fmt.c2paChunksRiff', '{count} C2PA chunks in one {format} file', { count: found.length, format: name }),
    );
  return found.length ? readChunkData(src, found[0]!, MAX_MANIFEST_BYTES, 'MAX_MANIFEST_BYTES') : undefined;
}
