/**
 * WebP handler. The C2PA manifest store travels in a RIFF chunk `C2PA`, always the
 * last chunk (as c2pa-rs writes it); the GB 45438 label and IPTC digital source type
 * travel in the XMP packet of an `XMP ` chunk, with the VP8X XMP flag set. A simple
 * (VP8/VP8L-only) file is converted to the extended format when an XMP chunk is added.
 *
 * Spec: Google "WebP Container Specification" (RIFF, VP8X flags, chunk order);
 * C2PA 2.2 §A.3 (RIFF embedding). Exclusion = the `C2PA` chunk header + data.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES } from '../binary/limits.ts';
import { MalformedInputError, MultipleManifestsError, said } from '../errors.ts';
import { writeXmpLabels } from '../labels/implicit/xmp.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import {
  buildRiff,
  c2paChunkCarrier,
  chunksWithId,
  RIFF_C2PA_CHUNK_ID,
  readChunkData,
  readRiff,
  sniffRiff,
  type RiffChunk,
  type RiffFile,
  type RiffItem,
} from './common/riff.ts';
import { readRiffManifest } from './common/riff-c2pa.ts';
import { checkManifestLength, makeEmbedPlan } from './common/splice.ts';
import { decodeXmp, hasLabelContent, xmpCarriers } from './common/xmp-packet.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';

const FORMAT = 'webp';
/** Carrier name reported by {@link webpHandler.readLabels}. */
export const WEBP_XMP_CARRIER = 'XMP chunk';

/** VP8X flag bits (container spec: `Rsv|I|L|E|X|A|R`). */
export const VP8X_FLAGS = { icc: 0x20, alpha: 0x10, exif: 0x08, xmp: 0x04, animation: 0x02 } as const;

/** Chunks that precede XMP in an extended file, in spec order. */
const BEFORE_XMP = new Set(['VP8X', 'ICCP', 'ANIM', 'ANMF', 'ALPH', 'VP8 ', 'VP8L', 'EXIF']);

async function parse(src: ByteSource): Promise<RiffFile> {
  const file = await readRiff(src, FORMAT, 'WEBP');
  if (file.form !== 'RIFF')
    throw new MalformedInputError(FORMAT, said('err.fmt.webpMustUseRIFF', 'WebP must use a RIFF (not RF64) header'), 0);
  const first = file.chunks[0];
  if (!first || !['VP8 ', 'VP8L', 'VP8X'].includes(first.id)) {
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.firstChunkMustBe', 'first chunk must be VP8, VP8L or VP8X, found {v1}', {
        v1: first ? JSON.stringify(first.id) : 'none',
      }),
      12,
    );
  }
  return file;
}

/** Canvas size and alpha of a simple-format image, from its VP8/VP8L bitstream header. */
export interface BitstreamInfo {
  readonly width: number;
  readonly height: number;
  readonly alpha: boolean;
}

/**
 * Read the canvas size (and for VP8L the alpha hint) from a `VP8 ` or `VP8L` chunk.
 * @throws {MalformedInputError} when the bitstream header is not a valid key frame / VP8L header.
 */
export async function readBitstreamInfo(src: ByteSource, chunk: RiffChunk): Promise<BitstreamInfo> {
  if (chunk.id === 'VP8 ') {
    if (chunk.size < 10)
      throw new MalformedInputError(FORMAT, said('err.fmt.vp8ChunkTooShort', 'VP8 chunk too short for a frame header'), chunk.dataOffset);
    const d = await src.read(chunk.dataOffset, 10);
    if ((d[0]! & 1) !== 0)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.vp8BitstreamDoesNot', 'VP8 bitstream does not start with a key frame'),
        chunk.dataOffset,
      );
    if (d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a)
      throw new MalformedInputError(FORMAT, said('err.fmt.vp8StartCodeD', 'VP8 start code 9d 01 2a missing'), chunk.dataOffset + 3);
    return { width: (d[6]! | (d[7]! << 8)) & 0x3fff, height: (d[8]! | (d[9]! << 8)) & 0x3fff, alpha: false };
  }
  if (chunk.size < 5)
    throw new MalformedInputError(FORMAT, said('err.fmt.vp8lChunkTooShort', 'VP8L chunk too short for a header'), chunk.dataOffset);
  const d = await src.read(chunk.dataOffset, 5);
  if (d[0] !== 0x2f)
    throw new MalformedInputError(FORMAT, said('err.fmt.vp8lSignatureX2fMissing', 'VP8L signature 0x2f missing'), chunk.dataOffset);
  const bits = (d[1]! | (d[2]! << 8) | (d[3]! << 16) | (d[4]! << 24)) >>> 0;
  if (bits >>> 29 !== 0)
    throw new MalformedInputError(
      FORMAT,
      said('err.fmt.unknownVP8LVersion', 'unknown VP8L version {v1}', { v1: bits >>> 29 }),
      chunk.dataOffset + 4,
    );
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1 };
}

/** The 10-byte VP8X payload for a canvas and flag byte. */
export function vp8xPayload(flags: number, width: number, height: number): Uint8Array {
  const p = new Uint8Array(10);
  p[0] = flags;
  for (let i = 0; i < 3; i++) {
    p[4 + i] = ((width - 1) >>> (8 * i)) & 0xff;
    p[7 + i] = ((height - 1) >>> (8 * i)) & 0xff;
  }
  return p;
}

async function readXmpText(src: ByteSource, chunk: RiffChunk): Promise<string> {
  return decodeXmp(await readChunkData(src, chunk, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES')).replace(/\0+$/, '');
}

/** Chunk list for an output carrying `labels` in XMP (simple files become VP8X). */
async function labelledItems(src: ByteSource, file: RiffFile, labels: ImplicitLabels): Promise<RiffItem[]> {
  const xmpChunks = chunksWithId(file, 'XMP ');
  const existing = xmpChunks.length ? await readXmpText(src, xmpChunks[0]!) : undefined;
  const xmp = new TextEncoder().encode(writeXmpLabels(existing, labels));
  const kept = file.chunks.filter((c) => c.id !== RIFF_C2PA_CHUNK_ID && c.id !== 'XMP ');
  const items: RiffItem[] = [];
  const first = kept[0]!;
  if (first.id === 'VP8X') {
    if (first.size < 10)
      throw new MalformedInputError(
        FORMAT,
        said('err.fmt.vp8xChunkBytesToo', 'VP8X chunk of {size} bytes is too short', { size: first.size }),
        first.offset,
      );
    const payload = (await src.read(first.dataOffset, first.size)).slice();
    payload[0] = payload[0]! | VP8X_FLAGS.xmp;
    items.push({ id: 'VP8X', data: payload });
  } else {
    const info = await readBitstreamInfo(src, first);
    items.push({ id: 'VP8X', data: vp8xPayload(VP8X_FLAGS.xmp | (info.alpha ? VP8X_FLAGS.alpha : 0), info.width, info.height) });
    items.push({ chunk: first });
  }
  const rest = kept.slice(1);
  let at = 0;
  rest.forEach((c, i) => {
    if (BEFORE_XMP.has(c.id)) at = i + 1;
  });
  for (const c of rest.slice(0, at)) items.push({ chunk: c });
  items.push({ id: 'XMP ', data: xmp });
  for (const c of rest.slice(at)) items.push({ chunk: c });
  return items;
}

async function planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
  const file = await parse(src);
  const items: RiffItem[] = hasLabelContent(labels)
    ? await labelledItems(src, file, labels)
    : file.chunks.filter((c) => c.id !== RIFF_C2PA_CHUNK_ID).map((chunk) => ({ chunk }));
  if (manifestLength > 0) items.push({ id: RIFF_C2PA_CHUNK_ID, data: new Uint8Array(manifestLength) });
  const layout = buildRiff(file, items);
  const placeholderIndex = manifestLength > 0 ? layout.placements[items.length - 1]!.partIndex : -1;
  return makeEmbedPlan({ parts: layout.parts, placeholderIndex }, manifestLength, c2paChunkCarrier);
}

/** WebP: `C2PA` chunk (last) and XMP `XMP ` chunk. */
export const webpHandler: FormatHandler = {
  id: 'webp',
  name: 'WebP',
  mediaKind: 'image',
  reencodable: true,
  mimeTypes: ['image/webp'],
  extensions: ['webp'],
  hardBinding: 'data',
  sniff: (head) => sniffRiff(head, 'WEBP'),
  /** @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError} */
  async readManifest(src) {
    return readRiffManifest(src, await parse(src), 'WebP');
  },
  planEmbed,
  async planRemove(src): Promise<RewritePlan> {
    return { parts: (await planEmbed(src, 0)).parts };
  },
  async readLabels(src): Promise<FoundLabel[]> {
    const out: FoundLabel[] = [];
    for (const c of chunksWithId(await parse(src), 'XMP ')) out.push(...xmpCarriers(WEBP_XMP_CARRIER, await readXmpText(src, c)));
    return out;
  },
};
