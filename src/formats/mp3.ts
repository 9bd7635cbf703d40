/**
 * MP3 handler. Everything lives in the ID3v2 tag at the start of the file: the C2PA
 * manifest store in a `GEOB` frame (MIME `application/c2pa`) and the GB 45438 label in
 * a `TXXX` frame described `AIGC`; the IPTC digital source type in XMP in a `PRIV` frame
 * owned by `XMP` (Adobe XMP spec part 3). The tag is rewritten as ID3v2.4 keeping every other
 * frame; the audio frames after it are copied untouched (and never read).
 *
 * Exclusion = the GEOB object bytes only (what c2pa-rs 0.8.0 bindings write and check).
 * A file whose leading tag is followed by `fLaC` is a FLAC stream as c2pa-rs writes it:
 * every call is passed to the FLAC handler.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES } from '../binary/limits.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { flacHandler, isFlacAt } from './flac.ts';
import { isId3Header, readLeadingId3Tags } from './common/id3.ts';
import { readId3Labels, readId3Manifest, rebuildId3Tag } from './common/id3-carrier.ts';
import { checkManifestLength, makeEmbedPlan } from './common/splice.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';

/**
 * Whether `head` starts with an MPEG audio frame header (sync, known version, layer,
 * bitrate and sample rate). Never throws.
 */
export function isMpegFrameHeader(head: Uint8Array, at = 0): boolean {
  if (head.length - at < 4) return false;
  const b1 = head[at + 1]!;
  const b2 = head[at + 2]!;
  return (
    head[at] === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0 && (b2 & 0xf0) !== 0xf0 && (b2 & 0x0c) !== 0x0c
  );
}

async function planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
  const { tags, end } = await readLeadingId3Tags(src);
  if (await isFlacAt(src, end)) return flacHandler.planEmbed(src, manifestLength, labels);
  const tag = await rebuildId3Tag(tags, { manifestLength, labels, labelsInTag: true });
  const parts = [...tag.parts];
  if (src.size > end) parts.push({ copy: { offset: end, length: src.size - end } });
  return makeEmbedPlan({ parts, placeholderIndex: tag.placeholderIndex }, manifestLength, (store) => store);
}

/** MP3: ID3v2 `GEOB` manifest store and `TXXX:AIGC` label. */
export const mp3Handler: FormatHandler = {
  id: 'mp3',
  name: 'MP3',
  mediaKind: 'audio',
  reencodable: true,
  mimeTypes: ['audio/mpeg', 'audio/mp3'],
  extensions: ['mp3'],
  hardBinding: 'data',
  sniff: (head) => isId3Header(head) || isMpegFrameHeader(head),
  /** @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError} */
  async readManifest(src) {
    const { tags, end } = await readLeadingId3Tags(src);
    if (await isFlacAt(src, end)) return flacHandler.readManifest(src);
    return readId3Manifest(tags);
  },
  planEmbed,
  async planRemove(src): Promise<RewritePlan> {
    return { parts: (await planEmbed(src, 0)).parts };
  },
  async readLabels(src): Promise<FoundLabel[]> {
    const { tags, end } = await readLeadingId3Tags(src);
    if (await isFlacAt(src, end)) return flacHandler.readLabels(src);
    return readId3Labels(tags);
  },
};
