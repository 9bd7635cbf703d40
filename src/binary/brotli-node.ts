/**
 * The Node Brotli {@link Decompressor} for `brob` boxes (`node:zlib`), injected into the
 * runtime-agnostic manifest parser by the Node side (`service/verify.ts`, `src/node.ts`).
 * Output is capped at the caller's limit by zlib itself (`maxOutputLength`), so a Brotli
 * bomb is refused before it is inflated.
 */
import { brotliDecompressSync } from 'node:zlib';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import type { Decompressor } from '../manifest/brob.ts';

/**
 * Decompress with `node:zlib`.
 * @throws {LimitExceededError} past `maxBytes` (`MAX_BROB_BYTES`). @throws {MalformedInputError} for a corrupt stream.
 */
export const brotliDecompress: Decompressor = (data, maxBytes) => {
  try {
    return new Uint8Array(brotliDecompressSync(data, { maxOutputLength: maxBytes }));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE')
      throw new LimitExceededError(
        'MAX_BROB_BYTES',
        said('err.limit.brob', 'brob box decompresses to more than {max} bytes', { max: maxBytes }),
        { cause: err },
      );
    throw new MalformedInputError(
      'brob',
      said('err.brob.corrupt', 'corrupt Brotli stream: {reason}', { reason: (err as Error).message }),
      undefined,
      {
        cause: err,
      },
    );
  }
};
