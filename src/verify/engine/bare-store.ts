/**
 * A bare manifest store (a `.c2pa` sidecar: raw JUMBF, `application/c2pa`) given as the
 * input. It can be validated except for its hard binding, which needs the asset.
 */
import { BufferSource, type ByteSource } from '../../binary/byte-source.ts';
import { FileSource } from '../../binary/file-source.ts';
import { MAX_MANIFEST_BYTES } from '../../binary/limits.ts';
import { LimitExceededError, said } from '../../errors.ts';

/** Format block reported for a bare store. */
export const BARE_STORE_FORMAT = { id: 'c2pa', mime: 'application/c2pa', extension: 'c2pa' } as const;

/** Whether the first bytes look like a JUMBF superbox (`....jumb`). */
export function looksLikeJumbf(head: Uint8Array): boolean {
  return head.length >= 8 && head[4] === 0x6a && head[5] === 0x75 && head[6] === 0x6d && head[7] === 0x62;
}

/**
 * The bytes of `input` when it is a bare JUMBF store, else undefined.
 * @throws {IoError} when the path cannot be read.
 * @throws {LimitExceededError} above {@link MAX_MANIFEST_BYTES}.
 */
export async function readBareStore(input: string | Uint8Array): Promise<Uint8Array | undefined> {
  const src: ByteSource = typeof input === 'string' ? await FileSource.open(input) : new BufferSource(input);
  try {
    if (!looksLikeJumbf(await src.read(0, Math.min(8, src.size)))) return undefined;
    if (src.size > MAX_MANIFEST_BYTES)
      throw new LimitExceededError(
        'MAX_MANIFEST_BYTES',
        said('err.vfy.manifestStoreBytes', 'manifest store of {size} bytes', { size: src.size }),
      );
    return await src.read(0, src.size);
  } finally {
    await src.close?.();
  }
}
