/**
 * The image watermark on encoded JPEG, PNG and WebP (sharp decodes and encodes). Pixels are
 * marked in display orientation (EXIF orientation applied), as platforms bake it in too; the
 * output keeps the input's format. Metadata is not carried over: `stamp --watermark` writes
 * the labels and the manifest afterwards.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { BufferSource } from '../binary/byte-source.ts';
import { MAX_IMAGE_PIXELS } from '../binary/limits.ts';
import {
  InvalidArgumentError,
  LimitExceededError,
  MalformedInputError,
  type ToolkitError,
  UnsupportedFormatError,
  said,
} from '../errors.ts';
import { sharpError } from '../media/sharp-error.ts';
import { estimateJpegQuality, readQuantTables } from '../labels/explicit/jpeg-quality.ts';
import { DETECT_REDUCE_SIDE } from './image-constants.ts';
import { decideSoftBits, embedRaw, imageSoftBits, type RawEmbedOptions } from './image-core.ts';
import type { RawImage } from './image-grid.ts';
import { newWatermarkId } from './identifier.ts';
import { parseWatermarkId } from './framing.ts';
import type { WatermarkDetection } from './types.ts';

/** Image formats the watermark reads and writes. */
export const WATERMARK_IMAGE_FORMATS = ['jpeg', 'png', 'webp'] as const;
type ImageFormat = (typeof WATERMARK_IMAGE_FORMATS)[number];

/** Options of {@link embedImageWatermark}. */
export interface ImageEmbedOptions extends RawEmbedOptions {
  /** The identifier (16 hex digits); default a fresh random one. */
  id?: string;
  /** JPEG/WebP output quality (default: the input's estimated quality, at least 90). */
  quality?: number;
}

/** What {@link embedImageWatermark} returns. */
export interface ImageEmbedResult {
  bytes: Uint8Array;
  id: string;
  format: ImageFormat;
  width: number;
  height: number;
  /** PSNR the embedder chose (dB), and its predicted unattacked bit margins. */
  psnr: number;
  meanMargin: number;
  minMargin: number;
}

const wrap = (err: unknown, what: string): ToolkitError => sharpError(err, what, 'err.wm.notImage');

function open(input: Uint8Array): Sharp {
  if (!(input instanceof Uint8Array)) throw InvalidArgumentError.expected('a Uint8Array', 'input', input);
  return sharp(Buffer.from(input.buffer, input.byteOffset, input.byteLength), { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' });
}

async function toRaw(pipe: Sharp): Promise<RawImage> {
  const { data, info } = await pipe.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    channels: info.channels,
  };
}

async function outputQuality(input: Uint8Array, format: ImageFormat, asked?: number): Promise<number> {
  if (asked !== undefined) {
    if (!(Number.isInteger(asked) && asked >= 1 && asked <= 100)) throw InvalidArgumentError.expected('an integer 1–100', 'quality', asked);
    return asked;
  }
  if (format !== 'jpeg') return 90;
  const est = estimateJpegQuality(await readQuantTables(new BufferSource(input)).catch(() => new Map()));
  return Math.max(90, Math.min(100, est && est.error <= 4 ? est.quality : 90));
}

/**
 * Embed a 64-bit identifier invisibly in a JPEG, PNG or WebP image and re-encode it in its format.
 * @throws {InvalidArgumentError} for a malformed id or option, or an image under 64 px on a side.
 * @throws {UnsupportedFormatError} for other formats and animated images.
 * @throws {LimitExceededError} above {@link MAX_IMAGE_PIXELS} pixels.
 * @throws {MalformedInputError} when the image cannot be decoded.
 */
export async function embedImageWatermark(input: Uint8Array, options: ImageEmbedOptions = {}): Promise<ImageEmbedResult> {
  const id = options.id ?? newWatermarkId();
  parseWatermarkId(id);
  let meta: Metadata;
  try {
    meta = await open(input).metadata();
  } catch (err) {
    throw wrap(err, 'cannot read image');
  }
  const format = meta.format as ImageFormat;
  if (!(WATERMARK_IMAGE_FORMATS as readonly string[]).includes(format))
    throw new UnsupportedFormatError(
      said('err.wm.imageFormats', 'image watermarks support JPEG, PNG and WebP, not {format}', { format: String(meta.format) }),
    );
  if ((meta.pages ?? 1) > 1)
    throw new UnsupportedFormatError(said('err.wm.animated', 'animated {format} images are not supported', { format }));
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_IMAGE_PIXELS)
    throw new LimitExceededError(
      'MAX_IMAGE_PIXELS',
      said('err.wm.imageLarge', 'image of {width}x{height} is too large', { width: String(meta.width), height: String(meta.height) }),
    );
  const quality = await outputQuality(input, format, options.quality);
  let img: RawImage;
  try {
    img = await toRaw(open(input).rotate());
  } catch (err) {
    throw wrap(err, 'cannot decode image');
  }
  const r = embedRaw(img, id, options);
  let out: Buffer;
  try {
    let pipe = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 } });
    if (img.channels <= 2 || meta.space === 'b-w' || meta.space === 'grey16') pipe = pipe.toColourspace('b-w');
    out = await (format === 'jpeg'
      ? pipe.jpeg({ quality, chromaSubsampling: meta.chromaSubsampling === '4:4:4' ? '4:4:4' : '4:2:0' })
      : format === 'png'
        ? pipe.png({ compressionLevel: 6 })
        : pipe.webp((await isLosslessWebp(input)) ? { lossless: true } : { quality, alphaQuality: 100 })
    ).toBuffer();
  } catch (err) {
    throw wrap(err, 'cannot encode image');
  }
  return {
    bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength),
    id,
    format,
    width: img.width,
    height: img.height,
    psnr: r.psnr,
    meanMargin: r.meanMargin,
    minMargin: r.minMargin,
  };
}

async function isLosslessWebp(input: Uint8Array): Promise<boolean> {
  for (let off = 12, n = 0; off + 8 <= input.length && n < 64; n++) {
    const id = String.fromCharCode(input[off]!, input[off + 1]!, input[off + 2]!, input[off + 3]!);
    if (id === 'VP8L') return true;
    if (id === 'VP8 ') return false;
    off += 8 + (((input[off + 4]! | (input[off + 5]! << 8) | (input[off + 6]! << 16)) + input[off + 7]! * 0x1000000 + 1) & ~1);
  }
  return false;
}

/** Options of {@link detectImageWatermark}. */
export interface DetectOptions {
  /** Spreading key (default the public one). */
  key?: string;
  /** Report `found` only at or below this p-value (default 1e-6). */
  maxPValue?: number;
}

/**
 * Look for the watermark in an encoded image (any format sharp decodes).
 * @throws {UnsupportedFormatError} {@link MalformedInputError} {@link LimitExceededError} when it cannot be decoded.
 */
export async function detectImageWatermark(input: Uint8Array, options: DetectOptions = {}): Promise<WatermarkDetection> {
  let img: RawImage;
  try {
    const pipe = open(input).rotate();
    const meta = await open(input).metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const w = swap ? meta.height : meta.width,
      h = swap ? meta.width : meta.height;
    const rw = Math.min(w, DETECT_REDUCE_SIDE),
      rh = Math.min(h, DETECT_REDUCE_SIDE);
    img = await toRaw(rw < w || rh < h ? pipe.resize(rw, rh, { fit: 'fill' }) : pipe);
  } catch (err) {
    throw wrap(err, 'cannot decode image');
  }
  return decideSoftBits(imageSoftBits(img, options.key), options.maxPValue);
}
