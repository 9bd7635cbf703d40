/**
 * The `c2pa.hash.boxes` hashing (JPEG and PNG), as c2pa-rs verifies it: the asset
 * is cut into its named boxes; each entry of the assertion consumes the next boxes in order,
 * which must carry its names (`Box hash name out of order`), and the bytes from the first
 * to the end of the last (anything between included) must hash to the entry's hash; the
 * lone `C2PA` entry is skipped. Boxes after the last entry are not checked (as c2pa-rs).
 * Formats without a box map give a mismatch that says so.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { createHash } from 'node:crypto';
import { toHashAlgorithm, type HashAlgorithm } from '../crypto/digest.ts';
import { feederFor } from '../binary/range-feeder.ts';
import { bytesEqual } from '../binary/bytes.ts';
import { jpegBoxMap, type NamedBox } from './jpeg-box-map.ts';
import { pngBoxMap, PNG_SIGNATURE_BOX } from './png-box-map.ts';
import { C2PA_BOX_NAME, type BoxHashAssertion } from '../manifest/assertions/box-hash.ts';

const BOX_MAPS: Readonly<Record<string, (src: ByteSource) => Promise<NamedBox[]>>> = { jpeg: jpegBoxMap, png: pngBoxMap };

async function digestRange(src: ByteSource, start: number, end: number, alg: HashAlgorithm): Promise<Uint8Array> {
  const h = createHash(alg);
  const feeder = feederFor(src);
  try {
    await feeder.feed(h, start, end);
  } finally {
    await feeder.close();
  }
  return new Uint8Array(h.digest());
}

/**
 * Check a box hash against `src` of format `format` (a handler id). Returns undefined when
 * it matches, else the reason (c2pa-rs wording).
 * @throws {MalformedInputError} {@link LimitExceededError} for a broken file structure.
 */
export async function verifyBoxHash(
  src: ByteSource,
  format: string,
  bh: BoxHashAssertion,
  claimAlg: string | undefined,
): Promise<string | undefined> {
  if (bh.boxes.length === 0) return 'No box hash found';
  const mapOf = BOX_MAPS[format];
  if (!mapOf) return `Box hash not supported for: ${format}`;
  const source = await mapOf(src);
  if (source.length === 0) return 'No data boxes found';
  // a hash list that does not start at the PNG signature skips it (c2pa-rs)
  let i = source[0]!.name === PNG_SIGNATURE_BOX && bh.boxes[0]!.names[0] !== PNG_SIGNATURE_BOX ? 1 : 0;
  for (const entry of bh.boxes) {
    let start = -1;
    let end = -1;
    for (const name of entry.names) {
      const next = source[i++];
      if (!next) return 'Box hash name not found';
      if (next.name !== name) return 'Box hash name out of order';
      if (start < 0) start = next.start;
      end = next.start + next.length;
    }
    if (entry.names[0] === C2PA_BOX_NAME) {
      if (entry.names.length !== 1) return 'Malformed C2PA box hash';
      continue;
    }
    const algName = entry.alg ?? bh.alg ?? claimAlg;
    if (!algName) return 'No algorithm specified';
    const alg = toHashAlgorithm(algName);
    if (!alg) return `unsupported hash algorithm ${algName}`;
    if (!bytesEqual(await digestRange(src, start, end, alg), entry.hash)) return 'Hashes do not match';
  }
  return undefined;
}
