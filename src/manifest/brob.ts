/**
 * Brotli-compressed JUMBF content (`brob` boxes, ISO/IEC 18181-2 box form, as C2PA 2.x uses
 * them for compressed manifests `c2cm` and compressed assertion content): the payload is the
 * four-character type of the original box followed by the Brotli stream of its payload.
 *
 * The runtime-agnostic core does not decompress by itself: the caller injects a
 * {@link Decompressor} (the Node entry passes one built on `node:zlib`, see
 * `src/binary/brotli-node.ts`). Without one, a `brob` box is a typed error.
 */
import { MAX_BROB_BYTES } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, UnsupportedFormatError, said } from '../errors.ts';
import type { JumbfContentBox } from './jumbf/types.ts';

/**
 * Decompress a Brotli stream, producing at most `maxBytes` bytes.
 * Implementations throw {@link LimitExceededError} past `maxBytes` and
 * {@link MalformedInputError} for a corrupt stream.
 */
export type Decompressor = (data: Uint8Array, maxBytes: number) => Uint8Array;

/** Type of a Brotli-compressed box. */
export const BROB = 'brob';

/** An unwrapped `brob` box: the original box's type and payload. */
export interface UnwrappedBox {
  readonly type: string;
  readonly payload: Uint8Array;
}

/**
 * Decompress a `brob` content box.
 * @throws {MalformedInputError} for a box shorter than its type field or a corrupt stream.
 * @throws {LimitExceededError} past {@link MAX_BROB_BYTES} decompressed bytes.
 * @throws {UnsupportedFormatError} when no decompressor was given.
 */
export function unwrapBrob(box: JumbfContentBox, decompress: Decompressor | undefined): UnwrappedBox {
  if (box.payload.length < 4)
    throw new MalformedInputError(
      'jumbf',
      said('err.c2pa.brobBoxShorterOriginal', 'brob box is shorter than its original-type field'),
      box.offset,
    );
  const type = String.fromCharCode(...box.payload.subarray(0, 4));
  if (!decompress)
    throw new UnsupportedFormatError(
      said(
        'err.c2pa.brobBrotliCompressedBox',
        'a brob (Brotli-compressed {type}) box needs a decompressor: parse with the Node entry or pass options.decompress',
        { type },
      ),
    );
  const payload = decompress(box.payload.subarray(4), MAX_BROB_BYTES);
  if (payload.length > MAX_BROB_BYTES)
    throw new LimitExceededError(
      'MAX_BROB_BYTES',
      said('err.c2pa.brobBoxDecompressesBytes', 'brob box decompresses to {v1} bytes', { v1: payload.length }),
    );
  return { type, payload };
}
