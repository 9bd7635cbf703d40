/**
 * The PNG "boxes" of `c2pa.hash.boxes`, as c2pa-rs names them: `PNGh` for the 8-byte
 * signature, then each chunk (length, type, data, CRC) by its type, the `caBX` manifest
 * chunk as `C2PA`. A box hash that does not start with `PNGh` skips the signature.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_SEGMENTS } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { C2PA_BOX_NAME } from '../manifest/assertions/box-hash.ts';
import type { NamedBox } from './jpeg-box-map.ts';

/** Name of the PNG signature box. */
export const PNG_SIGNATURE_BOX = 'PNGh';

/**
 * Cut a PNG into its named boxes.
 * @throws {MalformedInputError} when a chunk runs past the end of the file.
 * @throws {LimitExceededError} past `MAX_SEGMENTS`.
 */
export async function pngBoxMap(src: ByteSource): Promise<NamedBox[]> {
  if (src.size < 8) throw new MalformedInputError('png', said('err.bind.shorterPNGSignature', 'shorter than the PNG signature'), 0);
  const boxes: NamedBox[] = [{ name: PNG_SIGNATURE_BOX, start: 0, length: 8 }];
  let at = 8;
  while (at + 12 <= src.size) {
    if (boxes.length >= MAX_SEGMENTS)
      throw new LimitExceededError('MAX_SEGMENTS', said('err.bind.morePNGChunks', 'more than {MAX_SEGMENTS} PNG chunks', { MAX_SEGMENTS }));
    const h = await src.read(at, 8);
    const len = new DataView(h.buffer, h.byteOffset, 8).getUint32(0);
    const type = String.fromCharCode(h[4]!, h[5]!, h[6]!, h[7]!);
    const end = at + 12 + len;
    if (end > src.size)
      throw new MalformedInputError('png', said('err.bind.chunkRunsPastEnd', 'chunk {type} runs past the end of the file', { type }), at);
    boxes.push({ name: type === 'caBX' ? C2PA_BOX_NAME : type, start: at, length: end - at });
    at = end;
    if (type === 'IEND') break;
  }
  return boxes;
}
