/**
 * Visible label on images (GB 45438-2025 §5.2): a plate with the label text at an edge or corner,
 * glyph ink ≥ 5 % of the shortest side (default 6 %), colours chosen from the local luminance so
 * text and plate keep a contrast ratio ≥ 4.5:1. The image keeps its format, dimensions, colour
 * space, EXIF orientation (the label is drawn upright in the displayed orientation) and metadata;
 * JPEG quality is estimated from the quantisation tables and reused.
 */
import { readFile, writeFile } from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { BufferSource, type ByteSource } from '../../binary/byte-source.ts';
import { MAX_IMAGE_PIXELS, MAX_SEGMENTS } from '../../binary/limits.ts';
import {
  InvalidArgumentError,
  IoError,
  LimitExceededError,
  MalformedInputError,
  type ToolkitError,
  UnsupportedFormatError,
  said,
} from '../../errors.ts';
import { chooseLabelColors, meanLuminance, type LabelColors } from './contrast.ts';
import { compositeOver, regionLuminance, type RawImage } from './raw-composite.ts';
import { copyJpegMetadata, copyPngDensity } from './metadata-splice.ts';
import { estimateJpegQuality, readQuantTables } from './jpeg-quality.ts';
import { measureLabel, rasterizeLabel, type Box } from './label-raster.ts';
import { assertLabelFits, inkHeightFor, validateMargin, validateScale } from './options.ts';
import { assertInputFile, writeViaTemp } from './output-file.ts';
import { displayBoxToStored, displaySize, orientLabel, placeLabel, validatePosition, type LabelPosition } from './placement.ts';
import { validateLabelText } from './text.ts';
import { fixWebpExifHeader, keepInputMetadata } from './metadata-keep.ts';
import { renderGifLabel } from './gif-overlay.ts';
import { jpegHeaderMeta } from './jpeg-header.ts';
import { sharpError } from '../../media/sharp-error.ts';

/** What this module reads of an image's metadata (sharp's, or `jpeg-header.ts`'s for a common JPEG). */
type ImageMeta = Pick<
  Metadata,
  | 'format'
  | 'width'
  | 'height'
  | 'orientation'
  | 'space'
  | 'channels'
  | 'depth'
  | 'chromaSubsampling'
  | 'isProgressive'
  | 'isPalette'
  | 'pages'
  | 'hasAlpha'
  | 'exif'
  | 'icc'
  | 'iptc'
  | 'xmp'
>;

/** Options of {@link renderImageLabel}. */
export interface ImageLabelOptions {
  /** Label text; must contain "AI"/"人工智能" and "生成"/"合成". Default "AI生成". */
  readonly text?: string;
  /** Edge or corner. Default `bottom-right`. */
  readonly position?: LabelPosition;
  /** Glyph ink height relative to the shortest side: 0.05–0.5, default 0.06. */
  readonly scale?: number;
  /** Distance from the image edges in pixels. Default 2.5 % of the shortest side. */
  readonly margin?: number;
}

/** What was drawn, for the manifest's GB 45438 assertion. */
export interface ImageLabelInfo {
  readonly kind: 'image-overlay';
  readonly text: string;
  readonly position: LabelPosition;
  /** Glyph ink height / shortest side, as drawn. */
  readonly relativeHeight: number;
  /** The plate, in displayed-image pixels. */
  readonly box: Box;
  /** The glyph ink, in displayed-image pixels. */
  readonly textBox: Box;
  readonly format: 'jpeg' | 'png' | 'webp' | 'gif';
  /** GIF only: the frames labelled (1 for a still GIF). */
  readonly frames?: number;
  /** Worst-case text/plate contrast ratio (WCAG). */
  readonly contrastRatio: number;
  readonly scheme: 'dark-plate' | 'light-plate';
}

/** Result of {@link renderImageLabel}. */
export interface ImageLabelResult {
  readonly bytes: Uint8Array;
  readonly info: ImageLabelInfo;
}

const SUPPORTED = ['jpeg', 'png', 'webp'] as const;
type Supported = (typeof SUPPORTED)[number];
/** Re-encode quality when the input's cannot be estimated. */
export const FALLBACK_QUALITY = 92;

const wrapSharp = (err: unknown, what: string): ToolkitError => sharpError(err, what, 'err.lbl.notJPEGPNGWebP');

/** Whether a WebP uses lossless (VP8L) coding: walks the RIFF chunks. */
async function webpIsLossless(src: ByteSource): Promise<boolean> {
  let off = 12;
  for (let n = 0; n < MAX_SEGMENTS && off + 8 <= src.size; n++) {
    const h = await src.read(off, 8);
    const id = String.fromCharCode(h[0], h[1], h[2], h[3]);
    if (id === 'VP8L') return true;
    if (id === 'VP8 ') return false;
    off += 8 + (((h[4] | (h[5] << 8) | (h[6] << 16)) + h[7] * 0x1000000 + 1) & ~1);
  }
  return false;
}

function encodeLike(pipe: Sharp, meta: ImageMeta, format: Supported, quality: number, lossless: boolean): Sharp {
  if (!meta.hasAlpha) pipe = pipe.removeAlpha(); // compositing the RGBA label must not add an alpha channel
  if (meta.depth === 'ushort' && format === 'png') pipe = pipe.toColourspace(meta.channels >= 3 ? 'rgb16' : 'grey16');
  else if (meta.space === 'b-w' || meta.space === 'grey16') pipe = pipe.toColourspace('b-w');
  else if (meta.space === 'cmyk' && format === 'jpeg') pipe = pipe.toColourspace('cmyk');
  switch (format) {
    case 'jpeg':
      return pipe.jpeg({
        quality,
        progressive: meta.isProgressive,
        chromaSubsampling: meta.chromaSubsampling === '4:4:4' ? '4:4:4' : '4:2:0',
      });
    case 'png':
      return pipe.png({
        progressive: meta.isProgressive,
        compressionLevel: 6,
        palette: meta.isPalette,
        ...(meta.isPalette ? { quality: 100, colours: 256 } : {}),
      });
    case 'webp':
      return pipe.webp(lossless ? { lossless: true } : { quality, alphaQuality: 100, smartSubsample: true });
  }
}

/**
 * Draw the explicit label on an image held in memory and re-encode it in its own format.
 * @throws {InvalidArgumentError} for bad options, text without the required elements, unsupported
 *   characters, an image whose shortest side is under 64 px, or a label that does not fit.
 * @throws {UnsupportedFormatError} for formats other than JPEG/PNG/WebP/GIF and animated WebP. A GIF,
 *   still or animated, is labelled on every frame (`gif-overlay.ts`).
 * @throws {LimitExceededError} above {@link MAX_IMAGE_PIXELS} pixels.
 * @throws {MalformedInputError} when the image cannot be decoded.
 */
export async function renderImageLabel(input: Uint8Array, options: ImageLabelOptions = {}): Promise<ImageLabelResult> {
  if (!(input instanceof Uint8Array)) throw InvalidArgumentError.expected('a Uint8Array', 'input', input);
  const text = validateLabelText(options.text);
  const position = validatePosition(options.position);
  const scale = validateScale(options.scale);
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const open = () => sharp(buf, { failOn: 'warning', limitInputPixels: MAX_IMAGE_PIXELS });

  const readMeta = async (): Promise<Metadata> => {
    try {
      return await open().metadata();
    } catch (err) {
      throw wrapSharp(err, 'cannot read image');
    }
  };
  // A common JPEG labelled from one decode in memory: its header is read here from the bytes
  // already in memory, one sharp call fewer per file. Other images (and the two-pass path,
  // which carries metadata over by sharp's description of it) ask sharp.
  const header = jpegHeaderMeta(input);
  let full = header && decodedPathFits(header, 'jpeg') ? undefined : await readMeta();
  const meta: ImageMeta = full ?? header!;
  const format = meta.format as string;
  if (format === 'gif') return renderGifLabel(input, options);
  if (!(SUPPORTED as readonly string[]).includes(format))
    throw new UnsupportedFormatError(
      said('err.lbl.explicitImageLabelsSupport', 'explicit image labels support JPEG, PNG, WebP and GIF, not {format}', { format }),
    );
  if ((meta.pages ?? 1) > 1)
    throw new UnsupportedFormatError(
      said('err.lbl.animatedImagesFramesAre', 'animated {format} images ({pages} frames) are not supported', {
        format,
        pages: String(meta.pages),
      }),
    );
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) {
    throw new LimitExceededError(
      'MAX_IMAGE_PIXELS',
      said('err.lbl.imageXHasMore', 'image of {width}x{height} has more than {MAX_IMAGE_PIXELS} pixels', {
        width: meta.width,
        height: meta.height,
        MAX_IMAGE_PIXELS,
      }),
    );
  }
  const orientation = meta.orientation ?? 1;
  const { width: dw, height: dh } = displaySize(meta.width, meta.height, orientation);
  assertLabelFits(dw, dh);
  const minSide = Math.min(dw, dh);
  const margin = validateMargin(options.margin, minSide);
  const inkPx = inkHeightFor(minSide, scale);
  const geo = measureLabel(text, inkPx);
  const box = placeLabel(dw, dh, geo.width, geo.height, position, margin);
  const stored = displayBoxToStored(box, meta.width, meta.height, orientation);

  const src = new BufferSource(input);
  let quality = FALLBACK_QUALITY;
  let lossless = false;
  if (format === 'jpeg') {
    const est = estimateJpegQuality(await readQuantTables(src).catch(() => new Map()));
    if (est && est.error <= 4) quality = Math.min(100, Math.max(50, est.quality));
  } else if (format === 'webp') lossless = await webpIsLossless(src);

  const label = { text, inkPx, box, orientation };
  const { bytes, colors } = decodedPathFits(meta, format as Supported)
    ? await labelDecoded(input, open, meta, format as Supported, quality, lossless, label)
    : await labelTwoPass(open, (full ??= await readMeta()), format as Supported, quality, lossless, label, stored);
  const textBox = { x: box.x + geo.textBox.x, y: box.y + geo.textBox.y, w: geo.textBox.w, h: geo.textBox.h };
  return {
    bytes: format === 'webp' ? fixWebpExifHeader(bytes) : bytes,
    info: {
      kind: 'image-overlay',
      text,
      position,
      relativeHeight: inkPx / minSide,
      box,
      textBox,
      format: format as Supported,
      contrastRatio: colors.worstContrast,
      scheme: colors.scheme,
    },
  };
}

interface LabelSpec {
  readonly text: string;
  readonly inkPx: number;
  readonly box: Box;
  readonly orientation: number;
}
type Labelled = { bytes: Uint8Array; colors: LabelColors };

/**
 * Largest image labelled from one decode held in memory (4 bytes a pixel at most: 160 MB);
 * larger ones take the libvips path, which streams the pixels in strips.
 */
export const DECODED_LABEL_MAX_PIXELS = 40_000_000;

/**
 * Whether the image can be labelled from one decode into memory: 8-bit sRGB(A) pixels, at most
 * {@link DECODED_LABEL_MAX_PIXELS}, and metadata this module can carry over itself (any for
 * JPEG, none but density for PNG/WebP).
 */
function decodedPathFits(meta: ImageMeta, format: Supported): boolean {
  if (meta.depth !== 'uchar' || meta.space !== 'srgb' || (meta.channels !== 3 && meta.channels !== 4)) return false;
  if (meta.width * meta.height > DECODED_LABEL_MAX_PIXELS) return false;
  return format === 'jpeg' || (!meta.exif && !meta.icc && !meta.xmp && !meta.iptc);
}

/**
 * One decode, one encode: decode to pixels (in the image's own colour space: the ICC profile
 * is kept, not applied), measure the background under the label on them, blend the label in,
 * encode, and copy the input's metadata into the new container.
 * @throws {MalformedInputError} {@link LimitExceededError} from decoding or encoding.
 */
async function labelDecoded(
  input: Uint8Array,
  open: () => Sharp,
  meta: ImageMeta,
  format: Supported,
  quality: number,
  lossless: boolean,
  l: LabelSpec,
): Promise<Labelled> {
  let img: RawImage;
  try {
    const { data, info } = await open().keepIccProfile().raw().toBuffer({ resolveWithObject: true });
    if (info.width !== meta.width || info.height !== meta.height || (info.channels !== 3 && info.channels !== 4)) {
      throw new MalformedInputError(
        'image',
        said('err.lbl.decodedXXExpected', 'decoded {width}x{height}x{channels}, expected {v4}x{v5}x{v6}', {
          width: info.width,
          height: info.height,
          channels: info.channels,
          v4: meta.width,
          v5: meta.height,
          v6: meta.channels,
        }),
      );
    }
    img = { data, width: info.width, height: info.height, channels: info.channels };
  } catch (err) {
    throw wrapSharp(err, 'cannot decode image');
  }
  const stored = displayBoxToStored(l.box, meta.width, meta.height, l.orientation);
  const colors = chooseLabelColors(regionLuminance(img, stored));
  const raster = await rasterizeLabel(l.text, l.inkPx, colors);
  const oriented = orientLabel(raster.rgba, l.box, meta.width, meta.height, l.orientation);
  compositeOver(img, oriented.rgba, oriented.box);
  let out: Buffer;
  try {
    const pixels = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
    out = await encodeLike(pixels, meta, format, quality, lossless).toBuffer();
  } catch (err) {
    throw wrapSharp(err, 'cannot label image');
  }
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  if (format === 'jpeg') return { bytes: copyJpegMetadata(input, bytes), colors };
  return { bytes: format === 'png' ? copyPngDensity(input, bytes) : bytes, colors };
}

/**
 * Other images (16-bit, grey, CMYK, PNG/WebP with EXIF, ICC or XMP): sample the background on a
 * reduced decode (shrink on load), then composite and encode in libvips, which keeps the metadata.
 * @throws {MalformedInputError} {@link LimitExceededError} from decoding or encoding.
 */
async function labelTwoPass(
  open: () => Sharp,
  meta: Metadata,
  format: Supported,
  quality: number,
  lossless: boolean,
  l: LabelSpec,
  stored: Box,
): Promise<Labelled> {
  const f = Math.max(1, Math.floor(Math.min(meta.width, meta.height) / 256));
  const sw = Math.max(1, Math.round(meta.width / f)),
    sh = Math.max(1, Math.round(meta.height / f));
  const rx = Math.min(sw - 1, Math.floor(stored.x / f)),
    ry = Math.min(sh - 1, Math.floor(stored.y / f));
  const region = {
    left: rx,
    top: ry,
    width: Math.max(1, Math.min(sw, Math.ceil((stored.x + stored.w) / f)) - rx),
    height: Math.max(1, Math.min(sh, Math.ceil((stored.y + stored.h) / f)) - ry),
  };
  let under: { data: Buffer; info: OutputInfo };
  try {
    under = await open().resize(sw, sh, { fit: 'fill' }).extract(region).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw wrapSharp(err, 'cannot decode image');
  }
  const colors = chooseLabelColors(meanLuminance(under.data, under.info.channels));
  const raster = await rasterizeLabel(l.text, l.inkPx, colors);
  const oriented = orientLabel(raster.rgba, l.box, meta.width, meta.height, l.orientation);
  let out: Buffer;
  try {
    const pipe = keepInputMetadata(
      open().composite([
        {
          input: oriented.rgba,
          raw: { width: oriented.box.w, height: oriented.box.h, channels: 4 },
          left: oriented.box.x,
          top: oriented.box.y,
        },
      ]),
      meta,
    );
    out = await encodeLike(pipe, meta, format, quality, lossless).toBuffer();
  } catch (err) {
    throw wrapSharp(err, 'cannot label image');
  }
  return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), colors };
}

/**
 * Label the image file `input` into `output` (written to a temporary file, then renamed).
 * @throws {IoError} when the input cannot be read or the output written.
 * @throws {InvalidArgumentError} when `output` is the input, and see {@link renderImageLabel}.
 */
export async function renderImageLabelFile(input: string, output: string, options: ImageLabelOptions = {}): Promise<ImageLabelInfo> {
  await assertInputFile(input);
  let data: Buffer;
  try {
    data = await readFile(input);
  } catch (err) {
    throw new IoError(said('err.lbl.cannotRead', 'cannot read {input}', { input }), input, { cause: err });
  }
  return writeViaTemp(input, output, async (tmp) => {
    const { bytes, info } = await renderImageLabel(data, options);
    try {
      await writeFile(tmp, bytes);
    } catch (err) {
      throw new IoError(said('err.lbl.cannotWrite', 'cannot write {output}', { output }), output, { cause: err });
    }
    return info;
  });
}
