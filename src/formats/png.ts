/**
 * PNG handler. C2PA store: one `caBX` chunk right after IHDR; the data-hash exclusion is
 * the whole chunk (length, type, data, CRC). Implicit label: XMP in iTXt
 * `XML:com.adobe.xmp` (uncompressed; tEXt/zTXt XMP chunks are read too, and rewritten as iTXt). Labels are also read from text chunks keyed `AIGC`
 * (tEXt/zTXt/iTXt, bare JSON) and from an eXIf UserComment; those are removed/cleared when
 * a new label is written, so the file carries one label. CRCs of every chunk the handler
 * reads are verified: a mismatch is a MalformedInputError. See `formats/README.md`.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES } from '../binary/limits.ts';
import { MalformedInputError, MultipleManifestsError } from '../errors.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { blankUserComment, findUserComment, type UserComment } from './common/exif.ts';
import { checkManifestLength, makeEmbedPlan, PLACEHOLDER, spliceEdits, type Edit } from './common/splice.ts';
import { WindowReader } from './common/window-reader.ts';
import { decodeXmp, hasLabelContent, isLabelText, mergeXmp, stripXmp, xmpCarriers } from './common/xmp-packet.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';
import {
  AIGC_KEYWORD,
  decodeRawProfile,
  decodeTextChunk,
  itxtData,
  PNG_SIGNATURE,
  pngChunk,
  RAW_XMP_KEYWORD,
  readChunkData,
  walkPng,
  XMP_KEYWORD,
  type PngChunk,
  type PngLayout,
} from './png-chunks.ts';

async function open(src: ByteSource): Promise<{ r: WindowReader; layout: PngLayout }> {
  const r = new WindowReader(src, 'png');
  return { r, layout: await walkPng(r) };
}

/** XMP in any text chunk: iTXt as the XMP spec says, tEXt/zTXt as Midjourney and libvips write it. */
const isXmpChunk = (c: PngChunk): boolean => (c.type === 'iTXt' || c.type === 'tEXt' || c.type === 'zTXt') && c.keyword === XMP_KEYWORD;
const isAigcChunk = (c: PngChunk): boolean => c.type !== 'caBX' && c.type !== 'eXIf' && c.keyword === AIGC_KEYWORD;

async function readText(r: WindowReader, c: PngChunk): Promise<string> {
  return (await decodeTextChunk(c.type, await readChunkData(r, c, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES'))).text;
}

/** The eXIf UserComment when it holds a label; malformed EXIF counts as none. */
async function exifLabel(r: WindowReader, c: PngChunk): Promise<{ tiff: Uint8Array; uc: UserComment } | undefined> {
  const tiff = await readChunkData(r, c, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES');
  try {
    const uc = findUserComment(tiff);
    return uc && isLabelText(uc.text) ? { tiff, uc } : undefined;
  } catch (err) {
    if (err instanceof MalformedInputError && err.format === 'exif') return undefined;
    throw err;
  }
}

/** Edits that write `labels`; returns a new XMP chunk to insert next to the store, if any. */
const isRawXmpChunk = (c: PngChunk): boolean => (c.type === 'tEXt' || c.type === 'zTXt') && c.keyword === RAW_XMP_KEYWORD;

/** Edits that write `labels`; returns a new XMP chunk to insert next to the store, if any. */
async function labelEdits(r: WindowReader, layout: PngLayout, labels: ImplicitLabels, edits: Edit[]): Promise<Uint8Array | undefined> {
  const xmpChunks = layout.chunks.filter(isXmpChunk);
  const render = (xmp: string): Uint8Array => pngChunk('iTXt', itxtData(XMP_KEYWORD, xmp));
  for (const [i, c] of xmpChunks.entries()) {
    const old = await readText(r, c);
    const next = i === 0 ? mergeXmp(old, labels) : stripXmp(old, labels);
    if (next !== old || i === 0) edits.push({ start: c.start, end: c.end, insert: [{ bytes: render(next) }] });
  }
  // ImageMagick's hex XMP profile: replaced by the iTXt packet (its content kept when it is the only XMP).
  let base: string | undefined;
  for (const c of layout.chunks.filter(isRawXmpChunk)) {
    if (base === undefined && xmpChunks.length === 0) base = decodeXmp(decodeRawProfile(await readText(r, c)));
    edits.push({ start: c.start, end: c.end, insert: [] });
  }
  if (labels.gb45438 !== undefined) {
    for (const c of layout.chunks) {
      if (isAigcChunk(c)) edits.push({ start: c.start, end: c.end, insert: [] });
      if (c.type !== 'eXIf') continue;
      const found = await exifLabel(r, c);
      if (found) edits.push({ start: c.start, end: c.end, insert: [{ bytes: pngChunk('eXIf', blankUserComment(found.tiff, found.uc)) }] });
    }
  }
  return xmpChunks.length ? undefined : render(mergeXmp(base, labels));
}

async function plan(src: ByteSource, manifestLength: number, labels: ImplicitLabels | undefined): Promise<EmbedPlan> {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
  const { r, layout } = await open(src);
  const edits: Edit[] = [];
  for (const c of layout.chunks) if (c.type === 'caBX') edits.push({ start: c.start, end: c.end, insert: [] });
  const extra = hasLabelContent(labels) ? await labelEdits(r, layout, labels, edits) : undefined;
  const insert: Edit['insert'][number][] = [];
  if (manifestLength > 0) insert.push(PLACEHOLDER);
  if (extra) insert.push({ bytes: extra });
  if (insert.length) edits.push({ start: layout.ihdrEnd, end: layout.ihdrEnd, insert });
  const spliced = spliceEdits(layout.size, edits, manifestLength > 0 ? manifestLength + 12 : 0);
  return makeEmbedPlan(spliced, manifestLength, (store) => pngChunk('caBX', store));
}

/** The PNG container handler. */
export const pngHandler: FormatHandler = {
  id: 'png',
  name: 'PNG',
  mediaKind: 'image',
  reencodable: true,
  mimeTypes: ['image/png'],
  extensions: ['png'],
  hardBinding: 'data',

  sniff(head: Uint8Array): boolean {
    return head.length >= 8 && PNG_SIGNATURE.every((b, i) => head[i] === b);
  },

  /**
   * The `caBX` chunk's data (CRC checked).
   * @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError}
   */
  async readManifest(src: ByteSource): Promise<Uint8Array | undefined> {
    const { r, layout } = await open(src);
    const stores = layout.chunks.filter((c) => c.type === 'caBX');
    if (stores.length > 1) throw new MultipleManifestsError();
    if (!stores.length) return undefined;
    return new Uint8Array(await readChunkData(r, stores[0]!, MAX_MANIFEST_BYTES, 'MAX_MANIFEST_BYTES'));
  },

  /**
   * @throws {MalformedInputError} {@link LimitExceededError}
   * @throws {InvalidArgumentError} for a bad `manifestLength`
   */
  async planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
    return plan(src, manifestLength, labels);
  },

  /** @throws {MalformedInputError} {@link LimitExceededError} */
  async planRemove(src: ByteSource): Promise<RewritePlan> {
    return { parts: (await plan(src, 0, undefined)).parts };
  },

  /**
   * Carriers: `PNG iTXt XMP` (also `PNG tEXt XMP`, `PNG zTXt XMP`, ImageMagick's `PNG zTXt Raw profile XMP`), `PNG tEXt AIGC`, `PNG zTXt AIGC`, `PNG iTXt AIGC`, `PNG eXIf UserComment`, and `IPTC DigitalSourceType (PNG iTXt XMP)`.
   * @throws {MalformedInputError} (also on a CRC mismatch) {@link LimitExceededError}
   */
  async readLabels(src: ByteSource): Promise<FoundLabel[]> {
    const { r, layout } = await open(src);
    const found: FoundLabel[] = [];
    for (const c of layout.chunks) {
      if (isXmpChunk(c)) {
        found.push(...xmpCarriers(`PNG ${c.type} XMP`, await readText(r, c)));
      } else if (isRawXmpChunk(c)) {
        found.push(...xmpCarriers(`PNG ${c.type} Raw profile XMP`, decodeXmp(decodeRawProfile(await readText(r, c)))));
      } else if (isAigcChunk(c)) {
        found.push({ kind: 'gb45438', foundIn: `PNG ${c.type} AIGC`, raw: (await readText(r, c)).trim() });
      } else if (c.type === 'eXIf') {
        const e = await exifLabel(r, c);
        if (e) found.push({ kind: 'gb45438', foundIn: 'PNG eXIf UserComment', raw: e.uc.text });
      }
    }
    return found;
  },
};
