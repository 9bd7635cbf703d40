/**
 * GIF handler (still and animated, 87a/89a). The C2PA manifest store travels in an
 * application extension `C2PA_GIF` (authentication code `01 00 00`) right after the global
 * colour table, as c2pa-rs writes it; the GB 45438 label and the IPTC digital source type in
 * the XMP packet of an application extension `XMP Data` (raw packet + magic trailer, where
 * exiftool and Adobe tools read it), placed after the store. Inserting an extension into an
 * 87a file makes it 89a (87a has no extensions), as c2pa-rs does.
 *
 * Exclusion = the whole `C2PA_GIF` block (introducer to terminator). Image data is copied,
 * never read. Blocks are walked in `gif-blocks.ts`.
 */
import type { ByteSource } from '../binary/byte-source.ts';
import { MAX_MANIFEST_BYTES, MAX_METADATA_BYTES } from '../binary/limits.ts';
import { LimitExceededError, MalformedInputError, MultipleManifestsError, said } from '../errors.ts';
import type { ImplicitLabels } from '../labels/implicit/types.ts';
import { writeXmpLabels } from '../labels/implicit/xmp.ts';
import {
  APP_HEADER_BYTES,
  appBlocks,
  appExtension,
  C2PA_APP_ID,
  c2paBlockBytes,
  type GifBlock,
  type GifFile,
  joinSubBlocks,
  readGif,
  sniffGif,
  XMP_APP_ID,
  xmpExtension,
  xmpPacketOf,
} from './gif-blocks.ts';
import { checkManifestLength, type Edit, makeEmbedPlan, PLACEHOLDER, spliceEdits } from './common/splice.ts';
import { decodeXmp, encodeXmp, hasLabelContent, xmpCarriers } from './common/xmp-packet.ts';
import type { EmbedPlan, FormatHandler, FoundLabel, RewritePlan } from './types.ts';

const FORMAT = 'gif';
/** Carrier name reported by {@link gifHandler.readLabels}. */
export const GIF_XMP_CARRIER = 'GIF XMP Data application extension';

async function blockBody(src: ByteSource, b: GifBlock, max: number, limit: string): Promise<Uint8Array> {
  const length = b.end - b.offset - APP_HEADER_BYTES;
  if (length > max + Math.ceil(max / 255) + 258)
    throw new LimitExceededError(
      limit,
      said('err.fmt.gifApplicationExtensionBytes', 'GIF application extension of {v1} bytes is larger than {max}', { v1: length, max }),
    );
  return (await src.read(b.offset + APP_HEADER_BYTES, length)).slice();
}

async function xmpText(src: ByteSource, b: GifBlock): Promise<string> {
  return decodeXmp(xmpPacketOf(await blockBody(src, b, MAX_METADATA_BYTES, 'MAX_METADATA_BYTES'), b.offset + APP_HEADER_BYTES)).replace(
    /\0+$/,
    '',
  );
}

/**
 * The C2PA blocks of `file`: c2pa-rs reads the store only before the first image, as the C2PA
 * specification places it; one after an image is an error rather than silently ignored.
 * @throws {MalformedInputError} for a `C2PA_GIF` block after the first image.
 */
function c2paBlocks(file: GifFile): GifBlock[] {
  const found = appBlocks(file, C2PA_APP_ID);
  const firstImage = file.blocks.find((b) => b.kind === 'image');
  const late = firstImage ? found.find((b) => b.offset > firstImage.offset) : undefined;
  if (late)
    throw new MalformedInputError(
      FORMAT,
      said(
        'err.fmt.c2paGIFApplicationExtension',
        'C2PA_GIF application extension after the first image (the store must precede the image data)',
      ),
      late.offset,
    );
  return found;
}

async function planEmbed(src: ByteSource, manifestLength: number, labels?: ImplicitLabels): Promise<EmbedPlan> {
  checkManifestLength(manifestLength, MAX_MANIFEST_BYTES);
  const file = await readGif(src);
  const edits: Edit[] = [];
  for (const b of c2paBlocks(file)) edits.push({ start: b.offset, end: b.end, insert: [] });
  const insert: Edit['insert'][number][] = [];
  if (manifestLength > 0) insert.push(PLACEHOLDER);
  if (hasLabelContent(labels)) {
    const old = appBlocks(file, XMP_APP_ID);
    const existing = old.length ? await xmpText(src, old[0]!) : undefined;
    for (const b of old) edits.push({ start: b.offset, end: b.end, insert: [] });
    insert.push({ bytes: xmpExtension(encodeXmp(writeXmpLabels(existing, labels))) });
  }
  if (insert.length) {
    edits.push({ start: file.preambleEnd, end: file.preambleEnd, insert });
    if (file.version === '87a') edits.push({ start: 4, end: 5, insert: [{ bytes: new Uint8Array([0x39]) }] });
  }
  const spliced = spliceEdits(src.size, edits, manifestLength > 0 ? c2paBlockBytes(manifestLength) : 0);
  return makeEmbedPlan(spliced, manifestLength, (store) => appExtension(C2PA_APP_ID, store));
}

/** GIF: `C2PA_GIF` and `XMP Data` application extensions. */
export const gifHandler: FormatHandler = {
  id: 'gif',
  name: 'GIF',
  mediaKind: 'image',
  reencodable: true,
  mimeTypes: ['image/gif'],
  extensions: ['gif'],
  hardBinding: 'data',
  sniff: sniffGif,
  /** @throws {MalformedInputError} {@link LimitExceededError} {@link MultipleManifestsError} */
  async readManifest(src) {
    const found = c2paBlocks(await readGif(src));
    if (found.length > 1)
      throw new MultipleManifestsError(
        said('err.fmt.c2paGIFApplicationExtensions', '{v1} C2PA_GIF application extensions in one GIF file', { v1: found.length }),
      );
    if (!found.length) return undefined;
    const b = found[0]!;
    return joinSubBlocks(await blockBody(src, b, MAX_MANIFEST_BYTES, 'MAX_MANIFEST_BYTES'), b.offset + APP_HEADER_BYTES);
  },
  planEmbed,
  async planRemove(src): Promise<RewritePlan> {
    return { parts: (await planEmbed(src, 0)).parts };
  },
  async readLabels(src): Promise<FoundLabel[]> {
    const out: FoundLabel[] = [];
    for (const b of appBlocks(await readGif(src), XMP_APP_ID)) out.push(...xmpCarriers(GIF_XMP_CARRIER, await xmpText(src, b)));
    return out;
  },
};
