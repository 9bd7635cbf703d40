/**
 * FLAC handler. The GB 45438 label is the Vorbis comment `AIGC=<json>` in the
 * `VORBIS_COMMENT` metadata block (created when missing; vendor string and other
 * comments kept; last-metadata-block flag fixed). The C2PA manifest store goes where
 * c2pa-rs puts it: a `GEOB` frame in an ID3v2 tag in front of `fLaC`, which ffmpeg and
 * music-metadata skip. Exclusion = the GEOB object bytes. Audio frames are copied.
 *
 * Spec: RFC 9639 §8 (metadata blocks); C2PA profile §4 (FLAC row).
 */
import type { ByteSource } from '../binary/byte-source.ts';
import type { Part } from '../binary/parts.ts';
import { MAX_ID3_TAGS, MAX_MANIFEST_BYTES, MAX_METADATA_BYTES, MAX_SEGMENTS } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, said } from '../errors.ts';
import { serializeGb45438 } from '../labels/implicit/gb45438.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { id3TagLength, readLeadingId3Tags, type Id3Tag } from './common/id3.ts';
import { readId3Labels, readId3Manifest, rebuildId3Tag } from './common/id3-carrier.ts';
import { checkManifestLength, makeEmbedPlan } from './common/splice.ts';
import { AIGC_COMMENT_KEY, commentValues, parseVorbisComment, replaceComment, serializeVorbisComment } from './common/vorbis-comment.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';

const FORMAT = 'flac';
/** FLAC metadata block types used here (RFC 9639 §8.1). */
export const FLAC_BLOCK = { streaminfo: 0, padding: 1, vorbisComment: 4 } as const;
/** Carrier name reported for the Vorbis comment label. */
export const FLAC_AIGC_CARRIER = 'Vorbis comment AIGC';
/** Vendor string of a `VORBIS_COMMENT` block we create. */
export const FLAC_VENDOR = 'aigc-provenance';
/** Largest metadata block body (24-bit length). */
const MAX_BLOCK = 0xffffff;

/** One metadata block header. */
export interface FlacBlock {
  readonly type: number;
  /** Offset of the 4-byte block header. */
  readonly offset: number;
  /** Body length. */
  readonly size: number;
}

/** Leading ID3 tags, the `fLaC` offset, the metadata blocks and where the audio frames start. */
export interface FlacLayout {
  readonly tags: readonly Id3Tag[];
  readonly streamOffset: number;
  readonly blocks: readonly FlacBlock[];
  readonly audioOffset: number;
}

const MAGIC = [0x66, 0x4c, 0x61, 0x43]; // fLaC

/** Whether `src` holds `fLaC` at `offset` (false past the end). @throws {IoError} when the source cannot be read. */
export async function isFlacAt(src: ByteSource, offset: number): Promise<boolean> {
  if (src.size - offset < 4) return false;
  const b = await src.read(offset, 4);
  return MAGIC.every((m, i) => b[i] === m);
}

/** Whether `head` starts with `fLaC`, or with an ID3 tag short enough that `fLaC` follows inside `head`. */
export function sniffFlac(head: Uint8Array): boolean {
  const at = head[0] === 0x49 ? (id3TagLength(head) ?? -1) : 0;
  return at >= 0 && head.length - at >= 4 && MAGIC.every((m, i) => head[at + i] === m);
}

/**
 * Whether `src` is a FLAC stream, possibly behind ID3v2 tags (as c2pa-rs writes it).
 * For registries whose 64-byte sniff sees only `ID3`. Never throws.
 */
export async function isFlacSource(src: ByteSource): Promise<boolean> {
  try {
    let at = 0;
    for (let i = 0; i <= MAX_ID3_TAGS && src.size - at >= 10; i++) {
      const len = id3TagLength(await src.read(at, 10));
      if (len === undefined) break;
      at += len;
    }
    return await isFlacAt(src, at);
  } catch {
    return false;
  }
}

/**
 * Walk leading ID3 tags, `fLaC` and the metadata blocks.
 * @throws {MalformedInputError} when `fLaC` or STREAMINFO is missing or a block runs past the end.
 * @throws {LimitExceededError} past {@link MAX_SEGMENTS} blocks.
 */
export async function readFlacLayout(src: ByteSource): Promise<FlacLayout> {
  const { tags, end } = await readLeadingId3Tags(src);
  if (!(await isFlacAt(src, end))) throw new MalformedInputError(FORMAT, said('err.fmt.noFLaCStreamMarker', 'no fLaC stream marker'), end);
  const blocks: FlacBlock[] = [];
  let pos = end + 4;
  for (let last = false; !last; ) {
    if (blocks.length >= MAX_SEGMENTS)
      throw new LimitExceededError(
        'MAX_SEGMENTS',
        said('err.fmt.moreFLACMetadataBlocks', 'more than {MAX_SEGMENTS} FLAC metadata blocks', { MAX_SEGMENTS }),
      );
    const h = await src.read(pos, 4);
    last = (h[0]! & 0x80) !== 0;
    const type = h[0]! & 0x7f;
    const size = (h[1]! << 16) | (h[2]! << 8) | h[3]!;
    if (type === 127)
      throw new MalformedInputError(FORMAT, said('err.fmt.invalidMetadataBlockType', 'invalid metadata block type 127'), pos);
    if (blocks.length === 0 && (type !== FLAC_BLOCK.streaminfo || size !== 34))
      throw new MalformedInputError(FORMAT, said('err.fmt.firstMetadataBlockNot', 'first metadata block is not a 34-byte STREAMINFO'), pos);
    if (size > src.size - pos - 4)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.metadataBlockBytesRuns', 'metadata block of {size} bytes runs past the end', { size }),
        pos,
      );
    blocks.push({ type, offset: pos, size });
    pos += 4 + size;
  }
  return { tags, streamOffset: end, blocks, audioOffset: pos };
}

function blockHeader(type: number, size: number, last: boolean): Uint8Array {
  if (size > MAX_BLOCK)
    throw new LimitExceededError(
      'MAX_METADATA_BYTES',
      said('err.fmt.flacMetadataBlockBytes', 'FLAC metadata block of {size} bytes does not fit 24 bits', { size }),
    );
  return Uint8Array.of((last ? 0x80 : 0) | type, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff);
}

/** The metadata blocks rewritten so that the Vorbis comment carries exactly `label` (or none). */
async function relabelBlocks(src: ByteSource, layout: FlacLayout, label: string | undefined): Promise<Part[]> {
  const items: ({ block: FlacBlock } | { type: number; data: Uint8Array })[] = [];
  let placed = false;
  for (const block of layout.blocks) {
    if (block.type !== FLAC_BLOCK.vorbisComment) {
      items.push({ block });
      continue;
    }
    const vc = parseVorbisComment(await src.read(block.offset + 4, block.size), block.offset + 4);
    items.push({ type: block.type, data: serializeVorbisComment(replaceComment(vc, AIGC_COMMENT_KEY, placed ? undefined : label)) });
    placed = true;
  }
  if (!placed && label !== undefined) {
    const vc = replaceComment({ vendor: new TextEncoder().encode(FLAC_VENDOR), comments: [] }, AIGC_COMMENT_KEY, label);
    items.splice(1, 0, { type: FLAC_BLOCK.vorbisComment, data: serializeVorbisComment(vc) });
  }
  const parts: Part[] = [{ copy: { offset: layout.streamOffset, length: 4 } }];
  items.forEach((item, i) => {
    const last = i === items.length - 1;
    if ('block' in item) {
      parts.push({ bytes: blockHeader(item.block.type, item.block.size, last) });
      parts.push({ copy: { offset: item.block.offset + 4, length: item.block.size } });
    } else {
      parts.push({ bytes: blockHeader(item.type, item.data.length, last) }, { bytes: item.data });
    }
  });
  return parts;
}

async function planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
  const layout = await readFlacLayout(src);
  const tag = await rebuildId3Tag(layout.tags, { manifestLength, labels, labelsInTag: false });
  const parts = [...tag.parts];
  if (labels?.gb45438 === undefined) {
    parts.push({ copy: { offset: layout.streamOffset, length: src.size - layout.streamOffset } });
  } else {
    parts.push(...(await relabelBlocks(src, layout, serializeGb45438(labels.gb45438))));
    if (src.size > layout.audioOffset) parts.push({ copy: { offset: layout.audioOffset, length: src.size - layout.audioOffset } });
  }
  return makeEmbedPlan({ parts, placeholderIndex: tag.placeholderIndex }, manifestLength, (store) => store);
}

/** FLAC: Vorbis comment `AIGC` label; manifest in a leading ID3v2 `GEOB` frame. */
export const flacHandler: FormatHandler = {
  id: 'flac',
  name: 'FLAC',
  mediaKind: 'audio',
  reencodable: false,
  mimeTypes: ['audio/flac', 'audio/x-flac'],
  extensions: ['flac'],
  hardBinding: 'data',
  sniff: sniffFlac,
  /** @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError} */
  async readManifest(src) {
    return readId3Manifest((await readFlacLayout(src)).tags);
  },
  planEmbed,
  async planRemove(src): Promise<RewritePlan> {
    return { parts: (await planEmbed(src, 0)).parts };
  },
  async readLabels(src): Promise<FoundLabel[]> {
    const layout = await readFlacLayout(src);
    const out: FoundLabel[] = [];
    for (const block of layout.blocks) {
      if (block.type !== FLAC_BLOCK.vorbisComment) continue;
      if (block.size > MAX_METADATA_BYTES)
        throw new LimitExceededError(
          'MAX_METADATA_BYTES',
          said('err.fmt.vorbisCommentBlockBytes', 'Vorbis comment block of {size} bytes', { size: block.size }),
        );
      const vc = parseVorbisComment(await src.read(block.offset + 4, block.size), block.offset + 4);
      for (const raw of commentValues(vc, AIGC_COMMENT_KEY)) out.push({ kind: 'gb45438', foundIn: FLAC_AIGC_CARRIER, raw });
    }
    out.push(...(await readId3Labels(layout.tags)));
    return out;
  },
};
