/**
 * Visible label on GIFs, still and animated (GB 45438-2025 §5.2): the same plate as on other
 * images (`image-overlay.ts`), drawn at the same place on every frame. sharp decodes an
 * animation as a vertical strip of frames ("toilet roll", `pageHeight` × `pages`); a
 * frame-sized transparent tile holding the label is repeated down the strip (one composite, one
 * frame of extra memory), and the strip is re-encoded as GIF with the input's frame delays and
 * loop count. The plate colours follow the mean luminance under the label on the first frame.
 */
import sharp, { type Metadata } from 'sharp';
import { MAX_IMAGE_PIXELS } from '../../binary/limits.ts';
import { LimitExceededError, MalformedInputError, ToolkitError, said } from '../../errors.ts';
import { chooseLabelColors, meanLuminance } from './contrast.ts';
import { measureLabel, rasterizeLabel } from './label-raster.ts';
import { assertLabelFits, inkHeightFor, validateMargin, validateScale } from './options.ts';
import { placeLabel, validatePosition, type LabelPosition } from './placement.ts';
import { validateLabelText } from './text.ts';
import type { ImageLabelInfo } from './image-overlay.ts';

/** Options (as for the other images). */
export interface GifLabelOptions {
  readonly text?: string;
  readonly position?: LabelPosition;
  readonly scale?: number;
  readonly margin?: number;
}

function wrap(err: unknown, what: string): ToolkitError {
  if (err instanceof ToolkitError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(msg))
    return new LimitExceededError('MAX_IMAGE_PIXELS', said('err.in', '{where}: {message}', { where: what, message: msg }), { cause: err });
  return new MalformedInputError('gif', said('err.in', '{where}: {message}', { where: what, message: msg }), undefined, { cause: err });
}

/**
 * Draw the explicit label on every frame of a GIF and re-encode it as GIF.
 * @throws {InvalidArgumentError} for bad options or text, or frames under 64 px.
 * @throws {LimitExceededError} when all frames together exceed {@link MAX_IMAGE_PIXELS} pixels.
 * @throws {MalformedInputError} when the GIF cannot be decoded.
 */
export async function renderGifLabel(
  input: Uint8Array,
  options: GifLabelOptions = {},
): Promise<{ bytes: Uint8Array; info: ImageLabelInfo }> {
  const text = validateLabelText(options.text);
  const position = validatePosition(options.position);
  const scale = validateScale(options.scale);
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const open = (animated: boolean) => sharp(buf, { failOn: 'warning', limitInputPixels: MAX_IMAGE_PIXELS, animated });
  let meta: Metadata;
  try {
    meta = await open(true).metadata();
  } catch (err) {
    throw wrap(err, 'cannot read GIF');
  }
  const pages = meta.pages ?? 1;
  const W = meta.width;
  const H = meta.pageHeight ?? meta.height;
  if (W * H * pages > MAX_IMAGE_PIXELS) {
    throw new LimitExceededError(
      'MAX_IMAGE_PIXELS',
      said('err.lbl.gifFramesXHas', 'GIF of {pages} frames of {W}x{H} has more than {MAX_IMAGE_PIXELS} pixels', {
        pages,
        W,
        H,
        MAX_IMAGE_PIXELS,
      }),
    );
  }
  assertLabelFits(W, H);
  const minSide = Math.min(W, H);
  const margin = validateMargin(options.margin, minSide);
  const inkPx = inkHeightFor(minSide, scale);
  const geo = measureLabel(text, inkPx);
  const box = placeLabel(W, H, geo.width, geo.height, position, margin);
  try {
    const under = await open(false)
      .extract({ left: box.x, top: box.y, width: box.w, height: box.h })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const colors = chooseLabelColors(meanLuminance(under.data, under.info.channels));
    const raster = await rasterizeLabel(text, inkPx, colors);
    // One frame-sized transparent tile with the label at its place, repeated down the strip.
    const tile = Buffer.alloc(W * H * 4);
    for (let y = 0; y < box.h; y++) raster.rgba.copy(tile, ((box.y + y) * W + box.x) * 4, y * box.w * 4, (y + 1) * box.w * 4);
    const out = await open(true)
      .composite([{ input: tile, raw: { width: W, height: H, channels: 4 }, tile: true, gravity: 'northwest' }])
      .gif({ ...(meta.delay ? { delay: meta.delay } : {}), ...(meta.loop !== undefined ? { loop: meta.loop } : {}) })
      .toBuffer();
    return {
      bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength),
      info: {
        kind: 'image-overlay',
        text,
        position,
        relativeHeight: inkPx / minSide,
        box,
        textBox: { x: box.x + geo.textBox.x, y: box.y + geo.textBox.y, w: geo.textBox.w, h: geo.textBox.h },
        format: 'gif',
        contrastRatio: colors.worstContrast,
        scheme: colors.scheme,
        frames: pages,
      },
    };
  } catch (err) {
    throw wrap(err, 'cannot label GIF');
  }
}
