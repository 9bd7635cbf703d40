/**
 * Stamping a fragmented MP4 stream kept as separate files (DASH/HLS/CMAF: an init segment and
 * its media segments): each segment gets its Merkle proof box and is written atomically, then
 * the init segment gets the manifest whose `c2pa.hash.bmff.v3` is the Merkle form (no flat
 * hash; `initHash`, leaf count, root) and the label, by the one-pass embed. The result
 * verifies with `verify(init, { fragments })` as c2pa-rs `Reader::from_fragmented_files` does.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { writePartsAtomic } from '../binary/atomic-write.ts';
import { defaultBmffExclusions } from '../binding/bmff-hash.ts';
import { planMerkleSegments } from '../binding/bmff-fragment-sign.ts';
import { InvalidArgumentError, UnsupportedFormatError, said } from '../errors.ts';
import { detectSourceHandler } from '../formats/registry.ts';
import { type EmbedRequest, embedAndWrite } from './embed.ts';

/** What {@link embedFragmented} needs: {@link EmbedRequest} with the init segment and its media segments. */
export interface FragmentedEmbedRequest extends Omit<EmbedRequest, 'src' | 'handler' | 'bmffMerkle'> {
  readonly init: ByteSource;
  readonly segments: readonly ByteSource[];
}

/** What {@link embedFragmented} returns. */
export interface FragmentedEmbedOutput {
  readonly manifestLabel: string;
  readonly store: Uint8Array;
  /** Leaves of the Merkle tree (= segments). */
  readonly leaves: number;
}

/**
 * Stamp an init segment and its media segments into `outInit` and `outSegments` (same order).
 * @throws {InvalidArgumentError} when the output list does not match the segments.
 * @throws {UnsupportedFormatError} when the init segment is not ISO-BMFF video.
 * @throws {ToolkitError} from the planner, the builder, the signer or the writer.
 */
export async function embedFragmented(
  req: FragmentedEmbedRequest,
  outInit: string,
  outSegments: readonly string[],
): Promise<FragmentedEmbedOutput> {
  if (!Array.isArray(outSegments) || outSegments.length !== req.segments.length) {
    throw InvalidArgumentError.expected(`${req.segments.length} output paths`, 'outSegments', outSegments?.length);
  }
  const handler = await detectSourceHandler(req.init);
  if (handler.hardBinding !== 'bmff' || handler.mediaKind !== 'video')
    throw new UnsupportedFormatError(
      said('err.fragments.notFmp4', 'an init segment must be fragmented MP4, not {format}', { format: handler.name }),
    );
  const exclusions = defaultBmffExclusions();
  const merkle = await planMerkleSegments(req.init, req.segments, exclusions);
  for (const [i, parts] of merkle.segments.entries()) await writePartsAtomic(outSegments[i]!, req.segments[i]!, parts);
  const { init, segments: _segments, ...rest } = req;
  const out = await embedAndWrite({ ...rest, src: init, handler, bmffMerkle: [merkle.map] }, outInit);
  return { manifestLabel: out.manifestLabel!, store: out.store!, leaves: merkle.map.count };
}
